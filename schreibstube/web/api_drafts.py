"""JSON API for "Formulieren" under /api/v1. Thin: validate, call the draft service, shape.

Creating and revising stream like chat (``stream`` defaults to true): server-sent events
``meta``, ``delta``* (raw model text), then ``done`` — with the final version, whose text may
differ from the deltas because salutation and closing are guaranteed in code — or ``error``.
With ``"stream": false`` the same arrives as one JSON object. Request errors (unknown text
type, a prompt too long for the model) are ordinary HTTP errors, before any event.

Schemas carry no tenant or user ids.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from schreibstube.assistants import draft_service as service
from schreibstube.assistants import draft_templates as templates
from schreibstube.assistants.drafting import DraftRequest
from schreibstube.context import AppContext
from schreibstube.tenants.identity import CurrentUser
from schreibstube.web.deps import current_user, get_ctx
from schreibstube.web.downloads import download
from schreibstube.web.draft_html import draft_html
from schreibstube.web.errors import error_body
from schreibstube.web.sse import format_event, sse_response, with_heartbeat

router = APIRouter(prefix="/api/v1", tags=["drafting"])
Ctx = Annotated[AppContext, Depends(get_ctx)]
User = Annotated[CurrentUser, Depends(current_user)]


class Choice(BaseModel):
    id: str
    label: str


class TextTypeOut(Choice):
    description: str
    salutation: bool
    recipient_label: str
    sections: list[str]
    variables: list[str]


class OptionsOut(BaseModel):
    text_types: list[TextTypeOut]
    registers: list[Choice]
    lengths: list[Choice]
    genders: list[Choice]
    salutations: list[Choice]
    revisions: list[Choice]
    defaults: dict[str, str]


class DraftIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    text_type: str
    notes: str = ""
    recipient: str = ""
    salutation: str = "auto"
    register_: str = Field(default="buergernah", alias="register")  # BaseModel has .register
    length: str = "mittel"
    gender: str = "paarform_neutral"
    source_text: str = ""
    sender: str = ""
    template: str = ""
    template_id: str = Field(default="", description="A saved template (GET /drafting/templates).")
    variables: dict[str, str] = Field(default_factory=dict)
    model: str | None = None
    stream: bool = True


class TemplateIn(BaseModel):
    name: str = Field(max_length=200)
    body: str = Field(description="Jinja text with variables such as {{ aktenzeichen }}.")
    text_type: str | None = Field(default=None, description="Only for this text type; null: any.")
    shared: bool = Field(default=False, description="For the whole tenant (tenant admins only).")


class TemplateOut(BaseModel):
    id: str
    name: str
    text_type: str | None
    text_type_label: str
    body: str
    variables: list[str]
    shared: bool
    mine: bool
    can_manage: bool
    valid: bool
    problem: str | None
    created_at: datetime
    updated_at: datetime


class RevisionIn(BaseModel):
    instruction: str = Field(description="kuerzer, foermlicher, einfacher or free text.")
    version: int | None = Field(default=None, ge=1, description="Version to revise; default newest.")
    model: str | None = None
    stream: bool = True


class VersionOut(BaseModel):
    draft_id: str
    number: int
    instruction: str | None
    instruction_label: str
    status: str
    title: str
    text: str
    html: str
    labels: list[str]
    ai_generated: bool = True
    model: str
    error: str | None
    readability: dict[str, Any] | None
    exports: dict[str, str]
    created_at: datetime


class DraftOut(BaseModel):
    id: str
    title: str
    text_type: str
    text_type_label: str
    model: str
    created_at: datetime
    updated_at: datetime


class DraftDetail(DraftOut):
    request: dict[str, Any]
    versions: list[VersionOut]


def export_url(draft_id: str, number: int, fmt: str) -> str:
    return f"/api/v1/drafts/{draft_id}/versions/{number}/export?format={fmt}"


def version_out(v: service.VersionView) -> VersionOut:
    return VersionOut(
        draft_id=v.draft_id, number=v.number, instruction=v.instruction,
        instruction_label=v.instruction_label, status=v.status, title=v.title, text=v.text,
        html=draft_html(v.title, v.text), labels=list(v.labels), model=v.model, error=v.error,
        readability=v.readability, created_at=v.created_at,
        exports={f: export_url(v.draft_id, v.number, f) for f in service.EXPORT_FORMATS},
    )


def _draft_out(d: service.DraftView) -> DraftOut:
    return DraftOut(id=d.id, title=d.title, text_type=d.text_type, text_type_label=d.text_type_label,
                    model=d.model, created_at=d.created_at, updated_at=d.updated_at)


@router.get("/drafting/options", response_model=OptionsOut)
def drafting_options(ctx: Ctx, user: User) -> Any:
    """Text types, registers, lengths, salutation kinds and revision presets (German labels)."""
    return service.options(ctx)


def template_out(t: templates.TemplateView) -> TemplateOut:
    return TemplateOut(**{f: getattr(t, f) for f in TemplateOut.model_fields})


@router.get("/drafting/templates", response_model=list[TemplateOut])
def list_templates(ctx: Ctx, user: User) -> list[TemplateOut]:
    """Own templates and those shared with the tenant; ``valid: false`` ones cannot be used."""
    return [template_out(t) for t in templates.list_templates(ctx, user)]


@router.post("/drafting/templates", response_model=TemplateOut, status_code=201)
def save_template(ctx: Ctx, user: User, body: TemplateIn) -> TemplateOut:
    """Save a template; ``shared: true`` needs the tenant admin role (403 otherwise)."""
    return template_out(templates.save(ctx, user, body.name, body.body, text_type=body.text_type,
                                       shared=body.shared))


@router.delete("/drafting/templates/{template_id}", status_code=204)
def delete_template(ctx: Ctx, user: User, template_id: str) -> Response:
    templates.delete(ctx, user, template_id)
    return Response(status_code=204)


@router.get("/drafts", response_model=list[DraftOut])
def list_drafts(ctx: Ctx, user: User) -> list[DraftOut]:
    return [_draft_out(d) for d in service.list_drafts(ctx, user)]


@router.get("/drafts/{draft_id}", response_model=DraftDetail)
def get_draft(ctx: Ctx, user: User, draft_id: str) -> DraftDetail:
    d = service.get_draft(ctx, user, draft_id)
    return DraftDetail(**_draft_out(d).model_dump(), request=d.request,
                       versions=[version_out(v) for v in d.versions])


@router.get("/drafts/{draft_id}/versions", response_model=list[VersionOut])
def list_versions(ctx: Ctx, user: User, draft_id: str) -> list[VersionOut]:
    return [version_out(v) for v in service.get_draft(ctx, user, draft_id).versions]


@router.get("/drafts/{draft_id}/versions/{number}", response_model=VersionOut)
def get_version(ctx: Ctx, user: User, draft_id: str, number: int) -> VersionOut:
    return version_out(service.get_version(ctx, user, draft_id, number))


@router.get("/drafts/{draft_id}/versions/{number}/export",
            responses={200: {"content": {"application/vnd.oasis.opendocument.text": {}}}})
def export_version(
    ctx: Ctx, user: User, draft_id: str, number: int,
    format: Annotated[Literal["docx", "odt", "md"], Query()] = "docx",
) -> Response:
    """The version as a file download (.docx, .odt or .md), labelled as an AI draft."""
    file = service.export(ctx, user, draft_id, number, format)
    return download(file.content, file.media_type, file.filename, file.ascii_filename)


@router.delete("/drafts/{draft_id}", status_code=204)
def delete_draft(ctx: Ctx, user: User, draft_id: str) -> Response:
    service.delete_draft(ctx, user, draft_id)
    return Response(status_code=204)


@router.delete("/drafts")
def delete_all(ctx: Ctx, user: User) -> dict[str, int]:
    return {"deleted": service.delete_all_drafts(ctx, user)}


@router.post("/drafts", responses={200: {"content": {"text/event-stream": {}}}})
async def create_draft(ctx: Ctx, user: User, body: DraftIn) -> Any:
    """Create a draft and generate its first version (streamed, or JSON with ``stream: false``)."""
    request = DraftRequest(**body.model_dump(by_alias=True, exclude={"model", "stream"}))
    return await _respond(ctx, service.create(ctx, user, request, body.model), body.stream)


@router.post("/drafts/{draft_id}/revisions", responses={200: {"content": {"text/event-stream": {}}}})
async def revise_draft(ctx: Ctx, user: User, draft_id: str, body: RevisionIn) -> Any:
    """Revise a version ("kuerzer", "foermlicher", "einfacher" or free text) into a new one."""
    events = service.revise(ctx, user, draft_id, body.instruction, version=body.version,
                            model_name=body.model)
    return await _respond(ctx, events, body.stream)


def _encode(event: service.DraftEvent) -> bytes:
    if event.kind == "done":
        return format_event("done", version_out(event.data["version"]).model_dump(mode="json"))
    return format_event(event.kind, event.data)


async def _respond(ctx: AppContext, events: AsyncIterator[service.DraftEvent], stream: bool) -> Any:
    first = await anext(events)  # request errors surface here as HTTP errors, not as SSE
    if stream:
        async def all_events() -> AsyncIterator[service.DraftEvent]:
            yield first
            async for event in events:
                yield event

        return sse_response(with_heartbeat(all_events(), ctx.settings.heartbeat_s, _encode))
    last = await service.final_event(events)
    if last.kind == "error":
        data = last.data
        return JSONResponse(error_body(data["kind"], data["message"], draft_id=data["draft_id"],
                                       version=data["version"], partial=data["partial"]),
                            status_code=502)
    return JSONResponse(version_out(last.data["version"]).model_dump(mode="json"), status_code=201)
