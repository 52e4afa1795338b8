"""Partial index of the open tasks with a date or period deadline

Revision ID: 70d6ec94ee1e
Revises: a1c3e5f7b9d2
Create Date: 2026-12-07 16:19:17.901299

"""
from alembic import op
import sqlalchemy as sa

# The open tasks with a date or period deadline (app/tasks/models.py: OPEN_DATED).
OPEN_DATED = "deleted_at IS NULL AND status <> 'completed' AND deadline_kind IN ('date', 'period')"


# revision identifiers, used by Alembic.
revision = '70d6ec94ee1e'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_open_dated', ['deleted_at', 'lead_agency_id', 'extended_due', 'deadline_due', 'status', 'deadline_kind', 'directive_id'], unique=False, postgresql_where=sa.text(OPEN_DATED), sqlite_where=sa.text(OPEN_DATED))


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_open_dated', postgresql_where=sa.text(OPEN_DATED), sqlite_where=sa.text(OPEN_DATED))
