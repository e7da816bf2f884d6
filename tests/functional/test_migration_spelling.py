"""Revision 0007_plan_spelling: a database seeded before the glossary's spelling gets the seeded
texts of the plan in that style (hóa, khỏe, Ủy, ma túy; "10 %"); what people typed is left alone,
and the stored criteria set is still recognised as the plugin's own by the next seed."""

from __future__ import annotations

import json
import os

import pytest
from alembic import command
from sqlalchemy import JSON, column, create_engine, table, text

from intranet.assessments import services as assessment_services
from intranet.cli import alembic_config, db_upgrade
from intranet.config import resolve_settings
from intranet.host import get_registry
from intranet.seed import run_seed
from tests.fixtures.database import base_settings, throwaway_database

REVISION = "0007_plan_spelling"

#: New style -> the old style a database seeded before the change holds.
OLD = {
    "Ủy ban": "Uỷ ban",
    "ma túy": "ma tuý",
    "sức khỏe": "sức khoẻ",
    "văn hóa": "văn hoá",
    "hóa gia đình": "hoá gia đình",
}


def old_style(value: str) -> str:
    for new, old in OLD.items():
        value = value.replace(new, old)
    return value.replace(" %", "%")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A seeded database made old-style, then taken through the revision: (engine, before, registry)."""
    from intranet import main

    with throwaway_database(tmp_path_factory, "intranet_spelling") as url:
        settings = base_settings(url)
        db_upgrade(resolve_settings(settings))
        with open(os.devnull, "w") as devnull:
            run_seed(settings, demo=True, out=devnull)
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        app = main({}, **settings)
        registry = app.registry
        app.registry["dbengine"].dispose()
        try:
            before = make_old_style(engine)
            # As if the revision had not run yet: the core branch back to 0006 (the revisions after
            # it go down too), then up again through this one.
            command.downgrade(alembic_config(resolve_settings(settings)), "0006_user_sessions")
            db_upgrade(resolve_settings(settings))
            yield engine, before, registry, settings
        finally:
            engine.dispose()


def make_old_style(engine) -> dict:
    """Write the old spelling where a database seeded before the change has it; return the rows'
    texts as written, and a user's own text that must survive."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE plans SET issuer = :v, summary = summary || :s"),
            {"v": "Uỷ ban nhân dân huyện Đăk Tô", "s": " Chăm sóc sức khoẻ trẻ em."},
        )
        for key, target in conn.execute(text("SELECT indicator_key, target_text FROM indicator_targets")).all():
            conn.execute(
                text("UPDATE indicator_targets SET target_text = :t WHERE indicator_key = :k"),
                {"t": old_style(target), "k": key},
            )
        conn.execute(
            text("UPDATE periods SET title = :t WHERE code = '2017-6t'"), {"t": "6 tháng đầu năm 2017 (văn hoá, 10%)"}
        )
        conn.execute(
            text("UPDATE spaces SET title = :t WHERE slug = 'danso-khhgd'"),
            {"t": "Trung tâm Dân số – Kế hoạch hoá gia đình"},
        )
        plan_id, label = conn.execute(text("SELECT id, label FROM commune_plan_targets ORDER BY id")).first()
        conn.execute(
            text("UPDATE commune_plan_targets SET label = :l WHERE id = :i"), {"l": label + " (khoẻ, 5%)", "i": plan_id}
        )
        # users' own words: a commune plan's section, a duty log would be the same
        conn.execute(text("UPDATE commune_plan_sections SET text = :t"), {"t": "Xã hội hoá, sức khoẻ 10%."})
        # the criteria set, stored as the old file read: its texts, its copy in rows, its fingerprint
        row = conn.execute(
            text("SELECT id, definition FROM criteria_sets WHERE key = 'qd-06-2019' ORDER BY version DESC")
        ).first()
        definition = row[1] if isinstance(row[1], dict) else json.loads(row[1])
        for criterion in definition["criteria"]:
            criterion["title"] = old_style(criterion["title"])
        old_print = assessment_services.fingerprint(definition)
        sets = table("criteria_sets", column("id"), column("definition", JSON), column("fingerprint"))
        conn.execute(sets.update().where(sets.c.id == row[0]).values(definition=definition, fingerprint=old_print))
        conn.execute(
            text("UPDATE criteria SET title = REPLACE(title, 'ma túy', 'ma tuý') WHERE criteria_set_id = :i"),
            {"i": row[0]},
        )
        titles = [c["title"] for c in definition["criteria"]]
    assert "Trẻ em vi phạm pháp luật, sử dụng ma tuý" in titles  # the test writes what it means to
    return {"set_id": row[0], "old_print": old_print}


