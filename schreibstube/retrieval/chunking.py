"""Structure-following chunking: pages of Markdown-ish text -> chunks with page spans.

Research answers cite pages, so a chunk is the unit that is found, shown and cited. The rules:

* **Sections are hard boundaries.** A Markdown heading (``#`` to ``######``) or a bare law
  heading on its own line (``§ 44 Nichtigkeit des Verwaltungsaktes``, ``Art. 20 ...``) closes
  the current chunk. PDF text has no blank lines between paragraphs (one line per printed
  line), so a law heading is also recognised inside a block when the line before it ended a
  sentence or was itself a structural heading (``Abschnitt 1 - ...``) and the words after the
  number are a title, not a reference (``§ 44 Abs. 1 findet ...`` stays text).
  The nearest heading travels with every chunk of its section and is
  prefixed to :attr:`TextChunk.indexed_text`, so that "Nichtigkeit" finds the text of § 44
  even when the paragraph itself never repeats the word.
* **Paragraphs are packed** (blank-line separated) until the chunk reaches ``target_chars``;
  a paragraph that would push it past ``max_chars`` starts a new chunk. List items ("1.",
  "a)", "-") stay with their lead-in sentence up to ``max_chars``. A paragraph longer
  than ``max_chars`` is cut at sentence ends, then at spaces. Short sections stay short:
  one § per chunk keeps citations exact.
* **Tables are split between rows, never inside one**, and every table chunk starts with the
  header row and its ``|---|`` separator. A table continued on the next page without a header
  inherits the previous header. A single row longer than ``max_chars`` stays whole (the only
  case in which a chunk exceeds the maximum).
* **Pages are kept as spans**: a chunk may run across a page break (``page_start`` <
  ``page_end``), never across parts (e-mail attachments are separate documents to cite).

Everything here is pure: dataclasses in, dataclasses out, no database, no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from schreibstube.documents.model import Page

TARGET_CHARS = 1000
MAX_CHARS = 1500

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LAW_HEADING = re.compile(r"^(§{1,2}\s*\d+[a-z]?|Art\.?\s*\d+[a-z]?|Artikel\s+\d+[a-z]?)(\s|$)")
# "§ 44 Abs. 1 ...", "§ 44 gilt ...": a reference at the start of a wrapped line, not a title.
_REFERENCE = re.compile(r"^\S+\s*\S*?\s+(§|Abs\.|Absatz|Satz|S\.|Nr\.|Nummer|Buchst|bis|und|oder|sowie|"
                        r"gilt|gelten|ist|sind|findet|finden|bleibt|bleiben|des|der|in|im|ff?\.)(\s|$)")
_STRUCTURE = re.compile(r"^(Teil|Abschnitt|Unterabschnitt|Kapitel|Titel|Buch)\s+\S+")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^(\d{1,3}\.|[a-z]{1,2}\)|[-*•])\s")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


@dataclass(frozen=True)
class PageText:
    """Input: the text of one page of one part (``""`` for the main document)."""

    part: str
    number: int
    text: str


@dataclass(frozen=True)
class TextChunk:
    """Output: one chunk, in document order (``seq`` from 0)."""

    seq: int
    part: str
    page_start: int
    page_end: int
    heading: str
    text: str

    @property
    def indexed_text(self) -> str:
        """What keyword and vector search see: the heading, then the text."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    page: int


@dataclass(frozen=True)
class _Paragraph:
    text: str
    page: int


@dataclass(frozen=True)
class _Table:
    header: tuple[str, ...]  # header row + separator, or () when the rows start headless
    rows: tuple[str, ...]
    page: int


_Block = _Heading | _Paragraph | _Table


def pages_of(pages: Sequence[Page], part: str = "") -> list[PageText]:
    """Adapt the reader's :class:`~schreibstube.documents.model.Page` objects."""
    return [PageText(part, p.number, p.text) for p in pages]


def chunk_pages(
    pages: Iterable[PageText | tuple[str, int, str]],
    *,
    target_chars: int = TARGET_CHARS,
    max_chars: int = MAX_CHARS,
) -> list[TextChunk]:
    """Chunk pages given in reading order; tuples are ``(part, page_number, text)``."""
    if not 0 < target_chars <= max_chars:
        raise ValueError("need 0 < target_chars <= max_chars")
    packer = _Packer(target_chars, max_chars)
    for page in pages:
        part, number, text = page if isinstance(page, tuple) else (page.part, page.number, page.text)
        packer.start_part(part)
        for block in _blocks(text, number):
            packer.add(block)
    packer.flush()
    return packer.chunks


