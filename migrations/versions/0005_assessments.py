"""child-friendly commune assessments: criteria sets, criteria, year assignments, assessments

Revision ID: 0005_assessments
Revises: 0004_commune_plans
Create Date: 2026-11-30 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_assessments'
down_revision = '0004_commune_plans'
branch_labels = None
depends_on = None


def _timestamps():
    return [
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    ]


def upgrade():
    op.create_table('criteria_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('legal_number', sa.String(length=60), nullable=False),
    sa.Column('legal_date', sa.Date(), nullable=True),
    sa.Column('legal_issuer', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=False),
    sa.Column('scoring', sa.String(length=16), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('imported_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['imported_by'], ['users.id'], name=op.f('fk_criteria_sets_imported_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_sets')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_criteria_sets_key'))
    )
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_sets_valid_from'), ['valid_from'], unique=False)

    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('title_en', sa.String(length=500), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=True),
    sa.Column('prefill', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_criteria_criteria_set_id_criteria_sets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria')),
    sa.UniqueConstraint('criteria_set_id', 'code', name=op.f('uq_criteria_criteria_set_id'))
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_criteria_set_id'), ['criteria_set_id'], unique=False)

    op.create_table('criteria_set_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    *_timestamps(),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_criteria_set_years_assigned_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_criteria_set_years_criteria_set_id_criteria_sets')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_criteria_set_years'))
    )
    with op.batch_alter_table('criteria_set_years', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_set_years_criteria_set_id'), ['criteria_set_id'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('criteria_set_id', sa.Integer(), nullable=False),
    sa.Column('commune_class', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('prefill', sa.JSON(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    *_timestamps(),
    sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'], name=op.f('fk_assessments_criteria_set_id_criteria_sets')),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_assessments_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('space_id', 'year', name=op.f('uq_assessments_space_id'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_criteria_set_id'), ['criteria_set_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_year'), ['year'], unique=False)

    op.create_table('assessment_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('self_score', sa.Integer(), nullable=True),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('evidence_text', sa.Text(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('verified_score', sa.Integer(), nullable=True),
    sa.Column('verified_met', sa.Boolean(), nullable=True),
    sa.Column('adjustment_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_scores_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_assessment_scores_criterion_id_criteria')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_scores')),
    sa.UniqueConstraint('assessment_id', 'criterion_id', name=op.f('uq_assessment_scores_assessment_id'))
    )
    with op.batch_alter_table('assessment_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_scores_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_scores_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('assessment_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    *_timestamps(),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_evidence_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blob_sha256'], ['blobs.sha256'], name=op.f('fk_assessment_evidence_blob_sha256_blobs')),
    sa.ForeignKeyConstraint(['criterion_id'], ['criteria.id'], name=op.f('fk_assessment_evidence_criterion_id_criteria')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_assessment_evidence_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_evidence'))
    )
    with op.batch_alter_table('assessment_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_evidence_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_evidence_blob_sha256'), ['blob_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_evidence_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('assessment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_events_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_events'))
    )
    with op.batch_alter_table('assessment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_events_assessment_id'), ['assessment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_events_assessment_id'))
    op.drop_table('assessment_events')
    with op.batch_alter_table('assessment_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_evidence_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_evidence_blob_sha256'))
        batch_op.drop_index(batch_op.f('ix_assessment_evidence_assessment_id'))
    op.drop_table('assessment_evidence')
    with op.batch_alter_table('assessment_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_scores_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_scores_assessment_id'))
    op.drop_table('assessment_scores')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_year'))
        batch_op.drop_index(batch_op.f('ix_assessments_state'))
        batch_op.drop_index(batch_op.f('ix_assessments_space_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_criteria_set_id'))
    op.drop_table('assessments')
    with op.batch_alter_table('criteria_set_years', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_set_years_criteria_set_id'))
    op.drop_table('criteria_set_years')
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_criteria_set_id'))
    op.drop_table('criteria')
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_sets_valid_from'))
    op.drop_table('criteria_sets')
