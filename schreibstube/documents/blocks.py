"""Markdown blocks: the common intermediate form of the structured loaders.

DOCX, ODT, HTML, e-mail and plain text are first turned into a flat list of
:class:`Block` - a heading, a paragraph, a whole list or a whole table, already rendered as
Markdown - and only then cut into pages (see ``paging``). Keeping a block whole means a
table never loses its header to a page cut, and a block is also the unit that is matched
against LibreOffice's PDF to find its printed page.

The helpers here render Markdown the same way for every format: ``#`` headings, ``-`` or
numbered list items indented four spaces per level (enough to nest under "10. " in
CommonMark), and pipe tables whose first row is the header (cells escaped, ragged rows
padded, line breaks inside a cell as ``<br>``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """One Markdown block. ``plain`` is its text without markup (used to find it in a
    PDF); ``page_break_before`` marks a hard page break in the source."""

    markdown: str
    plain: str
    page_break_before: bool = False


def inline(text: str) -> str:
    """Collapse runs of whitespace to one space (HTML/XML text nodes)."""
    return " ".join(text.split())


def heading(level: int, text: str) -> Block:
    level = min(max(level, 1), 6)
    return Block(f"{'#' * level} {text}", text)


def paragraph(text: str, *, page_break_before: bool = False) -> Block:
    return Block(text, text, page_break_before)


def list_item(marker: str, text: str, depth: int = 0) -> str:
    """One list line; continuation lines are indented under the item text."""
    indent = "    " * depth
    pad = " " * (len(marker) + 1)
    lines = text.split("\n")
    rest = "".join(f"\n{indent}{pad}{line}" for line in lines[1:])
    return f"{indent}{marker} {lines[0]}{rest}"


def list_block(lines: Sequence[str], plain: Sequence[str]) -> Block:
    return Block("\n".join(lines), " ".join(plain))


def _cell(text: str) -> str:
    return re.sub(r"\s*\n\s*", "<br>", text.strip()).replace("|", "\\|")


def table(rows: Sequence[Sequence[str]]) -> Block | None:
    """A Markdown table; the first row is the header. None for a table without cells."""
    rows = [list(r) for r in rows if any(c.strip() for c in r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    cells = [[_cell(c) for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    plain = " ".join(c for r in rows for c in r if c.strip())
    return Block("\n".join(lines), plain)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        count, n = divmod(n, value)
        out += numeral * count
    return out


def ordinal(n: int, fmt: str) -> str:
    """The visible number of list item ``n`` in a Word-style number format."""
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)
