"""cases: referrals of a case's service to another unit

Revision ID: 0014_case_referrals
Revises: 0013_case_plan_return
Create Date: 2026-12-12 13:00:00

The columns summary, consent_by, override_reason, decline_reason and outcome_note hold tokens of
intranet.cases.crypto bound to the row's reference, never the text. See intranet/cases/models.py
(CaseReferral) and intranet/cases/referrals.py.
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_case_referrals'
down_revision = '0013_case_plan_return'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('guardian_consent', sa.Boolean(), nullable=False),
    sa.Column('child_consent', sa.Boolean(), nullable=False),
    sa.Column('consent_by', sa.Text(), nullable=False),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('overridden_at', sa.DateTime(), nullable=True),
    sa.Column('overridden_by', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=8), nullable=True),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('outcome_by', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IS NULL OR state IN ('awaiting_override', 'sent', 'accepted', 'declined', 'completed')", name=op.f('ck_case_referrals_state_known')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('done', 'not_done')", name=op.f('ck_case_referrals_outcome_known')),
    sa.CheckConstraint('(outcome IS NULL) = (outcome_on IS NULL)', name=op.f('ck_case_referrals_outcome_dated')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_referrals_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['case_services.id'], name=op.f('fk_case_referrals_service_id_case_services'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_case_referrals_space_id_spaces')),
    sa.ForeignKeyConstraint(['overridden_by'], ['users.id'], name=op.f('fk_case_referrals_overridden_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['answered_by'], ['users.id'], name=op.f('fk_case_referrals_answered_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outcome_by'], ['users.id'], name=op.f('fk_case_referrals_outcome_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_case_referrals_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_referrals')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_referrals_reference'))
    )
    with op.batch_alter_table('case_referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_referrals_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_referrals_space_id'), ['space_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_referrals_space_id'))
        batch_op.drop_index(batch_op.f('ix_case_referrals_service_id'))
        batch_op.drop_index(batch_op.f('ix_case_referrals_case_id'))
    op.drop_table('case_referrals')
