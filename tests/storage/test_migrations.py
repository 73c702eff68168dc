"""Migrations produce exactly the tables the code declares, on SQLite and PostgreSQL.

The search backends add objects the ORM does not model (SQLite: FTS5 and sqlite-vec virtual
tables with their shadow tables; PostgreSQL: tsvector/HNSW indexes); those are created in the
chunks migration and tested in tests/retrieval, so they are left out of this comparison.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from schreibstube.storage.db import Database
from schreibstube.storage.tables import Base

SEARCH_OBJECTS = ("chunks_fts", "chunks_vec", "ix_chunks_tsv", "ix_chunks_embedding", "sqlite_autoindex")


def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (reflected and compare_to is None and (name or "").startswith(SEARCH_OBJECTS))


def test_migrations_match_models(db_url: str) -> None:
    db = Database(db_url)
    db.upgrade()
    db.upgrade()  # idempotent
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include})
        diff = compare_metadata(context, Base.metadata)
    db.dispose()
    assert diff == []
