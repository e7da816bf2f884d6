"""The groups of the child register are data: the 14 groups of children in special circumstances of
the Child Law 2016 (Article 10), the children at risk and the situations the plan counts, each code
once, every title in Vietnamese with its diacritics; a malformed file is refused, saying where."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
import yaml

from intranet.cases.groups import (
    AT_RISK,
    KINDS,
    SPECIAL,
    GroupDataError,
    UnknownGroupError,
    catalogue_from_data,
    default_catalogue,
)
from intranet.text import normalise_tones

#: The Child Law 2016, Article 10, paragraph 1, points a to o, as the law writes them.
ARTICLE_10 = [
    "Trẻ em mồ côi cả cha và mẹ",
    "Trẻ em bị bỏ rơi",
    "Trẻ em không nơi nương tựa",
    "Trẻ em khuyết tật",
    "Trẻ em nhiễm HIV/AIDS",
    "Trẻ em vi phạm pháp luật",
    "Trẻ em nghiện ma túy",
    "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở",
    "Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực",
    "Trẻ em bị bóc lột",
    "Trẻ em bị xâm hại tình dục",
    "Trẻ em bị mua bán",
    "Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo hoặc hộ cận nghèo",
    "Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc",
]
POINTS = "a b c d đ e g h i k l m n o".split()


def group(code="orphan", kind=SPECIAL, title="Trẻ em mồ côi cả cha và mẹ", **extra):
    return {"code": code, "kind": kind, "ref": "Điều 10", "title": title, "title_en": "Orphans", **extra}


def data(*versions):
    return {"versions": list(versions)}


def version(day=dt.date(2017, 6, 1), groups=None, **extra):
    return {"valid_from": day, "source": "Luật Trẻ em 2016", "groups": groups or [group()], **extra}


# --- the file ----------------------------------------------------------------------------------


def test_the_file_holds_the_14_groups_of_article_10_in_the_laws_order():
    (in_force,) = default_catalogue().versions
    special = [g for g in in_force.groups if g.kind == SPECIAL]
    assert [g.title for g in special] == ARTICLE_10
    assert [g.ref.rsplit(" ", 1)[-1] for g in special] == POINTS
    assert in_force.valid_from == dt.date(2017, 6, 1)  # the day the Child Law came into force


def test_every_code_of_the_file_is_unique_and_every_title_written_in_full():
    catalogue = default_catalogue()
    for in_force in catalogue.versions:
        assert len(set(in_force.codes)) == len(in_force.codes)
        for g in in_force.groups:
            assert g.kind in KINDS
            assert g.title == unicodedata.normalize("NFC", g.title) == normalise_tones(g.title)
            assert g.title_en and g.title_en.isascii()
    assert {g.kind for g in catalogue.versions[-1].groups} == set(KINDS)
    assert catalogue.get("risk_abuse").title == "Trẻ em có nguy cơ bị xâm hại, lạm dụng, ngược đãi"
    assert catalogue.get("early_labour").title == "Trẻ em lao động sớm"


def test_a_duplicate_code_in_the_file_would_be_refused():
    """The same check, run on the file itself with one group repeated."""
    from importlib import resources

    text = resources.files("intranet.cases").joinpath("groups.yaml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(text)
    loaded["versions"][0]["groups"].append(dict(loaded["versions"][0]["groups"][3]))
    with pytest.raises(GroupDataError, match="the code disabled appears twice"):
        catalogue_from_data(loaded)


# --- versions ----------------------------------------------------------------------------------


def test_the_list_in_force_is_the_latest_begun_and_the_first_for_earlier_days():
    catalogue = catalogue_from_data(
        data(
            version(dt.date(2017, 6, 1), [group(), group("abandoned", title="Trẻ em bị bỏ rơi")]),
            version(dt.date(2030, 1, 1), [group(), group("risk_new", AT_RISK, "Trẻ em có nguy cơ mới")]),
        )
    )
    assert catalogue.in_force_on(dt.date(2015, 3, 1)).valid_from == dt.date(2017, 6, 1)
    assert catalogue.in_force_on(dt.date(2029, 12, 31)).valid_from == dt.date(2017, 6, 1)
    assert catalogue.in_force_on(dt.date(2030, 1, 1)).valid_from == dt.date(2030, 1, 1)
    assert catalogue.check("abandoned", dt.date(2015, 3, 1)).title == "Trẻ em bị bỏ rơi"
    with pytest.raises(UnknownGroupError, match="not in the list in force from 2030-01-01"):
        catalogue.check("abandoned", dt.date(2030, 6, 1))
    with pytest.raises(UnknownGroupError):
        catalogue.check("risk_new", dt.date(2029, 6, 1))
    # a code a later list dropped still has its title, for the memberships that hold it
    assert catalogue.get("abandoned").title == "Trẻ em bị bỏ rơi"
    with pytest.raises(UnknownGroupError, match="No list"):
        catalogue.get("nothing")
    with pytest.raises(TypeError):
        catalogue.in_force_on(dt.datetime(2017, 6, 1, 8, 0))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([], "not a mapping|mapping with one key"),
        ({"versions": []}, "holds no version"),
        ({"versions": [], "other": 1}, "mapping with one key"),
        (data(version(extra=1)), "valid_from, source and groups, nothing else"),
        (data(version(day="2017-06-01")), "valid_from is a day"),
        (data(version(day=dt.datetime(2017, 6, 1))), "valid_from is a day"),
        (data(version(source=" ")), "say where the groups come from"),
        (data(version(groups="orphan")), "groups is a list"),
        (data(version(groups=[["orphan"]])), "group 1: give code, kind, ref, title and title_en"),
        (data(version(groups=[group(note="x")])), "nothing else"),
        (data(version(groups=[group(title=" ")])), "not empty"),
        (data(version(groups=[group(code="Orphan")])), "lower-case"),
        (data(version(groups=[group(code="o")])), "2 to 32"),
        (data(version(groups=[group(kind="other")])), r"\(orphan\): the kind is one of special, at_risk, situation"),
        (data(version(groups=[group(title="Trẻ em nghiện ma tuý")])), "tone on the main vowel"),
        (data(version(groups=[group(title=unicodedata.normalize("NFD", "Trẻ em bị bỏ rơi"))])), "NFC"),
        (data(version(groups=[group(), group()])), "Version 1: the code orphan appears twice"),
        (data(version(dt.date(2017, 6, 1)), version(dt.date(2017, 6, 1))), "Version 2: valid_from must come after"),
        (data(version(), version(dt.date(2020, 1, 1), [group(kind=AT_RISK)])), "orphan changes its kind"),
    ],
)
def test_malformed_data_is_refused_saying_where(bad, message):
    with pytest.raises(GroupDataError, match=message):
        catalogue_from_data(bad)
