"""commune annual plans: revisions, targets, activities, sections, history

Revision ID: 0004_commune_plans
Revises: 0003_notices
Create Date: 2026-12-01 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_commune_plans'
down_revision = '0003_notices'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('commune_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('scan_sha256', sa.String(length=64), nullable=True),
    sa.Column('scan_filename', sa.String(length=255), nullable=True),
    sa.Column('scan_uploaded_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_commune_plans_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['commune_plans.id'], name=op.f('fk_commune_plans_source_id_commune_plans'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scan_sha256'], ['blobs.sha256'], name=op.f('fk_commune_plans_scan_sha256_blobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_plans')),
    sa.UniqueConstraint('space_id', 'year', 'revision', name=op.f('uq_commune_plans_space_id'))
    )
    with op.batch_alter_table('commune_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_plans_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commune_plans_state'), ['state'], unique=False)

    op.create_table('commune_plan_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('indicator_key', sa.String(length=120), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('baseline', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('baseline_source', sa.String(length=200), nullable=False),
    sa.Column('target', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['commune_plans.id'], name=op.f('fk_commune_plan_targets_plan_id_commune_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_plan_targets')),
    sa.UniqueConstraint('plan_id', 'indicator_key', name=op.f('uq_commune_plan_targets_plan_id'))
    )
    with op.batch_alter_table('commune_plan_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_plan_targets_plan_id'), ['plan_id'], unique=False)

    op.create_table('commune_plan_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('months_mask', sa.Integer(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('budget', sa.BigInteger(), nullable=False),
    sa.Column('budget_source', sa.String(length=200), nullable=False),
    sa.Column('duty_key', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['commune_plans.id'], name=op.f('fk_commune_plan_activities_plan_id_commune_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_plan_activities'))
    )
    with op.batch_alter_table('commune_plan_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_plan_activities_plan_id'), ['plan_id'], unique=False)

    op.create_table('commune_plan_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['commune_plans.id'], name=op.f('fk_commune_plan_sections_plan_id_commune_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_plan_sections')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_commune_plan_sections_plan_id'))
    )
    with op.batch_alter_table('commune_plan_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_plan_sections_plan_id'), ['plan_id'], unique=False)

    op.create_table('commune_plan_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('part', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['commune_plans.id'], name=op.f('fk_commune_plan_events_plan_id_commune_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_commune_plan_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commune_plan_events'))
    )
    with op.batch_alter_table('commune_plan_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_plan_events_plan_id'), ['plan_id'], unique=False)


def downgrade():
    with op.batch_alter_table('commune_plan_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_plan_events_plan_id'))
    op.drop_table('commune_plan_events')
    with op.batch_alter_table('commune_plan_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_plan_sections_plan_id'))
    op.drop_table('commune_plan_sections')
    with op.batch_alter_table('commune_plan_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_plan_activities_plan_id'))
    op.drop_table('commune_plan_activities')
    with op.batch_alter_table('commune_plan_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_plan_targets_plan_id'))
    op.drop_table('commune_plan_targets')
    with op.batch_alter_table('commune_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_plans_state'))
        batch_op.drop_index(batch_op.f('ix_commune_plans_space_id'))
    op.drop_table('commune_plans')
