"""The seed: the 2017 plan, the 20 spaces of the plugins, the demo accounts; idempotent."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from intranet.plans.seed import DEMO_ACCOUNTS, SPACE_ORDER, run_seed


def counts(app):
    from intranet.accounts.models import User
    from intranet.plans.models import Plan
    from intranet.spaces.models import Membership, Space

    session = app.registry["dbsession_factory"]()
    try:
        return {model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (User, Space, Membership, Plan)}
    finally:
        session.close()


def test_seeded_content(app):
    from intranet.plans.models import Plan
    from intranet.spaces.models import Space

    session = app.registry["dbsession_factory"]()
    try:
        spaces = session.scalars(select(Space).order_by(Space.sort_order)).all()
        plan = session.scalars(select(Plan)).one()
    finally:
        session.close()
    assert [s.slug for s in spaces] == SPACE_ORDER
    assert sum(s.category == "agency" for s in spaces) == 11
    assert sum(s.category == "commune" for s in spaces) == 9
    assert {s.kind for s in spaces if s.category == "commune"} == {"xa"}
    assert plan.year == 2017
    assert plan.half_year_due.isoformat() == "2017-06-05" and plan.year_due.isoformat() == "2017-12-15"
    assert plan.title == "Kế hoạch thực hiện Chương trình bảo vệ trẻ em huyện Đăk Tô năm 2017"


def test_seed_twice_changes_nothing(app, app_settings):
    before = counts(app)
    assert before["User"] >= len(DEMO_ACCOUNTS) and before["Space"] == 20 and before["Plan"] == 1
    out = io.StringIO()
    run_seed(app_settings, demo=True, out=out)
    assert counts(app) == before
    assert "Spaces: 0 created." in out.getvalue()
    assert "Demo accounts: 0 rows added" in out.getvalue()
