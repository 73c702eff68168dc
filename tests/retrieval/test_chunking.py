"""Chunking follows the structure of the text and keeps page spans, parts and headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from schreibstube.documents.model import Page
from schreibstube.documents.reader import read_document
from schreibstube.retrieval.chunking import MAX_CHARS, PageText, chunk_pages, pages_of


def law_pages(shared_data: Path, lines_per_page: int = 60) -> list[PageText]:
    lines = (shared_data / "laws" / "vwvfg.md").read_text(encoding="utf-8").splitlines()
    return [
        PageText("", n // lines_per_page + 1, "\n".join(lines[n : n + lines_per_page]))
        for n in range(0, len(lines), lines_per_page)
    ]


def table_text(rows: int) -> str:
    body = [
        f"| {i} | Gebühr für Bescheid Nummer {i} nach Tarifstelle {i}.{i} | {i * 10} Euro |"
        for i in range(rows)
    ]
    return "\n".join(["| Nr. | Leistung | Betrag |", "|---|---|---|", *body])


def test_law_sections_become_chunks_with_their_heading(shared_data: Path) -> None:
    chunks = chunk_pages(law_pages(shared_data))
    nichtig = [c for c in chunks if c.heading == "§ 44 Nichtigkeit des Verwaltungsaktes"]
    assert len(nichtig) == 2
    assert nichtig[0].text.startswith("(1) Ein Verwaltungsakt ist nichtig")
    assert nichtig[0].indexed_text.startswith("§ 44 Nichtigkeit des Verwaltungsaktes\n(1)")
    assert (nichtig[0].page_start, nichtig[-1].page_end) == (28, 29)
    assert [c.seq for c in chunks] == list(range(len(chunks)))


def test_chunks_stay_within_the_maximum_and_are_never_empty(shared_data: Path) -> None:
    chunks = chunk_pages(law_pages(shared_data))
    sizes = [len(c.text) for c in chunks]
    assert max(sizes) <= MAX_CHARS
    assert min(sizes) > 0
    assert sum(1 for s in sizes if s >= 800) > len(sizes) / 4  # sections are packed, not shredded


def test_table_is_split_between_rows_with_the_header_repeated() -> None:
    chunks = chunk_pages([("", 1, "## Gebührenverzeichnis\n\n" + table_text(60))], max_chars=1200)
    assert len(chunks) > 2
    for chunk in chunks:
        lines = chunk.text.splitlines()
        assert lines[:2] == ["| Nr. | Leistung | Betrag |", "|---|---|---|"]
        assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])
        assert chunk.heading == "Gebührenverzeichnis"
    rows = [line for c in chunks for line in c.text.splitlines()[2:]]
    assert rows == table_text(60).splitlines()[2:]


def test_table_continued_on_the_next_page_inherits_the_header() -> None:
    first, rest = table_text(40).split("| 20 |", 1)
    chunks = chunk_pages([("", 1, first.rstrip()), ("", 2, "| 20 |" + rest)], target_chars=600, max_chars=800)
    last = chunks[-1]
    assert last.page_end == 2
    assert last.text.splitlines()[0] == "| Nr. | Leistung | Betrag |"


def test_paragraph_across_a_page_break_spans_both_pages() -> None:
    pages = [
        ("", 3, "# Bescheid\n\nDer Antrag vom 3. Mai wird"),
        ("", 4, "abgelehnt, weil er verspätet ist."),
    ]
    [chunk] = chunk_pages(pages)
    assert (chunk.page_start, chunk.page_end) == (3, 4)
    assert chunk.heading == "Bescheid"


def test_parts_are_never_mixed_and_headings_do_not_leak_between_parts() -> None:
    pages = [
        *pages_of([Page(1, "# Anschreiben\n\nSehr geehrte Damen und Herren")]),
        *pages_of([Page(1, "Anlage ohne Überschrift")], part="anlage.pdf"),
    ]
    chunks = chunk_pages(pages)
    assert [(c.part, c.heading, c.page_start) for c in chunks] == [
        ("", "Anschreiben", 1),
        ("anlage.pdf", "", 1),
    ]


@pytest.mark.parametrize(
    ("line", "is_heading"),
    [
        ("§ 44 Nichtigkeit des Verwaltungsaktes", True),
        ("Art. 20 Verfassungsgrundsätze", True),
        ("§ 44 Abs. 1 gilt entsprechend.", False),
    ],
)
def test_bare_law_headings_are_recognised(line: str, is_heading: bool) -> None:
    chunks = chunk_pages([("", 1, f"{line}\n(1) Ein Satz, der zum Paragraphen gehört.")])
    assert (chunks[0].heading == line) is is_heading


@pytest.mark.parametrize(
    ("before", "line", "is_heading"),
    [
        ("(3) Ein nichtiger Verwaltungsakt ist unwirksam.", "§ 44 Nichtigkeit des Verwaltungsaktes", True),
        ("Abschnitt 1 - Zustandekommen des Verwaltungsaktes", "§ 35 Begriff des Verwaltungsaktes", True),
        ("Die Frist beginnt mit der Bekanntgabe.", "§ 44 Abs. 1 findet keine Anwendung, wenn", False),
        ("Die Frist beginnt mit der Bekanntgabe.", "§ 44 gilt entsprechend, soweit", False),
        ("nach Maßgabe von", "§ 44 Nichtigkeit des Verwaltungsaktes", False),
    ],
)
def test_law_headings_inside_pdf_lines(before: str, line: str, is_heading: bool) -> None:
    """PDF pages have one text line per printed line and no blank lines between paragraphs."""
    text = f"Vorher steht ein Satz.\n{before}\n{line}\n(1) Ein Satz, der zum Paragraphen gehört."
    chunks = chunk_pages([("", 1, text)])
    assert any(c.heading == line for c in chunks) is is_heading


def test_sections_of_a_real_pdf_get_their_own_heading(shared_data: Path) -> None:
    doc = read_document(shared_data / "formats" / "vwvfg.pdf")
    chunks = chunk_pages(pages_of(doc.pages))
    nullity = [c for c in chunks if c.heading == "§ 44 Nichtigkeit des Verwaltungsaktes"]
    assert nullity and nullity[0].page_start == 24
    assert "besonders schwerwiegenden" in nullity[0].text
    assert len({c.heading for c in chunks if c.heading.startswith("§")}) > 100
    assert not [c.heading for c in chunks if " Abs. " in c.heading]


def test_articles_of_the_basic_law_pdf_are_sections(shared_data: Path) -> None:
    chunks = chunk_pages(pages_of(read_document(shared_data / "formats" / "gg.pdf").pages))
    secrecy = [c for c in chunks if c.heading == "Art 10"]
    assert secrecy and "Briefgeheimnis" in secrecy[0].text


def test_overlong_paragraph_is_cut_at_sentence_ends() -> None:
    sentence = "Die Behörde prüft den Antrag vollständig und entscheidet nach pflichtgemäßem Ermessen. "
    chunks = chunk_pages([("", 1, sentence * 40)], target_chars=500, max_chars=700)
    assert len(chunks) > 5
    assert all(len(c.text) <= 700 and c.text.rstrip().endswith("Ermessen.") for c in chunks)
