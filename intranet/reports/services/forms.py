"""Report forms and their versions: a submission is read with the form it was filled on."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from intranet.host import get_registry
from intranet.plugin.forms import (
    DataElement,
    Disaggregation,
    Narrative,
    Option,
    ReportForm,
    Rule,
    Section,
)
from intranet.reports.models import (
    FormVersion,
    Submission,
)
from intranet.workflow import TransitionCode, TransitionError  # noqa: F401 (the callers' names)


def forms_for(registry, kind: str) -> list[ReportForm]:
    return get_registry(registry).forms_for(kind)


def form(registry, key: str) -> ReportForm | None:
    return get_registry(registry).forms.get(key)


def definition(form: ReportForm) -> dict:
    """The form as plain data, to keep with submissions filed under its version."""
    return dataclasses.asdict(form)


def from_definition(data: dict) -> ReportForm:
    """Rebuild a form from :func:`definition`."""

    def disaggregation(d):
        if d is None:
            return None
        return Disaggregation(d["key"], d["label"], d["label_en"], tuple(Option(**o) for o in d["options"]))

    def element(e):
        return DataElement(**{**e, "disaggregation": disaggregation(e["disaggregation"])})

    sections = tuple(
        Section(
            s["key"],
            s["title"],
            s["title_en"],
            tuple(element(e) for e in s["elements"]),
            tuple(Narrative(**n) for n in s["narratives"]),
        )
        for s in data["sections"]
    )
    return ReportForm(
        key=data["key"],
        title=data["title"],
        title_en=data["title_en"],
        space_kind=data["space_kind"],
        period_types=tuple(data["period_types"]),
        version=data["version"],
        sections=sections,
        rules=tuple(Rule(**r) for r in data["rules"]),
    )


def ensure_form_version(dbsession, form: ReportForm) -> None:
    found = dbsession.scalar(
        select(FormVersion.id).where(FormVersion.form_key == form.key, FormVersion.version == form.version)
    )
    if found is None:
        dbsession.add(FormVersion(form_key=form.key, version=form.version, definition=definition(form)))


def form_of(dbsession, registry, submission: Submission | None, form_key: str) -> ReportForm | None:
    """The form a submission was filed under: the plugin's current one, or the kept definition."""
    current = form(registry, form_key)
    if submission is None or (current is not None and current.version == submission.form_version):
        return current
    data = dbsession.scalar(
        select(FormVersion.definition).where(
            FormVersion.form_key == form_key, FormVersion.version == submission.form_version
        )
    )
    return from_definition(data) if data else current
