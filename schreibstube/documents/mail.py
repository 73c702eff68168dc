"""E-mail loader (``.eml``, stdlib ``email`` with ``policy.default``).

The mail itself becomes a document whose first page starts with the German header lines
(Von, An, Cc, Betreff, Datum, Anhänge) followed by the body - the plain-text alternative
when there is one, else the HTML body converted like a web page. Pages are logical
(decision 010); the subject is the title.

Attachments are read recursively into ``Document.parts`` by the same registry that reads
uploads (so a PDF attachment gets real page numbers and OCR, a forwarded ``.eml`` is a mail
again), each written to a private temporary directory first because loaders read paths.
``policy.default`` decodes RFC 2231 and RFC 2047 file names ("IFG – Informationsfreiheits
gesetz.pdf", umlauts); names that some mailers still put RFC 2047-encoded inside quotes
are decoded as well. An attachment that cannot be read (unsupported, encrypted, damaged,
empty) does not fail the mail: it is left out with a German warning that names it. Forwarded
mails are followed at most :data:`MAX_DEPTH` levels deep.
"""

from __future__ import annotations

import contextlib
import email
import mimetypes
import tempfile
from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.policy import default
from pathlib import Path

from schreibstube.documents import messages
from schreibstube.documents.base import Loader
from schreibstube.documents.blocks import Block, paragraph
from schreibstube.documents.formats import EML
from schreibstube.documents.model import Document, Page
from schreibstube.documents.paging import logical_pages, text_blocks
from schreibstube.documents.webpage import html_blocks
from schreibstube.errors import DocumentError, FileTooLarge

MAX_DEPTH = 3
ReadPart = Callable[[Path, str], Document]


def attachment_name(part: Message, index: int) -> str:
    """The decoded file name of an attachment, or a German stand-in with an extension."""
    name = part.get_filename()
    if name and "=?" in name:
        with contextlib.suppress(ValueError, LookupError):
            name = str(make_header(decode_header(name)))
    if name and name.strip():
        return Path(name.strip().replace("\\", "/")).name or f"Anhang {index}"
    extension = mimetypes.guess_extension(part.get_content_type()) or ""
    return f"Anhang {index}{extension}"


def header_lines(msg: EmailMessage, attachments: list[str]) -> str:
    lines = []
    for key, label in (("from", "Von"), ("to", "An"), ("cc", "Cc"), ("subject", "Betreff")):
        if msg[key]:
            lines.append(f"{label}: {' '.join(str(msg[key]).split())}")
    date = msg["date"]
    if date:
        when = getattr(date, "datetime", None)
        lines.append(f"Datum: {when.strftime('%d.%m.%Y %H:%M') if when else date}")
    if attachments:
        lines.append(f"Anhänge: {', '.join(attachments)}")
    return "\n".join(lines)


def body_blocks(msg: EmailMessage) -> list[Block]:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return []
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if body.get_content_type() == "text/html":
        return html_blocks(content)[0]
    return text_blocks(str(content).replace("\r\n", "\n"))


class MailLoader(Loader):
    def __init__(self, read_part: ReadPart) -> None:
        self.read_part = read_part
        self.depth = 0

    def load(self, path: Path, name: str) -> Document:
        with path.open("rb") as fh:
            msg = email.message_from_binary_file(fh, policy=default)
        attachments = list(msg.iter_attachments())
        names = [attachment_name(part, i + 1) for i, part in enumerate(attachments)]
        blocks = [paragraph(header_lines(msg, names)), *body_blocks(msg)]
        doc = Document(
            name=name,
            media_type=EML.media_type,
            pages=[Page(i + 1, t) for i, t in enumerate(logical_pages(blocks))],
            title=" ".join(str(msg["subject"] or "").split()) or None,
            logical_pages=True,
        )
        if attachments and self.depth >= MAX_DEPTH:
            doc.warnings.append(messages.attachments_too_deep(name))
        elif attachments:
            self._read_attachments(doc, attachments, names)
        return doc

    def _read_attachments(self, doc: Document, parts: list[EmailMessage], names: list[str]) -> None:
        self.depth += 1
        try:
            with tempfile.TemporaryDirectory(prefix="schreibstube-mail-") as tmp:
                for index, (part, name) in enumerate(zip(parts, names, strict=True)):
                    target = Path(tmp) / f"part-{index}{Path(name).suffix[:16]}"
                    target.write_bytes(_payload(part))
                    try:
                        doc.parts.append(self.read_part(target, name))
                    except (DocumentError, FileTooLarge) as exc:
                        reason = exc.user_message
                        doc.warnings.append(messages.attachment_skipped(name, doc.name, reason))
        finally:
            self.depth -= 1


def _payload(part: EmailMessage) -> bytes:
    """Attachment bytes; a forwarded mail (message/rfc822) is re-serialised."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        message = inner[0] if isinstance(inner, list) else inner
        return message.as_bytes() if isinstance(message, Message) else b""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""
