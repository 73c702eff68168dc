"""Repository for collections and their documents. Scoped through ``storage.scope``;
permission decisions are the caller's, through ``tenants.gate``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schreibstube.errors import InvalidInput, NotFound
from schreibstube.storage.scope import in_tenant, visible_to
from schreibstube.storage.tables import Collection, StoredDocument
from schreibstube.tenants.gate import Owned
from schreibstube.tenants.identity import CurrentUser


def owned(c: Collection) -> Owned:
    return Owned(c.tenant_id, c.user_id, "tenant" if c.visibility == "tenant" else "private")


def create(session: Session, *, user: CurrentUser, name: str, visibility: str) -> Collection:
    c = Collection(tenant_id=user.tenant_id, user_id=user.user_id, name=name, visibility=visibility)
    session.add(c)
    session.flush()
    return c


def visible(session: Session, *, user: CurrentUser) -> list[Collection]:
    stmt = visible_to(select(Collection), Collection, user=user).order_by(Collection.name)
    return list(session.scalars(stmt))


def get(session: Session, collection_id: str, *, user: CurrentUser) -> Collection:
    """A collection in the user's tenant (visibility is checked by the gate)."""
    stmt = in_tenant(select(Collection), Collection, user=user).where(Collection.id == collection_id)
    c = session.scalar(stmt)
    if c is None:
        raise NotFound("Die Sammlung wurde nicht gefunden.")
    return c


def by_name(session: Session, name: str, *, user: CurrentUser) -> Collection:
    matches = [c for c in visible(session, user=user) if c.name == name]
    if not matches:
        raise NotFound(f"Die Sammlung „{name}“ wurde nicht gefunden.")
    if len(matches) > 1:
        own = [c for c in matches if c.user_id == user.user_id]
        if len(own) != 1:
            raise InvalidInput(f"Der Name „{name}“ ist mehrdeutig. Bitte benennen Sie eine Sammlung um.")
        return own[0]
    return matches[0]


def documents(session: Session, collection_id: str, *, user: CurrentUser) -> list[StoredDocument]:
    stmt = in_tenant(select(StoredDocument), StoredDocument, user=user)
    stmt = stmt.where(StoredDocument.collection_id == collection_id).order_by(StoredDocument.created_at)
    return list(session.scalars(stmt))


def document(session: Session, document_id: str, *, user: CurrentUser) -> StoredDocument:
    stmt = in_tenant(select(StoredDocument), StoredDocument, user=user)
    doc = session.scalar(stmt.where(StoredDocument.id == document_id))
    if doc is None:
        raise NotFound("Das Dokument wurde nicht gefunden.")
    return doc
