"""Every file in the shared ``formats/`` folder behaves as its README says, read through
the public ``read_document``; plus content sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest

from schreibstube.documents import Limits, read_document
from schreibstube.documents.formats import SUPPORTED_EXTENSIONS, sniff
from schreibstube.errors import DamagedDocument, EncryptedDocument, UnsupportedFormat

PDF, EML, HTML = "application/pdf", "message/rfc822", "text/html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PHRASE = {
    "vwvfg": "Verwaltungsakt",
    "gg": "Würde des Menschen",
    "bgg": "Barrierefreiheit",
    "ifg": "Informationszugang",
}

# file -> (media type, page count or None when it depends on the local layout engine)
READABLE = {
    "vwvfg.pdf": (PDF, 47),
    "gg.pdf": (PDF, 68),
    "bgg.pdf": (PDF, 18),
    "ifg.pdf": (PDF, 5),
    "ifg-nur-rechteschutz.pdf": (PDF, 5),
    "vwvfg.html": (HTML, None),
    "ifg-anfrage.eml": (EML, 1),
    **{f"{law}.docx": (DOCX, None) for law in PHRASE},
    **{f"{law}.odt": (ODT, None) for law in PHRASE},
}
FAILING = {
    "ifg-passwortgeschuetzt.pdf": (EncryptedDocument, "passwortgeschützt – bitte ohne Kennwort"),
    "vwvfg-beschaedigt.pdf": (DamagedDocument, "beschädigt (sie ist unvollständig"),
}
SCANNED = {"bgg-scan-ohne-textebene.pdf"}  # see test_pdf.py


def test_every_shared_file_has_an_expectation(formats: Path) -> None:
    on_disk = {p.name for p in formats.iterdir()}
    assert on_disk == set(READABLE) | set(FAILING) | SCANNED


@pytest.mark.parametrize("filename", sorted(READABLE))
def test_readable_files_give_pages_with_text(formats: Path, read, filename: str) -> None:
    media_type, pages = READABLE[filename]
    doc = read(formats / filename)
    assert doc.media_type == media_type
    assert doc.page_count == pages if pages else doc.page_count > 1
    assert [p.number for p in doc.pages] == list(range(1, doc.page_count + 1))
    law = filename.split("-")[0].split(".")[0]
    assert PHRASE[law] in " ".join(d.text for d in doc.all_documents())


@pytest.mark.parametrize("filename", sorted(FAILING))
def test_unreadable_files_fail_with_a_german_message_naming_them(formats: Path, filename: str) -> None:
    error, reason = FAILING[filename]
    with pytest.raises(error) as caught:
        read_document(formats / filename, limits=Limits())
    assert f"„{filename}“" in caught.value.user_message
    assert reason in caught.value.user_message


@pytest.mark.parametrize(
    ("content", "name", "key"),
    [
        (b"%PDF-1.7\n...", "brief.docx", "pdf"),
        (b"<!DOCTYPE html><html><body>Hallo</body></html>", "seite", "html"),
        (b"From: a@example.invalid\nSubject: Test\n\nHallo", "nachricht", "eml"),
        (b"Einfacher Text ohne Endung", "notiz", "text"),
        (b"# Titel", "notiz.md", "markdown"),
    ],
)
def test_content_decides_before_the_extension(tmp_path: Path, content: bytes, name: str, key: str) -> None:
    path = tmp_path / "upload"
    path.write_bytes(content)
    assert sniff(path, name).key == key


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.png", UnsupportedFormat),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "alt.doc", UnsupportedFormat),
        (b"a;b;c\n1;2;3\n", "tabelle.csv", UnsupportedFormat),
        (b"kein PDF, nur Text", "bescheid.pdf", DamagedDocument),
    ],
)
def test_unknown_or_mismatched_content_is_refused(tmp_path: Path, content: bytes, name: str, error) -> None:
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(error) as caught:
        sniff(path, name)
    assert f"„{name}“" in caught.value.user_message


def test_unsupported_format_message_lists_the_supported_formats(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(UnsupportedFormat) as caught:
        read_document(tmp_path / "x.xlsx", limits=Limits())
    for label in ("PDF", "Word (DOCX)", "OpenDocument-Text (ODT)", "Markdown (MD)", "E-Mail (EML)"):
        assert label in caught.value.user_message
    assert {".pdf", ".docx", ".odt", ".txt", ".md", ".html", ".eml"} <= SUPPORTED_EXTENSIONS
