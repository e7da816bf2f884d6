"""`intranet seed`: the plan of the year, the spaces the plugins declare, each domain's reference rows,
each plugin's rows and (in development) the demo accounts and their documents.

Idempotent: a second run finds everything in place and changes nothing. Each domain keeps its own
seed (intranet/plans/seed.py, reports/seed.py, assessments/seed.py); this module runs them in order.
"""

from __future__ import annotations

import os
import sys

import transaction
from sqlalchemy import select

import intranet
from intranet import clock
from intranet.accounts.models import User
from intranet.accounts.services import hash_password, password_problem
from intranet.assessments.seed import seed_criteria_sets
from intranet.cases.seed import seed_demo_cases, seed_demo_children
from intranet.config import ConfigurationError, is_production
from intranet.host import get_registry
from intranet.models import get_tm_session
from intranet.plans.seed import seed_demo_commune_plans, seed_plan
from intranet.reports.seed import seed_demo_reports, seed_periods, seed_targets
from intranet.spaces.models import Membership, Space

#: The order of section V of the plan, then the communes as the district lists them.
SPACE_ORDER = [
    "ldtbxh",
    "taichinh-kehoach",
    "noivu",
    "yte",
    "giaoduc",
    "vanhoa-thongtin",
    "congan",
    "trungtam-yte",
    "danso-khhgd",
    "truyenthanh-truyenhinh",
    "mattran-doanthe",
    "tt-dak-to",
    "tan-canh",
    "kon-dao",
    "dak-tram",
    "ngoc-tu",
    "dak-ro-nga",
    "dien-binh",
    "po-ko",
    "van-lem",
]


DEMO_PASSWORD = "demo2017"


#: login, full name, global role, (space slug, local role[, child-protection officer]) or None, who
#: (for the printed table)
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", "admin", None, "site administrator"),
    ("dieuphoi", "Nguyễn Thị Lan", "coordinator", ("ldtbxh", "head"), "district coordinator, head of ldtbxh"),
    ("congan", "Trần Văn Hùng", None, ("congan", "officer"), "officer of congan"),
    ("giaoduc", "Lê Thị Mai", None, ("giaoduc", "officer"), "officer of giaoduc"),
    ("yte", "Phạm Văn Đức", None, ("yte", "officer"), "officer of yte"),
    ("truyenhinh", "Võ Thị Hạnh", None, ("truyenthanh-truyenhinh", "officer"), "officer of truyenthanh-truyenhinh"),
    ("tancanh", "A Thịnh", None, ("tan-canh", "officer", True), "officer of tan-canh (child-protection officer)"),
    ("chutich.tancanh", "Y Bình", None, ("tan-canh", "head"), "head (chairman) of tan-canh"),
    ("sotinh", "Đỗ Quang Minh", "province", None, "provincial viewer (Sở LĐTBXH)"),
]


def seed_spaces(dbsession, registry) -> list[str]:
    """Create the spaces the enabled plugins declare; return the slugs created."""
    reg = get_registry(registry)
    existing = set(dbsession.scalars(select(Space.slug)))
    created = []
    for kind in reg.kinds.values():
        for seed in kind.spaces:
            if seed.slug in existing:
                continue
            order = SPACE_ORDER.index(seed.slug) if seed.slug in SPACE_ORDER else len(SPACE_ORDER)
            dbsession.add(
                Space(
                    slug=seed.slug,
                    kind=kind.key,
                    category=kind.category,
                    title=seed.title,
                    title_en=seed.title_en,
                    sort_order=order,
                )
            )
            created.append(seed.slug)
    dbsession.flush()
    return created


def ensure_user(dbsession, login, full_name, password, global_role=None) -> tuple[object, bool]:
    user = dbsession.scalars(select(User).where(User.login == login)).one_or_none()
    if user is not None:
        return user, False
    user = User(login=login, full_name=full_name, password_hash=hash_password(password), global_role=global_role)
    dbsession.add(user)
    dbsession.flush()
    return user, True


def ensure_membership(dbsession, user, slug, role, protects_children=False) -> bool:
    """Give ``user`` the ``role`` in the space ``slug`` (designated its child-protection officer
    or not) unless they already hold one there: a role changed since is left as it is."""
    space = dbsession.scalars(select(Space).where(Space.slug == slug)).one_or_none()
    if space is None:
        return False
    found = dbsession.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.space_id == space.id)
    ).one_or_none()
    if found is not None:
        return False
    dbsession.add(Membership(user_id=user.id, space_id=space.id, role=role, protects_children=protects_children))
    return True


