"""German text analysis for keyword search.

A pipeline of small pure functions, composed by :class:`GermanAnalyzer`:

    text -> tokenize -> drop stopwords -> stem (Snowball German) -> fold umlauts
                                        \\-> compound parts (optional)

* ``tokenize`` lowercases and splits on anything that is not a letter or digit. Umlauts and
  ``ß`` are kept, because the Snowball stemmer's rules need them ("Maßnahme" and "Massnahme"
  must reach the same stem by the stemmer's own handling, not by our guessing).
* ``fold`` maps ``ä ö ü ß`` to ``a o u ss``. It runs *after* stemming, on every token that
  reaches the index, so documents and queries are always folded the same way; a user who types
  "Gebuhren" or "Massnahme" on a keyboard without umlauts still matches. (Snowball German folds
  umlauts itself; ``fold`` makes that explicit and also covers the unstemmed path.)
* Stopwords are a compact inline list: articles, pronouns, auxiliaries, modal verbs and the
  particles that carry no topic in a question ("Muss die Behörde mich ...?").
* Compounds are German's hard problem for keyword search: a citizen asks about the
  "Gebärdensprachdolmetscher", the law says "Gebärdensprache" and "Dolmetscher". Two remedies
  are offered and were measured on ``eval/laws-de`` (``scripts/eval_laws.py``): splitting
  raised MRR@10 of German BM25 from 0.55 to 0.60, n-grams lowered it to 0.50.

  - :class:`Decompounder` splits a long token into known words of the corpus vocabulary, with the
    linking elements (Fugenelemente) ``s``, ``es``, ``n``, ``en``, ``e``, e.g.
    "verwaltungsverfahrensgesetz" -> "verwaltungsverfahren" + s + "gesetz", and parts are split
    again ("verwaltung" + s + "verfahren"). The whole token is kept, the parts are added.
  - :func:`char_ngrams` adds character n-grams of long tokens (no vocabulary needed, noisier).

Everything here is deterministic and free of I/O; the decompounder's vocabulary is passed in.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import snowballstemmer

STOPWORDS: frozenset[str] = frozenset(  # one string reads better than 180 list items
    """
    aber alle allem allen aller alles als also am an ander andere anderen anderer anderes auch
    auf aus bei beim bin bis bist da dabei damit dann das dass daß dein deine dem den denn der
    des dessen dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine
    einem einen einer eines einmal er es etwa etwas euch euer eure für gegen gewesen hab habe
    haben hat hatte hätte ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in ist ja jede
    jedem jeden jeder jedes jemand jetzt kann kein keine keinem keinen keiner können könnte man
    manche mein meine meinem meinen meiner mich mir mit muss muß müssen nach nicht noch nun nur
    ob oder ohne schon sehr sein seine seinem seinen seiner seit sich sie sind so soll sollen
    sollte sondern sonst über um und uns unser unsere unter viel vom von vor wann war waren
    warum was weil welche welchem welchen welcher welches wenn wer werde werden wie wieder will
    wir wird wo wurde wurden zu zum zur darf dürfen eigentlich gibt geht
    """.split()  # noqa: SIM905
)

CompoundMode = Literal["none", "split", "ngrams"]
LINKING_ELEMENTS = ("", "s", "es", "n", "en", "e")
_TOKEN = re.compile(r"[^\W_]+")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_FOLDED_STOPWORDS = frozenset(w.translate(_FOLD) for w in STOPWORDS)
_STEMMER = snowballstemmer.stemmer("german")
_STEMMER_LOCK = threading.Lock()  # Snowball stemmer objects keep state between calls


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens (letters and digits, umlauts kept); punctuation splits tokens."""
    return _TOKEN.findall(text.lower())


def fold(token: str) -> str:
    """Fold umlauts and ß: "Gebühr" -> "gebuhr" (expects lowercase input)."""
    return token.translate(_FOLD)