def scalar(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_the_revision_is_on_the_core_branch_and_the_database_at_its_head(migrated):
    from alembic.script import ScriptDirectory

    engine, _before, _registry, settings = migrated
    script = ScriptDirectory.from_config(alembic_config(resolve_settings(settings)))
    assert script.get_revision(REVISION).down_revision == "0006_user_sessions"
    # The next core revision stands on this one, and the database is back at the core's head.
    assert script.get_revision("0008_child_register").down_revision == REVISION
    (core_head,) = script.get_revisions("core@head")
    assert scalar(engine, "SELECT COUNT(*) FROM alembic_version WHERE version_num = :r", r=core_head.revision) == 1


def test_the_plans_texts_take_the_glossarys_spelling(migrated):
    engine, _before, _registry, _settings = migrated
    assert scalar(engine, "SELECT issuer FROM plans") == "Ủy ban nhân dân huyện Đăk Tô"
    assert scalar(engine, "SELECT summary FROM plans").endswith(" Chăm sóc sức khỏe trẻ em.")
    with engine.connect() as conn:
        targets = dict(conn.execute(text("SELECT indicator_key, target_text FROM indicator_targets")).all())
    assert targets["tre_em_hcdb"] == "Giảm 5 % so với năm 2016"
    assert targets["nang_cao_nhan_thuc"] == "65 % gia đình, nhà trường, cộng đồng và trẻ em"
    assert not any("%" in t and " %" not in t for t in targets.values())
    assert scalar(engine, "SELECT title FROM periods WHERE code = '2017-6t'") == "6 tháng đầu năm 2017 (văn hóa, 10 %)"
    assert (
        scalar(engine, "SELECT title FROM spaces WHERE slug = 'danso-khhgd'")
        == "Trung tâm Dân số – Kế hoạch hóa gia đình"
    )
    assert scalar(engine, "SELECT label FROM commune_plan_targets ORDER BY id").endswith(" (khỏe, 5 %)")


def test_what_people_typed_is_left_as_they_wrote_it(migrated):
    engine, _before, _registry, _settings = migrated
    with engine.connect() as conn:
        texts = {t for (t,) in conn.execute(text("SELECT text FROM commune_plan_sections")).all()}
    assert texts == {"Xã hội hoá, sức khoẻ 10%."}


def test_the_stored_criteria_set_is_normalised_and_still_the_plugins(migrated):
    engine, before, registry, _settings = migrated
    with engine.connect() as conn:
        definition, digest = conn.execute(
            text("SELECT definition, fingerprint FROM criteria_sets WHERE id = :i"), {"i": before["set_id"]}
        ).one()
        rows = [
            t
            for (t,) in conn.execute(
                text("SELECT title FROM criteria WHERE criteria_set_id = :i"), {"i": before["set_id"]}
            ).all()
        ]
    definition = definition if isinstance(definition, dict) else json.loads(definition)
    titles = [c["title"] for c in definition["criteria"]]
    assert "Trẻ em vi phạm pháp luật, sử dụng ma túy" in titles and "Trẻ em được khám sức khỏe định kỳ" in titles
    assert "Trẻ em vi phạm pháp luật, sử dụng ma túy" in rows
    assert digest != before["old_print"] and digest == assessment_services.fingerprint(definition)
    # what the next seed compares: the plugin's set, read from its file, is the stored one
    reg = get_registry(registry)
    (cset,) = [c for (key, _v), c in reg.criteria_sets.items() if key == "qd-06-2019"]
    assert assessment_services.fingerprint(cset.as_data()) == digest
    assert definition == cset.as_data()


def test_a_second_run_changes_nothing_and_the_downgrade_keeps_the_text(migrated):
    from alembic import command

    engine, _before, _registry, settings = migrated
    issuer = scalar(engine, "SELECT issuer FROM plans")
    cfg = alembic_config(resolve_settings(settings))
    command.downgrade(cfg, f"{REVISION}-1")
    assert scalar(engine, "SELECT issuer FROM plans") == issuer == "Ủy ban nhân dân huyện Đăk Tô"
    command.upgrade(cfg, "heads")
    assert scalar(engine, "SELECT issuer FROM plans") == issuer
