"""``read_document``: the one entry point the rest of Schreibstube calls.

Order of checks, cheapest and safest first:

1. size from ``stat`` against ``Limits.max_bytes`` -> ``FileTooLarge``; zero bytes ->
   ``EmptyDocument``. Nothing has been read into memory yet.
2. the parse - sniffing, the format's loader (PDF page limit before any page is read,
   OCR, LibreOffice), normalisation, the no-text check - runs in a child process
   (``isolation``) with ``Limits.timeout_s``; over time -> ``ParseTimeout``.
3. errors from the child come back as the same German ``DocumentError``; an unexpected
   crash is logged (type and code position only, never content) and reported as a generic
   ``DocumentError`` naming the file.

The returned document always has text (``EmptyDocument`` otherwise), and so do its parts.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from schreibstube.documents import messages
from schreibstube.documents.base import Limits
from schreibstube.documents.isolation import ChildCrashed, ChildTimeout, run_isolated
from schreibstube.documents.model import Document
from schreibstube.documents.registry import Registry
from schreibstube.errors import DocumentError, EmptyDocument, FileTooLarge, ParseTimeout

logger = logging.getLogger(__name__)


def parse_document(path: Path, name: str, limits: Limits) -> Document:
    """The in-process read that ``read_document`` runs in the child."""
    return Registry(limits).load(path, name)


def check_size(path: Path, name: str, limits: Limits) -> int:
    """Refuse too large and empty files by their size alone."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileTooLarge(messages.too_large(name, size, limits.max_bytes))
    if size == 0:
        raise EmptyDocument(messages.empty_file(name))
    return size


def read_document(path: Path, name: str | None = None, *, limits: Limits | None = None) -> Document:
    """Read ``path`` (shown to users as ``name``, default: the file name) into a Document.

    Raises ``FileTooLarge`` or a ``DocumentError`` subclass with a German message that
    names the file; see the module docstring for the order of checks.
    """
    limits = limits or Limits()
    name = name or path.name
    size = check_size(path, name, limits)
    started = time.monotonic()
    try:
        doc = run_isolated(parse_document, (path.absolute(), name, limits), limits.timeout_s)
    except ChildTimeout:
        logger.warning("document parse timed out", extra={"bytes": size, "timeout_s": limits.timeout_s})
        raise ParseTimeout(messages.timeout(name, limits.timeout_s)) from None
    except ChildCrashed as crash:
        logger.error("document parser crashed: %s\n%s", crash.type_name, crash.where)
        raise DocumentError(messages.crashed(name)) from None
    if not doc.text.strip():  # the registry guarantees this; keep the promise explicit
        raise EmptyDocument(messages.no_text(name))
    logger.info(
        "document read",
        extra={
            "media_type": doc.media_type,
            "bytes": size,
            "pages": doc.page_count,
            "parts": len(doc.parts),
            "ocr_pages": sum(p.ocr for p in doc.pages),
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    return doc
