"""Index documents and search collections: chunking + embedding + the search index.

Indexing is two steps so that the slow one can run outside a database transaction:
:func:`prepare` chunks the pages and embeds the chunks (no database; seconds per hundred
chunks with the real model), :func:`store` replaces the document's chunks in the index.
:func:`index_document` does both, for callers that already hold a session.

:func:`search` decides which collections the user may read (the gate: own private collections
and the tenant's shared ones; anything else is "not found"), embeds the question and asks the
index. The index filters by tenant and collections again in SQL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from schreibstube.errors import NotFound
from schreibstube.retrieval.chunking import PageText, TextChunk, chunk_pages
from schreibstube.retrieval.embedder import Embedder
from schreibstube.retrieval.index import Hit, SearchIndex
from schreibstube.storage.collections import owned
from schreibstube.storage.scope import in_tenant
from schreibstube.storage.tables import Collection, DocumentPage, StoredDocument
from schreibstube.tenants.gate import allowed
from schreibstube.tenants.identity import CurrentUser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """Chunks of one document and their passage vectors (row ``i`` for ``chunks[i]``)."""

    chunks: list[TextChunk]
    vectors: np.ndarray


def reading_order(pages: Sequence[DocumentPage]) -> list[PageText]:
    """Pages grouped by part (in order of first appearance), by number within a part."""
    parts = list(dict.fromkeys(p.part for p in pages))
    ordered = sorted(pages, key=lambda p: (parts.index(p.part), p.number))
    return [PageText(p.part, p.number, p.text) for p in ordered]


def prepare(embedder: Embedder, pages: Sequence[DocumentPage]) -> Prepared:
    chunks = chunk_pages(reading_order(pages))
    vectors = embedder.embed([c.indexed_text for c in chunks], "passage")
    return Prepared(chunks, vectors)


def store(session: Session, index: SearchIndex, *, document: StoredDocument, prepared: Prepared) -> int:
    """Replace the document's chunks in the index (idempotent); returns the chunk count."""
    index.delete_document(session, document.id)
    index.add(session, document.id, document.tenant_id, document.collection_id,
              prepared.chunks, prepared.vectors)
    return len(prepared.chunks)


def index_document(session: Session, index: SearchIndex, embedder: Embedder, *,
                   document: StoredDocument, pages: list[DocumentPage]) -> int:
    """Chunk, embed and index a document's pages; returns the number of chunks."""
    started = time.perf_counter()
    count = store(session, index, document=document, prepared=prepare(embedder, pages))
    log.info("document indexed id=%s pages=%d chunks=%d seconds=%.2f", document.id, len(pages),
             count, time.perf_counter() - started)
    return count


def readable_collections(session: Session, user: CurrentUser, collection_ids: Sequence[str]) -> list[str]:
    """``collection_ids`` if the user may read all of them, else :class:`NotFound`."""
    wanted = list(dict.fromkeys(collection_ids))
    stmt = in_tenant(select(Collection), Collection, user=user).where(Collection.id.in_(wanted))
    readable = {c.id for c in session.scalars(stmt) if allowed(user, "read", owned(c))}
    if any(cid not in readable for cid in wanted):
        raise NotFound("Die Sammlung wurde nicht gefunden.")
    return wanted


def search(session: Session, index: SearchIndex, embedder: Embedder, *, user: CurrentUser,
           collection_ids: Sequence[str], query: str, k: int) -> list[Hit]:
    """The ``k`` best chunks for ``query`` in collections the user may read."""
    ids = readable_collections(session, user, collection_ids)
    started = time.perf_counter()
    vector = embedder.embed([query], "query")[0] if query.strip() else None
    hits = index.search(session, tenant_id=user.tenant_id, collection_ids=ids, query=query,
                        query_vector=vector, k=k)
    log.info("search collections=%d hits=%d ms=%.0f", len(ids), len(hits),
             (time.perf_counter() - started) * 1000)
    return hits
