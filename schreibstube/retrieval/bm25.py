"""Keyword search with BM25 (Okapi, via ``rank_bm25``) over an in-memory list of passages.

Two ready-made flavours, both exposing ``search(query, k) -> [(doc_id, score), ...]`` so that
they plug into ``retrieval.evaluation`` and into a later hybrid (keyword + vector) searcher:

* :func:`plain_bm25` - the baseline: lowercase word tokens, nothing else (no stopwords, no
  stemming, no umlaut folding). Tokens are runs of letters/digits; a bare ``str.split`` would
  glue punctuation to words ("Bescheid?") and make the baseline a strawman.
* :func:`german_bm25` - the same index with :class:`~schreibstube.retrieval.german.GermanAnalyzer`
  (stopwords, Snowball stemming, umlaut folding, compound splitting against the corpus
  vocabulary). Measured on ``eval/laws-de``; see ``scripts/eval_laws.py``.

The index lives in memory and is rebuilt from the passages; for a few thousand passages this
takes well under a second. Scores are raw BM25 (unbounded); fuse by rank, not by score.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from schreibstube.retrieval.german import CompoundMode, Decompounder, GermanAnalyzer

Analyzer = Callable[[str], list[str]]
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Passage:
    """One searchable unit: a § of a law, a chunk of a document. ``doc_id`` is what is returned."""

    doc_id: str
    text: str
    title: str = ""

    @property
    def indexed_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text


def simple_tokens(text: str) -> list[str]:
    """Baseline analysis: lowercase runs of letters and digits."""
    return _WORD.findall(text.lower())


class BM25Search:
    """BM25 over ``passages``; ``analyze`` turns text into terms for both documents and queries."""

    def __init__(
        self, passages: Sequence[Passage], analyze: Analyzer, *, k1: float = 1.5, b: float = 0.75
    ) -> None:
        if not passages:
            raise ValueError("BM25Search needs at least one passage")
        self.analyze = analyze
        self._ids = [p.doc_id for p in passages]
        self._bm25 = BM25Okapi([analyze(p.indexed_text) or [""] for p in passages], k1=k1, b=b)

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` best passages with a positive score, best first."""
        terms = self.analyze(query)
        if not terms or k <= 0:
            return []
        scores = np.asarray(self._bm25.get_scores(terms), dtype=float)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(top, key=lambda i: (-scores[i], self._ids[i]))
        return [(self._ids[i], float(scores[i])) for i in ranked if scores[i] > 0]


def plain_bm25(passages: Sequence[Passage]) -> BM25Search:
    """The baseline: BM25 on lowercase word tokens."""
    return BM25Search(passages, simple_tokens)


def german_bm25(passages: Sequence[Passage], *, compounds: CompoundMode = "split") -> BM25Search:
    """BM25 with German analysis; ``compounds`` is ``"split"``, ``"ngrams"`` or ``"none"``."""
    decompounder = None
    if compounds == "split":
        decompounder = Decompounder.from_texts(p.indexed_text for p in passages)
    return BM25Search(passages, GermanAnalyzer(compounds=compounds, decompounder=decompounder))
