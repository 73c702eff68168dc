"""Repository for saved drafting templates. Scoped through ``storage.scope``; permission
decisions are the caller's, through ``tenants.gate`` (as for collections).

A user sees their own templates plus those shared with the whole tenant (:func:`visible`).
:func:`get` finds any template of the user's tenant; whether the user may read, change or
delete it is decided by the gate on :func:`owned`, which turns other users' private
templates into ``NotFound``. :func:`all_for_check` is the one unscoped read: the start-up
check of every stored template, which returns ids and bodies to code only, never to users.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from schreibstube.errors import InvalidInput, NotFound
from schreibstube.storage.scope import in_tenant, visible_to
from schreibstube.storage.tables import DraftTemplate
from schreibstube.tenants.gate import Owned
from schreibstube.tenants.identity import CurrentUser

GONE = "Die Vorlage wurde nicht gefunden oder wurde gelöscht."


def owned(t: DraftTemplate) -> Owned:
    return Owned(t.tenant_id, t.user_id, "tenant" if t.visibility == "tenant" else "private")


def create(
    session: Session, *, user: CurrentUser, name: str, visibility: str, text_type: str | None,
    body: str, variables: list[str],
) -> DraftTemplate:
    t = DraftTemplate(tenant_id=user.tenant_id, user_id=user.user_id, name=name,
                      visibility=visibility, text_type=text_type, body=body, variables=variables)
    session.add(t)
    session.flush()
    return t


def visible(session: Session, *, user: CurrentUser) -> list[DraftTemplate]:
    """Own templates and the tenant's shared ones, own first, then by name."""
    stmt = visible_to(select(DraftTemplate), DraftTemplate, user=user)
    rows = list(session.scalars(stmt.order_by(DraftTemplate.name)))
    return sorted(rows, key=lambda t: t.visibility == "tenant")


def get(session: Session, template_id: str, *, user: CurrentUser) -> DraftTemplate:
    """A template in the user's tenant (visibility is checked by the gate)."""
    stmt = in_tenant(select(DraftTemplate), DraftTemplate, user=user)
    t = session.scalar(stmt.where(DraftTemplate.id == template_id))
    if t is None:
        raise NotFound(GONE)
    return t


def by_name(session: Session, name: str, *, user: CurrentUser) -> DraftTemplate:
    """The visible template called ``name``; an own one wins over a shared one of that name."""
    matches = [t for t in visible(session, user=user) if t.name == name]
    if not matches:
        raise NotFound(f"Die Vorlage „{name}“ wurde nicht gefunden.")
    if len(matches) > 1:
        own = [t for t in matches if t.user_id == user.user_id and t.visibility == "private"]
        if len(own) != 1:
            raise InvalidInput(f"Der Name „{name}“ ist mehrdeutig. Bitte benennen Sie eine Vorlage um.")
        return own[0]
    return matches[0]


def name_taken(session: Session, name: str, visibility: str, *, user: CurrentUser) -> bool:
    """Names are unique per owner scope: the user's private templates, or the tenant's shared."""
    same = [t for t in visible(session, user=user) if t.name == name and t.visibility == visibility]
    return any(visibility == "tenant" or t.user_id == user.user_id for t in same)


def all_for_check(session: Session) -> Iterator[tuple[str, str | None, str]]:
    """``(id, text_type, body)`` of every stored template, all tenants (start-up check only)."""
    stmt = select(DraftTemplate.id, DraftTemplate.text_type, DraftTemplate.body)
    for row in session.execute(stmt.execution_options(yield_per=500)):
        yield row.id, row.text_type, row.body
