"""The loader interface and the limits every read obeys.

A loader turns one file of one format into a :class:`Document`. It has exactly one method,
``load(path, name)``: ``path`` is where the bytes are, ``name`` is the file name the user
knows (an upload's original name, an attachment's name) and is the name every German error
message shows. Everything around a loader is generic and lives elsewhere: choosing it
(``formats.sniff`` and ``registry``), normalising its text (``normalize``), refusing empty
results and running it in a child process with a time budget (``reader``).

Loaders raise the exceptions of :mod:`schreibstube.errors` (``EncryptedDocument``,
``DamagedDocument``, ``EmptyDocument``, ``FileTooLarge`` for PDFs over the page limit) with a
message from :mod:`schreibstube.documents.messages`. Anything else they raise is a bug or a
parser crash; the reader turns it into a generic ``DocumentError`` naming the file.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from schreibstube.documents.model import Document

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one read may cost. ``max_bytes`` and ``max_pages`` are checked before any
    text is extracted; ``timeout_s`` bounds the whole parse including OCR and LibreOffice;
    ``ocr`` switches text recognition for scanned PDF pages on or off."""

    max_bytes: int = 50 * MIB
    max_pages: int = 2000
    timeout_s: float = 120.0
    ocr: bool = True

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.max_pages <= 0 or self.timeout_s <= 0:
            raise ValueError(f"limits must be positive: {self!r}")


class Loader(ABC):
    """Reads one format. Subclasses implement :meth:`load` and nothing else is required."""

    @abstractmethod
    def load(self, path: Path, name: str) -> Document:
        """Read ``path`` into a Document called ``name``; raise a DocumentError subclass
        with a German message naming ``name`` when the file cannot be read."""
