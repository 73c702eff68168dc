"""Repository for drafts ("Formulieren") and their versions. Scoped through ``storage.scope``.

A draft is reachable only by its owner: every select goes through :func:`owned_by`, and a
draft of another user or tenant is reported as :class:`NotFound`, so foreign ids cannot be
probed. Versions carry ``tenant_id``/``user_id`` themselves and are filtered the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from schreibstube.errors import NotFound
from schreibstube.storage.scope import owned_by
from schreibstube.storage.tables import Draft, DraftVersion, utcnow
from schreibstube.tenants.identity import CurrentUser

GONE = "Der Entwurf wurde nicht gefunden oder wurde gelöscht."


def create(
    session: Session, *, user: CurrentUser, text_type: str, request: dict[str, Any], model: str
) -> Draft:
    draft = Draft(tenant_id=user.tenant_id, user_id=user.user_id, text_type=text_type,
                  request=request, model=model, title="")
    session.add(draft)
    session.flush()
    return draft


def get(session: Session, draft_id: str, *, user: CurrentUser) -> Draft:
    draft = session.scalar(owned_by(select(Draft), Draft, user=user).where(Draft.id == draft_id))
    if draft is None:
        raise NotFound(GONE)
    return draft


def list_for(session: Session, *, user: CurrentUser, limit: int = 200) -> list[Draft]:
    stmt = owned_by(select(Draft), Draft, user=user).order_by(Draft.updated_at.desc()).limit(limit)
    return list(session.scalars(stmt))


def versions(session: Session, draft_id: str, *, user: CurrentUser) -> list[DraftVersion]:
    stmt = owned_by(select(DraftVersion), DraftVersion, user=user)
    stmt = stmt.where(DraftVersion.draft_id == draft_id).order_by(DraftVersion.number)
    return list(session.scalars(stmt))


def get_version(session: Session, draft_id: str, number: int, *, user: CurrentUser) -> DraftVersion:
    stmt = owned_by(select(DraftVersion), DraftVersion, user=user)
    version = session.scalar(
        stmt.where(DraftVersion.draft_id == draft_id, DraftVersion.number == number)
    )
    if version is None:
        raise NotFound(f"Version {number} dieses Entwurfs gibt es nicht.")
    return version


def get_version_by_id(session: Session, version_id: str, *, user: CurrentUser) -> DraftVersion:
    stmt = owned_by(select(DraftVersion), DraftVersion, user=user)
    version = session.scalar(stmt.where(DraftVersion.id == version_id))
    if version is None:
        raise NotFound(GONE)
    return version


def add_version(
    session: Session, draft: Draft, *, user: CurrentUser, model: str, instruction: str | None
) -> DraftVersion:
    """Append the next version (status ``streaming``) to ``draft``.

    Two revisions of one draft at once (double click, two tabs) must not both read the same
    highest number and collide on the unique (draft, number) index. So the draft row is
    written first: on PostgreSQL that takes its row lock, on SQLite the database's write lock;
    the second transaction waits there and then reads the first one's committed version.
    """
    now = utcnow()
    session.execute(update(Draft).where(Draft.id == draft.id).values(updated_at=now),
                    execution_options={"synchronize_session": False})
    last = session.scalar(
        select(func.coalesce(func.max(DraftVersion.number), 0)).where(
            DraftVersion.draft_id == draft.id
        )
    )
    version = DraftVersion(
        tenant_id=user.tenant_id, user_id=user.user_id, draft_id=draft.id, number=(last or 0) + 1,
        instruction=instruction, model=model, status="streaming", title="", text="", meta={},
    )
    session.add(version)
    draft.updated_at = now
    session.flush()
    return version


def delete_one(session: Session, draft_id: str, *, user: CurrentUser) -> None:
    draft = get(session, draft_id, user=user)
    session.execute(delete(DraftVersion).where(DraftVersion.draft_id == draft.id))
    session.delete(draft)


def delete_all(session: Session, *, user: CurrentUser) -> int:
    ids = [d.id for d in list_for(session, user=user, limit=100_000)]
    if ids:
        session.execute(delete(DraftVersion).where(DraftVersion.draft_id.in_(ids)))
        session.execute(delete(Draft).where(Draft.id.in_(ids)))
    return len(ids)