def is_stopword(token: str) -> bool:
    """True for a lowercase stopword, with or without umlauts ("für", "fur")."""
    return fold(token) in _FOLDED_STOPWORDS


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Snowball German stem of a lowercase token, folded: "Behörden" -> "behord"."""
    with _STEMMER_LOCK:
        stemmed: str = _STEMMER.stemWord(token)
    return fold(stemmed)


def char_ngrams(token: str, n: int = 5) -> list[str]:
    """Character n-grams of a token, marked with "#" so they never collide with words."""
    if len(token) <= n:
        return []
    return [f"#{token[i : i + n]}" for i in range(len(token) - n + 1)]


@dataclass(frozen=True)
class Decompounder:
    """Splits German compounds into the fewest words of a known vocabulary.

    ``vocabulary`` holds folded lowercase words and their stems, without stopwords and numbers
    (see :meth:`from_texts`). A token of at least ``min_length`` characters is split into the
    fewest parts (dynamic programming), each at least ``min_part`` characters long and in the
    vocabulary, each but the last optionally followed by a linking element. The last part may
    also be an inflected form whose stem is known ("...dolmetschers"). Only complete splits
    count: an unknown remainder leaves the token whole.
    """

    vocabulary: frozenset[str]
    min_part: int = 4
    min_length: int = 10

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_count: int = 1, **options: int) -> Decompounder:
        counts = Counter(
            fold(t) for text in texts for t in tokenize(text) if not (t.isdigit() or is_stopword(t))
        )
        words = {w for w, c in counts.items() if c >= min_count}
        return cls(frozenset(words | {stem(w) for w in words}), **options)

    def known(self, part: str, *, last: bool) -> bool:
        if len(part) < self.min_part:
            return False
        return part in self.vocabulary or (last and stem(part) in self.vocabulary)

    def split(self, token: str) -> list[str]:
        """Parts of ``token`` (folded), or ``[]`` when it is short or not a known compound."""
        word = fold(token.lower())
        if len(word) < self.min_length:
            return []
        parts = self._segment(word)
        if len(parts) < 2:
            return []
        out: list[str] = []
        for part in parts:
            out.extend(self.split(part) or [part])
        return out

    def _segment(self, word: str) -> list[str]:
        n = len(word)
        best: list[list[str] | None] = [None] * (n + 1)  # best[i]: fewest parts covering word[:i]
        best[0] = []
        for end in range(self.min_part, n + 1):
            last = end == n
            for start in range(0, end - self.min_part + 1):
                prefix = best[start]
                if prefix is None or (start == 0 and last):  # the whole word is no split
                    continue
                part = self._part(word[start:end], last=last)
                if part and (best[end] is None or len(prefix) + 1 < len(best[end] or [])):
                    best[end] = [*prefix, part]
        return best[n] or []

    def _part(self, piece: str, *, last: bool) -> str | None:
        if last:
            return piece if self.known(piece, last=True) else None
        for link in LINKING_ELEMENTS:
            if piece.endswith(link):
                head = piece[: len(piece) - len(link)] if link else piece
                if self.known(head, last=False):
                    return head
        return None


@dataclass(frozen=True)
class GermanAnalyzer:
    """Turns text into index terms. Callable, so it plugs into any BM25 index as ``analyze``.

    ``compounds``: ``"none"``, ``"split"`` (needs ``decompounder``) or ``"ngrams"``. Terms per
    distinct token are memoised; the memo is bounded by the vocabulary seen.
    """

    stopwords: bool = True
    stemming: bool = True
    compounds: CompoundMode = "none"
    decompounder: Decompounder | None = None
    ngram: int = 5
    _cache: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.compounds not in ("none", "split", "ngrams"):
            raise ValueError(f"unknown compound handling: {self.compounds!r}")
        if self.compounds == "split" and self.decompounder is None:
            raise ValueError("compounds='split' needs a decompounder")

    def __call__(self, text: str) -> list[str]:
        terms: list[str] = []
        for token in tokenize(text):
            if self.stopwords and is_stopword(token):
                continue
            terms.extend(self._terms(token))
        return terms

    def _terms(self, token: str) -> list[str]:
        cached = self._cache.get(token)
        if cached is None:
            cached = [stem(token) if self.stemming else fold(token)]
            if self.compounds == "split" and self.decompounder is not None:
                parts = self.decompounder.split(token)
                cached += [stem(p) if self.stemming else p for p in parts]
            elif self.compounds == "ngrams":
                cached += char_ngrams(fold(token), self.ngram) if len(token) >= 10 else []
            self._cache[token] = cached
        return cached
