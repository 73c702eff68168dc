"""The draft service on the scripted model and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from schreibstube.assistants import draft_service as service
from schreibstube.assistants.draft_service import DraftEvent, VersionView
from schreibstube.assistants.drafting import DRAFT_LABEL, DraftRequest
from schreibstube.context import AppContext
from schreibstube.errors import ContextOverflow, InvalidInput, NotFound, StreamInterrupted
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.storage.tables import Draft
from schreibstube.tenants.identity import CurrentUser
from schreibstube.tenants.local import local_user

EMAIL = DraftRequest(text_type="email", notes="Termin Montag 10 Uhr bestätigen, Unterlagen mitbringen",
                     recipient="Frau Schulz")
ANSWER = ("# Ihr Termin am Montag\n\nSehr geehrte Frau Schulz,\n\nwir bestätigen Ihren Termin am "
          "Montag um 10 Uhr. Bitte bringen Sie Ihre Unterlagen mit.\n\nMit freundlichen Grüßen\n[Name]")


@pytest.fixture
def user(ctx: AppContext) -> CurrentUser:
    return local_user(ctx)


def events(stream: AsyncIterator[DraftEvent]) -> list[DraftEvent]:
    async def collect() -> list[DraftEvent]:
        return [event async for event in stream]

    return asyncio.run(collect())


def create(ctx: AppContext, user: CurrentUser, request: DraftRequest = EMAIL) -> VersionView:
    done = events(service.create(ctx, user, request))[-1]
    assert done.kind == "done", done.data
    return done.data["version"]


def test_first_version_streams_and_is_stored(ctx: AppContext, user: CurrentUser,
                                             model: ScriptedModel) -> None:
    model.enqueue(ANSWER)
    stream = events(service.create(ctx, user, EMAIL))
    assert [e.kind for e in stream][:2] == ["meta", "delta"] and stream[-1].kind == "done"
    version = stream[-1].data["version"]
    assert (version.number, version.title, version.labels) == (1, "Ihr Termin am Montag", (DRAFT_LABEL,))
    assert version.readability["basis"] == "notizen" and "→" in version.readability["summary"]
    stored = service.get_draft(ctx, user, version.draft_id)
    assert stored.title == "Ihr Termin am Montag" and stored.versions[0].text == version.text


def test_salutation_and_closing_come_from_code(ctx: AppContext, user: CurrentUser,
                                               model: ScriptedModel) -> None:
    model.enqueue("Ihr Termin ist bestätigt.")
    version = create(ctx, user)
    assert version.title == "E-Mail"
    assert version.text == ("Sehr geehrte Frau Schulz,\n\nIhr Termin ist bestätigt.\n\n"
                            "Mit freundlichen Grüßen\n[Name]")


def test_revision_appends_a_version_and_keeps_the_first(ctx: AppContext, user: CurrentUser,
                                                        model: ScriptedModel) -> None:
    model.enqueue(ANSWER, "# Termin Montag\n\nSehr geehrte Frau Schulz,\n\nTermin Montag, 10 Uhr.")
    first = create(ctx, user)
    done = events(service.revise(ctx, user, first.draft_id, "Kürzer"))[-1]
    second = done.data["version"]
    assert (second.number, second.instruction, second.instruction_label) == (2, "kuerzer", "Kürzer")
    assert second.readability["basis"] == "vorversion"
    assert model.prompts[-1].messages[-2].content.startswith("# Ihr Termin am Montag")
    versions = service.get_draft(ctx, user, first.draft_id).versions
    assert [v.text for v in versions] == [first.text, second.text]


def test_leichte_sprache_carries_its_notice(ctx: AppContext, user: CurrentUser, model: ScriptedModel) -> None:
    model.enqueue("Sie haben einen Termin.")
    request = DraftRequest(text_type="vermerk", notes="Termin", register="leichte_sprache")
    assert create(ctx, user, request).labels == (DRAFT_LABEL, "Leichte Sprache – nicht von einer "
                                                 "Prüfgruppe geprüft")


def test_broken_stream_keeps_the_unframed_partial_text(ctx: AppContext, user: CurrentUser,
                                                       model: ScriptedModel) -> None:
    model.enqueue(("Sehr geehrte Frau Schulz, wir", StreamInterrupted()))
    last = events(service.create(ctx, user, EMAIL))[-1]
    assert last.kind == "error" and last.data["partial"] == "Sehr geehrte Frau Schulz, wir"
    version = service.get_version(ctx, user, last.data["draft_id"], 1)
    assert version.status == "incomplete" and "Grüßen" not in version.text
    assert service.INCOMPLETE_NOTICE in version.labels


def test_too_long_prompt_is_refused_before_anything_is_stored(ctx: AppContext, user: CurrentUser) -> None:
    request = DraftRequest(text_type="email", notes="Sachverhalt " * 1500)
    with pytest.raises(ContextOverflow, match="zu lang"):
        events(service.create(ctx, user, request))
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Draft)) == 0


@pytest.mark.parametrize("instruction, message", [("  ", "wie der Entwurf"), ("x" * 2001, "zu lang")])
def test_bad_revision_instructions_are_refused(ctx: AppContext, user: CurrentUser, model: ScriptedModel,
                                               instruction: str, message: str) -> None:
    draft_id = create(ctx, user).draft_id
    with pytest.raises(InvalidInput, match=message):
        events(service.revise(ctx, user, draft_id, instruction))
    assert len(service.get_draft(ctx, user, draft_id).versions) == 1


def test_delete_removes_the_draft_with_its_versions(ctx: AppContext, user: CurrentUser) -> None:
    draft_id = create(ctx, user).draft_id
    service.delete_draft(ctx, user, draft_id)
    assert service.list_drafts(ctx, user) == []
    with pytest.raises(NotFound, match="nicht gefunden"):
        service.get_version(ctx, user, draft_id, 1)
