"""ldtbxh: the registry of models, clubs and counselling points, and their activities

Revision ID: ldtbxh_0001
Revises: (base of the "ldtbxh" branch; needs the core's spaces and users)
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "ldtbxh_0001"
down_revision = None
branch_labels = ("ldtbxh",)
depends_on = "0003_notices"


def upgrade():
    op.create_table(
        "ldtbxh_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("space_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], name=op.f("fk_ldtbxh_units_space_id_spaces")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ldtbxh_units")),
        sa.UniqueConstraint("code", name=op.f("uq_ldtbxh_units_code")),
    )
    with op.batch_alter_table("ldtbxh_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ldtbxh_units_space_id"), ["space_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ldtbxh_units_kind"), ["kind"], unique=False)

    op.create_table(
        "ldtbxh_unit_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("participants_male", sa.Integer(), nullable=True),
        sa.Column("participants_female", sa.Integer(), nullable=True),
        sa.Column("sessions", sa.Integer(), nullable=True),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["ldtbxh_units.id"],
            name=op.f("fk_ldtbxh_unit_activities_unit_id_ldtbxh_units"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_ldtbxh_unit_activities_author_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ldtbxh_unit_activities")),
    )
    with op.batch_alter_table("ldtbxh_unit_activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ldtbxh_unit_activities_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ldtbxh_unit_activities_activity_date"), ["activity_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_ldtbxh_unit_activities_author_id"), ["author_id"], unique=False)


def downgrade():
    with op.batch_alter_table("ldtbxh_unit_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ldtbxh_unit_activities_author_id"))
        batch_op.drop_index(batch_op.f("ix_ldtbxh_unit_activities_activity_date"))
        batch_op.drop_index(batch_op.f("ix_ldtbxh_unit_activities_unit_id"))
    op.drop_table("ldtbxh_unit_activities")
    with op.batch_alter_table("ldtbxh_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ldtbxh_units_kind"))
        batch_op.drop_index(batch_op.f("ix_ldtbxh_units_space_id"))
    op.drop_table("ldtbxh_units")
