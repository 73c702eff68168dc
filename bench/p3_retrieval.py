"""P3 retrieval: hybrid search latency at 10k / 100k (/ 1M) chunks, SQLite and PostgreSQL.

Data. Chunk texts are built from the German law corpus (``shared/data/laws``): the laws are
chunked with ``retrieval.chunking``, their sentences pooled, and every synthetic chunk is a
random draw of sentences (about 900 characters) under a real § heading - German legal
vocabulary with realistic term statistics, at any size. **Vectors are synthetic**, not
embeddings (embedding 100k chunks with E5 on two cores would take hours): 384-d unit vectors
scattered around 2000 random topic centres, questions are perturbed chunk vectors. Uniform
random vectors were tried first: they have no neighbourhoods, and HNSW recall@10 on them fell
to 0.1 at 100k - a property of the data, not of the index.
All chunks sit in one tenant and one collection - the largest scope a search can have.

Timing. 50 questions from ``eval/laws-de`` (with random query vectors), one transaction per
question, through ``SearchIndex.search`` (keyword top 50 + vector top 50 + fusion + row load,
compound expansion included). ``build_s`` is the wall time of ``SearchIndex.add`` for all
chunks (documents of 200 chunks, one transaction each, indexes maintained as in production).

Baseline, in the same run over the same data: exact brute force - numpy cosine over all
vectors + Python BM25 (``retrieval.bm25`` with the German analyzer) fused the same way. At 1M
(``--full``) Python BM25 is too slow to be a fair baseline; there the baseline is the same
backend with its indexes switched off (PostgreSQL: no index or bitmap scans; SQLite: vector
leg only - sqlite-vec is already exact - against numpy cosine). ``ratio_vs_bruteforce`` is
``p50 / baseline p50`` (below 1: faster). ``recall10`` is the overlap of the backend's vector
top 10 with the exact top 10.

    .venv/bin/python -m bench.p3_retrieval [--quick] [--full]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import text

from bench.common import REPO, SHARED_DATA, line, ratio
from schreibstube.retrieval.bm25 import BM25Search, Passage
from schreibstube.retrieval.chunking import PageText, TextChunk, chunk_pages
from schreibstube.retrieval.german import GermanAnalyzer
from schreibstube.retrieval.index import SearchIndex, make_index, reciprocal_rank_fusion
from schreibstube.storage.db import Database
from schreibstube.storage.tables import Collection, StoredDocument
from schreibstube.tenants.identity import ensure_tenant, ensure_user

DIM = 384
QUERIES = 50
PER_DOCUMENT = 200
_SENTENCE = re.compile(r"(?<=[.;:])\s+")


@dataclass(frozen=True)
class Scope:
    tenant_id: str
    collection_ids: list[str]


def law_material() -> tuple[list[str], list[str]]:
    """(sentences, headings) of all laws in the shared corpus."""
    sentences: list[str] = []
    headings: list[str] = []
    for path in sorted((SHARED_DATA / "laws").glob("*.md")):
        for chunk in chunk_pages([PageText("", 1, path.read_text(encoding="utf-8"))]):
            headings.append(chunk.heading)
            sentences.extend(s for s in _SENTENCE.split(chunk.text.replace("\n\n", " ")) if len(s) > 30)
    return sentences, [h for h in headings if h.startswith(("§", "Art"))]


def synthetic_chunks(n: int, seed: int = 7) -> list[TextChunk]:
    sentences, headings = law_material()
    rng = random.Random(seed)
    chunks = []
    for i in range(n):
        parts: list[str] = []
        while sum(len(p) for p in parts) < 900:
            parts.append(rng.choice(sentences))
        chunks.append(TextChunk(i % PER_DOCUMENT, "", i % 300 + 1, i % 300 + 1, rng.choice(headings),
                                " ".join(parts)))
    return chunks


def random_unit_vectors(n: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, DIM), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def clustered_unit_vectors(n: int, seed: int, topics: int = 2000, spread: float = 0.6) -> np.ndarray:
    """Unit vectors around ``topics`` random centres (cosine to the centre about 0.85), the
    neighbourhood structure real embeddings have and uniform random vectors lack."""
    rng = np.random.default_rng(seed)
    centres = random_unit_vectors(topics, seed + 1)
    vectors = centres[rng.integers(0, topics, n)] + spread / np.sqrt(DIM) * rng.standard_normal(
        (n, DIM), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def query_vectors_near(vectors: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Questions "about" random chunks: a chunk's vector, perturbed."""
    rng = np.random.default_rng(seed)
    picked = vectors[rng.integers(0, len(vectors), count)]
    noisy = picked + 0.6 / np.sqrt(DIM) * rng.standard_normal(picked.shape, dtype=np.float32)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def questions() -> list[str]:
    with (REPO / "eval" / "laws-de" / "queries.jsonl").open(encoding="utf-8") as f:
        return [json.loads(row)["text"] for row in f if row.strip()][:QUERIES]


