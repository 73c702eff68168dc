"""PostgreSQL backend: ``tsvector`` ('german') + GIN for keywords, pgvector HNSW for vectors.

Both live in the ``chunks`` row, so deleting a chunk (or its document, by cascade) removes
everything; there is nothing to keep in sync.

* **Keywords.** ``tsv = to_tsvector('german', heading + text + compound parts)``: PostgreSQL's
  own German Snowball stemmer, plus the parts of the document's compounds found by
  ``retrieval.german`` (PostgreSQL does not split compounds). A question becomes the lexemes
  of ``to_tsvector('german', question + its known compound parts)``, OR-ed (``plainto_tsquery``
  would AND them, and German questions rarely share every word with the answer); the GIN
  index finds the candidates. Ranking: ``ts_rank_cd`` has no notion of how rare a word is, so
  with OR the ubiquitous "Behörde" outweighs the decisive "nichtig" (MRR@10 0.28 on
  ``eval/laws-de``). Each lexeme's ``ts_rank(tsv, lexeme, 1)`` (length-normalised frequency) is
  therefore weighted by BM25's IDF, computed from the share of chunks containing it - from the
  planner statistics of the column once the table is large, counted in the searched
  collections while it is small: MRR@10 0.58, on par with SQLite's FTS5 ``bm25()`` (0.57).
* **Vectors.** ``embedding vector(384)`` with an HNSW index (``vector_cosine_ops``), searched
  by ``embedding <=> :q``. The tenant and collection filter runs inside the index scan, so
  pgvector's iterative scan (``hnsw.iterative_scan = relaxed_order``, pgvector >= 0.8) keeps
  scanning until enough rows pass the filter; ``hnsw.ef_search`` is raised to at least the
  requested depth. Both settings are ``SET LOCAL``: they end with the transaction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from sqlalchemy import Float, Select, Text, bindparam, delete, exists, func, insert, select, text
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.orm import Session

from schreibstube.retrieval.chunking import TextChunk
from schreibstube.retrieval.index import COMMON_MIN_CHUNKS, SearchIndex, document_parts, drop_common
from schreibstube.storage.scope import in_collections
from schreibstube.storage.tables import Chunk

EF_SEARCH = 100


def tsquery_or(lexemes: Sequence[str]) -> str:
    """``'a' | 'b'`` for ``to_tsquery('simple', …)``: lexemes quoted, OR-ed, nothing re-stemmed."""
    return " | ".join("'" + lex.replace("\\", "\\\\").replace("'", "''") + "'" for lex in lexemes)


def _lexeme_query(*lexemes: str) -> Any:
    return func.to_tsquery(text("'simple'::regconfig"), tsquery_or(lexemes))


def idf(share: float) -> float:
    """BM25's inverse document frequency for a term in ``share`` of the chunks."""
    return math.log(1.0 + (1.0 - share + 1e-6) / (share + 1e-6))


