"""case management (Decree 56/2017): cases, their helpers, services and reviews

Revision ID: 0010_cases
Revises: 0009_child_protection_officers
Create Date: 2026-12-12 09:00:00

The columns reporter, account, emergency_measures, findings, plan_text (cases), description,
assignee, outcome_note (case_services) and notes (case_reviews) hold tokens of
intranet.cases.crypto bound to the row's reference, never the text. A case's number
(<prefix>-<year>-<seq>) is unique, and so is its commune's (space_id, year, seq). See
intranet/cases/models.py and intranet/cases/procedure.py.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_cases'
down_revision = '0009_child_protection_officers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('case_worker_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('reporter_kind', sa.String(length=16), nullable=False),
    sa.Column('reporter', sa.Text(), nullable=False),
    sa.Column('account', sa.Text(), nullable=False),
    sa.Column('initial_at', sa.DateTime(), nullable=True),
    sa.Column('harm', sa.String(length=8), nullable=True),
    sa.Column('access', sa.String(length=8), nullable=True),
    sa.Column('environment', sa.String(length=8), nullable=True),
    sa.Column('in_danger', sa.Boolean(), nullable=True),
    sa.Column('emergency_measures', sa.Text(), nullable=True),
    sa.Column('separated_at', sa.DateTime(), nullable=True),
    sa.Column('detailed_at', sa.DateTime(), nullable=True),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.Column('meeting_at', sa.DateTime(), nullable=True),
    sa.Column('plan_drafted_at', sa.DateTime(), nullable=True),
    sa.Column('plan_text', sa.Text(), nullable=True),
    sa.Column('plan_state', sa.String(length=16), nullable=True),
    sa.Column('plan_submitted_at', sa.DateTime(), nullable=True),
    sa.Column('plan_approved_at', sa.DateTime(), nullable=True),
    sa.Column('decision_number', sa.String(length=50), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('plan_round', sa.Integer(), nullable=False),
    sa.Column('first_plan_approved_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('reopened_at', sa.DateTime(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("access IS NULL OR access IN ('high', 'medium', 'low')", name=op.f('ck_cases_access_level')),
    sa.CheckConstraint("environment IS NULL OR environment IN ('high', 'medium', 'low')", name=op.f('ck_cases_environment_level')),
    sa.CheckConstraint("harm IS NULL OR harm IN ('high', 'medium', 'low')", name=op.f('ck_cases_harm_level')),
    sa.CheckConstraint("plan_state IS NULL OR plan_state IN ('draft', 'submitted', 'approved', 'returned')", name=op.f('ck_cases_plan_state_known')),
    sa.CheckConstraint("reporter_kind IS NULL OR reporter_kind IN ('hotline_111', 'police', 'school', 'health', 'family', 'child', 'neighbour', 'other')", name=op.f('ck_cases_reporter_kind_known')),
    sa.CheckConstraint('plan_round > 0', name=op.f('ck_cases_plan_round_positive')),
    sa.CheckConstraint('seq > 0', name=op.f('ck_cases_seq_positive')),
    sa.ForeignKeyConstraint(['case_worker_id'], ['users.id'], name=op.f('fk_cases_case_worker_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_cases_child_id_children')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_cases_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_cases_space_id_spaces')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_cases_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number')),
    sa.UniqueConstraint('reference', name=op.f('uq_cases_reference')),
    sa.UniqueConstraint('space_id', 'year', 'seq', name='uq_cases_space_year_seq')
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_case_worker_id'), ['case_worker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_space_id'), ['space_id'], unique=False)

    op.create_table('case_helpers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_case_helpers_assigned_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_helpers_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_helpers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_helpers')),
    sa.UniqueConstraint('case_id', 'user_id', name='uq_case_helpers_case_user')
    )
    with op.batch_alter_table('case_helpers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_helpers_user_id'), ['user_id'], unique=False)

    op.create_table('case_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('harm', sa.String(length=8), nullable=False),
    sa.Column('access', sa.String(length=8), nullable=False),
    sa.Column('environment', sa.String(length=8), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("access IS NULL OR access IN ('high', 'medium', 'low')", name=op.f('ck_case_reviews_access_level')),
    sa.CheckConstraint("decision IS NULL OR decision IN ('close', 'new_plan')", name=op.f('ck_case_reviews_decision_known')),
    sa.CheckConstraint("environment IS NULL OR environment IN ('high', 'medium', 'low')", name=op.f('ck_case_reviews_environment_level')),
    sa.CheckConstraint("harm IS NULL OR harm IN ('high', 'medium', 'low')", name=op.f('ck_case_reviews_harm_level')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_reviews_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_case_reviews_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_reviews')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_reviews_reference'))
    )
    with op.batch_alter_table('case_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_reviews_case_id'), ['case_id'], unique=False)

    op.create_table('case_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('plan_round', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('assigned_space_id', sa.Integer(), nullable=True),
    sa.Column('assignee', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=8), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('outcome_by', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('done', 'not_done')", name=op.f('ck_case_services_outcome_known')),
    sa.CheckConstraint('(outcome IS NULL) = (outcome_on IS NULL)', name=op.f('ck_case_services_outcome_dated')),
    sa.ForeignKeyConstraint(['assigned_space_id'], ['spaces.id'], name=op.f('fk_case_services_assigned_space_id_spaces')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_services_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_case_services_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outcome_by'], ['users.id'], name=op.f('fk_case_services_outcome_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_services')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_services_reference'))
    )
    with op.batch_alter_table('case_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_services_assigned_space_id'), ['assigned_space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_services_case_id'), ['case_id'], unique=False)



def downgrade():
    with op.batch_alter_table('case_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_services_case_id'))
        batch_op.drop_index(batch_op.f('ix_case_services_assigned_space_id'))
    op.drop_table('case_services')
    with op.batch_alter_table('case_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_reviews_case_id'))
    op.drop_table('case_reviews')
    with op.batch_alter_table('case_helpers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_helpers_user_id'))
    op.drop_table('case_helpers')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_space_id'))
        batch_op.drop_index(batch_op.f('ix_cases_child_id'))
        batch_op.drop_index(batch_op.f('ix_cases_case_worker_id'))
    op.drop_table('cases')
