"""Citations in model answers, and their verification against the stored page text.

The model is asked to cite as ``[Q3: "wörtliches Zitat"]`` where ``Q3`` names a retrieved
passage. For each citation we check that the quote occurs in the text of the cited page(s)
after normalisation (Unicode NFKC, case, all whitespace, quotes and dashes unified, soft
hyphens and line-end hyphenation removed). Unverifiable quotes are flagged, never shown as
verified; citations naming passages that were not retrieved are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CITATION = re.compile(r"\[(Q\d+)\s*:\s*[\"„“”']([^\]]{3,600}?)[\"“”']\s*\]")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_QUOTES = dict.fromkeys(map(ord, "„“”‚‘’«»›‹\"'`´"), None)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # hyphenated line ends
    text = text.translate(_DASHES).translate(_QUOTES).casefold()
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Citation:
    passage: str  # "Q3"
    quote: str
    verified: bool


def quote_in(quote: str, page_texts: list[str]) -> bool:
    needle = normalize(quote.strip(" .…"))
    if len(needle) < 8:
        return False
    return any(needle in normalize(t) for t in page_texts)


def find_citations(answer: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in CITATION.finditer(answer)]


def verify(answer: str, pages_of: dict[str, list[str]]) -> list[Citation]:
    """``pages_of`` maps passage ids to the full texts of the pages the passage spans."""
    out: list[Citation] = []
    for passage, quote in find_citations(answer):
        if passage not in pages_of:
            continue
        out.append(Citation(passage, quote, quote_in(quote, pages_of[passage])))
    return out
