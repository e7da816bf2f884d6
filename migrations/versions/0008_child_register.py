"""child register: children (identifying columns hold encrypted tokens), their groups, their supports

Revision ID: 0008_child_register
Revises: 0007_plan_spelling
Create Date: 2026-12-02 15:00:00

The columns full_name, date_of_birth, village, carers, contact, notes (children) and description
(child_supports) hold tokens of intranet.cases.crypto, never the text; match_index is the keyed
hash of the duplicate search. See intranet/cases/models.py.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_child_register'
down_revision = '0007_plan_spelling'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('children',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('date_of_birth', sa.Text(), nullable=False),
    sa.Column('village', sa.Text(), nullable=False),
    sa.Column('carers', sa.Text(), nullable=False),
    sa.Column('contact', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('sex', sa.String(length=8), nullable=False),
    sa.Column('ethnicity', sa.String(length=2), nullable=True),
    sa.Column('match_index', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_children_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_children_space_id_spaces')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_children_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children')),
    sa.UniqueConstraint('reference', name=op.f('uq_children_reference'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_match_index'), ['match_index'], unique=False)

    op.create_table('child_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('group_code', sa.String(length=32), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('until_date', sa.Date(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('until_date IS NULL OR until_date >= from_date', name=op.f('ck_child_groups_until_after_from')),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_child_groups_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_child_groups_recorded_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_groups'))
    )
    with op.batch_alter_table('child_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_groups_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_groups_group_code'), ['group_code'], unique=False)

    op.create_table('child_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('provider_space_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_child_supports_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_space_id'], ['spaces.id'], name=op.f('fk_child_supports_provider_space_id_spaces')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_child_supports_recorded_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child_supports')),
    sa.UniqueConstraint('reference', name=op.f('uq_child_supports_reference'))
    )
    with op.batch_alter_table('child_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_supports_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_supports_provider_space_id'), ['provider_space_id'], unique=False)


def downgrade():
    with op.batch_alter_table('child_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_supports_provider_space_id'))
        batch_op.drop_index(batch_op.f('ix_child_supports_child_id'))
    op.drop_table('child_supports')
    with op.batch_alter_table('child_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_groups_group_code'))
        batch_op.drop_index(batch_op.f('ix_child_groups_child_id'))
    op.drop_table('child_groups')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_match_index'))
        batch_op.drop_index(batch_op.f('ix_children_space_id'))
    op.drop_table('children')
