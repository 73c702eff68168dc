"""draft templates

Revision ID: 3d1f6a2b9c40
Revises: fe7dd3db0dbc
"""

import sqlalchemy as sa
from alembic import op

revision = '3d1f6a2b9c40'
down_revision = 'fe7dd3db0dbc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('draft_templates',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('tenant_id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('visibility', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('text_type', sa.String(length=40), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('variables', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('draft_templates', schema=None) as batch_op:
        batch_op.create_index('ix_draft_templates_owner', ['tenant_id', 'user_id'], unique=False)
        batch_op.create_index('ix_draft_templates_scope', ['tenant_id', 'visibility', 'name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('draft_templates', schema=None) as batch_op:
        batch_op.drop_index('ix_draft_templates_scope')
        batch_op.drop_index('ix_draft_templates_owner')

    op.drop_table('draft_templates')
