"""The ceiling: the fastest page the intranet's stack can serve, for bench/pages.py to compare with.

    DATABASE_URL=postgresql://... gunicorn --chdir /path/to/project -w 2 'bench.ceiling:make_app()'

A bare Pyramid application on the intranet's own stack (pyramid_tm, zope.sqlalchemy, SQLAlchemy
2 ORM, pyramid_jinja2 with the intranet's Vietnamese catalogue) and nothing else: no security
policy, no session, no plugins. Its one page lists 33 units read through the ORM from the
intranet's ``spaces`` table (only read, never written) in a template with a layout of the same
weight as the intranet's (translated menu, links built with ``route_path``). Whatever a real page
costs beyond this one is the application's own work.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import zope.sqlalchemy
from pyramid.config import Configurator
from sqlalchemy import String, engine_from_config, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

HERE = Path(__file__).resolve().parent
ROWS = 33


class Base(DeclarativeBase):
    """A metadata of its own: the ceiling knows nothing of the intranet's models."""


class Unit(Base):
    __tablename__ = "spaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int]


def units(request):
    rows = request.dbsession.scalars(select(Unit).order_by(Unit.sort_order, Unit.id).limit(ROWS)).all()
    return {"rows": rows}


def make_app(settings: dict | None = None):
    settings = dict(settings or {})
    url = settings.get("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("DATABASE_URL is not set: the ceiling reads the intranet database's spaces table")
    settings.update(
        {
            # psycopg 3, as the intranet uses, however the URL spells the driver
            "sqlalchemy.url": re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url),
            "sqlalchemy.pool_pre_ping": "true",
            "tm.manager_hook": "pyramid_tm.explicit_manager",
            "tm.annotate_user": "false",
            "jinja2.i18n.domain": "intranet",
            "jinja2.trim_blocks": "true",
            "jinja2.lstrip_blocks": "true",
            "pyramid.default_locale_name": "vi",
            "pyramid.reload_templates": "false",
        }
    )
    with Configurator(settings=settings) as config:
        config.include("pyramid_tm")
        config.include("pyramid_jinja2")
        # A folder path, not the asset spec "intranet:locale": the catalogue without the package.
        config.add_translation_dirs(str(HERE.parent / "intranet" / "locale"))
        config.add_jinja2_renderer(".jinja2")
        config.add_jinja2_search_path(str(HERE / "templates"), name=".jinja2")

        engine = engine_from_config(settings, "sqlalchemy.")
        factory = sessionmaker(bind=engine, expire_on_commit=False)

        def dbsession(request):
            session = factory(info={"request": request})
            zope.sqlalchemy.register(session, transaction_manager=request.tm)
            return session

        config.add_request_method(dbsession, reify=True)
        config.add_route("home", "/")
        config.add_route("list", "/spaces")
        config.add_route("unit", "/spaces/{slug}")
        for route in ("home", "list"):
            config.add_view(units, route_name=route, renderer="ceiling_list.jinja2")
        config.registry["dbengine"] = engine
    return config.make_wsgi_app()
