"""cases: why the commune's chairman returned the support and intervention plan (encrypted)

Revision ID: 0013_case_plan_return
Revises: 0012_case_erasure
Create Date: 2026-12-12 11:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_case_plan_return'
down_revision = '0012_case_erasure'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_return_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('plan_return_reason')
