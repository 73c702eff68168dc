"""Retrieval evaluation: BEIR-format test sets, standard ranking metrics, comparison tables.

A searcher is anything with the signature ``SearchFn = (query, k) -> [(doc_id, score), ...]``,
best first - a bound ``BM25Search.search``, a dense searcher, or a hybrid that fuses both. The
evaluation only looks at the order of the returned ids, never at the scores, so scores of
different systems need not be comparable.

Metrics, per query, averaged over all queries that have at least one relevant document
(definitions as in trec_eval / BEIR):

* ``MRR@10``   - 1 / rank of the first relevant hit within the top 10, else 0.
* ``Recall@k`` - relevant documents found in the top k / all relevant documents.
* ``nDCG@10``  - DCG = sum over the top 10 of ``grade / log2(rank + 1)`` (linear gain),
  divided by the DCG of the ideal ranking of the judged documents.

The BEIR layout of a test set directory::

    corpus.jsonl   {"_id": "vwvfg-44", "title": "...", "text": "..."} per line
    queries.jsonl  {"_id": "q001", "text": "..."} per line
    qrels.tsv      query-id <TAB> corpus-id <TAB> score, with a header line
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schreibstube.retrieval.bm25 import Passage

SearchFn = Callable[[str, int], list[tuple[str, float]]]
Qrels = dict[str, dict[str, int]]
METRICS = ("MRR@10", "Recall@1", "Recall@5", "Recall@10", "nDCG@10")


@dataclass(frozen=True)
class EvalSet:
    """A loaded BEIR test set."""

    corpus: dict[str, Passage]
    queries: dict[str, str]
    qrels: Qrels


@dataclass(frozen=True)
class SystemResult:
    """One row of a comparison table; ``per_query`` keeps the details for error analysis."""

    name: str
    metrics: dict[str, float]
    seconds_per_query: float
    per_query: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)


def _jsonl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_corpus(path: Path) -> dict[str, Passage]:
    return {
        r["_id"]: Passage(doc_id=r["_id"], title=r.get("title", ""), text=r["text"]) for r in _jsonl(path)
    }


def load_queries(path: Path) -> dict[str, str]:
    return {r["_id"]: r["text"] for r in _jsonl(path)}


def load_qrels(path: Path) -> Qrels:
    qrels: Qrels = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    return qrels


def load_beir(directory: Path) -> EvalSet:
    return EvalSet(
        corpus=load_corpus(directory / "corpus.jsonl"),
        queries=load_queries(directory / "queries.jsonl"),
        qrels=load_qrels(directory / "qrels.tsv"),
    )


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if relevant.get(doc_id, 0) > 0:
            return 1.0 / rank
    return 0.0


def recall(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    wanted = {d for d, grade in relevant.items() if grade > 0}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranked[:k])) / len(wanted)


def ndcg(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    dcg = sum(relevant.get(d, 0) / math.log2(i + 1) for i, d in enumerate(ranked[:k], start=1))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def score_ranking(ranked: Sequence[str], relevant: Mapping[str, int]) -> dict[str, float]:
    """All metrics of :data:`METRICS` for one ranked list of ids."""
    return {
        "MRR@10": reciprocal_rank(ranked, relevant, 10),
        "Recall@1": recall(ranked, relevant, 1),
        "Recall@5": recall(ranked, relevant, 5),
        "Recall@10": recall(ranked, relevant, 10),
        "nDCG@10": ndcg(ranked, relevant, 10),
    }


def evaluate_per_query(
    search: SearchFn, queries: Mapping[str, str], qrels: Mapping[str, Mapping[str, int]], k: int = 10
) -> dict[str, dict[str, float]]:
    """Metrics per query id, for queries with at least one relevant document."""
    results = {}
    for qid, text in queries.items():
        relevant = qrels.get(qid, {})
        if any(grade > 0 for grade in relevant.values()):
            ranked = [doc_id for doc_id, _ in search(text, k)]
            results[qid] = score_ranking(ranked, relevant)
    return results


def mean_metrics(per_query: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    n = len(per_query)
    return {m: (sum(r[m] for r in per_query.values()) / n if n else 0.0) for m in METRICS}


def evaluate(
    search: SearchFn, queries: Mapping[str, str], qrels: Mapping[str, Mapping[str, int]], k: int = 10
) -> dict[str, float]:
    """Mean of each metric over all judged queries: ``{"MRR@10": 0.61, ...}``."""
    return mean_metrics(evaluate_per_query(search, queries, qrels, k))


def compare(
    systems: Mapping[str, SearchFn], queries: Mapping[str, str], qrels: Qrels, k: int = 10
) -> list[SystemResult]:
    """Evaluate several named systems on the same queries, in the given order."""
    rows = []
    for name, search in systems.items():
        started = time.perf_counter()
        per_query = evaluate_per_query(search, queries, qrels, k)
        elapsed = time.perf_counter() - started
        rows.append(SystemResult(name, mean_metrics(per_query), elapsed / max(len(queries), 1), per_query))
    return rows


def format_table(rows: Sequence[SystemResult]) -> str:
    """A Markdown table, one row per system, metrics with three decimals."""
    header = ["system", *METRICS, "ms/query"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row.name, *(f"{row.metrics[m]:.3f}" for m in METRICS)]
        lines.append("| " + " | ".join([*cells, f"{row.seconds_per_query * 1000:.1f}"]) + " |")
    return "\n".join(lines)
