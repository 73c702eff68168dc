"""Collections and their documents, for the web, API and CLI. Every decision goes through
``tenants.gate``: personal collections belong to their owner; tenant-shared collections are
read by everyone in the tenant and managed by tenant admins only.

Adding a file stores it in the ingestion queue (database) and wakes the worker; removing a
document or a collection deletes text, pages, chunks, vectors and stored bytes in one
transaction, so later answers can never cite it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete

from schreibstube.context import AppContext
from schreibstube.errors import InvalidInput, NotFound
from schreibstube.ingestion import queue
from schreibstube.storage import collections as repo
from schreibstube.storage.tables import Collection, StoredDocument
from schreibstube.tenants.gate import Owned, require
from schreibstube.tenants.identity import CurrentUser

log = logging.getLogger(__name__)


@dataclass
class CollectionView:
    id: str
    name: str
    shared: bool
    mine: bool
    documents: int
    ready: int
    can_manage: bool


def _view(c: Collection, docs: list[StoredDocument], user: CurrentUser) -> CollectionView:
    from schreibstube.tenants.gate import allowed

    return CollectionView(c.id, c.name, c.visibility == "tenant", c.user_id == user.user_id, len(docs),
                          sum(d.status == "ready" for d in docs), allowed(user, "write", repo.owned(c)))


def create(ctx: AppContext, user: CurrentUser, name: str, *, shared: bool = False) -> CollectionView:
    name = " ".join(name.split())[:200]
    if not name:
        raise InvalidInput("Bitte geben Sie einen Namen für die Sammlung ein.")
    if shared:
        require(user, "write", Owned(user.tenant_id, None, "tenant"))
    with ctx.db.session() as s:
        # Names are how people (and the CLI) pick collections: no two visible ones alike.
        if any(c.name.casefold() == name.casefold() for c in repo.visible(s, user=user)):
            raise InvalidInput(f"Eine Sammlung „{name}“ gibt es schon. Bitte wählen Sie einen "
                               "anderen Namen.")
        c = repo.create(s, user=user, name=name, visibility="tenant" if shared else "private")
        return _view(c, [], user)


def list_visible(ctx: AppContext, user: CurrentUser) -> list[CollectionView]:
    with ctx.db.session() as s:
        return [_view(c, repo.documents(s, c.id, user=user), user) for c in repo.visible(s, user=user)]


def resolve(ctx: AppContext, user: CurrentUser, name_or_id: str) -> str:
    with ctx.db.session() as s:
        try:
            c = repo.get(s, name_or_id, user=user)
        except NotFound:
            c = repo.by_name(s, name_or_id, user=user)
        require(user, "read", repo.owned(c))
        return c.id


def documents(ctx: AppContext, user: CurrentUser, collection_id: str) -> list[StoredDocument]:
    with ctx.db.session() as s:
        require(user, "read", repo.owned(repo.get(s, collection_id, user=user)))
        return repo.documents(s, collection_id, user=user)


def add_files(ctx: AppContext, user: CurrentUser, collection_id: str,
              files: list[tuple[str, str, bytes]]) -> list[StoredDocument]:
    """Queue ``(name, media_type, data)`` files for indexing into the collection."""
    with ctx.db.session() as s:
        require(user, "write", repo.owned(repo.get(s, collection_id, user=user)))
        docs = [queue.enqueue(s, user=user, name=name, media_type=media, data=data,
                              collection_id=collection_id) for name, media, data in files]
    if ctx.ingestion is not None:
        ctx.ingestion.notify()
    log.info("documents queued collection=%s count=%d", collection_id, len(docs))
    return docs


def _delete_documents(ctx: AppContext, s: Any, docs: list[StoredDocument]) -> None:
    for doc in docs:
        if ctx.retrieval is not None:
            ctx.retrieval.delete_document(s, doc.id)
        s.execute(delete(StoredDocument).where(StoredDocument.id == doc.id))


def remove_document(ctx: AppContext, user: CurrentUser, document_id: str) -> None:
    with ctx.db.session() as s:
        doc = repo.document(s, document_id, user=user)
        owner = (repo.owned(repo.get(s, doc.collection_id, user=user)) if doc.collection_id
                 else Owned(doc.tenant_id, doc.user_id))
        require(user, "delete", owner)
        _delete_documents(ctx, s, [doc])
    log.info("document deleted id=%s", document_id)


def delete_collection(ctx: AppContext, user: CurrentUser, collection_id: str) -> None:
    with ctx.db.session() as s:
        c = repo.get(s, collection_id, user=user)
        require(user, "delete", repo.owned(c))
        _delete_documents(ctx, s, repo.documents(s, c.id, user=user))
        s.delete(c)
    log.info("collection deleted id=%s", collection_id)
