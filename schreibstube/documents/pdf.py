"""PDF loader: text per page with pypdfium2, OCR for scanned pages, one repair attempt.

Opening decides the error cases before any text is read:

* a PDF that needs a password to open (a *user* password) -> ``EncryptedDocument``; a PDF
  with only an *owner* (permissions) password opens normally and is read - the permission
  flags restrict printing/copying in viewers, not reading for search;
* a PDF that PDFium cannot parse (PDFium already rebuilds broken cross-reference tables
  itself) gets one repair attempt with two tools: ``qpdf`` when installed, then pypdf with
  ``strict=False``, which also finds a catalog the trailer lost. The first copy that PDFium
  opens is read, with a German warning; if none does -> ``DamagedDocument`` with the reason
  (truncated file or broken structure). A truncated file has lost its page tree and
  cannot be repaired by either tool;
* more pages than ``Limits.max_pages`` -> ``FileTooLarge``, counted from the page tree
  before any page is read.

A page counts as scanned when it has (almost) no text layer but contains an image. Those
pages, and only those, go to OCR (``ocr.py``) when Tesseract is available; page order and
numbers are kept and OCR'd pages carry ``Page.ocr=True``. Without OCR the document carries a
German warning naming the pages, and if no page has text at all the read fails with
``EmptyDocument`` naming them. Blank pages (no text, no image) are kept silently.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from schreibstube.documents import messages
from schreibstube.documents.base import Loader
from schreibstube.documents.formats import PDF
from schreibstube.documents.model import Document, Page
from schreibstube.documents.ocr import find_tesseract, recognise_pages
from schreibstube.errors import DamagedDocument, EmptyDocument, EncryptedDocument, FileTooLarge

SCAN_MAX_CHARS = 20  # a page with fewer non-space characters and an image counts as scanned
_PASSWORD_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}


class PdfLoader(Loader):
    def __init__(self, max_pages: int, ocr: bool = True) -> None:
        self.max_pages = max_pages
        self.ocr = ocr

    def load(self, path: Path, name: str) -> Document:
        pdf, repaired = open_pdf(path, name)
        try:
            doc = self._read(pdf, name)
        finally:
            pdf.close()
        if repaired:
            doc.warnings.insert(0, messages.repaired(name))
        return doc

    def _read(self, pdf: pdfium.PdfDocument, name: str) -> Document:
        count = len(pdf)
        if count > self.max_pages:
            raise FileTooLarge(messages.too_many_pages(name, count, self.max_pages))
        texts, scanned = [], []
        for index in range(count):
            text, has_image = _page_content(pdf, index)
            texts.append(text)
            if has_image and len("".join(text.split())) < SCAN_MAX_CHARS:
                scanned.append(index)
        tesseract = find_tesseract() if scanned and self.ocr else None
        recognised = recognise_pages(pdf, scanned, tesseract) if tesseract else {}
        ocr_done = {i for i, t in recognised.items() if len(t.strip()) > len(texts[i].strip())}
        for index in ocr_done:
            texts[index] = recognised[index]
        doc = Document(
            name=name,
            media_type=PDF.media_type,
            pages=[Page(i + 1, t, ocr=i in ocr_done) for i, t in enumerate(texts)],
            title=_title(pdf, texts),
        )
        missing = [i + 1 for i in scanned if i not in ocr_done]
        if missing and not any(t.strip() for t in texts):
            raise EmptyDocument(messages.scan_without_text(name, missing, bool(tesseract)))
        if missing:
            doc.warnings.append(messages.pages_without_text(name, missing, bool(tesseract)))
        return doc


# pypdf logs its repair attempts ("EOF marker not found") as warnings; in the parse child no
# handler is configured, so Python's last-resort handler would print them raw on the user's
# terminal next to our German message. Our messages say what happened; errors still log.
logging.getLogger("pypdf").setLevel(logging.ERROR)

# PDFium reports a printed hyphen at a line end, joined with the next line, as U+FFFE
# ("Baden\ufffeWürttemberg", "Wehr\ufffeoder Ersatzdienst"). It is a real hyphen; before a
# conjunction it is an elision hyphen and the line break was a space ("Wehr- oder").
_JOINED_HYPHEN = re.compile("\ufffe(?=(?:und|oder|sowie|bis|bzw\\.)\\b)")


def _page_content(pdf: pdfium.PdfDocument, index: int) -> tuple[str, bool]:
    """Text of one page and whether it shows an image. PDFium marks hyphens it inserted
    at line ends as U+0002; they become soft hyphens for the normaliser. Printed hyphens at
    line ends come as U+FFFE and become hyphens again."""
    page = pdf[index]
    textpage = page.get_textpage()
    text = textpage.get_text_range().replace("\x02", "\u00ad")
    text = _JOINED_HYPHEN.sub("- ", text).replace("\ufffe", "-")
    textpage.close()
    has_image = any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    page.close()
    return text, has_image


def _title(pdf: pdfium.PdfDocument, texts: list[str]) -> str | None:
    title = (pdf.get_metadata_dict().get("Title") or "").strip()
    if title:
        return title
    for text in texts:
        for line in text.splitlines():
            if line.strip():
                return line.strip()[:150]
    return None


def pdf_page_texts(path: Path) -> list[str]:
    """Raw text of every page of a PDF that is known to be fine (e.g. LibreOffice's)."""
    pdf = pdfium.PdfDocument(path)
    try:
        return [_page_content(pdf, i)[0] for i in range(len(pdf))]
    finally:
        pdf.close()


def open_pdf(path: Path, name: str) -> tuple[pdfium.PdfDocument, bool]:
    """Open with PDFium; on a format error try the repairs (see module docstring)."""
    try:
        return pdfium.PdfDocument(path), False
    except pdfium.PdfiumError as exc:
        if exc.err_code in _PASSWORD_ERRORS:
            raise EncryptedDocument(messages.encrypted(name)) from exc
        error = exc
    for repaired in repairs(path):
        try:
            return pdfium.PdfDocument(repaired), True
        except pdfium.PdfiumError as exc:
            error = exc
    raise DamagedDocument(messages.damaged(name, damage_reason(path))) from error


def repairs(path: Path) -> Iterator[bytes]:
    """Repaired copies, best tool first: qpdf (if installed), then lenient pypdf."""
    qpdf = shutil.which("qpdf")
    if qpdf:
        with tempfile.TemporaryDirectory(prefix="schreibstube-qpdf-") as tmp:
            target = Path(tmp) / "repaired.pdf"
            try:
                done = subprocess.run(
                    [qpdf, str(path), str(target)], capture_output=True, timeout=120, check=False
                )
            except (OSError, subprocess.TimeoutExpired):
                done = None
            if done is not None and done.returncode in (0, 3) and target.is_file():
                yield target.read_bytes()  # exit code 3: repaired with warnings
    try:
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(path, strict=False))
        buffer = io.BytesIO()
        writer.write(buffer)
    except Exception:  # any pypdf failure means "could not repair"
        return
    yield buffer.getvalue()


def damage_reason(path: Path) -> str:
    """German reason for the error message: truncated file or broken structure."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        return (
            "sie ist unvollständig – vermutlich wurde sie beim Herunterladen, Kopieren oder "
            "Speichern abgeschnitten"
        )
    return "ihre innere Struktur (Querverweistabelle) ist fehlerhaft"
