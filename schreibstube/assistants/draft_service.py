"""Formulieren: create a draft from a :class:`DraftRequest`, revise it, keep every version.

The pure building blocks live in :mod:`.drafting` (catalog, messages, salutation, readability,
exports); this module wires them to storage and a model, in the same shape as :mod:`.chat`:

1. **Prepare** (before the first event): build the messages, check them against the model's
   context (``tokens.check_budget``). A bad request, an unknown text type or a prompt that does
   not fit therefore surfaces as an HTTP error (the CLI: a German message) and nothing is
   stored. Then the draft row (``create`` only) and a version row with status ``streaming``.
2. **Stream** the model's answer through :class:`~schreibstube.llm.response.Response` as
   events (:class:`DraftEvent`): ``meta``, ``delta`` (repeated), then ``done`` or ``error``.
   The web layer turns them into SSE, the CLI prints them.
3. **Finish**, whatever happened (also when the client went away): the version ends
   ``complete``, ``incomplete`` (partial text kept) or ``error``. A complete answer becomes a
   :class:`~schreibstube.assistants.drafting.Draft` (title + Markdown-light body); for text types
   with an Anrede, :func:`~schreibstube.assistants.drafting.framing.frame` guarantees the
   salutation and closing computed in code. So the stored text is final, while the streamed
   deltas are the raw model output — the ``done`` event carries the final text. The readability
   of the input (the source text, else the notes; for a revision the version revised) is
   compared with the result (``readability.compare``) and stored with the version.

A saved template (``request.template_id``) is resolved in step 1 by
:func:`.draft_templates.apply`: its body and name go into the stored request.

Versions are numbered per draft from 1; a revision appends one and never changes earlier
ones. Every rendering carries ``DRAFT_LABEL`` first, then notices (Leichte Sprache: not checked
by a Prüfgruppe; an incomplete version says so). Drafts are private to their owner: the
repository (``storage/drafts.py``) scopes every query with ``storage.scope.owned_by``.

Logging: ids, sizes, timings and error kinds — never notes, source texts or drafts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from schreibstube.assistants import draft_templates
from schreibstube.assistants.chat import allowed_model
from schreibstube.assistants.drafting import (
    DRAFT_LABEL,
    Draft,
    DraftRequest,
    build_messages,
    build_revision_messages,
    closing_line,
    compare,
    filename,
    notices_for,
    salutation_line,
    to_docx,
    to_markdown,
    to_odt,
)
from schreibstube.assistants.drafting.framing import frame
from schreibstube.assistants.drafting.messages import ChatMessage, _preset_key
from schreibstube.assistants.drafting.readability import Readability
from schreibstube.assistants.drafting.request import SALUTATION_KINDS
from schreibstube.context import AppContext
from schreibstube.errors import InvalidInput, NotFound, OutputTruncated, SchreibstubeError
from schreibstube.llm.base import Message, Prompt
from schreibstube.llm.response import Response
from schreibstube.llm.tokens import check_budget, output_budget
from schreibstube.storage import drafts as repo
from schreibstube.storage.tables import Draft as DraftRow
from schreibstube.storage.tables import DraftVersion, utcnow
from schreibstube.tenants.identity import CurrentUser

log = logging.getLogger(__name__)

INCOMPLETE_NOTICE = "Unvollständig – die Erzeugung wurde abgebrochen"
FIRST_VERSION_LABEL = "Erstentwurf"
SALUTATION_LABELS: Mapping[str, str] = {
    "auto": "Automatisch",
    "frau_herr": "Sehr geehrte Frau … / Sehr geehrter Herr …",
    "neutral": "Neutral (Guten Tag Vorname Name)",
    "damen_herren": "Sehr geehrte Damen und Herren",
    "informell": "Informell (Liebe … / Hallo …)",
}
BASIS_LABELS: Mapping[str, str] = {
    "notizen": "Stichpunkte", "quelltext": "Quelltext", "vorversion": "vorige Version",
}
_EXPORTS: Mapping[str, tuple[Callable[[Draft], bytes], str]] = {
    "docx": (to_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": (to_odt, "application/vnd.oasis.opendocument.text"),
    "md": (lambda d: to_markdown(d).encode("utf-8"), "text/markdown; charset=utf-8"),
}
EXPORT_FORMATS = tuple(_EXPORTS)


@dataclass
class DraftEvent:
    kind: str  # "meta" | "delta" | "done" | "error"; "done" carries data["version"]: VersionView
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VersionView:
    """One version as clients see it (no tenant or user ids)."""

    draft_id: str
    number: int
    instruction: str | None
    instruction_label: str
    status: str
    title: str
    text: str
    labels: tuple[str, ...]
    model: str
    error: str | None
    readability: dict[str, Any] | None
    created_at: datetime


@dataclass(frozen=True)
class DraftView:
    id: str
    title: str
    text_type: str
    text_type_label: str
    request: dict[str, Any]
    model: str
    created_at: datetime
    updated_at: datetime
    versions: list[VersionView] = field(default_factory=list)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    media_type: str
    filename: str  # UTF-8, for ``filename*``
    ascii_filename: str  # fallback for old clients


@dataclass(frozen=True)
class _Job:
    """Everything the stream needs, prepared before the first event."""

    draft_id: str
    version_id: str
    number: int
    model: str
    messages: list[Message]
    max_tokens: int
    request: DraftRequest
    before: str  # the text the result's readability is compared with
    basis: str  # "notizen" | "quelltext" | "vorversion"


# -- options and reading -------------------------------------------------------------------


def options(ctx: AppContext) -> dict[str, Any]:
    """Text types and option sets with German labels, for forms and API clients."""
    catalog, opts = ctx.drafting, ctx.drafting.options
    defaults = {f.name: f.default for f in dataclasses.fields(DraftRequest)
                if f.name in ("register", "length", "gender", "salutation")}
    return {
        "text_types": [
            {"id": t.id, "label": t.label, "description": t.description, "salutation": t.salutation,
             "recipient_label": t.recipient_label, "sections": list(t.sections),
             "variables": list(t.variables)}
            for t in catalog.text_types.values()
        ],
        "registers": _choices(opts.registers),
        "lengths": _choices(opts.lengths),
        "genders": _choices(opts.genders),
        "salutations": [{"id": k, "label": SALUTATION_LABELS[k]} for k in SALUTATION_KINDS],
        "revisions": _choices(opts.revisions),
        "defaults": defaults,
    }


def _choices(table: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{"id": o.id, "label": o.label} for o in table.values()]


def list_drafts(ctx: AppContext, user: CurrentUser) -> list[DraftView]:
    with ctx.db.session() as s:
        return [_draft_view(ctx, d, []) for d in repo.list_for(s, user=user)]


def get_draft(ctx: AppContext, user: CurrentUser, draft_id: str) -> DraftView:
    with ctx.db.session() as s:
        draft = repo.get(s, draft_id, user=user)
        versions = [_version_view(ctx, draft, v) for v in repo.versions(s, draft.id, user=user)]
        return _draft_view(ctx, draft, versions)


def get_version(ctx: AppContext, user: CurrentUser, draft_id: str, number: int) -> VersionView:
    with ctx.db.session() as s:
        draft = repo.get(s, draft_id, user=user)
        return _version_view(ctx, draft, repo.get_version(s, draft.id, number, user=user))


def delete_draft(ctx: AppContext, user: CurrentUser, draft_id: str) -> None:
    with ctx.db.session() as s:
        repo.delete_one(s, draft_id, user=user)
    log.info("draft deleted id=%s", draft_id)


def delete_all_drafts(ctx: AppContext, user: CurrentUser) -> int:
    with ctx.db.session() as s:
        count = repo.delete_all(s, user=user)
    log.info("drafts deleted count=%d", count)
    return count


def export(ctx: AppContext, user: CurrentUser, draft_id: str, number: int, fmt: str) -> ExportFile:
    """Version ``number`` of a draft as ``docx``, ``odt`` or ``md``, labelled as a draft."""
    if fmt not in _EXPORTS:
        raise InvalidInput(f"Unbekanntes Format „{fmt}“. Möglich sind: {', '.join(EXPORT_FORMATS)}.")
    version = get_version(ctx, user, draft_id, number)
    if not version.text.strip():
        raise InvalidInput("Diese Version enthält keinen Text, der exportiert werden könnte.")
    value = as_draft(version)
    render, media_type = _EXPORTS[fmt]
    return ExportFile(render(value), media_type, _utf8_filename(value.title, fmt), filename(value, fmt))


def as_draft(version: VersionView) -> Draft:
    """The version as a :class:`Draft` value (for exports); its labels are the version's."""
    return Draft(version.title, version.text, notices=version.labels[1:])


