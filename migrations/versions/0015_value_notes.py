"""reports: a commune's comment on a figure that differs from its child register

Revision ID: 0015_value_notes
Revises: 0014_case_referrals
Create Date: 2026-12-13 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_value_notes'
down_revision = '0014_case_referrals'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('submission_values', schema=None) as batch_op:
        batch_op.drop_column('note')
