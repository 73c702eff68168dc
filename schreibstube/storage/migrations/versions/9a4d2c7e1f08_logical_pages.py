"""Pages know whether they are printed pages or logical sections

Revision ID: 9a4d2c7e1f08
Revises: 7c2e9a41d5b3
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = '9a4d2c7e1f08'
down_revision = '7c2e9a41d5b3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document_pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logical', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('document_pages', schema=None) as batch_op:
        batch_op.drop_column('logical')
