"""Readability of German text: Amstad's Flesch adaptation and the first Wiener Sachtextformel.

Pure functions, no dependencies, so a draft can be scored on every keystroke if the UI wants.

* **Amstad (1978)**, Flesch Reading Ease for German: ``180 − ASL − 58.5 × ASW``, where ASL is
  words per sentence and ASW syllables per word. 0–100, higher is easier; very short words and
  sentences give values above 100, which we report as they are (the label is "sehr leicht").
* **Wiener Sachtextformel, 1st form** (Bamberger & Vanecek 1984):
  ``0.1935 × MS + 0.1672 × SL + 0.1297 × IW − 0.0327 × ES − 0.875``, where MS is the percentage
  of words with three or more syllables, SL words per sentence, IW the percentage of words with
  more than six letters and ES the percentage of one-syllable words. The value approximates a
  school grade, from about 4 (very easy) to 15 (very hard).

Syllables are counted with a heuristic: each run of vowels (a e i o u y ä ö ü) is one syllable,
except that a run splits where two vowels do not form a diphthong or long vowel (ai au äu ei eu
ie ay ey aa ee oo): "The-a-ter". Corrections: "qu" is a consonant ("Quel-le"), the prefixes
"be-"/"ge-" before "e" are their own syllable ("ge-ehr-te"), and a final "-ien" in words of six
letters or more is two ("Fe-ri-en"). Known misses: "Mu-se-um", "Fa-mi-li-e". Good enough for a
score whose purpose is to compare two versions of the same text.

Words are runs of letters (hyphenated compounds such as "E-Mail" are one word; numbers are not
words). Sentences end at ".", "!", "?" — but not after common abbreviations ("z. B.", "Dr.",
"Nr."), single letters or day/ordinal numbers ("1. Januar") — and at paragraph breaks,
headings and list items, which often lack a full stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VOWELS = frozenset("aeiouyäöü")
_DIPHTHONGS = frozenset({"ai", "au", "äu", "ei", "eu", "ie", "ay", "ey", "aa", "ee", "oo"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_STRUCTURAL_LINE = re.compile(r"^\s*(?:#{1,6}\s|[-*•]\s|\d{1,2}[.)]\s)")
_CLOSERS = "\"'“”„«»‹›)]"
# fmt: off
_ABBREVIATIONS = frozenset({
    "abs", "abt", "allg", "anm", "art", "bzw", "ca", "dipl", "dr", "etc", "evtl", "ff", "gem",
    "ggf", "hr", "inkl", "ing", "jh", "max", "min", "mio", "mrd", "nr", "prof", "rd", "s", "sog",
    "str", "tel", "usw", "vgl", "vs", "z", "zzgl", "zt", "bspw", "ggü", "lt", "insb", "i.v",
    "i.a", "u.a", "z.b", "d.h", "o.ä", "u.ä", "bzgl", "gez", "az", "kap", "lfd",
})
# fmt: on
_AMSTAD_LABELS = (
    (90, "sehr leicht"),
    (80, "leicht"),
    (70, "mittelleicht"),
    (60, "mittel"),
    (50, "mittelschwer"),
    (30, "schwer"),
)
_WSTF_LABELS = ((6, "sehr leicht"), (8, "leicht"), (10, "mittel"), (12, "schwer"))


@dataclass(frozen=True)
class Score:
    """A readability value and its German interpretation ("sehr leicht" … "sehr schwer")."""

    value: float
    label: str


@dataclass(frozen=True)
class Readability:
    """Counts and scores for one text. Scores are ``None`` for a text without words."""

    sentences: int
    words: int
    syllables: int
    long_words: int  # more than six letters
    polysyllables: int  # three syllables or more
    monosyllables: int
    amstad: Score | None
    wstf: Score | None

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0


@dataclass(frozen=True)
class Comparison:
    """Readability of a text before and after a revision."""

    before: Readability
    after: Readability

    def summary(self) -> str:
        """A German one-liner, e.g. "Lesbarkeit (Amstad): 42,8 (schwer) → 63,1 (mittel)"."""
        parts = []
        for name, attr in (("Lesbarkeit (Amstad)", "amstad"), ("Wiener Sachtextformel", "wstf")):
            b, a = getattr(self.before, attr), getattr(self.after, attr)
            if b is not None and a is not None:
                parts.append(f"{name}: {_de(b.value)} ({b.label}) → {_de(a.value)} ({a.label})")
        return "; ".join(parts) or "Keine Bewertung möglich: Der Text enthält keine Wörter."


def count_syllables(word: str) -> int:
    """Syllables in one German word, by the heuristic described in the module docstring."""
    w = word.lower().replace("qu", "qv")
    count = 1 if re.match(r"[bg]e(?=e[^e])", w) else 0
    i = 2 if count else 0
    while i < len(w):
        if w[i] in _VOWELS:
            i += 2 if w[i : i + 2] in _DIPHTHONGS else 1
            count += 1
        else:
            i += 1
    if len(w) >= 6 and w.endswith("ien"):
        count += 1
    return max(1, count)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (see the module docstring for the rules)."""
    out: list[str] = []
    for segment in _segments(text):
        current: list[str] = []
        for token in segment.split():
            current.append(token)
            if _ends_sentence(token):
                out.append(" ".join(current))
                current = []
        if current:
            out.append(" ".join(current))
    return [s for s in out if _WORD.search(s)]