def seed_demo(dbsession) -> int:
    changed = 0
    for login, name, global_role, membership, _who in DEMO_ACCOUNTS:
        user, created = ensure_user(dbsession, login, name, DEMO_PASSWORD, global_role)
        changed += created
        if membership:
            changed += ensure_membership(dbsession, user, *membership)
    return changed


def seed_admin_from_env(dbsession) -> bool:
    login = os.environ.get("INTRANET_ADMIN_LOGIN", "").strip().lower()
    password = os.environ.get("INTRANET_ADMIN_PASSWORD", "")
    if not login and not password:
        return False
    if not login or not password:
        raise ConfigurationError("Set both INTRANET_ADMIN_LOGIN and INTRANET_ADMIN_PASSWORD.")
    if password_problem(password) is not None:
        raise ConfigurationError("INTRANET_ADMIN_PASSWORD must have 8 to 256 characters.")
    _user, created = ensure_user(dbsession, login, "Quản trị hệ thống", password, "admin")
    return created


def run_seed(settings: dict, *, demo: bool = False, out=sys.stdout) -> None:
    if demo and is_production(settings):
        raise ConfigurationError("Refusing to create demo accounts against a production configuration.")
    # Looked up on the package when called, so that the refusal above is seen to come first.
    app = intranet.main({}, **settings)
    registry = app.registry
    day = clock.demo_today()
    if day is not None:
        print(
            f"Demo clock (intranet.demo_today): today is {day:%d/%m/%Y}; the demo is seeded as of that day.",
            file=out,
            flush=True,
        )
    session_factory = registry["dbsession_factory"]
    with transaction.manager:
        dbsession = get_tm_session(session_factory, transaction.manager)
        plan, plan_created = seed_plan(dbsession)
        print(f"Plan 2017: {'loaded' if plan_created else 'already present'}.", file=out, flush=True)
        dbsession.flush()

        print(
            f"Reporting periods: {seed_periods(dbsession, plan)} added; "
            f"indicator targets: {seed_targets(dbsession, plan)} added.",
            file=out,
            flush=True,
        )
        created = seed_spaces(dbsession, registry)
        print(
            f"Spaces: {len(created)} created" + (f" ({', '.join(created)})." if created else "."), file=out, flush=True
        )

        print(
            f"Criteria sets (child-friendly communes): {seed_criteria_sets(dbsession, registry)} added.",
            file=out,
            flush=True,
        )
        if demo:
            changed = seed_demo(dbsession)
            print(f"Demo accounts: {changed} rows added (password {DEMO_PASSWORD!r}).", file=out, flush=True)
            dbsession.flush()
            print(
                f"Demo reports (half-year 2017): {seed_demo_reports(dbsession, registry)} added.", file=out, flush=True
            )
            print(
                f"Demo commune plans (2017): {seed_demo_commune_plans(dbsession, registry)} added.",
                file=out,
                flush=True,
            )
            print(
                f"Demo children (fictional, in Tân Cảnh's register): {seed_demo_children(dbsession, registry)} added.",
                file=out,
                flush=True,
            )
            print(
                f"Demo cases (fictional, in Tân Cảnh): {seed_demo_cases(dbsession, registry)} added.",
                file=out,
                flush=True,
            )
        else:
            if seed_admin_from_env(dbsession):
                print("Administrator created from INTRANET_ADMIN_LOGIN.", file=out, flush=True)
        dbsession.flush()
        seed_plugins(dbsession, registry, demo=demo, out=out)
        if demo:
            print_demo_accounts(out)
    registry["dbengine"].dispose()


def seed_plugins(dbsession, registry, *, demo: bool, out=sys.stdout) -> None:
    """Let each enabled plugin load its own reference (and demonstration) rows."""
    for key, info in get_registry(registry).plugins.items():
        if info.plugin.seed is None:
            continue
        added = info.plugin.seed(dbsession, demo=demo)
        dbsession.flush()
        print(f"Plugin {key}: {added} rows added.", file=out, flush=True)


def print_demo_accounts(out=sys.stdout) -> None:
    print("", file=out)
    print(f"  {'login':<17} who (password: {DEMO_PASSWORD})", file=out)
    for login, _name, _g, _m, who in DEMO_ACCOUNTS:
        print(f"  {login:<17} {who}", file=out)
    print("", file=out, flush=True)
