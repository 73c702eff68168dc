"""DOCX and ODT: structure as Markdown, pages from LibreOffice or logical pages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from schreibstube.documents import Limits
from schreibstube.documents.registry import Registry
from schreibstube.errors import DamagedDocument

TABLE = """| Leistung | Gebühr | Bearbeitungszeit |
| --- | --- | --- |
| Personalausweis | 37,00 € | 3 Wochen |
| Meldebescheinigung | 5,00 € | sofort |
| Führungszeugnis | 13,00 € | 2 Wochen |"""
OFFICE = ["gebuehren.docx", "gebuehren.odt"]
SAME_CONTENT = [*OFFICE, "gebuehren.html"]  # the HTML is the source of both


@pytest.mark.parametrize("filename", SAME_CONTENT)
def test_tables_become_markdown_tables_with_header(fixtures: Path, read, filename: str) -> None:
    doc = read(fixtures / filename)
    assert TABLE in doc.pages[0].text


@pytest.mark.parametrize("filename", SAME_CONTENT)
def test_headings_and_lists_become_markdown(fixtures: Path, read, filename: str) -> None:
    text = read(fixtures / filename).pages[0].text
    assert text.startswith("# Gebührenübersicht Bürgeramt\n")
    assert "\n## Leistungen\n" in text
    assert "- Zahlung bar oder mit Karte\n- Ermäßigung für Schülerinnen und Schüler" in text
    assert "1. Termin online buchen\n2. Unterlagen mitbringen" in text


@pytest.mark.parametrize("filename", OFFICE)
@pytest.mark.parametrize("libreoffice", [True, False])
def test_hard_page_break_starts_a_new_page(
    fixtures: Path, request: pytest.FixtureRequest, filename: str, libreoffice: bool
) -> None:
    soffice = request.getfixturevalue("soffice") if libreoffice else ""
    doc = Registry(Limits(), soffice=soffice).load(fixtures / filename, filename)
    firsts = [p.text.split("\n")[0] for p in doc.pages]
    assert firsts == ["# Gebührenübersicht Bürgeramt", "## Rechtsgrundlage"]
    assert doc.logical_pages is not libreoffice


@pytest.mark.parametrize("filename", ["vwvfg.docx", "vwvfg.odt"])
def test_legal_list_numbers_are_kept(formats: Path, read, filename: str) -> None:
    text = read(formats / filename).text
    assert "\n1. des Bundes, der bundesunmittelbaren Körperschaften" in text
    assert "\n2. der Länder, der Gemeinden und Gemeindeverbände" in text


@pytest.mark.parametrize("filename", ["vwvfg.docx", "vwvfg.odt"])
def test_pages_follow_libreoffice_print_layout(formats: Path, read, soffice: str, filename: str) -> None:
    doc = read(formats / filename)
    pages = [p.number for p in doc.pages if "§ 44 Nichtigkeit des Verwaltungsaktes" in p.text]
    assert not doc.logical_pages and doc.warnings == []
    assert abs(doc.page_count - 47) <= 2  # the PDF printed from the same source has 47
    assert len(pages) == 1 and abs(pages[0] - 24) <= 1


@pytest.mark.parametrize("filename", ["vwvfg.docx", "vwvfg.odt"])
def test_without_libreoffice_pages_are_logical_and_say_so(formats: Path, filename: str) -> None:
    doc = Registry(Limits(), soffice="").load(formats / filename, filename)
    assert doc.logical_pages and doc.page_count > 30
    assert max(len(p.text) for p in doc.pages) <= 3000
    assert f"„{filename}“ konnten keine gedruckten Seitenzahlen ermittelt werden" in doc.warnings[0]


@pytest.mark.parametrize("filename", ["kaputt.docx", "kaputt.odt"])
def test_broken_container_is_a_damaged_document(tmp_path: Path, filename: str) -> None:
    path = tmp_path / filename
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("word/document.xml", "<w:document><unclosed")
        archive.writestr("content.xml", "<office:document-content><unclosed")
    with pytest.raises(DamagedDocument) as caught:
        Registry(Limits(), soffice="").load(path, filename)
    assert f"„{filename}“ ist beschädigt (die innere Struktur" in caught.value.user_message
