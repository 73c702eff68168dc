"""The "Formulieren" page. Thin: resolve the user, call the draft service, render.

``static/drafting.js`` streams drafts and revisions through the JSON API and updates the
page in place. Without JavaScript the same forms post here: the draft is generated to the end,
then the browser is redirected to the stored version (slower, but it works). Versions are
plain links (``?version=n``), downloads plain links to the export API.

The template library ("Vorlagen verwalten") uses plain forms: saving redirects back with the
new template preselected (``?vorlage=<id>``); the fields for a template's variables are built
by the script from the selected option's ``data-variables``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from schreibstube.assistants import draft_service as service
from schreibstube.assistants import draft_templates as templates
from schreibstube.assistants.drafting import DRAFT_LABEL, DraftRequest
from schreibstube.context import AppContext
from schreibstube.errors import NotFound
from schreibstube.tenants.identity import CurrentUser
from schreibstube.web.api_drafts import version_out
from schreibstube.web.deps import current_user, get_ctx
from schreibstube.web.pages import page

router = APIRouter(include_in_schema=False)
Ctx = Annotated[AppContext, Depends(get_ctx)]
User = Annotated[CurrentUser, Depends(current_user)]
FIELDS = ("text_type", "notes", "recipient", "salutation", "register", "length", "gender",
          "source_text", "sender", "template_id")


def _render(request: Request, ctx: AppContext, user: CurrentUser, draft_id: str | None,
            number: int | None, template_id: str | None = None, manage: bool = False) -> HTMLResponse:
    options = service.options(ctx)
    draft = service.get_draft(ctx, user, draft_id) if draft_id else None
    versions = draft.versions if draft else []
    current = next((v for v in versions if v.number == number), versions[-1] if versions else None)
    if number is not None and (current is None or current.number != number):
        raise NotFound(f"Version {number} dieses Entwurfs gibt es nicht.")
    values: dict[str, Any] = {**options["defaults"], "text_type": options["text_types"][0]["id"]}
    values.update(draft.request if draft else {})
    library = templates.list_templates(ctx, user)
    chosen = next((t for t in library if t.id == template_id and t.valid), None)
    if chosen is not None:
        values["template_id"] = chosen.id
        values["text_type"] = chosen.text_type or values["text_type"]
    return page(
        request, "drafting.html", active="draft", options=options, drafts=service.list_drafts(ctx, user),
        draft=draft, versions=[version_out(v) for v in versions],
        version=version_out(current) if current else None, values=values, draft_label=DRAFT_LABEL,
        models=ctx.settings.models, selected_model=draft.model if draft else ctx.settings.default_model,
        templates=library, can_share=templates.can_share(user), manage_open=manage,
    )


@router.get("/formulieren", response_class=HTMLResponse)
def drafting_new(request: Request, ctx: Ctx, user: User, vorlage: str | None = None,
                 verwalten: bool = False) -> HTMLResponse:
    return _render(request, ctx, user, None, None, vorlage, verwalten)


@router.get("/formulieren/{draft_id}", response_class=HTMLResponse)
def drafting_show(request: Request, ctx: Ctx, user: User, draft_id: str,
                  version: int | None = None) -> HTMLResponse:
    return _render(request, ctx, user, draft_id, version)


@router.post("/formulieren")
async def drafting_create(request: Request, ctx: Ctx, user: User) -> RedirectResponse:
    """Without JavaScript: generate the whole draft, then show it."""
    form = await request.form()
    fields: dict[str, Any] = {k: str(form[k]) for k in FIELDS if form.get(k) is not None}
    variables = {k[4:]: str(v) for k, v in form.items() if k.startswith("var_")}
    model = str(form.get("model") or "") or None
    events = service.create(ctx, user, DraftRequest(**fields, variables=variables), model)
    return _to_version(await service.final_event(events))


@router.post("/formulieren/{draft_id}/ueberarbeiten")
async def drafting_revise(request: Request, ctx: Ctx, user: User, draft_id: str) -> RedirectResponse:
    """Without JavaScript: a preset button (``preset``) or the free ``instruction``."""
    form = await request.form()
    instruction = str(form.get("preset") or form.get("instruction") or "")
    version = str(form.get("version") or "")
    events = service.revise(ctx, user, draft_id, instruction,
                            version=int(version) if version.isdigit() else None)
    return _to_version(await service.final_event(events))


@router.post("/formulieren/{draft_id}/loeschen")
def drafting_delete(ctx: Ctx, user: User, draft_id: str) -> RedirectResponse:
    service.delete_draft(ctx, user, draft_id)
    return RedirectResponse("/formulieren?deleted=1", status_code=303)


@router.post("/formulieren/vorlagen")
def template_save(
    ctx: Ctx, user: User, name: Annotated[str, Form()], body: Annotated[str, Form()],
    text_type: Annotated[str, Form()] = "", shared: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    saved = templates.save(ctx, user, name, body, text_type=text_type or None, shared=shared)
    return RedirectResponse(f"/formulieren?vorlage={saved.id}#draft-form", status_code=303)


@router.post("/formulieren/vorlagen/{template_id}/loeschen")
def template_delete(ctx: Ctx, user: User, template_id: str) -> RedirectResponse:
    templates.delete(ctx, user, template_id)
    return RedirectResponse("/formulieren?verwalten=1#vorlagen", status_code=303)


def _to_version(event: service.DraftEvent) -> RedirectResponse:
    data = event.data
    number = data["version"].number if event.kind == "done" else data["version"]
    return RedirectResponse(f"/formulieren/{data['draft_id']}?version={number}#ergebnis",
                            status_code=303)
