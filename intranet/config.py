"""Settings: defaults, environment overrides and validation.

Production reads its secrets from the environment only (``DATABASE_URL``, ``INTRANET_SECRET``)
and refuses to start without them; development and tests get safe local defaults.
"""

from __future__ import annotations

import datetime as dt
import os

from pyramid.settings import asbool, aslist

MIN_SECRET_LENGTH = 32

DEFAULTS = {
    "intranet.environment": "development",
    "intranet.session_idle_seconds": "7200",
    # However active, a session ends this long after sign-in (12 hours: one working day).
    "intranet.session_max_seconds": "43200",
    # The addresses of the reverse proxies whose X-Forwarded-For is believed (none by default).
    "intranet.trusted_proxies": "",
    "intranet.login_max_failures": "5",
    "intranet.login_lock_seconds": "900",
    "intranet.max_upload_bytes": str(10 * 1024 * 1024),
    "intranet.max_request_bytes": str(60 * 1024 * 1024),
    "intranet.page_size": "20",
    "intranet.secure_cookies": "false",
    # How long a closed case keeps its free texts before `intranet erase-expired-cases` erases them
    # (the counts stay): set it to what the province's archives rules require.
    "intranet.case_retention_years": "5",
    "retry.attempts": "3",
    "tm.manager_hook": "pyramid_tm.explicit_manager",
    # pyramid_tm would read the identity (a query) in its own tween, outside the exception views:
    # a database that does not answer then gave a bare 500 instead of the "try again" page. The
    # audit trail records who did what; the transaction notes are not needed.
    "tm.annotate_user": "false",
    "jinja2.i18n.domain": "intranet",
    # Less whitespace in every page: they travel over slow mobile links.
    "jinja2.trim_blocks": "true",
    "jinja2.lstrip_blocks": "true",
}


class ConfigurationError(RuntimeError):
    """The settings cannot run the intranet; the message says what to fix."""


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs however they are spelled in the environment."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_production(settings) -> bool:
    return settings.get("intranet.environment", "development") == "production"


#: The development setting that moves the clock to a demonstration day (see intranet.clock).
DEMO_TODAY = "intranet.demo_today"


def demo_today(settings) -> dt.date | None:
    """The day ``intranet.demo_today`` names (yyyy-mm-dd), or None when it is unset or empty."""
    text = (settings.get(DEMO_TODAY) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigurationError(
            f"{DEMO_TODAY} must be a day written yyyy-mm-dd (e.g. 2017-05-29), not {text!r}."
        ) from None


def resolve_settings(settings: dict) -> dict:
    """Return a copy of ``settings`` with defaults, environment overrides, and checks applied."""
    merged = dict(DEFAULTS)
    merged.update({k: v for k, v in settings.items() if v is not None})

    # The environment fills what the ini file leaves empty (production.ini leaves both empty),
    # so a stray DATABASE_URL never redirects a development or test run to another database.
    env_url = os.environ.get("DATABASE_URL")
    if env_url and not (merged.get("sqlalchemy.url") or "").strip():
        merged["sqlalchemy.url"] = env_url
    env_secret = os.environ.get("INTRANET_SECRET")
    if env_secret and not (merged.get("intranet.secret") or "").strip():
        merged["intranet.secret"] = env_secret

    production = is_production(merged)
    url = (merged.get("sqlalchemy.url") or "").strip()
    secret = (merged.get("intranet.secret") or "").strip()
    if not url:
        raise ConfigurationError(
            "DATABASE_URL is not set and the ini file names no sqlalchemy.url: the production "
            "configuration reads the database address from the environment "
            "(e.g. postgresql://user@host/dbname)."
        )
    if not secret:
        raise ConfigurationError(
            "INTRANET_SECRET is not set: the production configuration reads the cookie "
            "signing secret from the environment."
        )
    if production and len(secret) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"INTRANET_SECRET is too short: use at least {MIN_SECRET_LENGTH} random characters "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    day = demo_today(merged)
    if production and day is not None:
        raise ConfigurationError(
            f"{DEMO_TODAY} = {day.isoformat()} is set, but it is a development setting: it moves the "
            "clock to a demonstration day, so deadlines, lock dates and every recorded time would be "
            f"wrong. Remove the line {DEMO_TODAY} from the production ini file."
        )
    if production:
        merged["intranet.secure_cookies"] = merged.get("intranet.secure_cookies_override", "true")
        if asbool(merged.get("pyramid.reload_templates")) or "pyramid_debugtoolbar" in aslist(
            merged.get("pyramid.includes", "")
        ):
            raise ConfigurationError("The debug toolbar and template reload are not for production.")
    merged["sqlalchemy.url"] = normalise_database_url(url)
    merged["intranet.secret"] = secret
    return merged
