"""The template library on a real database (SQLite and PostgreSQL) and the scripted model."""

from __future__ import annotations

import asyncio
import logging

import pytest

from schreibstube.assistants import draft_service, draft_templates
from schreibstube.assistants.drafting import DraftRequest
from schreibstube.context import AppContext
from schreibstube.errors import Forbidden, InvalidInput, NotFound
from schreibstube.llm.scripted import ScriptedModel
from schreibstube.storage.tables import DraftTemplate
from schreibstube.tenants import identity
from schreibstube.tenants.identity import CurrentUser

BODY = "Ihr Antrag vom {{ datum_antrag }}, Aktenzeichen {{ aktenzeichen }}, ist eingegangen."


def person(ctx: AppContext, name: str, tenant: str = "land-a", role: str = "user") -> CurrentUser:
    return identity.resolve(ctx.db, tenant, name, role, create_tenant=True)


def draft(ctx: AppContext, user: CurrentUser, request: DraftRequest) -> draft_service.VersionView:
    async def run() -> draft_service.DraftEvent:
        return await draft_service.final_event(draft_service.create(ctx, user, request))

    done = asyncio.run(run())
    assert done.kind == "done", done.data
    return done.data["version"]


def test_save_lists_variables_and_delete_removes(ctx: AppContext) -> None:
    anna = person(ctx, "anna")
    saved = draft_templates.save(ctx, anna, "  Eingangsbestätigung ", BODY, text_type="brief")
    assert (saved.name, saved.variables, saved.text_type_label) == (
        "Eingangsbestätigung", ["datum_antrag", "aktenzeichen"], "Brief / Anschreiben")
    assert (saved.shared, saved.mine, saved.can_manage, saved.valid) == (False, True, True, True)
    assert [t.id for t in draft_templates.list_templates(ctx, anna)] == [saved.id]
    draft_templates.delete(ctx, anna, saved.id)
    assert draft_templates.list_templates(ctx, anna) == []


def test_users_see_own_and_tenant_templates_only(ctx: AppContext) -> None:
    admin, anna, bernd = (person(ctx, "chefin", role="tenant_admin"), person(ctx, "anna"),
                          person(ctx, "bernd"))
    shared = draft_templates.save(ctx, admin, "Amtsweit", "Gruß vom Amt", shared=True)
    own = draft_templates.save(ctx, anna, "Annas", "Nur für Anna")
    draft_templates.save(ctx, bernd, "Bernds", "Nur für Bernd")
    draft_templates.save(ctx, person(ctx, "anna", tenant="land-b", role="tenant_admin"), "Fremd",
                         "Anderes Land", shared=True)
    assert [t.name for t in draft_templates.list_templates(ctx, anna)] == ["Annas", "Amtsweit"]
    with pytest.raises(NotFound):
        draft_templates.apply(ctx, bernd, DraftRequest(text_type="email", template_id=own.id))
    assert draft_templates.apply(ctx, bernd, DraftRequest(text_type="email", template_id=shared.id)
                                 ).template == "Gruß vom Amt"


def test_only_admins_share_and_manage_tenant_templates(ctx: AppContext) -> None:
    admin, anna = person(ctx, "chefin", role="tenant_admin"), person(ctx, "anna")
    with pytest.raises(Forbidden, match="Nur Administratorinnen und Administratoren"):
        draft_templates.save(ctx, anna, "Amtsweit", "Text", shared=True)
    shared = draft_templates.save(ctx, admin, "Amtsweit", "Text", shared=True)
    assert not draft_templates.list_templates(ctx, anna)[0].can_manage
    with pytest.raises(Forbidden):
        draft_templates.delete(ctx, anna, shared.id)
    draft_templates.delete(ctx, admin, shared.id)


