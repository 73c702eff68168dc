"""The ingestion queue lives in the ``documents`` table; no broker needed.

Claiming is one conditional UPDATE: ``… SET status='processing', claimed_by=me WHERE id=:id
AND (status='queued' OR (status='processing' AND claimed_at < stale))``. On PostgreSQL the row
lock makes a concurrent claimer re-check the condition and update nothing; on SQLite writes
are serialised. Whoever sees ``rowcount == 1`` owns the document. A worker that dies leaves a
stale claim that another worker takes over after ``stale_after_s``; ``attempts`` bounds
retries so a file that crashes every parser ends ``failed`` instead of looping.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from schreibstube.storage.tables import DocumentFile, StoredDocument, utcnow
from schreibstube.tenants.identity import CurrentUser

MAX_ATTEMPTS = 3


def enqueue(session: Session, *, user: CurrentUser, name: str, media_type: str, data: bytes,
            collection_id: str | None, purpose: str = "collection") -> StoredDocument:
    doc = StoredDocument(
        tenant_id=user.tenant_id, user_id=user.user_id, collection_id=collection_id,
        purpose=purpose, name=name, media_type=media_type, size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(), status="queued", warnings=[],
    )
    session.add(doc)
    session.flush()
    session.add(DocumentFile(document_id=doc.id, tenant_id=user.tenant_id, data=data))
    return doc


def _claimable(stale_after_s: float):  # type: ignore[no-untyped-def]
    stale = utcnow() - timedelta(seconds=stale_after_s)
    return or_(StoredDocument.status == "queued",
               (StoredDocument.status == "processing") & (StoredDocument.claimed_at < stale))


def claim_next(session: Session, worker_id: str, *, stale_after_s: float = 600) -> str | None:
    """Claim the oldest claimable document; return its id or None. Commits nothing itself."""
    candidates = session.scalars(
        select(StoredDocument.id).where(_claimable(stale_after_s))
        .order_by(StoredDocument.created_at).limit(5)
    ).all()
    for doc_id in candidates:
        result = session.execute(
            update(StoredDocument)
            .where(StoredDocument.id == doc_id, _claimable(stale_after_s))
            .values(status="processing", claimed_by=worker_id, claimed_at=utcnow(),
                    attempts=StoredDocument.attempts + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return doc_id
    return None


def pending_count(session: Session) -> int:
    return len(session.scalars(select(StoredDocument.id).where(
        StoredDocument.status.in_(["queued", "processing"]))).all())
