"""chunks

Searchable chunks of documents. The table is the same on both databases; the search
structures differ (see ``retrieval/index_sqlite.py`` and ``retrieval/index_postgres.py``):

* PostgreSQL: ``embedding vector(384)`` with an HNSW index (cosine), ``tsv tsvector`` with a
  GIN index, both columns of ``chunks``.
* SQLite: the two columns stay empty (their indexes are partial, hence empty too). Terms live
  in the contentless FTS5 table ``chunks_fts`` (rowid = ``chunks.id``; a trigger removes them
  with their chunk; ``chunks_fts_vocab`` lists its terms), vectors in the sqlite-vec table
  ``chunks_vec`` (partitioned by tenant). These virtual tables (and their shadow tables)
  cannot be declared in SQLAlchemy metadata; the migration test leaves them out by name.

Revision ID: fe7dd3db0dbc
Revises: bfcbfa2ef414
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision = 'fe7dd3db0dbc'
down_revision = 'bfcbfa2ef414'
branch_labels = None
depends_on = None

DIM = 384
SQLITE_SEARCH_TABLES = [
    """CREATE VIRTUAL TABLE chunks_fts USING fts5(
        terms, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')""",
    "CREATE VIRTUAL TABLE chunks_fts_vocab USING fts5vocab(chunks_fts, 'row')",
    """CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.id;
    END""",
    f"""CREATE VIRTUAL TABLE chunks_vec USING vec0(
        chunk_id integer primary key, tenant_id text partition key, collection_id text,
        embedding float[{DIM}] distance_metric=cosine)""",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table('chunks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('tenant_id', sa.String(length=32), nullable=False),
    sa.Column('collection_id', sa.String(length=32), nullable=True),
    sa.Column('document_id', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=300), nullable=False),
    sa.Column('page_start', sa.Integer(), nullable=False),
    sa.Column('page_end', sa.Integer(), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('embedding', Vector(DIM) if postgres else sa.LargeBinary(), nullable=True),
    sa.Column('tsv', postgresql.TSVECTOR() if postgres else sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('chunks', schema=None) as batch_op:
        batch_op.create_index('ix_chunks_document', ['document_id', 'seq'], unique=True)
        batch_op.create_index('ix_chunks_scope', ['tenant_id', 'collection_id'], unique=False)
        batch_op.create_index('ix_chunks_embedding', ['embedding'], unique=False, postgresql_using='hnsw',
                              postgresql_with={'m': 16, 'ef_construction': 64},
                              postgresql_ops={'embedding': 'vector_cosine_ops'},
                              sqlite_where=sa.text('embedding IS NOT NULL'))
        # fastupdate off: rows go straight into the GIN index. With the default pending list,
        # the planner avoids the index (and scans every row) until a vacuum flushes it.
        batch_op.create_index('ix_chunks_tsv', ['tsv'], unique=False, postgresql_using='gin',
                              postgresql_with={'fastupdate': 'off'}, sqlite_where=sa.text('tsv IS NOT NULL'))
    if not postgres:
        _load_sqlite_vec()
        for statement in SQLITE_SEARCH_TABLES:
            op.execute(statement)


def _load_sqlite_vec() -> None:
    import sqlite_vec

    dbapi: Any = op.get_bind().connection.driver_connection
    dbapi.enable_load_extension(True)
    try:
        sqlite_vec.load(dbapi)
    finally:
        dbapi.enable_load_extension(False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        _load_sqlite_vec()
        op.execute("DROP TABLE IF EXISTS chunks_vec")
        op.execute("DROP TRIGGER IF EXISTS chunks_fts_delete")
        op.execute("DROP TABLE IF EXISTS chunks_fts_vocab")
        op.execute("DROP TABLE IF EXISTS chunks_fts")
    with op.batch_alter_table('chunks', schema=None) as batch_op:
        batch_op.drop_index('ix_chunks_tsv', postgresql_using='gin')
        batch_op.drop_index('ix_chunks_scope')
        batch_op.drop_index('ix_chunks_embedding', postgresql_using='hnsw')
        batch_op.drop_index('ix_chunks_document')

    op.drop_table('chunks')
