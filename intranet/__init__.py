"""The Đăk Tô child-protection intranet: ``main()`` builds the WSGI application."""

from __future__ import annotations

import gc

from pyramid.config import Configurator
from pyramid.settings import asbool

from intranet import clock, limits
from intranet.config import demo_today, resolve_settings


def main(global_config, **settings):
    settings = resolve_settings(settings)
    # Development only (resolve_settings refuses it in production): the demo plan's day. Unset,
    # the clock is left as it is, so a test that moved it keeps its day while it builds an app.
    day = demo_today(settings)
    if day is not None:
        clock.set_demo_today(day)
    with Configurator(settings=settings, root_factory="intranet.resources.root_factory") as config:
        config.include("intranet.limits")
        config.include("intranet.i18n")
        config.include("intranet.clock")
        config.include("intranet.security")
        config.include("intranet.inputs")
        config.include("intranet.methods")
        config.include("intranet.compression")
        config.include("intranet.transient")
        config.include("intranet.models")
        config.include("intranet.host")
        config.include("intranet.workflow")
        config.include("intranet.routes")
        config.include("intranet.reports")
        config.include("intranet.plans")
        config.include("intranet.assessments")
        config.include("intranet.notifications")
        config.include("intranet.cases")
        config.include("intranet.api")
        config.scan("intranet", ignore=["intranet.cli", "intranet.plugin"])
        config.include("intranet.host.include_plugins")
    app = limits.wrap(config.make_wsgi_app(), settings)
    if asbool(settings.get("intranet.gc_freeze")):
        # The application's own objects (routes, views, templates, mappers, catalogues: about
        # 150,000) live as long as the process; frozen, the garbage collector stops walking them on
        # every collection a request triggers (about a tenth of a page's time). Production only:
        # a test run builds many applications, and frozen objects are never freed.
        gc.collect()
        gc.freeze()
    return app
