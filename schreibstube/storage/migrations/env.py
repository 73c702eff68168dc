"""Alembic environment: always runs on a connection handed in by ``Database.upgrade``."""

from alembic import context

from schreibstube.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
