"""The migrations (the core's chain and the plugins' branches) build exactly the schema that the
models declare: a column added to a model without its migration fails here, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intranet.models.meta import Base


def test_migrations_build_the_schema_the_models_declare(app):
    import intranet_ldtbxh.models  # noqa: F401  (the registry's tables, from its own branch)

    with app.registry["dbengine"].connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert {"commune_plans", "assessments", "criteria_sets", "ldtbxh_units", "ldtbxh_unit_activities"} <= set(
        Base.metadata.tables
    )
