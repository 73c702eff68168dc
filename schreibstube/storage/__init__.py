"""Database session, tables, repositories and migrations (SQLAlchemy 2 + Alembic)."""
