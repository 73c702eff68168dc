"""The search index: one interface, two backends, hybrid ranking by reciprocal rank fusion.

A :class:`SearchIndex` stores the chunks of a document (``add``), forgets them
(``delete_document``) and answers questions (``search``). ``search`` is generic: it asks the
backend for the ``depth`` best chunk ids by keywords and by vector, fuses both lists with
:func:`reciprocal_rank_fusion` and loads the winners as :class:`Hit` values. A backend
implements five small methods:

* ``add`` / ``delete_document`` - write and remove rows and their search data;
* ``keyword_ids`` - BM25-like ranking over German-analysed terms (SQLite: FTS5 ``bm25()``;
  PostgreSQL: ``ts_rank_cd`` over ``to_tsvector('german', …)``), terms OR-ed, because a
  question in German rarely repeats every word of the answer. In large indexes, terms found
  in more than a quarter of all chunks are left out (:func:`drop_common`): with OR, every
  chunk containing one would have to be ranked, for almost no gain in order;
* ``vector_ids`` - nearest neighbours by cosine distance (SQLite: sqlite-vec, exact;
  PostgreSQL: pgvector HNSW);
* ``known_terms`` - which of some candidate stems occur in the index (PostgreSQL: in the
  searched collections; SQLite: anywhere, from the FTS5 vocabulary); used to split compounds
  in questions ("Gebärdensprachdolmetscher" -> "Gebärdensprache", "Dolmetscher") only into
  parts that can match (see :func:`compound_parts`).

**Tenant scoping.** Every query a backend runs on chunks, terms or vectors is restricted by
``storage.scope.in_collections`` (tenant AND collection list) inside the SQL, and the final
row load is restricted again. Which collections a user may read is decided before, by the
gate (``retrieval.service.search``).

**Fusion.** ``score(chunk) = sum over lists of 1 / (60 + rank)`` (ranks from 1; Cormack et
al. 2009). It needs no score calibration between BM25 and cosine, which is why the two
backends can rank keywords differently and still fuse the same way. On ``eval/laws-de`` the
fused ranking beats either list alone (see ``scripts/eval_laws.py``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from schreibstube.retrieval.chunking import TextChunk
from schreibstube.retrieval.german import LINKING_ELEMENTS, Decompounder, fold, is_stopword, stem, tokenize
from schreibstube.storage.db import Database
from schreibstube.storage.scope import in_collections
from schreibstube.storage.tables import Chunk

RRF_K = 60
DEPTH = 50
COMPOUND_MIN = 10  # characters; shorter words are not split
MIN_PART = 4
# Word-forming suffixes that look like words of their own: "fehlerhaft" is not "Fehler" + "Haft".
NOT_PARTS = frozenset({"haft", "heit", "keit", "lich", "isch", "schaft", "weise", "massig", "artig"})
COMMON_SHARE = 0.25  # keyword search ignores terms in more than this share of chunks ...
COMMON_MIN_CHUNKS = 2000  # ... once the index holds at least this many chunks


@dataclass(frozen=True)
class Hit:
    """One found chunk. ``score`` is the fused score; ranks are 1-based or ``None``."""

    chunk_id: int
    document_id: str
    seq: int
    page_start: int
    page_end: int
    part: str
    heading: str
    text: str
    score: float
    keyword_rank: int | None
    vector_rank: int | None


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked id lists; best first, ties broken by id for a stable order."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def compound_parts(text: str, known: Callable[[set[str]], set[str]]) -> list[str]:
    """Parts of the long words of ``text`` that are themselves words, e.g.
    "Verwaltungsverfahrensgesetz" -> ["verwaltungs", "verfahrens", "gesetz"] (folded).

    ``known(stems)`` returns the subset of stems that occur in the index; a part is accepted
    when its stem is known, so the split follows the vocabulary of the searched documents.
    Candidates are asked for in rounds, left to right: first the prefixes of each word, then
    the pieces starting where a known piece (plus a linking element) ends - a few dozen stems
    per round instead of every substring at once.
    """
    words = [fold(t) for t in dict.fromkeys(tokenize(text))
             if len(t) >= COMPOUND_MIN and not is_stopword(t) and not t.isdigit()]
    vocabulary: set[str] = set()
    frontier = {word: {0} for word in words}
    seen = {word: {0} for word in words}
    while any(frontier.values()):
        candidates = {(word, i, j) for word, starts in frontier.items() for i in starts
                      for j in range(i + MIN_PART, len(word) + 1) if j - i < len(word)}
        stems = {word[i:j]: stem(word[i:j]) for word, i, j in candidates}
        present = known(set(stems.values()))
        frontier = {word: set() for word in words}
        for word, i, j in candidates:
            if stems[word[i:j]] not in present or word[i:j] in NOT_PARTS:
                continue
            vocabulary.add(word[i:j])
            for link in LINKING_ELEMENTS:
                end = j + len(link)
                if word.startswith(link, j) and end < len(word) and end not in seen[word]:
                    seen[word].add(end)
                    frontier[word].add(end)
    splitter = Decompounder(frozenset(vocabulary), min_part=MIN_PART, min_length=COMPOUND_MIN)
    return list(dict.fromkeys(part for word in words for part in splitter.split(word)))


def drop_common(terms: Sequence[str], share: Mapping[str, float]) -> list[str]:
    """``terms`` without those in more than :data:`COMMON_SHARE` of all chunks (all of them if
    every term is that common). BM25 gives such terms almost no weight anyway, but every
    chunk that contains one must be scored: at 100k chunks, "Behörde" alone matches a third.
    """
    kept = [t for t in dict.fromkeys(terms) if share.get(t, 0.0) <= COMMON_SHARE]
    return kept or list(dict.fromkeys(terms))


class SearchIndex(ABC):
    """Keyword + vector search over chunks; see the module docstring."""

    depth: int = DEPTH

    @abstractmethod
    def add(self, session: Session, document_id: str, tenant_id: str, collection_id: str | None,
            chunks: Sequence[TextChunk], vectors: np.ndarray) -> list[int]:
        """Store chunks with their vectors (row ``i`` belongs to ``chunks[i]``); returns ids."""

    @abstractmethod
    def delete_document(self, session: Session, document_id: str) -> int:
        """Remove all chunks of a document with their terms and vectors; returns the count."""

    @abstractmethod
    def keyword_ids(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                    query: str, limit: int) -> list[int]:
        """Chunk ids ranked by keywords, best first."""

    @abstractmethod
    def vector_ids(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                   vector: np.ndarray, limit: int) -> list[int]:
        """Chunk ids ranked by cosine similarity to ``vector``, best first."""

    @abstractmethod
    def known_terms(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                    stems: set[str]) -> set[str]:
        """The subset of ``stems`` (folded Snowball stems) that occur in the collections."""

    def search(self, session: Session, *, tenant_id: str, collection_ids: list[str], query: str,
               query_vector: np.ndarray | None, k: int) -> list[Hit]:
        """The ``k`` best chunks of the collections for ``query``, by fused rank."""
        if not collection_ids or k <= 0:
            return []
        ids = list(collection_ids)
        keyword = (self.keyword_ids(session, tenant_id=tenant_id, collection_ids=ids, query=query,
                                    limit=self.depth) if query.strip() else [])
        vector = ([] if query_vector is None else
                  self.vector_ids(session, tenant_id=tenant_id, collection_ids=ids,
                                  vector=np.asarray(query_vector, np.float32), limit=self.depth))
        fused = reciprocal_rank_fusion([keyword, vector])[:k]
        stmt = in_collections(select(Chunk), Chunk, tenant_id=tenant_id, collection_ids=ids)
        rows = {c.id: c for c in session.scalars(stmt.where(Chunk.id.in_([i for i, _ in fused])))}
        k_rank = {cid: r for r, cid in enumerate(keyword, start=1)}
        v_rank = {cid: r for r, cid in enumerate(vector, start=1)}
        return [Hit(c.id, c.document_id, c.seq, c.page_start, c.page_end, c.part, c.heading, c.text,
                    score, k_rank.get(cid), v_rank.get(cid))
                for cid, score in fused if (c := rows.get(cid)) is not None]

    def expand_query(self, session: Session, *, tenant_id: str, collection_ids: list[str],
                     query: str) -> str:
        """``query`` plus the known parts of its compounds, for the keyword search."""
        parts = compound_parts(query, lambda stems: self.known_terms(
            session, tenant_id=tenant_id, collection_ids=collection_ids, stems=stems))
        return f"{query} {' '.join(parts)}" if parts else query


def document_parts(chunks: Sequence[TextChunk]) -> Callable[[str], list[str]]:
    """Compound splitter for one document, against the document's own vocabulary."""
    decompounder = Decompounder.from_texts(c.indexed_text for c in chunks)

    memo: dict[str, list[str]] = {}

    def split(text: str) -> list[str]:
        out: list[str] = []
        for token in dict.fromkeys(tokenize(text)):
            if len(token) >= COMPOUND_MIN and not is_stopword(token):
                if token not in memo:
                    memo[token] = decompounder.split(token)
                out.extend(memo[token])
        return out

    return split


def make_index(db: Database) -> SearchIndex:
    """The backend for the database's dialect."""
    if db.is_postgres:
        from schreibstube.retrieval.index_postgres import PostgresIndex

        return PostgresIndex()
    from schreibstube.retrieval.index_sqlite import SqliteIndex

    return SqliteIndex()
