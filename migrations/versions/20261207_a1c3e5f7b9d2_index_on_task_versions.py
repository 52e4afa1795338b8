"""Index on task versions, for the dashboard's count cache

Revision ID: a1c3e5f7b9d2
Revises: 39f7fa68230b
Create Date: 2026-12-07 14:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d2'
down_revision = '39f7fa68230b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_version', ['version'], unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_version')