def _blocks(text: str, page: int) -> Iterator[_Block]:
    """Headings, paragraphs and tables of one page, in order."""
    lines: list[str] = []
    table: list[str] = []
    for raw in [*text.splitlines(), ""]:
        line = raw.rstrip()
        if line.lstrip().startswith("|"):
            yield from _paragraph(lines, page)
            table.append(line.strip())
            continue
        if table:
            yield _table(table, page)
            table = []
        heading = _MD_HEADING.match(line)
        if heading:
            yield from _paragraph(lines, page)
            yield _Heading(len(heading.group(1)), heading.group(2).strip(), page)
        elif _is_law_heading(line.strip()) and (not lines or _heading_may_follow(lines[-1], line.strip())):
            yield from _paragraph(lines, page)
            yield _Heading(7, line.strip(), page)
        elif line.strip():
            lines.append(line.strip())
        else:
            yield from _paragraph(lines, page)


def _paragraph(lines: list[str], page: int) -> Iterator[_Block]:
    if not lines:
        return
    yield _Paragraph(" ".join(lines), page)
    lines.clear()


def _is_law_heading(line: str) -> bool:
    """``§ 44 Nichtigkeit des Verwaltungsaktes`` at the start of a paragraph: short, and not
    a sentence ("§ 44 gilt entsprechend.")."""
    return (bool(_LAW_HEADING.match(line)) and len(line) <= 150 and not line.endswith((".", ",", ";"))
            and not _REFERENCE.match(line))


def _heading_may_follow(previous: str, line: str) -> bool:
    """Inside a block of PDF lines: ``line`` starts a section after a finished sentence or a
    structural heading, and reads as a title (``§ 44 Nichtigkeit ...``), not a reference."""
    return previous.endswith((".", ":", ";", "!", "?")) or bool(_STRUCTURE.match(previous))


def _table(lines: list[str], page: int) -> _Table:
    if len(lines) >= 2 and _TABLE_SEPARATOR.match(lines[1]):
        return _Table((lines[0], lines[1]), tuple(lines[2:]), page)
    return _Table((), tuple(lines), page)


@dataclass
class _Packer:
    target: int
    maximum: int
    chunks: list[TextChunk] = field(default_factory=list)
    part: str | None = None
    headings: list[_Heading] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    last_table_header: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.pieces) + 2 * max(len(self.pieces) - 1, 0)

    def start_part(self, part: str) -> None:
        if part != self.part:
            self.flush()
            self.part, self.headings, self.last_table_header = part, [], ()

    def add(self, block: _Block) -> None:
        if isinstance(block, _Heading):
            self.flush()
            self.headings = [h for h in self.headings if h.level < block.level] + [block]
            self.last_table_header = ()
        elif isinstance(block, _Table):
            self._add_table(block)
        else:
            self.last_table_header = ()
            glue = bool(_LIST_ITEM.match(block.text))
            for piece in _split_long(block.text, self.target, self.maximum):
                self._append(piece, block.page, glue=glue)

    def _append(self, piece: str, page: int, *, glue: bool = False) -> None:
        """Add ``piece``; a list item (``glue``) stays with its lead-in up to the maximum."""
        full = self.size + 2 + len(piece) > self.maximum
        if self.pieces and (full or (self.size >= self.target and not glue)):
            self.flush()
        self.pieces.append(piece)
        self.pages.append(page)

    def _add_table(self, table: _Table) -> None:
        header = table.header or self.last_table_header
        self.last_table_header = header
        whole = "\n".join([*header, *table.rows])
        if self.size + 2 + len(whole) <= self.maximum:
            self._append(whole, table.page)
            return
        self.flush()
        rows: list[str] = []
        for row in table.rows:
            if rows and len("\n".join([*header, *rows, row])) > self.maximum:
                self._append("\n".join([*header, *rows]), table.page)
                self.flush()
                rows = []
            rows.append(row)
        if rows:
            self._append("\n".join([*header, *rows]), table.page)

    def flush(self) -> None:
        if not self.pieces:
            return
        heading = self.headings[-1].text if self.headings else ""
        self.chunks.append(TextChunk(
            seq=len(self.chunks), part=self.part or "", page_start=min(self.pages),
            page_end=max(self.pages), heading=heading, text="\n\n".join(self.pieces),
        ))
        self.pieces, self.pages = [], []


def _split_long(text: str, target: int, maximum: int) -> list[str]:
    """``text`` itself when it fits ``maximum``, else pieces of at most ``target`` characters,
    cut at sentence ends, then at spaces, then anywhere."""
    if len(text) <= maximum:
        return [text]
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        units.extend(_split_words(sentence, target) if len(sentence) > target else [sentence])
    pieces: list[str] = []
    for unit in units:
        if pieces and len(pieces[-1]) + 1 + len(unit) <= target:
            pieces[-1] += " " + unit
        else:
            pieces.append(unit)
    return pieces


def _split_words(text: str, target: int) -> list[str]:
    pieces: list[str] = []
    for word in text.split(" "):
        while len(word) > target:
            pieces.append(word[:target])
            word = word[target:]
        if pieces and len(pieces[-1]) + 1 + len(word) <= target:
            pieces[-1] += " " + word
        else:
            pieces.append(word)
    return pieces
