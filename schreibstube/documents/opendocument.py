"""ODT loader (odfpy): the body of an OpenDocument text as Markdown blocks.

* Headings: ``text:h`` with its outline level, and ``text:p`` whose paragraph style
  (followed through its parents) is a "Heading N" style - LibreOffice writes a document's
  first heading that way.
* Lists: nested ``text:list`` elements; the visible label comes from the list style
  (number format, prefix/suffix, start value, ``continue-numbering``), because legal texts
  cite "Nr. 3" and the number exists only in the style.
* Tables: header rows and body rows in order, one Markdown table; covered (merged) cells
  stay empty, repeated cells are expanded (capped).
* Skipped: tracked deletions, the table of contents (it repeats the headings), footnote
  bodies, declarations. ``text:soft-page-break`` is ignored - LibreOffice writes it only for
  the part of the document that was laid out when saving (decision 010).
* A paragraph style with ``fo:break-before="page"`` or a master-page change is a hard
  page break for the logical-page fallback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from odf.element import Node
from odf.namespaces import DCNS, FONS, STYLENS, TABLENS, TEXTNS
from odf.opendocument import load

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
from schreibstube.documents.formats import ODT
from schreibstube.documents.office import OfficeLoader

_HEADING_STYLE = re.compile(r"^(?:Heading|Überschrift)(?:_20_|\s)?(\d)$")
_NUM_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_SKIP = {
    (TEXTNS, n)
    for n in (
        "tracked-changes",
        "table-of-content",
        "sequence-decls",
        "variable-decls",
        "user-field-decls",
        "note",
        "soft-page-break",
        "bookmark-ref",
        "illustration-index",
        "alphabetical-index",
    )
}
_MAX_REPEAT = 64


def _attr(node: Any, ns: str, name: str) -> str | None:
    value = node.attributes.get((ns, name))
    return str(value) if value is not None else None


def _elements(node: Any) -> list[Any]:
    return [c for c in node.childNodes if c.nodeType == Node.ELEMENT_NODE]


def node_text(node: Any) -> str:
    """Inline text of a paragraph-like element: spaces, tabs and line breaks resolved."""
    out: list[str] = []
    for child in node.childNodes:
        if child.nodeType == Node.TEXT_NODE:
            out.append(str(child.data))
            continue
        qname = child.qname
        if qname in _SKIP or qname == (TEXTNS, "deletion"):
            continue
        if qname == (TEXTNS, "s"):
            out.append(" " * int(_attr(child, TEXTNS, "c") or 1))
        elif qname == (TEXTNS, "tab"):
            out.append("\t")
        elif qname == (TEXTNS, "line-break"):
            out.append("\n")
        else:
            out.append(node_text(child))
    return "".join(out)


class Styles:
    """Paragraph-style facts (heading level, page break) and list styles of a document."""

    def __init__(self, document: Any) -> None:
        self.parent: dict[str, str] = {}
        self.page_break: set[str] = set()
        self.lists: dict[str, dict[int, tuple[str, str, str, int]]] = {}
        for container in (document.styles, document.automaticstyles):
            for style in _elements(container):
                self._add(style)

    def _add(self, style: Any) -> None:
        name = _attr(style, STYLENS, "name") or ""
        if style.qname == (STYLENS, "style"):
            self.parent[name] = _attr(style, STYLENS, "parent-style-name") or ""
            props = [c for c in _elements(style) if c.qname == (STYLENS, "paragraph-properties")]
            if _attr(style, STYLENS, "master-page-name") or any(
                _attr(p, FONS, "break-before") == "page" for p in props
            ):
                self.page_break.add(name)
        elif style.qname == (TEXTNS, "list-style"):
            self.lists[name] = {
                int(_attr(lvl, TEXTNS, "level") or 1): _list_level(lvl) for lvl in _elements(style)
            }

    def heading_level(self, name: str | None) -> int | None:
        for _ in range(10):
            if not name:
                return None
            match = _HEADING_STYLE.match(name)
            if match:
                return int(match.group(1))
            name = self.parent.get(name)
        return None


def _list_level(level: Any) -> tuple[str, str, str, int]:
    """(format, prefix, suffix, start); format "bullet" for bullets and pictures."""
    if level.qname != (TEXTNS, "list-level-style-number"):
        return ("bullet", "", "", 1)
    fmt = _NUM_FORMATS.get(_attr(level, STYLENS, "num-format") or "", "none")
    prefix = _attr(level, STYLENS, "num-prefix") or ""
    suffix = _attr(level, STYLENS, "num-suffix") or ""
    return (fmt, prefix, suffix, int(_attr(level, TEXTNS, "start-value") or 1))


class OdtLoader(OfficeLoader):
    media_type = ODT.media_type
    suffix = ".odt"
    label = "OpenDocument"

    def read_blocks(self, path: Path) -> tuple[list[Block], str | None]:
        document = load(str(path))
        walker = _Walker(Styles(document))
        walker.walk(document.text)
        h1 = next((b.plain for b in walker.blocks if b.markdown.startswith("# ")), None)
        meta = [n for n in _elements(document.meta) if n.qname == (DCNS, "title")]
        return walker.blocks, h1 or (node_text(meta[0]).strip() if meta else None) or None


class _Walker:
    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.blocks: list[Block] = []
        self.last_number: dict[str, int] = {}

    def walk(self, node: Any) -> None:
        for child in _elements(node):
            qname = child.qname
            if qname in _SKIP:
                continue
            if qname in ((TEXTNS, "h"), (TEXTNS, "p")):
                self._paragraph(child)
            elif qname == (TEXTNS, "list"):
                lines: list[str] = []
                plain: list[str] = []
                self._list(child, 0, None, lines, plain)
                if lines:
                    self.blocks.append(list_block(lines, plain))
            elif qname == (TABLENS, "table"):
                block = table(self._rows(child))
                if block:
                    self.blocks.append(block)
            else:
                self.walk(child)

    def _paragraph(self, node: Any) -> None:
        style = _attr(node, TEXTNS, "style-name")
        text = node_text(node).strip()
        if not text:
            return
        level = self.styles.heading_level(style)
        if node.qname == (TEXTNS, "h"):
            level = int(_attr(node, TEXTNS, "outline-level") or level or 1)
        brk = style in self.styles.page_break
        block = heading(level, inline(text)) if level else paragraph(text)
        self.blocks.append(Block(block.markdown, block.plain, page_break_before=brk))

    def _list(self, node: Any, depth: int, style: str | None, lines: list[str], plain: list[str]) -> None:
        style = _attr(node, TEXTNS, "style-name") or style or ""
        fmt, prefix, suffix, start = self.styles.lists.get(style, {}).get(depth + 1, ("bullet", "", "", 1))
        continues = _attr(node, TEXTNS, "continue-numbering") == "true"
        counter = self.last_number.get(style, start - 1) if continues and depth == 0 else start - 1
        for item in _elements(node):
            numbered = item.qname == (TEXTNS, "list-item") and fmt not in ("bullet", "none")
            if numbered:
                counter = int(_attr(item, TEXTNS, "start-value") or counter + 1)
            marker = f"{prefix}{ordinal(counter, fmt)}{suffix}" if numbered else "-"
            self._item(item, depth, style, marker, lines, plain)
        if depth == 0:
            self.last_number[style] = counter

    def _item(
        self, item: Any, depth: int, style: str, marker: str, lines: list[str], plain: list[str]
    ) -> None:
        first = True
        for child in _elements(item):
            if child.qname == (TEXTNS, "list"):
                self._list(child, depth + 1, style, lines, plain)
                continue
            text = node_text(child).strip()
            if not text:
                continue
            pad = " " * (len(marker) + 1)
            lines.append(list_item(marker, text, depth) if first else "    " * depth + pad + text)
            plain.append(text)
            first = False

    def _rows(self, node: Any) -> list[list[str]]:
        rows: list[list[str]] = []
        for child in _elements(node):
            if child.qname == (TABLENS, "table-row"):
                repeat = min(int(_attr(child, TABLENS, "number-rows-repeated") or 1), _MAX_REPEAT)
                rows.extend([self._cells(child)] * repeat)
            elif child.qname[1] in ("table-header-rows", "table-rows", "table-row-group"):
                rows.extend(self._rows(child))
        return rows

    def _cells(self, row: Any) -> list[str]:
        cells: list[str] = []
        for cell in _elements(row):
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            repeat = min(int(_attr(cell, TABLENS, "number-columns-repeated") or 1), _MAX_REPEAT)
            text = "\n".join(t for t in (node_text(p).strip() for p in _elements(cell)) if t)
            cells.extend([text if cell.qname[1] == "table-cell" else ""] * repeat)
        return cells
