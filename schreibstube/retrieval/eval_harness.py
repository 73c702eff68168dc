"""`schreibstube eval retrieval`: our production retrieval vs a plain BM25 baseline, one run.

The BEIR corpus is loaded into a temporary SQLite database through the same code paths the
app uses — chunking (``retrieval.chunking``), the embedder, and the real ``SearchIndex`` with
hybrid keyword + vector search fused by RRF. Each corpus document becomes one stored document
in one collection; a chunk hit counts for its document (first occurrence wins). The baseline is
plain BM25 over whole documents (``retrieval.bm25.plain_bm25``), evaluated on the same queries.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from schreibstube.retrieval.bm25 import Passage, plain_bm25
from schreibstube.retrieval.chunking import PageText, chunk_pages
from schreibstube.retrieval.embedder import Embedder
from schreibstube.retrieval.evaluation import SystemResult, compare, load_corpus, load_qrels, load_queries
from schreibstube.retrieval.index import SearchIndex, make_index
from schreibstube.storage.db import Database
from schreibstube.storage.tables import Collection, StoredDocument, Tenant, User

Progress = Callable[[str, int, int], None]


@dataclass
class HarnessResult:
    rows: list[SystemResult]
    documents: int
    chunks: int
    queries: int
    index_seconds: float


def _load(db: Database, index: SearchIndex, embedder: Embedder, corpus: dict[str, Passage],
          progress: Progress | None) -> tuple[str, str, dict[str, str], int]:
    with db.session() as s:
        tenant = Tenant(slug="eval", name="eval")
        s.add(tenant)
        s.flush()
        user = User(tenant_id=tenant.id, external_id="eval")
        s.add(user)
        s.flush()
        coll = Collection(tenant_id=tenant.id, user_id=user.id, name="eval")
        s.add(coll)
        s.flush()
        tenant_id, coll_id = tenant.id, coll.id
    doc_of: dict[str, str] = {}
    total = 0
    items = list(corpus.values())
    for start in range(0, len(items), 64):
        batch = items[start:start + 64]
        chunked = [chunk_pages([PageText("", 1, f"{p.title}\n\n{p.text}".strip())]) for p in batch]
        flat = [c for chunks in chunked for c in chunks]
        vectors = embedder.embed([c.indexed_text for c in flat], "passage")
        with db.session() as s:
            offset = 0
            for passage, chunks in zip(batch, chunked, strict=True):
                doc = StoredDocument(tenant_id=tenant_id, user_id=user.id, collection_id=coll_id,
                                     purpose="collection", name=passage.doc_id, status="ready", warnings=[])
                s.add(doc)
                s.flush()
                doc_of[doc.id] = passage.doc_id
                index.add(s, doc.id, tenant_id, coll_id, chunks, vectors[offset:offset + len(chunks)])
                offset += len(chunks)
        total += len(flat)
        if progress:
            progress("index", min(start + 64, len(items)), len(items))
    return tenant_id, coll_id, doc_of, total


def run_eval(corpus_path: Path, queries_path: Path, qrels_path: Path, embedder: Embedder,
             progress: Progress | None = None) -> HarnessResult:
    corpus, queries, qrels = load_corpus(corpus_path), load_queries(queries_path), load_qrels(qrels_path)
    queries = {q: t for q, t in queries.items() if q in qrels}
    with tempfile.TemporaryDirectory(prefix="sb-eval-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'eval.db'}")
        db.upgrade()
        index = make_index(db)
        started = time.perf_counter()
        tenant_id, coll_id, doc_of, chunks = _load(db, index, embedder, corpus, progress)
        index_seconds = time.perf_counter() - started

        def ours(query: str, k: int) -> list[tuple[str, float]]:
            vector = embedder.embed([query], "query")[0]
            with db.session() as s:
                hits = index.search(s, tenant_id=tenant_id, collection_ids=[coll_id], query=query,
                                    query_vector=vector, k=k * 4)
            ranked: dict[str, float] = {}
            for hit in hits:
                ranked.setdefault(doc_of[hit.document_id], hit.score)
            return list(ranked.items())[:k]

        baseline = plain_bm25(list(corpus.values()))
        rows = compare({"Schreibstube (hybrid)": ours, "BM25 (baseline)": baseline.search}, queries, qrels)
        db.dispose()
    return HarnessResult(rows, len(corpus), chunks, len(queries), index_seconds)
