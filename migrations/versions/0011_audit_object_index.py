"""audit trail: an index on the object, for a case's access log

Revision ID: 0011_audit_object_index
Revises: 0010_cases
Create Date: 2026-12-12 09:00:00

A case's access log lists the audit lines of one case (object type and number), newest first; on a
trail of millions of lines that needs its own index.
"""
from alembic import op


revision = '0011_audit_object_index'
down_revision = '0010_cases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_entries_object', 'audit_entries', ['object_type', 'object_id', 'at'])


def downgrade():
    op.drop_index('ix_audit_entries_object', table_name='audit_entries')
