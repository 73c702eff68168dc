"""Text normalisation: pure functions from extracted text to clean, searchable text.

Loaders return text as the format gives it; this module makes it uniform so that search,
chunking and citation checks see "Verwaltungsakt" no matter whether the PDF said
"Verwal-\\ntungsakt", "Verwal\\u00adtungsakt" or used a ligature. Each step is its own
function so it can be tested alone; :func:`normalize_text` runs them in order and
:func:`strip_running_heads` works across the pages of a printed document.

German rules for words hyphenated at a line end (:func:`join_hyphenated`):

* lower-case continuation -> one word: "Verwal-\\ntungsakt" -> "Verwaltungsakt";
* continuation is a conjunction -> elided compound part, keep hyphen and space:
  "Bundes-\\nund Landesrecht" -> "Bundes- und Landesrecht";
* upper-case continuation, or the first part is an abbreviation or a single letter ->
  hyphenated compound, keep the hyphen: "E-\\nMail" -> "E-Mail", "EU-\\nweit" -> "EU-weit".

Repeated page headers and footers (:func:`strip_running_heads`) are lines among the first
and last two lines of a page that recur, with digits ignored, on at least half of the pages
(and on at least three). That catches "Seite 3 von 47", bare page numbers and running titles
while leaving body text alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_LIGATURE_TABLE = str.maketrans(LIGATURES)

# No-break and thin spaces become plain spaces ("§\u00a044" must match "§ 44");
# zero-width characters and the byte-order mark disappear.
_SPACE_TABLE = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u200b": None,
        "\ufeff": None,
        "\u2060": None,
    }
)
# C0 controls except tab, line feed and form feed (PDF text sometimes carries \x02, \x00).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0d-\x1f\x7f]")

CONJUNCTIONS = frozenset(
    {
        "und",
        "oder",
        "bzw",
        "beziehungsweise",
        "sowie",
        "bis",
        "als",
        "wie",
        "noch",
        "respektive",
        "statt",
        "anstatt",
        "einschließlich",
        "sondern",
        "aber",
    }
)
_HYPHEN_BREAK = re.compile(r"(?<!\w)(?P<left>\w*[^\W\d_])-[ \t]*\n[ \t]*(?P<right>[^\W\d_]\w*)")


def unify_line_breaks(text: str) -> str:
    """CRLF, CR and Unicode line/paragraph separators become LF."""
    return re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", text)


def nfc(text: str) -> str:
    """Compose characters: "a" + combining diaeresis -> "ä"."""
    return unicodedata.normalize("NFC", text)


def replace_ligatures(text: str) -> str:
    return text.translate(_LIGATURE_TABLE)


def clean_spaces(text: str) -> str:
    """Plain spaces for special spaces, no control characters, no trailing blanks,
    at most one empty line in a row."""
    text = _CONTROL.sub("", text.translate(_SPACE_TABLE))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)


def remove_soft_hyphens(text: str) -> str:
    """A soft hyphen only marks where a word may break: drop it, and join the word when
    it stands at a line end."""
    return re.sub(r"\u00ad[ \t]*\n?[ \t]*", "", text)


def _is_abbreviation(word: str) -> bool:
    return len(word) == 1 or sum(c.isupper() for c in word) >= 2


def _join_match(match: re.Match[str]) -> str:
    left, right = match["left"], match["right"]
    if right.casefold() in CONJUNCTIONS:
        return f"{left}- {right}"
    if right[0].isupper() or _is_abbreviation(left):
        return f"{left}-{right}"
    return left + right


def join_hyphenated(text: str) -> str:
    """Rejoin words hyphenated at a line end, following the German rules above."""
    return _HYPHEN_BREAK.sub(_join_match, text)


def normalize_text(text: str) -> str:
    """All single-text steps in order; the result has no leading/trailing blank lines."""
    text = unify_line_breaks(text)
    text = nfc(replace_ligatures(text))
    text = remove_soft_hyphens(text)
    text = clean_spaces(text)
    return join_hyphenated(text).strip("\n")


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _edge_indices(lines: Sequence[str], edge: int) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:edge] + filled[-edge:])) if filled else []


def strip_running_heads(pages: Sequence[str], *, edge: int = 2, min_pages: int = 3) -> list[str]:
    """Remove headers and footers that recur on most pages (see module docstring)."""
    if len(pages) < min_pages:
        return list(pages)
    split = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_line_key(lines[i]) for i in _edge_indices(lines, edge)})
    needed = max(min_pages, (len(pages) + 1) // 2)
    running = {key for key, n in counts.items() if n >= needed}
    out = []
    for lines in split:
        drop = {i for i in _edge_indices(lines, edge) if _line_key(lines[i]) in running}
        out.append("\n".join(ln for i, ln in enumerate(lines) if i not in drop).strip("\n"))
    return out
