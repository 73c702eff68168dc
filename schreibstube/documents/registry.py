"""The registry: one loader per format, chosen by sniffing, plus the generic steps.

:meth:`Registry.load` is the whole in-process read of one file: sniff the format
(``formats.sniff``), run that format's loader, normalise every page (``normalize``; running
headers and footers only for documents with printed pages) and refuse a result without any
text (``EmptyDocument``). E-mail attachments come back through the same method, so they
get the same treatment and limits.

The registry does not isolate or time-limit anything; ``reader.read_document`` runs it in
a child process for that. Tests and tools that trust their input may use it directly.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from schreibstube.documents import messages
from schreibstube.documents.base import Limits, Loader
from schreibstube.documents.formats import sniff
from schreibstube.documents.mail import MailLoader
from schreibstube.documents.model import Document
from schreibstube.documents.normalize import normalize_text, strip_running_heads
from schreibstube.documents.opendocument import OdtLoader
from schreibstube.documents.pdf import PdfLoader
from schreibstube.documents.text import MarkdownLoader, PlainTextLoader
from schreibstube.documents.webpage import HtmlLoader
from schreibstube.documents.word import WordLoader
from schreibstube.errors import EmptyDocument


class Registry:
    """Maps format keys (see ``formats.FORMATS``) to loaders built from ``limits``.

    ``soffice`` is the LibreOffice program for DOCX/ODT page numbers: None finds it on
    ``PATH``, "" means "do not use LibreOffice" (logical pages).
    """

    def __init__(self, limits: Limits, soffice: str | None = None) -> None:
        soffice = soffice if soffice is not None else find_soffice()
        self.loaders: dict[str, Loader] = {
            "pdf": PdfLoader(max_pages=limits.max_pages, ocr=limits.ocr),
            "docx": WordLoader(soffice, limits.timeout_s),
            "odt": OdtLoader(soffice, limits.timeout_s),
            "text": PlainTextLoader(),
            "markdown": MarkdownLoader(),
            "html": HtmlLoader(),
            "eml": MailLoader(read_part=self.load),
        }

    def load(self, path: Path, name: str) -> Document:
        """Read one file completely (see module docstring)."""
        if path.stat().st_size == 0:
            raise EmptyDocument(messages.empty_file(name))
        doc = normalize_document(self.loaders[sniff(path, name).key].load(path, name))
        if not any(page.text.strip() for page in doc.pages):
            raise EmptyDocument(messages.no_text(name))
        return doc


def find_soffice() -> str:
    """LibreOffice's ``soffice`` or "" when it is not installed (logical pages then)."""
    return shutil.which("soffice") or shutil.which("libreoffice") or ""


def normalize_document(doc: Document) -> Document:
    """Normalise the pages and title of ``doc`` (not its parts: they were read - and
    normalised - by their own ``Registry.load``)."""
    texts = [normalize_text(page.text) for page in doc.pages]
    if not doc.logical_pages:
        texts = strip_running_heads(texts)
    doc.pages = [replace(page, text=text) for page, text in zip(doc.pages, texts, strict=True)]
    title = normalize_text(doc.title or "").replace("\n", " ").strip()
    doc.title = title or None
    return doc