def analyze(text: str) -> Readability:
    """Count and score ``text``."""
    word_list = words(text)
    n_sentences = len(sentences(text))
    per_word = [count_syllables(w) for w in word_list]
    n = len(word_list)
    long_words = sum(1 for w in word_list if sum(c.isalpha() for c in w) > 6)
    poly = sum(1 for s in per_word if s >= 3)
    mono = sum(1 for s in per_word if s == 1)
    amstad = wstf = None
    if n and n_sentences:
        asl, asw = n / n_sentences, sum(per_word) / n
        amstad_value = 180 - asl - 58.5 * asw
        amstad = Score(amstad_value, amstad_label(amstad_value))
        wstf_value = (
            0.1935 * 100 * poly / n
            + 0.1672 * asl
            + 0.1297 * 100 * long_words / n
            - 0.0327 * 100 * mono / n
            - 0.875
        )
        wstf = Score(wstf_value, wstf_label(wstf_value))
    return Readability(n_sentences, n, sum(per_word), long_words, poly, mono, amstad, wstf)


def compare(before: str, after: str) -> Comparison:
    return Comparison(analyze(before), analyze(after))


def _segments(text: str) -> list[str]:
    """Paragraphs, headings and list items: units whose end also ends a sentence."""
    segments: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _STRUCTURAL_LINE.match(line):
            segments.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
            if line.lstrip().startswith("#"):
                segments.append(" ".join(current))
                current = []
    segments.append(" ".join(current))
    return [s for s in segments if s]


def _ends_sentence(token: str) -> bool:
    token = token.rstrip(_CLOSERS)
    if token.endswith(("!", "?", "…")):
        return True
    if not token.endswith("."):
        return False
    core = token.rstrip(".").lstrip("(\"'„“«‹").lower()
    if token.endswith("..."):
        return True
    if core in _ABBREVIATIONS or re.fullmatch(r"[^\W\d_]", core):
        return False
    return not re.fullmatch(r"\d{1,2}", core)


def amstad_label(value: float) -> str:
    """German label for an Amstad value: 90+ "sehr leicht" … below 30 "sehr schwer"."""
    return next((label for bound, label in _AMSTAD_LABELS if value >= bound), "sehr schwer")


def wstf_label(value: float) -> str:
    """German label for a WSTF grade: below 6 "sehr leicht" … 12+ "sehr schwer"."""
    return next((label for bound, label in _WSTF_LABELS if value < bound), "sehr schwer")


def _de(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
