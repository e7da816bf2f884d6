"""plan spelling: seeded texts in the tone-mark style of the glossary (hóa, khỏe, Ủy, ma túy; "10 %")

Revision ID: 0007_plan_spelling
Revises: 0006_user_sessions
Create Date: 2026-12-09 09:00:00

A fresh database is seeded in the glossary's spelling; one seeded before keeps the old style in
the texts the seed wrote and never rewrites: the district plan, its reporting periods and
indicator targets, the indicator titles copied into commune plans, the units' names, and the
stored criteria sets. This brings those texts to the same style. Text a person typed (report
narratives, the commune plans' activities and sections, duty logs, comments) is theirs and is
not touched.

A stored criteria set is compared, on every seed and import, with the plugin's set by the
SHA-256 ``fingerprint`` of its ``definition``: the definition's texts are normalised exactly as
``intranet.plugin.criteria.normalised`` normalises a set read from its file (tone marks only, in
the same fields), and the fingerprint is recomputed the same way, so that the plugin's set (now
in the new spelling) is recognised as the one stored instead of being refused as a conflict.
"""
import hashlib
import json
import re

import sqlalchemy as sa
from alembic import op

from intranet.text import normalise_tones

revision = '0007_plan_spelling'
down_revision = '0006_user_sessions'
branch_labels = None
depends_on = None

#: A number written against its percent sign: "65%" -> "65 %", "12,5%" -> "12,5 %".
PERCENT = re.compile(r"(\d)%")

#: Texts quoted from the plan: tone marks and the space before "%".
PLAN_TEXTS = {
    "plans": ("title", "issuer", "summary"),
    "periods": ("title",),
    "indicator_targets": ("target_text",),
    "commune_plan_targets": ("label", "baseline_source"),
}
#: Names and titles that come from plugins and criteria files: tone marks only, as their loaders
#: normalise them (a criteria set's stored copy must match what a fresh import stores).
NAMES = {
    "spaces": ("title",),
    "criteria_sets": ("title", "title_en", "legal_issuer"),
    "criteria": ("title", "title_en"),
}


def plan_text(value):
    if not value:
        return value
    return PERCENT.sub(r"\1 %", normalise_tones(value))


def name_text(value):
    return normalise_tones(value) if value else value


def fingerprint(data: dict) -> str:
    # The digest intranet.assessments.services.fingerprint computes; written out here so that this
    # revision keeps doing what it did when it was written.
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def normalised_definition(data: dict) -> dict:
    """A copy of a stored criteria set with the fields ``criteria.normalised`` normalises."""
    n = name_text
    out = dict(data)
    for field in ("title", "title_en", "note"):
        if isinstance(out.get(field), str):
            out[field] = n(out[field])
    if isinstance(out.get("legal_basis"), dict):
        out["legal_basis"] = {k: n(v) if k in ("number", "issuer", "title") and isinstance(v, str) else v
                              for k, v in out["legal_basis"].items()}
    for part, fields in (("classes", ("title", "title_en")), ("criteria", ("title", "title_en", "description"))):
        if isinstance(out.get(part), list):
            out[part] = [{k: n(v) if k in fields and isinstance(v, str) else v for k, v in item.items()}
                         if isinstance(item, dict) else item for item in out[part]]
    return out


def _rewrite(conn, table: str, columns, fix) -> None:
    t = sa.table(table, sa.column("id"), *(sa.column(c, sa.Text) for c in columns))
    for row in conn.execute(sa.select(t)).mappings().all():
        changes = {c: fix(row[c]) for c in columns if row[c] and fix(row[c]) != row[c]}
        if changes:
            conn.execute(t.update().where(t.c.id == row["id"]).values(**changes))


def _rewrite_definitions(conn) -> None:
    t = sa.table("criteria_sets", sa.column("id"), sa.column("definition", sa.JSON),
                 sa.column("fingerprint", sa.String))
    for row in conn.execute(sa.select(t)).mappings().all():
        data = row["definition"]
        if not isinstance(data, dict) or fingerprint(data) != row["fingerprint"]:
            continue  # not the seed's own record of itself: leave it exactly as it is
        new = normalised_definition(data)
        if new != data:
            conn.execute(t.update().where(t.c.id == row["id"]).values(definition=new, fingerprint=fingerprint(new)))


def upgrade():
    conn = op.get_bind()
    for table, columns in PLAN_TEXTS.items():
        _rewrite(conn, table, columns, plan_text)
    for table, columns in NAMES.items():
        _rewrite(conn, table, columns, name_text)
    _rewrite_definitions(conn)


def downgrade():
    # Nothing to undo: the old tone placement is the same words in an older style, not worth
    # restoring, and which rows held it is not recorded. The schema is unchanged.
    pass
