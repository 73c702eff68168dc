"""The template library of "Formulieren": saved templates with variables, personal or shared.

A template is Jinja text such as ``Ihr Antrag vom {{ datum_antrag }}, Az. {{ aktenzeichen }}``
(checked by :func:`~schreibstube.assistants.drafting.catalog.validate_user_template`: sandboxed,
no includes, simple variable names). It is saved by a user for themselves (``private``) or,
by a tenant admin, for the whole tenant (``tenant``); every decision goes through
``tenants.gate`` — shared templates are used by everyone in the tenant and managed by tenant
admins only, other users' private templates do not exist for anyone else (``NotFound``).

Using one: a :class:`DraftRequest` names it by ``template_id``; :func:`apply` resolves it (read
permission, text type compatible, still valid) and returns the request with the template's
body in ``template`` and its name in ``template_name``. The draft then stores that request, so
revisions keep working after the template was changed or deleted. Values for the template's
variables come in ``variables``; missing ones are an ``InvalidInput`` naming them, raised
before anything is stored or streamed.

Validity is checked when saving, again for every listing and use (cheap: one Jinja parse), and
for all stored templates at start-up (:func:`check_stored`), so a template broken by a changed
rule or a removed text type shows up in the operator's log — as ids and counts, never content —
is flagged in lists, and is refused with a clear German message instead of a 500.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from schreibstube.assistants.drafting import DraftRequest
from schreibstube.assistants.drafting.catalog import Catalog, validate_user_template
from schreibstube.context import AppContext
from schreibstube.errors import Forbidden, InvalidInput
from schreibstube.storage import templates as repo
from schreibstube.storage.tables import DraftTemplate
from schreibstube.tenants.gate import Owned, allowed, require
from schreibstube.tenants.identity import CurrentUser

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 200
SHARE_FORBIDDEN = ("Nur Administratorinnen und Administratoren Ihrer Behörde können Vorlagen für "
                   "die ganze Behörde freigeben.")


@dataclass(frozen=True)
class TemplateView:
    """A template as clients see it (no tenant or user ids)."""

    id: str
    name: str
    text_type: str | None
    text_type_label: str
    body: str
    variables: list[str]
    shared: bool
    mine: bool
    can_manage: bool
    problem: str | None  # German reason when the template cannot be used any more
    created_at: datetime
    updated_at: datetime

    @property
    def valid(self) -> bool:
        return self.problem is None


def can_share(user: CurrentUser) -> bool:
    """Whether ``user`` may save templates for the whole tenant."""
    return allowed(user, "write", Owned(user.tenant_id, None, "tenant"))


def list_templates(ctx: AppContext, user: CurrentUser) -> list[TemplateView]:
    with ctx.db.session() as s:
        return [_view(ctx.drafting, t, user) for t in repo.visible(s, user=user)]


def save(ctx: AppContext, user: CurrentUser, name: str, body: str, *, text_type: str | None = None,
         shared: bool = False) -> TemplateView:
    """Save a new template; German ``InvalidInput`` for anything wrong with it."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Bitte geben Sie einen Namen für die Vorlage ein.")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(f"Der Name der Vorlage ist zu lang (höchstens {MAX_NAME_CHARS} Zeichen).")
    if not body.strip():
        raise InvalidInput("Bitte geben Sie den Text der Vorlage ein.")
    text_type = (text_type or "").strip() or None
    if text_type is not None:
        ctx.drafting.get(text_type)  # unknown type: German message listing the known ones
    variables = variables_of(body)
    if shared and not can_share(user):
        raise Forbidden(SHARE_FORBIDDEN)
    visibility = "tenant" if shared else "private"
    with ctx.db.session() as s:
        if repo.name_taken(s, name, visibility, user=user):
            where = "für Ihre Behörde" if shared else "unter Ihren Vorlagen"
            raise InvalidInput(f"Eine Vorlage „{name}“ gibt es {where} bereits. Bitte wählen Sie "
                               "einen anderen Namen oder löschen Sie die alte Vorlage.")
        t = repo.create(s, user=user, name=name, visibility=visibility, text_type=text_type,
                        body=body.strip(), variables=variables)
        view = _view(ctx.drafting, t, user)
    log.info("draft template saved id=%s visibility=%s variables=%d", view.id, visibility,
             len(variables))
    return view


