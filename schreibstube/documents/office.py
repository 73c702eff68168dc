"""Shared part of the word-processor loaders (DOCX, ODT): structure first, pages second.

A subclass only turns its file into Markdown blocks (:meth:`OfficeLoader.read_blocks`).
Pages are then found as recorded in docs/decisions/010-document-pages.md: when LibreOffice
is installed the file is printed to PDF (``soffice --headless --convert-to pdf``, a fresh
profile per call so parallel reads do not collide; macros and untrusted links are off)
and each block is placed on the PDF page where it starts; otherwise blocks are packed into
logical pages of about 3000 characters that respect hard page breaks, and the document
carries a German note saying so.

Text is always taken from the file itself, never from the PDF, so headings, lists and
tables keep their Markdown structure; the PDF only supplies page numbers.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import zipfile
from abc import abstractmethod
from pathlib import Path
from typing import ClassVar
from xml.parsers.expat import ExpatError

from lxml import etree

from schreibstube.documents import messages
from schreibstube.documents.base import Loader
from schreibstube.documents.blocks import Block
from schreibstube.documents.model import Document, Page
from schreibstube.documents.paging import logical_pages, pages_from_layout
from schreibstube.documents.pdf import pdf_page_texts
from schreibstube.errors import DamagedDocument

# What broken ZIP/XML containers raise inside python-docx and odfpy.
_BROKEN_CONTAINER = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    ValueError,
    ExpatError,
    etree.XMLSyntaxError,
    EOFError,
)


# Settings for the fresh LibreOffice profile: no macros, and no loading of links to
# untrusted locations (e.g. images linked from web servers) while converting an upload.
_SCRIPTING = "/org.openoffice.Office.Common/Security/Scripting"
_HARDENED_PROFILE = f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="{_SCRIPTING}"><prop oor:name="MacroSecurityLevel"><value>3</value></prop></item>
<item oor:path="{_SCRIPTING}"><prop oor:name="DisableMacrosExecution"><value>true</value></prop></item>
<item oor:path="{_SCRIPTING}"><prop oor:name="BlockUntrustedRefererLinks"><value>true</value></prop></item>
</oor:items>
"""


class OfficeLoader(Loader):
    """Template for DOCX/ODT: ``read_blocks`` is format specific, paging is shared."""

    media_type: ClassVar[str]
    suffix: ClassVar[str]
    label: ClassVar[str]
    broken: ClassVar[tuple[type[Exception], ...]] = ()  # the library's own "bad file" errors

    def __init__(self, soffice: str | None, timeout_s: float = 120.0) -> None:
        self.soffice = soffice
        self.timeout_s = timeout_s

    @abstractmethod
    def read_blocks(self, path: Path) -> tuple[list[Block], str | None]:
        """The document as Markdown blocks, and its title if it has one."""

    def load(self, path: Path, name: str) -> Document:
        try:
            blocks, title = self.read_blocks(path)
        except (*_BROKEN_CONTAINER, *self.broken) as exc:
            reason = f"die innere Struktur der {self.label}-Datei ist fehlerhaft"
            raise DamagedDocument(messages.damaged(name, reason)) from exc
        layout = self._printed_pages(path) if blocks else None
        if layout:
            texts, logical = pages_from_layout(blocks, layout), False
        else:
            texts, logical = logical_pages(blocks) or [""], True
        doc = Document(
            name=name,
            media_type=self.media_type,
            pages=[Page(i + 1, text) for i, text in enumerate(texts)],
            title=title,
            logical_pages=logical,
        )
        if logical and blocks:
            doc.warnings.append(messages.estimated_pages(name))
        return doc

    def _printed_pages(self, path: Path) -> list[str] | None:
        if not self.soffice:
            return None
        with tempfile.TemporaryDirectory(prefix="schreibstube-lo-") as tmp:
            pdf = convert_to_pdf(path, self.suffix, self.soffice, Path(tmp), self.timeout_s)
            return pdf_page_texts(pdf) if pdf else None


def convert_to_pdf(path: Path, suffix: str, soffice: str, workdir: Path, timeout_s: float) -> Path | None:
    """Print ``path`` to PDF with LibreOffice in ``workdir``; None if that fails."""
    source = workdir / f"document{suffix}"
    source.symlink_to(path.resolve())
    settings = workdir / "profile" / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text(_HARDENED_PROFILE, encoding="utf-8")
    command = [
        soffice,
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(workdir / "out"),
        str(source),
    ]
    env = {**os.environ, "HOME": str(workdir)}
    try:
        subprocess.run(command, capture_output=True, timeout=timeout_s, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    target = workdir / "out" / "document.pdf"
    return target if target.is_file() and target.stat().st_size > 0 else None