@pytest.mark.parametrize(("name", "body", "text_type", "message"), [
    ("Kaputt", "Az. {{ aktenzeichen", None, "in Zeile 1 einen Fehler"),
    ("Einbindung", "{% include 'x' %}", None, "keine anderen Vorlagen"),
    ("Großbuchstaben", "{{ Aktenzeichen }}", None, "Ungültiger Variablenname"),
    ("", "Text", None, "Namen für die Vorlage"),
    ("Leer", "  ", None, "Text der Vorlage"),
    ("Typ", "Text", "gedicht", "Unbekannte Textart"),
])
def test_invalid_templates_are_refused_on_save(ctx: AppContext, name: str, body: str,
                                               text_type: str | None, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        draft_templates.save(ctx, person(ctx, "anna"), name, body, text_type=text_type)


def test_names_are_unique_per_owner_scope(ctx: AppContext) -> None:
    anna, bernd = person(ctx, "anna"), person(ctx, "bernd")
    draft_templates.save(ctx, anna, "Zusage", "Text")
    draft_templates.save(ctx, bernd, "Zusage", "Text")  # another owner: fine
    with pytest.raises(InvalidInput, match="gibt es unter Ihren Vorlagen bereits"):
        draft_templates.save(ctx, anna, "Zusage", "Anderer Text")


def test_draft_with_template_renders_variables_into_the_prompt(ctx: AppContext, model: ScriptedModel) -> None:
    anna = person(ctx, "anna")
    saved = draft_templates.save(ctx, anna, "Eingang", BODY)
    model.enqueue("# Eingang\n\nIhr Antrag ist da.")
    request = DraftRequest(text_type="vermerk", template_id=saved.id,
                           variables={"datum_antrag": "3. März 2026", "aktenzeichen": "61-17/2026"})
    version = draft(ctx, anna, request)
    prompt = model.prompts[-1].messages[-1].content
    assert "<vorlage>\nIhr Antrag vom 3. März 2026, Aktenzeichen 61-17/2026, ist eingegangen." in prompt
    stored = draft_service.get_draft(ctx, anna, version.draft_id).request
    assert (stored["template_id"], stored["template_name"], stored["template"]) == (saved.id, "Eingang", BODY)


def test_missing_variable_is_named_before_anything_is_stored(ctx: AppContext, model: ScriptedModel) -> None:
    anna = person(ctx, "anna")
    saved = draft_templates.save(ctx, anna, "Eingang", BODY)
    request = DraftRequest(text_type="vermerk", template_id=saved.id, variables={"aktenzeichen": "1"})
    with pytest.raises(InvalidInput, match="Für die Vorlage fehlen Angaben: datum_antrag"):
        draft(ctx, anna, request)
    assert model.prompts == [] and draft_service.list_drafts(ctx, anna) == []


def test_template_for_another_text_type_is_refused(ctx: AppContext) -> None:
    anna = person(ctx, "anna")
    saved = draft_templates.save(ctx, anna, "Briefkopf", "Text", text_type="brief")
    with pytest.raises(InvalidInput, match="für die Textart „Brief / Anschreiben“ gedacht"):
        draft_templates.apply(ctx, anna, DraftRequest(text_type="email", template_id=saved.id))


def test_broken_stored_template_is_logged_flagged_and_refused(
    ctx: AppContext, caplog: pytest.LogCaptureFixture,
) -> None:
    anna = person(ctx, "anna")
    good = draft_templates.save(ctx, anna, "Gut", "Az. {{ aktenzeichen }}")
    with ctx.db.session() as s:  # e.g. saved under an older, laxer rule
        broken = DraftTemplate(tenant_id=anna.tenant_id, user_id=anna.user_id, name="Alt",
                               body="GEHEIM {{ x.__class__ }}", variables=["x"])
        s.add(broken)
        s.flush()
        broken_id = broken.id
    caplog.set_level(logging.INFO)
    assert draft_templates.check_stored(ctx) == [broken_id]
    assert f"count=2 invalid=1 ids={broken_id}" in caplog.text and "GEHEIM" not in caplog.text
    flags = {t.name: t.valid for t in draft_templates.list_templates(ctx, anna)}
    assert flags == {"Alt": False, "Gut": True} and good.valid
    with pytest.raises(InvalidInput, match="Die Vorlage „Alt“ kann nicht verwendet werden"):
        draft_templates.apply(ctx, anna, DraftRequest(text_type="email", template_id=broken_id))