def delete(ctx: AppContext, user: CurrentUser, template_id: str) -> None:
    with ctx.db.session() as s:
        t = repo.get(s, template_id, user=user)
        require(user, "delete", repo.owned(t))
        s.delete(t)
    log.info("draft template deleted id=%s", template_id)


def find(ctx: AppContext, user: CurrentUser, name_or_id: str) -> TemplateView:
    """A visible template by id or by name (CLI)."""
    with ctx.db.session() as s:
        t = next((t for t in repo.visible(s, user=user) if t.id == name_or_id), None)
        t = t or repo.by_name(s, name_or_id, user=user)
        return _view(ctx.drafting, t, user)


def apply(ctx: AppContext, user: CurrentUser, request: DraftRequest) -> DraftRequest:
    """The request with its stored template (``template_id``) filled in; unchanged without one."""
    if not request.template_id:
        return request
    if request.template.strip():
        raise InvalidInput("Bitte wählen Sie entweder eine gespeicherte Vorlage oder geben Sie "
                           "eine eigene Vorlage ein, nicht beides.")
    with ctx.db.session() as s:
        t = repo.get(s, request.template_id, user=user)
        require(user, "read", repo.owned(t))
        name, text_type, body = t.name, t.text_type, t.body
        problem = problem_of(ctx.drafting, text_type, body)
    if problem is not None:
        log.info("draft template refused id=%s reason=invalid", request.template_id)
        raise InvalidInput(f"Die Vorlage „{name}“ kann nicht verwendet werden: {problem} Bitte "
                           "speichern Sie sie neu oder wenden Sie sich an die Person, die sie "
                           "verwaltet.")
    if text_type is not None and text_type != request.text_type:
        label = ctx.drafting.get(text_type).label
        raise InvalidInput(f"Die Vorlage „{name}“ ist für die Textart „{label}“ gedacht. Bitte "
                           "wählen Sie diese Textart oder eine andere Vorlage.")
    return dataclasses.replace(request, template=body, template_name=name)


def problem_of(catalog: Catalog, text_type: str | None, body: str) -> str | None:
    """Why a stored template cannot be used (German), or ``None`` if it can."""
    return _inspect(catalog, text_type, body)[0]


def _inspect(catalog: Catalog, text_type: str | None, body: str) -> tuple[str | None, list[str]]:
    """(why it cannot be used or ``None``, its variables in order of first use): one parse."""
    if text_type is not None and text_type not in catalog.text_types:
        return f"Die Textart „{text_type}“ gibt es nicht mehr.", []
    try:
        return None, variables_of(body)
    except InvalidInput as exc:
        return exc.user_message, []


def variables_of(body: str) -> list[str]:
    """The template's variables in the order they first appear (the order of the form fields)."""
    names = validate_user_template(body)

    def first_use(name: str) -> int:
        found = re.search(r"\{[{%][^}]*\b" + name + r"\b", body)
        return found.start() if found else len(body)

    return sorted(names, key=first_use)


def check_stored(ctx: AppContext) -> list[str]:
    """Re-validate every stored template (start-up); log counts and ids, return invalid ids."""
    checked, invalid = 0, []
    with ctx.db.session() as s:
        for template_id, text_type, body in repo.all_for_check(s):
            checked += 1
            if problem_of(ctx.drafting, text_type, body) is not None:
                invalid.append(template_id)
    if invalid:
        log.warning("draft templates checked count=%d invalid=%d ids=%s", checked, len(invalid),
                    ",".join(invalid[:50]))
    else:
        log.info("draft templates checked count=%d invalid=0", checked)
    return invalid


def _view(catalog: Catalog, t: DraftTemplate, user: CurrentUser) -> TemplateView:
    problem, variables = _inspect(catalog, t.text_type, t.body)
    if problem:  # what rendering would ask for is unknown; show the names stored when saved
        variables = list(t.variables or [])
    text_type = catalog.text_types.get(t.text_type) if t.text_type else None
    return TemplateView(
        id=t.id, name=t.name, text_type=t.text_type,
        text_type_label=text_type.label if text_type else ("" if t.text_type is None else t.text_type),
        body=t.body, variables=variables, shared=t.visibility == "tenant",
        mine=t.user_id == user.user_id, can_manage=allowed(user, "delete", repo.owned(t)),
        problem=problem, created_at=t.created_at, updated_at=t.updated_at,
    )
