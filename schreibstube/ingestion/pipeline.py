"""Process one claimed document: read it (isolated child process), store pages, index chunks.

Idempotent by construction: pages and chunks of the document are deleted before new ones are
written, in the same transaction that marks it ``ready`` — a retry after a crash can never
index a file twice. The final write checks the claim is still ours (a worker that was too slow
and lost its claim to another one writes nothing).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schreibstube.documents import Limits, read_document
from schreibstube.documents.model import Document
from schreibstube.errors import DocumentError, SchreibstubeError
from schreibstube.ingestion.queue import MAX_ATTEMPTS
from schreibstube.storage.db import Database
from schreibstube.storage.tables import DocumentFile, DocumentPage, StoredDocument, utcnow

log = logging.getLogger(__name__)


class Indexer(Protocol):
    """What the pipeline needs from retrieval (``retrieval.runtime.Retrieval``)."""

    def prepare(self, pages: Sequence[DocumentPage]) -> Any: ...

    def store(self, session: Session, document: StoredDocument, prepared: Any) -> int: ...


def page_rows(doc: StoredDocument, document: Document) -> list[DocumentPage]:
    rows: list[DocumentPage] = []
    for i, part in enumerate(document.all_documents()):
        label = "" if i == 0 else part.name
        rows.extend(DocumentPage(tenant_id=doc.tenant_id, document_id=doc.id, part=label,
                                 number=p.number, text=p.text, ocr=p.ocr, logical=part.logical_pages)
                    for p in part.pages)
    return rows


def _read(db: Database, doc_id: str, limits: Limits) -> tuple[StoredDocument, Document]:
    with db.session() as s:
        doc = s.get(StoredDocument, doc_id)
        blob = s.get(DocumentFile, doc_id)
        if doc is None or blob is None:
            raise DocumentError("Die Datei ist nicht mehr vorhanden.")
        name, data = doc.name, blob.data
        s.expunge(doc)
    with tempfile.TemporaryDirectory(prefix="sb-ingest-") as tmp:
        path = Path(tmp) / ("upload" + Path(name).suffix.lower()[:10])
        path.write_bytes(data)
        return doc, read_document(path, name, limits=limits)


def _store(db: Database, doc_id: str, worker_id: str, pages: list[DocumentPage],
           warnings: list[str], prepared: Any, indexer: Indexer | None) -> None:
    with db.session() as s:
        doc = s.scalar(select(StoredDocument).where(StoredDocument.id == doc_id).with_for_update())
        if doc is None or doc.claimed_by != worker_id:
            log.warning("claim lost document=%s worker=%s", doc_id, worker_id)
            return
        s.execute(delete(DocumentPage).where(DocumentPage.document_id == doc_id))
        s.add_all(pages)
        s.flush()
        doc.chunk_count = indexer.store(s, doc, prepared) if indexer and prepared is not None else 0
        doc.page_count = len(pages)
        doc.warnings = list(warnings)
        doc.status, doc.error_kind, doc.error_message = "ready", None, None
        doc.claimed_by, doc.updated_at = None, utcnow()


def _fail(db: Database, doc_id: str, exc: Exception) -> None:
    with db.session() as s:
        doc = s.get(StoredDocument, doc_id)
        if doc is None:
            return
        if isinstance(exc, SchreibstubeError) or doc.attempts >= MAX_ATTEMPTS:
            doc.status = "failed"
            doc.error_kind = getattr(exc, "kind", "internal_error")
            doc.error_message = getattr(exc, "user_message", None) or (
                f"Die Datei „{doc.name}“ konnte nach {doc.attempts} Versuchen nicht verarbeitet "
                "werden. Bitte prüfen Sie die Datei oder wenden Sie sich an Ihren IT-Service.")
        else:
            doc.status = "queued"  # transient failure: try again
        doc.claimed_by, doc.updated_at = None, utcnow()


def process(db: Database, doc_id: str, worker_id: str, *, limits: Limits,
            indexer: Indexer | None) -> str:
    """Run the pipeline for one claimed document; returns the final status."""
    started = time.monotonic()
    try:
        meta, document = _read(db, doc_id, limits)
        pages = page_rows(meta, document)
        # the slow part (chunking + embedding) runs outside any transaction
        prepared = indexer.prepare(pages) if indexer and meta.collection_id else None
        _store(db, doc_id, worker_id, pages, document.warnings, prepared, indexer)
        status = "ready"
    except Exception as exc:  # every failure ends in a stored, user-facing state
        log.info("ingestion failed document=%s kind=%s", doc_id, getattr(exc, "kind", type(exc).__name__))
        _fail(db, doc_id, exc)
        status = "failed"
    log.info("ingestion document=%s status=%s seconds=%.2f", doc_id, status, time.monotonic() - started)
    return status
