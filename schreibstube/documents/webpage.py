"""HTML loader (BeautifulSoup with lxml): a web page as Markdown-ish blocks.

Scripts, styles, navigation and other non-content elements are dropped. Block elements
become blocks: ``h1``-``h6`` headings, paragraphs, lists (``ul`` "-", ``ol`` numbered, with
``start``), tables (first row as header), definition lists ("term" / ": definition"),
``pre`` as a fenced code block, ``blockquote`` with "> ". Loose text inside containers
(``div``, ``section``, ...) is a paragraph of its own. Whitespace inside text is collapsed;
``<br>`` is kept as a line break.

The title is the first ``h1``, else ``<title>``. Pages are logical (decision 010). The
encoding is found by BeautifulSoup from the bytes (BOM, ``<meta charset>``), so the file is
read as bytes. :func:`html_blocks` is also used for e-mails that only have an HTML body.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import Comment, NavigableString, PageElement, Tag

from schreibstube.documents.base import Loader
from schreibstube.documents.blocks import Block, heading, inline, list_item, paragraph, table
from schreibstube.documents.formats import HTML
from schreibstube.documents.model import Document, Page
from schreibstube.documents.paging import logical_pages

_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "nav",
    "head",
    "button",
    "select",
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_INLINE = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "data",
    "dfn",
    "em",
    "font",
    "i",
    "kbd",
    "label",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "wbr",
    "del",
    "ins",
    "img",
    "input",
}


_BR = "\ue000"  # private-use stand-in for <br> while source line breaks are collapsed


def _inline_text(node: PageElement) -> str:
    """Raw text; ``<br>`` as a stand-in that survives whitespace collapsing."""
    if isinstance(node, NavigableString):
        return "" if isinstance(node, Comment) else str(node)
    if not isinstance(node, Tag):
        return ""
    if node.name == "br":
        return _BR
    return "".join(_inline_text(c) for c in node.children)


def _clean(text: str) -> str:
    """Collapse whitespace (source line breaks too); ``<br>`` becomes a line break."""
    return "\n".join(inline(line) for line in text.split(_BR)).strip()


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def walk(self, node: Tag) -> None:
        loose: list[str] = []
        for child in node.children:
            if not isinstance(child, Tag) or child.name in _INLINE or child.name == "br":
                loose.append(_inline_text(child))
                continue
            self._flush(loose)
            self._block(child)
        self._flush(loose)

    def _flush(self, loose: list[str]) -> None:
        text = _clean("".join(loose))
        loose.clear()
        if text:
            self.blocks.append(paragraph(text))

    def _block(self, node: Tag) -> None:
        name = node.name
        if name in _HEADINGS:
            text = _clean(_inline_text(node))
            if text:
                self.blocks.append(heading(_HEADINGS[name], inline(text)))
        elif name in ("ul", "ol"):
            lines: list[str] = []
            self._list(node, 0, lines)
            if lines:
                self.blocks.append(Block("\n".join(lines), _clean(node.get_text(" "))))
        elif name == "table":
            block = table(_table_rows(node))
            if block:
                self.blocks.append(block)
        elif name == "pre":
            code = node.get_text().strip("\n")
            if code.strip():
                self.blocks.append(Block(f"```\n{code}\n```", code))
        elif name == "dl":
            self._definitions(node)
        elif name == "blockquote":
            inner = _Walker()
            inner.walk(node)
            for b in inner.blocks:
                quoted = "\n".join("> " + line for line in b.markdown.split("\n"))
                self.blocks.append(Block(quoted, b.plain))
        elif name != "hr":
            self.walk(node)

    def _list(self, node: Tag, depth: int, lines: list[str]) -> None:
        start = str(node.get("start") or "1")
        number = int(start) if start.isdigit() else 1
        for item in node.find_all("li", recursive=False):
            own = [c for c in item.children if not (isinstance(c, Tag) and c.name in ("ul", "ol"))]
            text = _clean(" ".join(_clean(_inline_text(c)) for c in own))
            marker = f"{number}." if node.name == "ol" else "-"
            number += 1
            if text:
                lines.append(list_item(marker, text, depth))
            for sub in item.find_all(("ul", "ol"), recursive=False):
                self._list(sub, depth + 1, lines)

    def _definitions(self, node: Tag) -> None:
        for child in node.find_all(("dt", "dd"), recursive=False):
            text = _clean(_inline_text(child))
            if text:
                self.blocks.append(Block(text if child.name == "dt" else f": {text}", text))


def _table_rows(node: Tag) -> list[list[str]]:
    rows = []
    for row in node.find_all("tr"):
        if row.find_parent("table") is node:
            cells = row.find_all(("th", "td"), recursive=False)
            rows.append([_clean(_inline_text(c)) for c in cells])
    return rows


def html_blocks(markup: str | bytes) -> tuple[list[Block], str | None]:
    """Markdown blocks and title of an HTML document (see module docstring)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "lxml")
    title_tag = soup.find("title")
    title = _clean(title_tag.get_text()) if title_tag else None
    for tag in soup.find_all(_DROP):
        tag.decompose()
    walker = _Walker()
    walker.walk(soup.body or soup)
    h1 = next((b.plain for b in walker.blocks if b.markdown.startswith("# ")), None)
    return walker.blocks, h1 or title or None


class HtmlLoader(Loader):
    def load(self, path: Path, name: str) -> Document:
        blocks, title = html_blocks(path.read_bytes())
        pages = logical_pages(blocks) or [""]
        return Document(
            name=name,
            media_type=HTML.media_type,
            pages=[Page(i + 1, p) for i, p in enumerate(pages)],
            title=title,
            logical_pages=True,
        )