def build(db: Database, index: SearchIndex, chunks: list[TextChunk],
          vectors: np.ndarray) -> tuple[str, str, float]:
    """Index everything as documents of ``PER_DOCUMENT`` chunks; (tenant, collection, seconds)."""
    with db.session() as s:
        user = ensure_user(s, ensure_tenant(s, "bench"), "bench")
        collection = Collection(tenant_id=user.tenant_id, user_id=user.user_id, name="P3")
        s.add(collection)
        s.flush()
        collection_id = collection.id
    started = time.perf_counter()
    for start in range(0, len(chunks), PER_DOCUMENT):
        with db.session() as s:
            doc = StoredDocument(tenant_id=user.tenant_id, user_id=user.user_id, collection_id=collection_id,
                                 purpose="collection", name=f"doc-{start}")
            s.add(doc)
            s.flush()
            index.add(s, doc.id, user.tenant_id, collection_id, chunks[start:start + PER_DOCUMENT],
                      vectors[start:start + PER_DOCUMENT])
    return user.tenant_id, collection_id, time.perf_counter() - started


def percentiles(fn: Callable[[int], object], count: int) -> tuple[float, float]:
    times = []
    for i in range(count):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def bruteforce(chunks: list[TextChunk], vectors: np.ndarray) -> Callable[[str, np.ndarray], list[int]]:
    """Exact hybrid over the same data: Python BM25 (German analysis) + numpy cosine, RRF."""
    bm25 = BM25Search([Passage(str(i), c.text, c.heading) for i, c in enumerate(chunks)], GermanAnalyzer())

    def search(query: str, vector: np.ndarray) -> list[int]:
        keyword = [int(doc_id) for doc_id, _ in bm25.search(query, 50)]
        return [i for i, _ in reciprocal_rank_fusion([keyword, exact_top(vectors, vector, 50)])][:10]

    return search


def bruteforce_p50(chunks: list[TextChunk], vectors: np.ndarray, query_vectors: np.ndarray) -> float:
    search = bruteforce(chunks, vectors)
    qs = questions()
    return percentiles(lambda i: search(qs[i % len(qs)], query_vectors[i]), 20)[0]


def exact_top(vectors: np.ndarray, vector: np.ndarray, k: int) -> list[int]:
    scores = vectors @ vector
    top = np.argpartition(-scores, k)[:k]
    return [int(i) for i in top[np.argsort(-scores[top])]]


def disk_mb(db: Database, path: Path | None) -> float:
    if db.is_postgres:
        with db.engine.connect() as conn:
            return float(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()) / 1e6
    assert path is not None
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


@contextmanager
def database(backend: str) -> Iterator[tuple[Database, Path | None]]:
    if backend == "postgres":
        from schreibstube.testing import TemporaryPostgres

        pg = TemporaryPostgres()
        db = Database(pg.new_database())
        try:
            db.upgrade()
            yield db, None
        finally:
            db.dispose()
            pg.stop()
        return
    with tempfile.TemporaryDirectory(prefix="sb-p3-") as tmp:
        path = Path(tmp) / "p3.db"
        db = Database(f"sqlite:///{path}")
        try:
            db.upgrade()
            yield db, path
        finally:
            db.dispose()


