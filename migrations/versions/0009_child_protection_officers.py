"""child-protection officers: a member of a unit may be designated to open its child register

Revision ID: 0009_child_protection_officers
Revises: 0008_child_register
Create Date: 2026-12-10 09:00:00

memberships.protects_children marks the unit's child-protection officer (cán bộ làm công tác bảo
vệ trẻ em), principal ``space:<id>:protection``. Every existing membership starts undesignated;
the administrator designates on the unit's sharing page.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_child_protection_officers'
down_revision = '0008_child_register'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('protects_children', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('protects_children')
