"""PostgreSQL: keep each chunk's tsvector inside its row (STORAGE MAIN)

A chunk row holds its text (~1 kB), its embedding (1.5 kB) and its tsvector (~1.3 kB); past
PostgreSQL's 2 kB threshold the tsvector was moved out of line (TOAST), and the keyword search
fetched it back for every matching row (docs/benchmarks.md, P3). With STORAGE MAIN the text
and the embedding go out of line first; the text is read only for the hits. Applies to rows
written from now on; existing rows move on their next rewrite (``VACUUM FULL chunks``).
SQLite keeps its FTS5 table and is not affected.

Revision ID: 7c2e9a41d5b3
Revises: 3d1f6a2b9c40
Create Date: 2026-12-04
"""
from alembic import op

revision = '7c2e9a41d5b3'
down_revision = '3d1f6a2b9c40'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE chunks ALTER COLUMN tsv SET STORAGE MAIN")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE chunks ALTER COLUMN tsv SET STORAGE EXTENDED")