def measure(backend: str, n: int, chunks: list[TextChunk], vectors: np.ndarray, baseline_ms: float | None,
            exact: list[list[int]], query_vectors: np.ndarray) -> str:
    qs = questions()
    with database(backend) as (db, path):
        index = make_index(db)
        tenant, collection, build_s = build(db, index, chunks, vectors)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE" if db.is_postgres else "ANALYZE"))  # as autovacuum would
        scope = Scope(tenant, [collection])

        def hybrid(i: int) -> object:
            with db.session() as s:
                return index.search(s, tenant_id=scope.tenant_id, collection_ids=scope.collection_ids,
                                    query=qs[i % len(qs)], query_vector=query_vectors[i], k=10)

        hybrid(0)  # warm caches and the pool
        p50, p95 = percentiles(hybrid, QUERIES)
        recall = vector_recall(db, index, scope, query_vectors, exact, offset=1)
        if baseline_ms is None:  # 1M: the same backend without its indexes
            baseline_ms = unindexed_p50(db, index, scope, query_vectors, qs)
        return line("P3", backend=backend, n=n, p50_ms=p50, p95_ms=p95, build_s=build_s,
                    disk_mb=disk_mb(db, path), recall10=recall, baseline_p50_ms=baseline_ms,
                    ratio_vs_bruteforce=ratio(p50, baseline_ms), vectors="synthetic")


def vector_recall(db: Database, index: SearchIndex, scope: Scope, query_vectors: np.ndarray,
                  exact: list[list[int]], offset: int) -> float:
    """Mean overlap of the vector top 10 with the exact top 10 (chunk ids are 1..n in order)."""
    found = []
    for i, truth in enumerate(exact):
        with db.session() as s:
            ids = index.vector_ids(s, tenant_id=scope.tenant_id, collection_ids=scope.collection_ids,
                                   vector=query_vectors[i], limit=10)
        found.append(len({cid - offset for cid in ids} & set(truth[:10])) / 10)
    return float(np.mean(found))


def unindexed_p50(db: Database, index: SearchIndex, scope: Scope, query_vectors: np.ndarray,
                  qs: list[str]) -> float:
    def run(i: int) -> object:
        with db.session() as s:
            if db.is_postgres:
                s.execute(text("SET LOCAL enable_indexscan = off"))
                s.execute(text("SET LOCAL enable_bitmapscan = off"))
                return index.search(s, tenant_id=scope.tenant_id, collection_ids=scope.collection_ids,
                                    query=qs[i % len(qs)], query_vector=query_vectors[i], k=10)
            return index.vector_ids(s, tenant_id=scope.tenant_id, collection_ids=scope.collection_ids,
                                    vector=query_vectors[i], limit=50)

    return percentiles(run, 10)[0]


def run(quick: bool, full: bool = False, backends: tuple[str, ...] = ("sqlite", "postgres"),
        sizes: list[int] | None = None) -> list[str]:
    sizes = sizes or ([10_000] if quick else [10_000, 100_000] + ([1_000_000] if full else []))
    out = []
    for n in sizes:
        chunks = synthetic_chunks(n)
        vectors = clustered_unit_vectors(n, seed=n)
        query_vectors = query_vectors_near(vectors, QUERIES + 1, seed=1)
        exact = [exact_top(vectors, q, 10) for q in query_vectors[:20]]
        baseline_ms = bruteforce_p50(chunks, vectors, query_vectors) if n <= 100_000 else None
        for backend in backends:
            out.append(measure(backend, n, chunks, vectors, baseline_ms, exact, query_vectors))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k chunks only")
    parser.add_argument("--full", action="store_true", help="add 1M chunks (tens of minutes, ~10 GB)")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], action="append")
    parser.add_argument("--n", type=int, action="append", help="chunk counts to run instead")
    args = parser.parse_args()
    run(args.quick, args.full, tuple(args.backend or ("sqlite", "postgres")), args.n)


if __name__ == "__main__":
    main()
