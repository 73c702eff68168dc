"""Cutting blocks into pages (decision: docs/decisions/010-document-pages.md).

Two ways, both pure functions over :class:`~schreibstube.documents.blocks.Block` lists:

* :func:`logical_pages` - for formats without print layout (text, Markdown, HTML, e-mail)
  and for DOCX/ODT when LibreOffice is missing. Blocks are packed into pages of about
  :data:`PAGE_CHARS` characters; a page ends before the block that would overflow it, or at
  a hard page break. A single block longer than a page is cut at line ends, then sentence
  ends, then spaces.
* :func:`pages_from_layout` - for DOCX/ODT with a PDF printed by LibreOffice. Each block is
  located in the PDF text (letters and digits only, case-folded, so line breaks, hyphenation
  and list labels do not matter) by searching forward from the previous block; it lands on
  the page where it starts. A block not found keeps the page of its predecessor. Pages on
  which no block starts (the middle of a long table) stay empty, so numbers still match
  the print.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from schreibstube.documents.blocks import Block, paragraph

PAGE_CHARS = 3000
_PROBE_CHARS = 40
_SEARCH_WINDOW = 50_000


def text_blocks(text: str) -> list[Block]:
    """Paragraphs of plain text (separated by blank lines); a form feed is a hard break."""
    blocks: list[Block] = []
    for number, segment in enumerate(text.split("\f")):
        paras = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", segment) if p.strip()]
        for i, para in enumerate(paras):
            blocks.append(paragraph(para, page_break_before=number > 0 and i == 0))
    return blocks


def _hard_cut(text: str, target: int) -> list[str]:
    out: list[str] = []
    while len(text) > target:
        cut = text.rfind(" ", 0, target)
        cut = cut if cut > target // 2 else target
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*out, text] if text else out


def _pack(units: Sequence[str], sep: str, target: int) -> list[str]:
    out: list[str] = []
    for unit in units:
        if out and len(out[-1]) + len(sep) + len(unit) <= target:
            out[-1] += sep + unit
        else:
            out.append(unit)
    return out


def split_oversize(text: str, target: int = PAGE_CHARS) -> list[str]:
    """Cut a too-long block at line ends, then sentence ends, then spaces."""
    if len(text) <= target:
        return [text]
    pieces: list[str] = []
    for line in _pack(text.split("\n"), "\n", target):
        if len(line) <= target:
            pieces.append(line)
            continue
        for sentence in _pack(re.split(r"(?<=[.!?:;])\s+", line), " ", target):
            pieces.extend(_hard_cut(sentence, target))
    return pieces


def logical_pages(blocks: Sequence[Block], target: int = PAGE_CHARS) -> list[str]:
    """Pack blocks into pages of about ``target`` characters (see module docstring)."""
    pages: list[list[str]] = [[]]
    size = 0
    for block in blocks:
        for i, piece in enumerate(split_oversize(block.markdown, target)):
            hard = block.page_break_before and i == 0
            if pages[-1] and (hard or size + len(piece) > target):
                pages.append([])
                size = 0
            pages[-1].append(piece)
            size += len(piece) + 2
    return ["\n\n".join(page) for page in pages if page]


def fold(text: str) -> str:
    """Letters and digits only, case-folded: the form in which blocks meet PDF text."""
    return re.sub(r"[\W_]+", "", text).casefold()


def locate_blocks(blocks: Sequence[Block], pdf_pages: Sequence[str]) -> list[int]:
    """The 0-based PDF page on which each block starts (see module docstring)."""
    folded = [fold(p) for p in pdf_pages]
    starts = [0]
    for page in folded:
        starts.append(starts[-1] + len(page))
    stream = "".join(folded)
    cursor, current, found = 0, 0, []
    for block in blocks:
        probe = fold(block.plain)[:_PROBE_CHARS]
        pos = stream.find(probe, cursor, cursor + _SEARCH_WINDOW) if len(probe) >= 4 else -1
        if pos >= 0:
            current = bisect.bisect_right(starts, pos) - 1
            cursor = pos + len(probe)
        found.append(current)
    return found


def pages_from_layout(blocks: Sequence[Block], pdf_pages: Sequence[str]) -> list[str]:
    """One text per PDF page, made of the Markdown of the blocks that start on it."""
    pages: list[list[str]] = [[] for _ in pdf_pages]
    for block, index in zip(blocks, locate_blocks(blocks, pdf_pages), strict=True):
        pages[index].append(block.markdown)
    return ["\n\n".join(page) for page in pages]
