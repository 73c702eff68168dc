"""Documents -> source pages, the unit of coverage ("47 von 47 Seiten") and of citation.

Every page of every document (attachments included, depth first) becomes one
:class:`SourcePage` with a running number ``ref`` (1-based, what the model cites as
"[S. ref]") and the document name and page number users see. Pages without text are kept
in the list (they count against coverage) but marked empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from schreibstube.documents.model import Document


@dataclass(frozen=True)
class SourcePage:
    ref: int
    document: str
    page: int
    text: str
    logical: bool = False  # a ~3000-character section of a page-less format (decisions/010)

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def label(self) -> str:
        return f"{self.document}, {'Abschn.' if self.logical else 'S.'} {self.page}"


def source_pages(documents: list[Document]) -> list[SourcePage]:
    pages: list[SourcePage] = []
    for top in documents:
        for doc in top.all_documents():
            for page in doc.pages:
                pages.append(SourcePage(len(pages) + 1, doc.name, page.number, page.text, doc.logical_pages))
    return pages


def pasted_text(text: str, name: str = "Eingefügter Text", page_chars: int = 3000) -> Document:
    """Pasted text as a Document: logical pages of ~page_chars split at paragraphs."""
    from schreibstube.documents.model import Page

    pages: list[str] = []
    current = ""
    for para in text.replace("\r\n", "\n").split("\n\n"):
        if current and len(current) + len(para) > page_chars:
            pages.append(current)
            current = ""
        current = f"{current}\n\n{para}" if current else para
    if current.strip():
        pages.append(current)
    return Document(name=name, media_type="text/plain", logical_pages=True,
                    pages=[Page(i + 1, t.strip()) for i, t in enumerate(pages)])
