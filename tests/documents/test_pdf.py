"""PDF: text per page on the right page, protection, repair, scans with and without OCR."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from schreibstube.documents import Limits, read_document
from schreibstube.errors import EmptyDocument, FileTooLarge

SCAN = "bgg-scan-ohne-textebene.pdf"


@pytest.mark.parametrize(
    ("filename", "anchor", "page"),
    [
        ("vwvfg.pdf", "§ 1 Anwendungsbereich", 1),
        ("vwvfg.pdf", "§ 35 Begriff des Verwaltungsaktes", 20),
        ("vwvfg.pdf", "§ 44 Nichtigkeit des Verwaltungsaktes", 24),
        ("vwvfg.pdf", "§ 103", 47),
        ("ifg.pdf", "§ 7 Antrag und Verfahren", 3),
        ("gg.pdf", "Art 146", 66),
    ],
)
def test_text_is_on_the_printed_page(formats: Path, read, filename: str, anchor: str, page: int) -> None:
    doc = read(formats / filename)
    assert [p.number for p in doc.pages if anchor in p.text] == [page]


def test_owner_password_only_reads_like_the_open_file(formats: Path, read) -> None:
    protected = read(formats / "ifg-nur-rechteschutz.pdf")
    plain = read(formats / "ifg.pdf")
    assert [p.text for p in protected.pages] == [p.text for p in plain.pages]
    assert protected.warnings == []


def test_broken_catalog_is_repaired_with_a_warning(formats: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ifg-kaputt.pdf"
    broken.write_bytes((formats / "ifg.pdf").read_bytes().replace(b"/Root", b"/Rxxx"))
    doc = read_document(broken, limits=Limits())
    assert doc.page_count == 5
    assert "§ 7 Antrag und Verfahren" in doc.pages[2].text
    assert "„ifg-kaputt.pdf“ war beschädigt und wurde automatisch repariert" in doc.warnings[0]


def test_page_limit_is_checked_before_text_is_read(formats: Path) -> None:
    with pytest.raises(FileTooLarge) as caught:
        read_document(formats / "vwvfg.pdf", limits=Limits(max_pages=10))
    assert "„vwvfg.pdf“ hat 47 Seiten; erlaubt sind höchstens 10" in caught.value.user_message


def test_scan_is_recognised_page_by_page(formats: Path, read, tesseract: str) -> None:
    doc = read(formats / SCAN)
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, True), (2, True), (3, True)]
    words = [" ".join(p.text.split()) for p in doc.pages]
    assert "Gleichstellung von Menschen mit Behinderungen" in words[0]
    assert "§ 1 Ziel und Verantwortung" in words[0]  # Tesseract's "$ 1" corrected
    assert "Zielvereinbarungen" in words[1]
    assert "Gebärdensprache" in words[2]
    assert doc.warnings == []


def test_scan_without_ocr_is_refused_naming_the_pages(formats: Path) -> None:
    with pytest.raises(EmptyDocument) as caught:
        read_document(formats / SCAN, limits=Limits(ocr=False))
    message = caught.value.user_message
    assert f"„{SCAN}“ enthält keinen lesbaren Text: Seiten 1–3 sind Bilder" in message
    assert "Texterkennung (OCR) ist auf diesem Server nicht verfügbar" in message


def _text_then_scan(formats: Path, target: Path) -> Path:
    writer = pypdf.PdfWriter()
    writer.append(str(formats / "ifg.pdf"), pages=(0, 2))
    writer.append(str(formats / SCAN), pages=(1, 2))
    writer.write(target)
    return target


@pytest.mark.parametrize("ocr", [False, True])
def test_only_pages_without_text_are_ocred(
    formats: Path, tmp_path: Path, request: pytest.FixtureRequest, ocr: bool
) -> None:
    if ocr:
        request.getfixturevalue("tesseract")  # skips with a reason when missing
    doc = read_document(_text_then_scan(formats, tmp_path / "gemischt.pdf"), limits=Limits(ocr=ocr))
    assert [p.ocr for p in doc.pages] == [False, False, ocr]
    assert ("Zielvereinbarungen" in doc.pages[2].text) is ocr
    assert ("Seite 3 keinen Text" in " ".join(doc.warnings)) is not ocr


def test_printed_hyphens_at_line_ends_stay_hyphens(formats: Path, read) -> None:
    """PDFium reports them as U+FFFE, a noncharacter that shows as a box."""
    text = "\n".join(p.text for p in read(formats / "gg.pdf").pages)
    assert "\ufffe" not in text
    assert "Baden-Württemberg" in text and "öffentlich-rechtliche" in text
    assert "Wehr- oder Ersatzdienstes" in text  # elision hyphen before a conjunction
