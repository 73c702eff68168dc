"""DOCX loader (python-docx): body paragraphs and tables in order, as Markdown blocks.

* Headings: paragraph styles "Heading N"/"Überschrift N"/"Title" or an outline level.
* Lists: paragraphs with numbering (direct or via their style). The visible label is
  computed from ``numbering.xml`` (number format, level text such as "%1." or "%1.%2",
  start values and overrides), because legal texts cite "Nr. 3" and the number exists only
  as numbering, not as text. Consecutive list paragraphs form one list block.
* Tables: one Markdown table each, first row as header; merged cells repeat their text so
  rows stay rectangular.
* Text is taken from the runs' XML (``w:t``, tabs, line breaks, non-breaking hyphens),
  which includes tracked insertions and excludes tracked deletions and field codes.
* Hard page breaks (``w:br w:type="page"``, "page break before") mark the next block for the
  logical-page fallback; Word's "last rendered" break hints are ignored (see decision 010).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table
from docx.text.paragraph import Paragraph

from schreibstube.documents.blocks import (
    Block,
    heading,
    inline,
    list_block,
    list_item,
    ordinal,
    paragraph,
    table,
)
from schreibstube.documents.formats import DOCX
from schreibstube.documents.office import OfficeLoader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_CHARS = {f"{W}tab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-", f"{W}softHyphen": "\u00ad"}
_HEADING_STYLE = re.compile(r"(?:heading|überschrift)\s*(\d)$", re.IGNORECASE)


class WordLoader(OfficeLoader):
    media_type = DOCX.media_type
    suffix = ".docx"
    label = "Word"
    broken = (OpcError,)

    def read_blocks(self, path: Path) -> tuple[list[Block], str | None]:
        document = docx.Document(str(path))
        builder = _Builder(Numbering(document))
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                builder.add(table([[c.text for c in row.cells] for row in item.rows]))
            else:
                builder.paragraph(item)
        blocks = builder.finish()
        h1 = next((b.plain for b in blocks if b.markdown.startswith("# ")), None)
        return blocks, h1 or document.core_properties.title or None


def _val(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{W}val") if found is not None else None


def paragraph_text(p: Any) -> str:
    """Visible text of a ``w:p`` element (see module docstring)."""
    parts: list[str] = []
    for el in p.iter(f"{W}t", f"{W}br", *_RUN_CHARS):
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.getparent().tag != f"{W}r":
            continue  # tab stop definitions in paragraph properties
        elif el.tag == f"{W}br":
            parts.append("" if el.get(f"{W}type") in ("page", "column") else "\n")
        else:
            parts.append(_RUN_CHARS[el.tag])
    return "".join(parts)


def page_break(p: Any) -> str | None:
    """ "before" if the paragraph starts a new page, "after" if the page ends inside it."""
    if p.find(f"{W}pPr/{W}pageBreakBefore") is not None:
        return "before"
    text_seen = False
    for el in p.iter(f"{W}t", f"{W}br"):
        if el.tag == f"{W}t":
            text_seen = text_seen or bool((el.text or "").strip())
        elif el.get(f"{W}type") == "page":
            return "after" if text_seen else "before"
    return None


def heading_level(item: Paragraph) -> int | None:
    name = item.style.name if item.style is not None else ""
    match = _HEADING_STYLE.match(name or "")
    if match:
        return int(match.group(1))
    if (name or "").casefold() in ("title", "titel"):
        return 1
    outline = _val(item._p, f"{W}pPr/{W}outlineLvl")
    return int(outline) + 1 if outline is not None and outline.isdigit() and int(outline) < 6 else None


class Numbering:
    """Visible list labels from numbering.xml, counting as Word does."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(f"{W}abstractNumId"): _levels(a) for a in root.findall(f"{W}abstractNum")}
        for num in root.findall(f"{W}num"):
            levels = dict(abstract.get(_val(num, f"{W}abstractNumId"), {}))
            for override in num.findall(f"{W}lvlOverride"):
                ilvl, start = int(override.get(f"{W}ilvl", "0")), _val(override, f"{W}startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (levels[ilvl][0], levels[ilvl][1], int(start))
            self.levels[num.get(f"{W}numId")] = levels

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id, {})
        fmt, text, start = levels.get(ilvl, ("bullet", "", 1))
        if fmt in ("bullet", "none"):
            return "-"
        self.counters[(num_id, ilvl)] = self.counters.get((num_id, ilvl), start - 1) + 1
        for deeper in range(ilvl + 1, 9):
            self.counters.pop((num_id, deeper), None)

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lfmt, _, lstart = levels.get(level, ("decimal", "", 1))
            return ordinal(self.counters.get((num_id, level), lstart), lfmt)

        label = re.sub(r"%(\d)", number, text).strip()
        return label or f"{ordinal(self.counters[(num_id, ilvl)], fmt)}."


def _levels(abstract: Any) -> dict[int, tuple[str, str, int]]:
    out = {}
    for lvl in abstract.findall(f"{W}lvl"):
        start = _val(lvl, f"{W}start")
        out[int(lvl.get(f"{W}ilvl", "0"))] = (
            _val(lvl, f"{W}numFmt") or "decimal",
            _val(lvl, f"{W}lvlText") or "",
            int(start) if start and start.isdigit() else 1,
        )
    return out


def _list_position(item: Paragraph) -> tuple[str, int] | None:
    for source in (item._p, item.style.element if item.style is not None else None):
        num_id = _val(source, f"{W}pPr/{W}numPr/{W}numId")
        if num_id is not None:
            ilvl = _val(source, f"{W}pPr/{W}numPr/{W}ilvl") or "0"
            return (num_id, int(ilvl)) if num_id != "0" else None
    return None


class _Builder:
    """Collects blocks; groups list paragraphs; carries hard page breaks forward."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.items: list[tuple[str, str]] = []
        self.list_id = ""
        self.break_pending = False

    def add(self, block: Block | None) -> None:
        self._flush_list()
        if block is not None:
            self._append(block)

    def _append(self, block: Block) -> None:
        if self.break_pending and not block.page_break_before:
            block = Block(block.markdown, block.plain, page_break_before=True)
        self.blocks.append(block)
        self.break_pending = False

    def paragraph(self, item: Paragraph) -> None:
        brk = page_break(item._p)
        if brk == "before":
            self._flush_list()
            self.break_pending = True
        text = paragraph_text(item._p).strip()
        position = _list_position(item) if text else None
        level = heading_level(item) if text else None
        if position is not None and level is None:
            if self.items and position[1] == 0 and position[0] != self.list_id:
                self._flush_list()  # a different list starts
            self.list_id = position[0]
            label = self.numbering.label(*position)
            self.items.append((list_item(label, text, position[1]), text))
        elif text:
            self.add(heading(level, inline(text)) if level else paragraph(text))
        if brk == "after":
            self._flush_list()
            self.break_pending = True

    def _flush_list(self) -> None:
        if self.items:
            lines, plain = zip(*self.items, strict=True)
            self.items = []
            self._append(list_block(lines, plain))

    def finish(self) -> list[Block]:
        self._flush_list()
        return self.blocks
