"""Cutting Markdown blocks into logical pages and onto printed (PDF) pages."""

from __future__ import annotations

import pytest

from schreibstube.documents.blocks import Block, paragraph
from schreibstube.documents.paging import locate_blocks, logical_pages, split_oversize

WORDS = "Die Behörde entscheidet nach pflichtgemäßem Ermessen über den Antrag. "


@pytest.mark.parametrize(("size", "count", "pages"), [(900, 10, 4), (1500, 4, 4), (100, 5, 1)])
def test_blocks_are_packed_without_being_split(size: int, count: int, pages: int) -> None:
    blocks = [paragraph(f"{i}" + "x" * (size - 1)) for i in range(count)]
    result = logical_pages(blocks)
    assert len(result) == pages
    assert all(len(page) <= 3000 for page in result)
    assert "\n\n".join(result) == "\n\n".join(b.markdown for b in blocks)


def test_hard_page_break_starts_a_page_even_when_space_is_left() -> None:
    blocks = [paragraph("Eins"), paragraph("Zwei", page_break_before=True), paragraph("Drei")]
    assert logical_pages(blocks) == ["Eins", "Zwei\n\nDrei"]


@pytest.mark.parametrize("separator", ["\n", " "])
def test_oversize_block_is_cut_at_lines_then_sentences(separator: str) -> None:
    text = separator.join([WORDS.strip()] * 200)
    pieces = split_oversize(text)
    assert all(len(p) <= 3000 for p in pieces) and len(pieces) > 4
    assert all(p.endswith("Antrag.") for p in pieces)


def test_blocks_are_found_on_the_pdf_page_where_they_start() -> None:
    pdf = ["Titel\r\n§ 1 Geltungs-\r\nbereich Text", "weiter\r\n§ 2 Begriffe", "§ 3 Fristen"]
    blocks = [
        Block("# Titel", "Titel"),
        Block("## § 1 Geltungsbereich", "§ 1 Geltungsbereich Text weiter"),
        Block("## § 2 Begriffe", "§ 2 Begriffe"),
        Block("Bild", "Bild"),
        Block("## § 3 Fristen", "§ 3 Fristen"),
    ]
    assert locate_blocks(blocks, pdf) == [0, 0, 1, 1, 2]
