"""Table definitions. Every row holding user content carries ``tenant_id`` and ``user_id``.

Ids are random UUID hex strings (portable across SQLite and PostgreSQL, unguessable in
URLs). Timestamps are timezone-aware UTC. Schema changes go through Alembic migrations in
``storage/migrations``; a test checks the migrations produce exactly this metadata.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Tenant(Base):
    __tablename__ = "tenants"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_tenant_external", "tenant_id", "external_id", unique=True),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="user")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_owner", "tenant_id", "user_id", "updated_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200), default="")
    model: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChatMessage(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "seq"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="complete")
    error_kind: Mapped[str | None] = mapped_column(String(60), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    model: Mapped[str | None] = mapped_column(String(100), nullable=True)
    meta: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Collection(Base):
    """A set of documents to research in. ``visibility``: ``private`` (owner only) or
    ``tenant`` (shared: everyone in the tenant reads, tenant admins manage)."""

    __tablename__ = "collections"
    __table_args__ = (Index("ix_collections_tenant_name", "tenant_id", "name"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    visibility: Mapped[str] = mapped_column(String(20), default="private")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoredDocument(Base):
    """An uploaded file and its processing state.

    ``status``: ``queued`` → ``processing`` → ``ready`` | ``failed`` (with German
    ``error_message``). ``purpose``: ``summary`` (ad hoc upload), ``collection`` (indexed for
    research). A worker claims a queued document by setting ``claimed_by``/``claimed_at``
    atomically; stale claims (crashed worker) are re-queued.
    """

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_owner", "tenant_id", "user_id", "created_at"),
        Index("ix_documents_queue", "status", "created_at"),
        Index("ix_documents_collection", "collection_id"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    collection_id: Mapped[str | None] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), nullable=True
    )
    purpose: Mapped[str] = mapped_column(String(20), default="summary")
    name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    storage_key: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    error_kind: Mapped[str | None] = mapped_column(String(60), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentPage(Base):
    """Page text as read (normalised); the ground truth for quote verification."""

    __tablename__ = "document_pages"
    __table_args__ = (Index("ix_pages_document", "document_id", "part", "number", unique=True),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    part: Mapped[str] = mapped_column(String(300), default="")
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    ocr: Mapped[bool] = mapped_column(default=False)
    # True when the reader cut the text into ~3000-character sections because the format has
    # no pages (text, HTML, e-mail, DOCX/ODT without LibreOffice): cited as "Abschnitt", not
    # "Seite" (decisions/010).
    logical: Mapped[bool] = mapped_column(default=False, server_default=false())


class Draft(Base):
    """A "Formulieren" job: the request as the author gave it (``request``: the fields of
    ``DraftRequest``) and, in :class:`DraftVersion`, every text generated from it."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_owner", "tenant_id", "user_id", "updated_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300), default="")
    text_type: Mapped[str] = mapped_column(String(40))
    request: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    model: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DraftVersion(Base):
    """One generated text of a draft, numbered from 1. ``instruction`` is ``None`` for the
    first version, else a revision preset id (``kuerzer`` …) or the author's free text.
    ``status`` as for chat answers: ``streaming`` → ``complete`` | ``incomplete`` | ``error``."""

    __tablename__ = "draft_versions"
    __table_args__ = (Index("ix_draft_versions_draft", "draft_id", "number", unique=True),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    draft_id: Mapped[str] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    instruction: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="streaming")
    error_kind: Mapped[str | None] = mapped_column(String(60), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    model: Mapped[str] = mapped_column(String(100))
    meta: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DraftTemplate(Base):
    """A saved template for "Formulieren": Jinja text (``body``) with ``{{ variables }}``.

    ``visibility``: ``private`` (the creator only) or ``tenant`` (everyone in the tenant uses
    it, tenant admins manage it). ``text_type`` is ``None`` for "any text type". ``variables``
    are the names found in ``body`` when it was saved (re-checked at start-up and on use).
    """

    __tablename__ = "draft_templates"
    __table_args__ = (
        Index("ix_draft_templates_scope", "tenant_id", "visibility", "name"),
        Index("ix_draft_templates_owner", "tenant_id", "user_id"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    visibility: Mapped[str] = mapped_column(String(20), default="private")
    name: Mapped[str] = mapped_column(String(200))
    text_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    variables: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentFile(Base):
    """The uploaded bytes of a document, kept in the database (not on a local disk) so that
    every app process can read them — several workers need no shared file system. Deleted
    with its document."""

    __tablename__ = "document_files"
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    data: Mapped[bytes] = mapped_column(LargeBinary)


# Search columns of chunks (appended with the chunk table; imports kept next to their use).
from typing import Any  # noqa: E402

from pgvector.sqlalchemy import Vector  # noqa: E402  (also teaches reflection the "vector" type)
from sqlalchemy.dialects.postgresql import TSVECTOR  # noqa: E402
from sqlalchemy.engine import Dialect  # noqa: E402
from sqlalchemy.types import TypeDecorator, TypeEngine  # noqa: E402

EMBEDDING_DIM = 384


class EmbeddingType(TypeDecorator[Any]):
    """``vector(384)`` on PostgreSQL (pgvector); an unused BLOB elsewhere (SQLite keeps vectors
    in the ``chunks_vec`` table of sqlite-vec, see ``retrieval/index_sqlite.py``)."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Vector(EMBEDDING_DIM))
        return dialect.type_descriptor(LargeBinary())


class SearchTermsType(TypeDecorator[Any]):
    """``tsvector`` on PostgreSQL; unused TEXT elsewhere (SQLite keeps the terms in FTS5)."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(TSVECTOR())
        return dialect.type_descriptor(Text())


class Chunk(Base):
    """A searchable piece of a document, with the page span it came from (for citations).

    Written only by ``retrieval/``: ``collection_id`` is copied from the document so that search
    filters tenant and collections on one table. The integer id is the row id the search
    structures point to. Search data per backend: PostgreSQL fills ``embedding`` (pgvector,
    HNSW index) and ``tsv`` (``to_tsvector('german', …)``, GIN index) here; SQLite leaves them
    empty and keeps terms in the FTS5 table ``chunks_fts`` and vectors in the sqlite-vec table
    ``chunks_vec``, both keyed by ``chunks.id`` and created by the migration.
    """

    __tablename__ = "chunks"
    __table_args__ = (
        Index("ix_chunks_document", "document_id", "seq", unique=True),
        Index("ix_chunks_scope", "tenant_id", "collection_id"),
        Index("ix_chunks_embedding", "embedding", postgresql_using="hnsw",
              postgresql_with={"m": 16, "ef_construction": 64},
              postgresql_ops={"embedding": "vector_cosine_ops"}),
        Index("ix_chunks_tsv", "tsv", postgresql_using="gin", postgresql_with={"fastupdate": "off"}),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    collection_id: Mapped[str | None] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), nullable=True
    )
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    part: Mapped[str] = mapped_column(String(300), default="")
    page_start: Mapped[int] = mapped_column(Integer)
    page_end: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    embedding: Mapped[object | None] = mapped_column(EmbeddingType, nullable=True, deferred=True)
    tsv: Mapped[object | None] = mapped_column(SearchTermsType, nullable=True, deferred=True)
