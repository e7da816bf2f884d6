"""The one Alembic environment: core branch "core", plus each plugin's branch (label = key).

Run through ``intranet db upgrade <ini>``, which passes the resolved settings and the plugins'
version folders.
"""

from alembic import context

from intranet.models import get_engine
from intranet.models.meta import metadata

config = context.config
settings = config.attributes.get("settings")
if settings is None:  # plain `alembic` with an ini file that has an [app:main] section
    from pyramid.paster import get_appsettings

    from intranet.config import resolve_settings

    settings = resolve_settings(get_appsettings(config.config_file_name, name="main"))


def run_migrations_offline():
    context.configure(
        url=settings["sqlalchemy.url"], target_metadata=metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = get_engine(settings)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
