"""Value types for read documents. Plain dataclasses: no ids, no storage (see storage/)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """One page of text. ``number`` is 1-based and is what citations show.

    Formats without physical pages (plain text, Markdown, HTML, e-mail bodies) produce
    logical pages as decided in docs/decisions/010-document-pages.md. A page may have empty
    text (a blank page, or a scanned page that could not be recognised); it is kept so that
    numbers always match the printed document. ``ocr`` is True when the text came from
    optical character recognition and may contain recognition errors.
    """

    number: int
    text: str
    ocr: bool = False


@dataclass
class Document:
    """A document as read from one file. ``parts`` hold e.g. e-mail attachments, read
    recursively; ``warnings`` are German, user-facing notes (e.g. pages without text).

    ``logical_pages`` is True when the pages were cut by the reader (about 3000 characters
    at paragraph boundaries) rather than taken from a printed layout; citations should then
    say "Abschnitt" rather than "Seite".
    """

    name: str
    media_type: str
    pages: list[Page]
    title: str | None = None
    parts: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    logical_pages: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def all_documents(self) -> list[Document]:
        """This document and all parts, depth first, in order."""
        out = [self]
        for part in self.parts:
            out.extend(part.all_documents())
        return out
