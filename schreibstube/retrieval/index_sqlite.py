"""SQLite backend: FTS5 for keywords, sqlite-vec for vectors, both keyed by ``chunks.id``.

* **Keywords.** Python analyses the text with ``retrieval.german`` (stopwords, Snowball stems,
  umlauts folded, compound parts against the document's own vocabulary) and writes the terms,
  space-separated, into the contentless FTS5 table ``chunks_fts`` (``rowid`` = chunk id). A
  question is analysed the same way, its compounds are split against the index vocabulary
  (``chunks_fts_vocab``) and the terms are OR-ed; FTS5's ``bm25()`` ranks. The FTS5 match is
  joined to ``chunks`` and filtered by tenant and collections in the same statement.
  A trigger deletes a chunk's terms with the chunk (also on cascades from documents).
* **Vectors.** ``chunks_vec`` is a sqlite-vec ``vec0`` table, partitioned by tenant, with the
  collection as a metadata column: the KNN query filters both in the scan itself. The scan is
  exact (brute force in C, SIMD); measured on 2 cores for 100k random 384-d vectors, 25k of
  them in the tenant: 40-50 ms per query with a three-collection filter, against 150 ms for
  reading the same rows as float32 blobs and ranking them with numpy (row transfer dominates);
  ``bench/p3_retrieval.py`` reports current numbers.
* sqlite-vec is a loadable extension: it is loaded into each pooled connection on first use
  (the pool remembers it in the connection's ``info``). Its rows do not follow cascades, so
  :meth:`SqliteIndex.delete_document` removes them explicitly, and
  :meth:`SqliteIndex.prune` removes vectors whose chunk is gone (e.g. after a tenant or
  collection was deleted by cascade).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, column, delete, func, insert, literal_column, select, table, text
from sqlalchemy.orm import Session

from schreibstube.retrieval.chunking import TextChunk
from schreibstube.retrieval.german import GermanAnalyzer
from schreibstube.retrieval.index import COMMON_MIN_CHUNKS, SearchIndex, document_parts, drop_common
from schreibstube.storage.scope import in_collections
from schreibstube.storage.tables import Chunk

FTS = table("chunks_fts", column("rowid"), column("terms"))
VEC = table("chunks_vec", column("chunk_id"), column("tenant_id"), column("collection_id"),
            column("embedding"), column("k"), column("distance"))
_ANALYZE = GermanAnalyzer()


def load_sqlite_vec(session: Session) -> None:
    """Make sure the session's connection has sqlite-vec loaded (once per pooled connection)."""
    pooled = session.connection().connection
    if pooled.info.get("sqlite_vec"):
        return
    import sqlite_vec

    raw: Any = pooled.driver_connection
    raw.enable_load_extension(True)
    try:
        sqlite_vec.load(raw)
    finally:
        raw.enable_load_extension(False)
    pooled.info["sqlite_vec"] = True


def fts_query(terms: Sequence[str]) -> str:
    """An FTS5 query OR-ing the terms, each quoted (terms are letters and digits only)."""
    return " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))


class SqliteIndex(SearchIndex):
    def add(self, session: Session, document_id: str, tenant_id: str, collection_id: str | None,
            chunks: Sequence[TextChunk], vectors: np.ndarray) -> list[int]:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        if not chunks:
            return []
        load_sqlite_vec(session)
        rows = [{"tenant_id": tenant_id, "collection_id": collection_id, "document_id": document_id,
                 "seq": c.seq, "part": c.part, "page_start": c.page_start, "page_end": c.page_end,
                 "heading": c.heading, "text": c.text} for c in chunks]
        stmt = insert(Chunk).returning(Chunk.id, sort_by_parameter_order=True)
        ids = list(session.scalars(stmt, rows))
        split = document_parts(chunks)
        terms = [" ".join(_ANALYZE(c.indexed_text + " " + " ".join(split(c.indexed_text)))) for c in chunks]
        session.execute(insert(FTS), [{"rowid": i, "terms": t} for i, t in zip(ids, terms, strict=True)])
        blobs = np.ascontiguousarray(vectors, dtype=np.float32)
        session.execute(insert(VEC), [
            {"chunk_id": i, "tenant_id": tenant_id, "collection_id": collection_id or "",
             "embedding": blobs[n].tobytes()} for n, i in enumerate(ids)])
        return ids

    def delete_document(self, session: Session, document_id: str) -> int:
        load_sqlite_vec(session)
        ids = list(session.scalars(select(Chunk.id).where(Chunk.document_id == document_id)))
        if not ids:
            return 0
        for start in range(0, len(ids), 500):
            batch = ids[start:start + 500]
            session.execute(delete(VEC).where(VEC.c.chunk_id.in_(batch)))
            session.execute(delete(FTS).where(FTS.c.rowid.in_(batch)))  # the trigger would, too
        session.execute(delete(Chunk).where(Chunk.document_id == document_id))
        return len(ids)

    def prune(self, session: Session) -> int:
        """Remove vectors whose chunk no longer exists; returns how many."""
        load_sqlite_vec(session)
        orphans = select(VEC.c.chunk_id).where(VEC.c.chunk_id.not_in(select(Chunk.id)))
        ids = list(session.scalars(orphans))
        for start in range(0, len(ids), 500):
            session.execute(delete(VEC).where(VEC.c.chunk_id.in_(ids[start:start + 500])))
        return len(ids)

    def keyword_ids(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                    query: str, limit: int) -> list[int]:
        expanded = self.expand_query(session, tenant_id=tenant_id, collection_ids=collection_ids,
                                     query=query)
        analysed = _ANALYZE(expanded)
        terms = drop_common(analysed, self._term_shares(session, analysed))
        if not terms:
            return []
        stmt = (select(Chunk.id).join(FTS, FTS.c.rowid == Chunk.id)
                .where(literal_column("chunks_fts").match(fts_query(terms)))
                .order_by(func.bm25(literal_column("chunks_fts"))).limit(limit))
        stmt = in_collections(stmt, Chunk, tenant_id=tenant_id, collection_ids=collection_ids)
        return list(session.scalars(stmt))

    def vector_ids(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                   vector: np.ndarray, limit: int) -> list[int]:
        load_sqlite_vec(session)
        stmt = (select(VEC.c.chunk_id)
                .where(VEC.c.embedding.match(bindparam("q", np.asarray(vector, np.float32).tobytes())),
                       VEC.c.k == limit)
                .order_by(VEC.c.distance))
        stmt = in_collections(stmt, VEC.c, tenant_id=tenant_id, collection_ids=collection_ids)
        return list(session.scalars(stmt))

    @staticmethod
    def _term_shares(session: Session, terms: list[str]) -> dict[str, float]:
        """Share of chunks containing each term, once the index is large (else empty)."""
        total = session.scalar(select(func.count()).select_from(Chunk)) or 0
        if total < COMMON_MIN_CHUNKS or not terms:
            return {}
        stmt = text("SELECT term, doc FROM chunks_fts_vocab WHERE term IN :terms").bindparams(
            bindparam("terms", expanding=True))
        return {term: doc / total for term, doc in session.execute(stmt, {"terms": sorted(set(terms))})}

    def known_terms(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                    stems: set[str]) -> set[str]:
        # The FTS5 vocabulary spans all tenants (like bm25's document frequencies); it only
        # decides which compound parts are added to the question, never which rows match.
        if not stems:
            return set()
        stmt = text("SELECT term FROM chunks_fts_vocab WHERE term IN :terms").bindparams(
            bindparam("terms", expanding=True))
        return set(session.scalars(stmt, {"terms": sorted(stems)}))