# -- creating and revising -----------------------------------------------------------------


async def create(
    ctx: AppContext, user: CurrentUser, request: DraftRequest, model_name: str | None = None
) -> AsyncIterator[DraftEvent]:
    """Create a draft and stream its first version. Raises before the first event only."""
    job = await asyncio.to_thread(_prepare_create, ctx, user, request, model_name)
    async for event in _generate(ctx, user, job):
        yield event


async def revise(
    ctx: AppContext, user: CurrentUser, draft_id: str, instruction: str, *,
    version: int | None = None, model_name: str | None = None,
) -> AsyncIterator[DraftEvent]:
    """Revise version ``version`` (default: the newest with text) into a new version.

    ``instruction`` is a preset (``kuerzer``, ``foermlicher``, ``einfacher``; "Kürzer" works
    too) or the author's free text.
    """
    job = await asyncio.to_thread(_prepare_revision, ctx, user, draft_id, instruction, version,
                                  model_name)
    async for event in _generate(ctx, user, job):
        yield event


async def final_event(events: AsyncIterator[DraftEvent]) -> DraftEvent:
    """Run a stream to its end and return the ``done`` or ``error`` event."""
    last = DraftEvent("error")
    async for event in events:
        if event.kind in ("done", "error"):
            last = event
    return last