class PostgresIndex(SearchIndex):
    def __init__(self, ef_search: int = EF_SEARCH) -> None:
        self.ef_search = ef_search

    def add(self, session: Session, document_id: str, tenant_id: str, collection_id: str | None,
            chunks: Sequence[TextChunk], vectors: np.ndarray) -> list[int]:
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        if not chunks:
            return []
        split = document_parts(chunks)
        stmt = (insert(Chunk)
                .values(embedding=bindparam("vector", type_=Chunk.embedding.type),
                        tsv=func.to_tsvector(text("'german'::regconfig"), bindparam("search_text")))
                .returning(Chunk.id, sort_by_parameter_order=True))
        rows = [{"tenant_id": tenant_id, "collection_id": collection_id, "document_id": document_id,
                 "seq": c.seq, "part": c.part, "page_start": c.page_start, "page_end": c.page_end,
                 "heading": c.heading, "text": c.text, "vector": np.asarray(v, np.float32),
                 "search_text": c.indexed_text + "\n" + " ".join(split(c.indexed_text))}
                for c, v in zip(chunks, vectors, strict=True)]
        return list(session.scalars(stmt, rows))

    def delete_document(self, session: Session, document_id: str) -> int:
        result = session.execute(delete(Chunk).where(Chunk.document_id == document_id))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def keyword_ids(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                    query: str, limit: int) -> list[int]:
        expanded = self.expand_query(session, tenant_id=tenant_id, collection_ids=collection_ids,
                                     query=query)
        lexemes = list(dict.fromkeys(self._lexemes(session, expanded)))
        if not lexemes:
            return []
        stats = self._lexeme_stats(session)
        if stats is not None:
            frequent, floor = stats
            shares = {lex: frequent.get(lex, floor) for lex in lexemes}
            lexemes = drop_common(lexemes, shares)
        else:
            shares = self._exact_shares(session, lexemes, tenant_id, collection_ids)
        # A chunk's tsvector (about 1.3 kB) ends up out of line (TOAST), and every function
        # taking it fetches it again: one ts_rank per lexeme made that 1 + len(lexemes) fetches
        # per matching row. An array detoasts its elements, so ``(ARRAY[tsv])[1]`` fetches it
        # once into memory (cheaper than ``tsv || ''``, which rebuilds it); OFFSET 0 keeps the
        # planner from inlining the subquery and with it the fetch back into every ts_rank.
        matching = (select(Chunk.id, array([Chunk.tsv])[1].label("terms"))
                    .where(Chunk.tsv.op("@@")(_lexeme_query(*lexemes))))
        found = in_collections(matching, Chunk, tenant_id=tenant_id,
                               collection_ids=collection_ids).offset(0).subquery()
        rank = sum(idf(shares[lex]) * func.ts_rank(found.c.terms, _lexeme_query(lex), 1) for lex in lexemes)
        stmt = select(found.c.id).order_by(rank.desc(), found.c.id).limit(limit)  # type: ignore[union-attr]
        # The planner prices a sequential scan by the cost of @@ alone, not by the TOAST fetch
        # it needs per row, and picks it once the terms match a few percent of the chunks:
        # then every chunk of the scope is fetched, not just the GIN index's matches (about
        # twice the time at 10k chunks). Off for this statement only; then restored.
        previous = session.execute(text(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")).one()[0]
        ids = list(session.scalars(stmt))
        session.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": previous})
        return ids

    def vector_ids(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                   vector: np.ndarray, limit: int) -> list[int]:
        session.execute(text(f"SET LOCAL hnsw.ef_search = {max(int(self.ef_search), int(limit))}"))
        session.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
        distance = Chunk.embedding.op("<=>", return_type=Float)(
            bindparam("q", np.asarray(vector, np.float32), type_=Chunk.embedding.type))
        stmt = select(Chunk.id, distance.label("d")).order_by(distance).limit(limit)
        stmt = in_collections(stmt, Chunk, tenant_id=tenant_id, collection_ids=collection_ids)
        rows = session.execute(stmt).all()
        return [cid for cid, _ in sorted(rows, key=lambda r: (r[1], r[0]))]  # relaxed order -> strict

    def known_terms(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                    stems: set[str]) -> set[str]:
        if not stems:
            return set()
        stems_param = bindparam("stems", sorted(stems), type_=ARRAY(Text))
        candidates = func.unnest(stems_param).table_valued("s").render_derived()
        lexeme = func.to_tsquery(text("'simple'::regconfig"), func.quote_literal(candidates.c.s))
        probe = select(Chunk.id).where(Chunk.tsv.op("@@")(lexeme))  # one GIN probe per candidate
        probe = in_collections(probe, Chunk, tenant_id=tenant_id, collection_ids=collection_ids)
        return set(session.scalars(select(candidates.c.s).where(exists(probe))))

    @staticmethod
    def _lexeme_stats(session: Session) -> tuple[dict[str, float], float] | None:
        """(share of chunks per frequent lexeme, upper bound for all others) from the planner
        statistics ``ANALYZE`` (autovacuum) keeps for tsvector columns; ``None`` while the
        table is small or not analysed yet."""
        row = session.execute(text(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_stats s JOIN pg_class c ON c.oid = 'chunks'::regclass "
            "WHERE s.tablename = 'chunks' AND s.attname = 'tsv' AND s.schemaname = current_schema()"
        )).first()
        if row is None or row[0] is None or (row[2] or 0) < COMMON_MIN_CHUNKS:
            return None
        elems, freqs = list(row[0]), list(row[1])
        return dict(zip(elems, freqs, strict=False)), float(freqs[len(elems)])  # then: min frequency

    @staticmethod
    def _exact_shares(session: Session, lexemes: list[str], tenant_id: str,
                      collection_ids: list[str]) -> dict[str, float]:
        """Share of the searched chunks containing each lexeme, counted (small indexes)."""
        total_stmt = in_collections(select(func.count(Chunk.id)), Chunk, tenant_id=tenant_id,
                                    collection_ids=collection_ids)
        total = session.scalar(total_stmt) or 0
        counts = [func.count(Chunk.id).filter(Chunk.tsv.op("@@")(_lexeme_query(lex))) for lex in lexemes]
        counting = cast("Select[Any]", select(*counts))
        stmt = in_collections(counting, Chunk, tenant_id=tenant_id, collection_ids=collection_ids)
        row = session.execute(stmt.where(Chunk.tsv.op("@@")(_lexeme_query(*lexemes)))).one()
        return {lex: n / total if total else 0.0 for lex, n in zip(lexemes, row, strict=True)}

    @staticmethod
    def _lexemes(session: Session, query: str) -> list[str]:
        stmt = text("SELECT lexeme FROM unnest(to_tsvector('german'::regconfig, :q))")
        return list(session.scalars(stmt, {"q": query}))
