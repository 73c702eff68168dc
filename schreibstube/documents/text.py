"""Plain-text and Markdown loaders.

Bytes are decoded as UTF-8 (with or without byte-order mark), UTF-16 when it has a
byte-order mark, otherwise Windows-1252 - the usual encoding of German text files written
by older Windows programs - and Latin-1 as the last resort, which never fails.

Markdown keeps its markup (it already is the target format). A small YAML front matter
block (``---`` ... ``---`` at the very start, as in the law files) is removed from the text;
its ``title`` key becomes the document title. Only ``key: value`` lines are read - no YAML
library, no tags, no code execution. Without front matter the first ``#`` heading is the
title; plain text uses its first line when that is short.

Pages: a file containing form feeds (``\\f``, e.g. from ``pdftotext``) has one page per
form feed; otherwise logical pages of about 3000 characters (decision 010).
"""

from __future__ import annotations

import re
from pathlib import Path

from schreibstube.documents.base import Loader
from schreibstube.documents.formats import MARKDOWN, TEXT
from schreibstube.documents.model import Document, Page
from schreibstube.documents.paging import logical_pages, text_blocks

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.{0,4000}?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
TITLE_MAX_CHARS = 150


def decode(data: bytes) -> str:
    """Text from bytes, trying the encodings named in the module docstring."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(``key: value`` pairs with lower-case keys, text without the front matter)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not line[:1].isspace():
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[match.end() :]


def first_heading(markdown: str) -> str | None:
    match = re.search(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", markdown, re.MULTILINE)
    return match.group(1).strip() if match else None


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip() if len(line.strip()) <= TITLE_MAX_CHARS else None
    return None


def paged(text: str) -> tuple[list[str], bool]:
    """(page texts, logical?) - form feeds are physical pages, else logical pages."""
    if "\f" in text.strip("\f"):
        return text.strip("\f").split("\f"), False
    return logical_pages(text_blocks(text)) or [""], True


class PlainTextLoader(Loader):
    def load(self, path: Path, name: str) -> Document:
        text = decode(path.read_bytes()).replace("\r\n", "\n")
        pages, logical = paged(text)
        return Document(
            name=name,
            media_type=TEXT.media_type,
            pages=[Page(i + 1, p) for i, p in enumerate(pages)],
            title=first_line(text),
            logical_pages=logical,
        )


class MarkdownLoader(Loader):
    def load(self, path: Path, name: str) -> Document:
        fields, text = split_front_matter(decode(path.read_bytes()).replace("\r\n", "\n"))
        pages, logical = paged(text.lstrip("\n"))
        return Document(
            name=name,
            media_type=MARKDOWN.media_type,
            pages=[Page(i + 1, p) for i, p in enumerate(pages)],
            title=fields.get("title") or first_heading(text),
            logical_pages=logical,
        )