def _prepare_create(
    ctx: AppContext, user: CurrentUser, request: DraftRequest, model_name: str | None
) -> _Job:
    name = allowed_model(ctx, model_name)
    request = draft_templates.apply(ctx, user, request)  # a saved template: body and name
    messages = _messages(build_messages(request, ctx.drafting))
    max_tokens = _check_budget(ctx, name, messages)
    with ctx.db.session() as s:
        draft = repo.create(s, user=user, text_type=request.text_type,
                            request=_request_data(request), model=name)
        version = repo.add_version(s, draft, user=user, model=name, instruction=None)
        basis = "quelltext" if request.source_text.strip() else "notizen"
        before = request.source_text if basis == "quelltext" else request.notes
        return _Job(draft.id, version.id, version.number, name, messages, max_tokens, request,
                    before, basis)


def _prepare_revision(
    ctx: AppContext, user: CurrentUser, draft_id: str, instruction: str, number: int | None,
    model_name: str | None,
) -> _Job:
    with ctx.db.session() as s:
        draft = repo.get(s, draft_id, user=user)
        request, name = _request_of(draft), allowed_model(ctx, model_name or draft.model)
        base = _base_version(repo.versions(s, draft.id, user=user), number)
        previous = f"# {base.title}\n\n{base.text}" if base.text.strip() else ""
    messages = _messages(build_revision_messages(previous, instruction, request, ctx.drafting))
    max_tokens = _check_budget(ctx, name, messages)
    with ctx.db.session() as s:
        draft = repo.get(s, draft_id, user=user)
        draft.model = name
        version = repo.add_version(s, draft, user=user, model=name,
                                   instruction=_instruction_key(ctx, instruction))
        return _Job(draft.id, version.id, version.number, name, messages, max_tokens, request,
                    base.text, "vorversion")


def _base_version(versions: list[DraftVersion], number: int | None) -> DraftVersion:
    if number is not None:
        chosen = next((v for v in versions if v.number == number), None)
        if chosen is None:
            raise NotFound(f"Version {number} dieses Entwurfs gibt es nicht.")
        return chosen
    with_text = [v for v in versions if v.text.strip()]
    return (with_text or versions)[-1]


def _check_budget(ctx: AppContext, name: str, messages: list[Message]) -> int:
    model = ctx.models.get(name)
    max_tokens = output_budget(model, None)
    check_budget(model, messages, max_tokens)
    return max_tokens


async def _generate(ctx: AppContext, user: CurrentUser, job: _Job) -> AsyncIterator[DraftEvent]:
    yield DraftEvent("meta", {"draft_id": job.draft_id, "version": job.number, "model": job.model})
    response: Response | None = None
    error: SchreibstubeError | None = None
    try:
        response = Response(ctx.models.get(job.model), Prompt(job.messages, max_tokens=job.max_tokens))
        async for delta in response:
            yield DraftEvent("delta", {"text": delta})
    except SchreibstubeError as exc:
        error = exc
    finally:
        view = await asyncio.shield(asyncio.to_thread(_finish, ctx, user, job, response, error))
        log.info(
            "draft version draft=%s number=%d model=%s status=%s chars=%d error=%s",
            job.draft_id, job.number, job.model, view.status, len(view.text),
            error.kind if error else "-",
        )
    if error is not None:
        yield DraftEvent("error", {
            "draft_id": job.draft_id, "version": job.number, "kind": error.kind,
            "message": error.user_message, "partial": response.text if response else "",
            "retry_after": getattr(error, "retry_after", None),
        })
    else:
        yield DraftEvent("done", {"draft_id": job.draft_id, "version": view})


