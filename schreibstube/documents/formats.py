"""The supported formats and how a file is recognised (sniffed).

Content decides before the extension: a PDF named ``brief.docx`` is read as a PDF, because
uploads are often misnamed and the bytes cannot lie about ``%PDF-``. Binary formats are
recognised by magic bytes (``%PDF-``; a ZIP holding ``word/document.xml`` or an ODF
``mimetype`` entry). Text formats cannot be told apart reliably by content, so for text the
extension decides (``.md`` Markdown, ``.html`` HTML, ``.eml`` e-mail, ``.txt`` text); without
a known extension, HTML and e-mail headers are recognised by their first bytes, and text
without any extension is read as plain text.

A file with a binary-format extension whose bytes do not match (``.pdf`` without ``%PDF-``)
is reported as damaged; anything else unknown is ``UnsupportedFormat`` listing what is
supported. Sniffing reads at most the first 8 KiB and, for ZIP files, the directory.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from schreibstube.documents import messages
from schreibstube.errors import DamagedDocument, UnsupportedFormat

HEAD_BYTES = 8192
# Also matches text-web (Writer/Web, e.g. converted from HTML), -master and -template.
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Format:
    key: str
    media_type: str
    extensions: tuple[str, ...]
    binary: bool = False


PDF = Format("pdf", "application/pdf", (".pdf",), binary=True)
DOCX = Format(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    binary=True,
)
ODT = Format("odt", "application/vnd.oasis.opendocument.text", (".odt",), binary=True)
TEXT = Format("text", "text/plain", (".txt", ".text"))
MARKDOWN = Format("markdown", "text/markdown", (".md", ".markdown"))
HTML = Format("html", "text/html", (".html", ".htm", ".xhtml"))
EML = Format("eml", "message/rfc822", (".eml",))

FORMATS: tuple[Format, ...] = (PDF, DOCX, ODT, TEXT, MARKDOWN, HTML, EML)
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(e for f in FORMATS for e in f.extensions)
_BY_EXTENSION = {ext: f for f in FORMATS for ext in f.extensions}

_MAIL_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "received",
    "message-id",
    "mime-version",
    "return-path",
    "cc",
    "reply-to",
    "x-mailer",
    "delivered-to",
}
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):", re.MULTILINE)


def sniff(path: Path, name: str) -> Format:
    """The format of ``path`` (called ``name`` by the user); see the module docstring."""
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    by_ext = _BY_EXTENSION.get(Path(name).suffix.lower())
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        found = _zip_format(path)
        if found:
            return found
    if by_ext is not None and by_ext.binary:
        raise DamagedDocument(messages.damaged(name, _mismatch_reason(by_ext)))
    if not looks_like_text(head):
        raise UnsupportedFormat(messages.unsupported(name))
    if by_ext is not None:
        return by_ext
    if re.match(rb"\s*(<!doctype html|<html)", head.lstrip(b"\xef\xbb\xbf"), re.IGNORECASE):
        return HTML
    if looks_like_mail(head):
        return EML
    if not Path(name).suffix:
        return TEXT
    raise UnsupportedFormat(messages.unsupported(name))


def _mismatch_reason(expected: Format) -> str:
    label = {"pdf": "PDF", "docx": "Word", "odt": "OpenDocument"}[expected.key]
    return f"sie trägt die Endung {expected.extensions[0]}, enthält aber keine gültigen {label}-Daten"


def _zip_format(path: Path) -> Format | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            small = "mimetype" in names and archive.getinfo("mimetype").file_size < 200
            if small and archive.read("mimetype").strip().startswith(ODT_MIMETYPE):
                return ODT
            if "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def looks_like_text(head: bytes) -> bool:
    """No NUL bytes (UTF-16 with a byte-order mark excepted) and mostly printable."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) // 100


def looks_like_mail(head: bytes) -> bool:
    """At least two well-known RFC 5322 headers among the first lines."""
    block = head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = {m.group(1).decode("ascii").lower() for m in _HEADER_LINE.finditer(block)}
    return len(found & _MAIL_HEADERS) >= 2