def _finish(
    ctx: AppContext, user: CurrentUser, job: _Job, response: Response | None,
    error: SchreibstubeError | None,
) -> VersionView:
    raw = response.text if response else ""
    status = "complete" if response is not None and response.status == "complete" else (
        "incomplete" if raw else "error")
    truncated = error is None and response is not None and response.truncated
    if truncated:
        error = OutputTruncated()  # the version's note: cut off at the output limit
    # A text cut at the length limit still gets its Anrede and Grußformel (the note says where
    # it was cut); a text broken off by a failure does not.
    value = _compose(ctx, job.request, raw, framed=status == "complete" or truncated)
    with ctx.db.session() as s:
        version = repo.get_version_by_id(s, job.version_id, user=user)
        version.status = status
        if raw:
            version.title, version.text = value.title, value.text
        if error is not None:
            version.error_kind, version.error_message = error.kind, error.user_message
        version.meta = {
            "prompt_tokens": response.stats.prompt_tokens if response else None,
            "completion_tokens": response.stats.completion_tokens if response else None,
            "ttft_s": response.first_token_s if response else None,
            "total_s": response.total_s if response else None,
            "readability": _readability(job.before, value.text, job.basis) if raw else None,
        }
        draft = repo.get(s, job.draft_id, user=user)
        if raw:
            draft.title = value.title[:300]
        draft.updated_at = utcnow()
        return _version_view(ctx, draft, version)


def _compose(ctx: AppContext, request: DraftRequest, raw: str, *, framed: bool) -> Draft:
    """Model output -> Draft; a complete text of a type with an Anrede gets it guaranteed."""
    text_type = ctx.drafting.get(request.text_type)
    value = Draft.from_model_output(raw, fallback_title=text_type.label)
    if framed and text_type.salutation:
        body = frame(value.text, salutation=salutation_line(request.salutation, request.recipient),
                     closing=closing_line(request.salutation), sender=request.sender)
        value = dataclasses.replace(value, text=body)
    return value


# -- shaping ---------------------------------------------------------------------------------


def _version_view(ctx: AppContext, draft: DraftRow, version: DraftVersion) -> VersionView:
    notices = notices_for(_request_of(draft))
    if version.status == "incomplete":
        notices = (*notices, INCOMPLETE_NOTICE)
    readability = version.meta.get("readability") if version.meta else None
    return VersionView(
        draft_id=draft.id, number=version.number, instruction=version.instruction,
        instruction_label=_instruction_label(ctx, version.instruction), status=version.status,
        title=version.title, text=version.text, labels=(DRAFT_LABEL, *notices),
        model=version.model, error=version.error_message,
        readability=readability if isinstance(readability, dict) else None,
        created_at=version.created_at,
    )


def _draft_view(ctx: AppContext, draft: DraftRow, versions: list[VersionView]) -> DraftView:
    text_type = ctx.drafting.text_types.get(draft.text_type)
    return DraftView(
        id=draft.id, title=draft.title, text_type=draft.text_type,
        text_type_label=text_type.label if text_type else draft.text_type,
        request=dict(draft.request), model=draft.model, created_at=draft.created_at,
        updated_at=draft.updated_at, versions=versions,
    )


def _readability(before: str, after: str, basis: str) -> dict[str, Any]:
    comparison = compare(before, after)
    return {"basis": basis, "basis_label": BASIS_LABELS[basis], "summary": comparison.summary(),
            "before": _scores(comparison.before), "after": _scores(comparison.after)}


def _scores(r: Readability) -> dict[str, Any]:
    def shown(score: Any) -> str:
        return f"{score.value:.1f}".replace(".", ",") + f" ({score.label})" if score else "–"

    return {
        "words": r.words, "sentences": r.sentences,
        "amstad": round(r.amstad.value, 1) if r.amstad else None, "amstad_text": shown(r.amstad),
        "wstf": round(r.wstf.value, 1) if r.wstf else None, "wstf_text": shown(r.wstf),
    }


def _instruction_key(ctx: AppContext, instruction: str) -> str:
    key = _preset_key(instruction)
    return key if key in ctx.drafting.options.revisions else instruction.strip()


def _instruction_label(ctx: AppContext, instruction: str | None) -> str:
    if instruction is None:
        return FIRST_VERSION_LABEL
    preset = ctx.drafting.options.revisions.get(instruction)
    return preset.label if preset else instruction


def _messages(messages: list[ChatMessage]) -> list[Message]:
    return [Message(m["role"], m["content"]) for m in messages]


def _request_data(request: DraftRequest) -> dict[str, Any]:
    data = dataclasses.asdict(request)
    data["variables"] = dict(request.variables)
    return data


def _request_of(draft: DraftRow) -> DraftRequest:
    known = {f.name for f in dataclasses.fields(DraftRequest)}
    data: dict[str, Any] = {k: v for k, v in draft.request.items() if k in known}
    return DraftRequest(**data)


def _utf8_filename(title: str, extension: str) -> str:
    """``Entwurf-Termin-bestätigen.odt``: like ``drafting.filename`` but keeping umlauts."""
    slug = re.sub(r"[^\w]+", "-", title).strip("-_")[:60].rstrip("-")
    return f"Entwurf-{slug or 'Text'}.{extension}"
