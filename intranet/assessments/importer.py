"""Read a criteria set (bộ tiêu chí) from a YAML or an XLSX file, and check it.

Nothing is stored from a malformed file: :func:`parse` returns a checked
:class:`~intranet.plugin.criteria.CriteriaSet` or raises
:class:`~intranet.plugin.criteria.CriteriaSetError` listing every problem with the file name, the
line (YAML) or sheet and row (XLSX), and the field.

YAML format (UTF-8)::

    key: qd-06-2019                 # letters a-z, digits, ".", "_", "-" (the same for every version)
    version: 2                      # a whole number ≥ 1; a changed set is a new version
    title: Bộ tiêu chí xã, phường, thị trấn phù hợp với trẻ em
    title_en: Child-friendly commune criteria      # optional
    legal_basis:
      number: 06/QĐ-TTg             # số/ký hiệu văn bản (required)
      date: 2019-01-03              # ngày ban hành: YYYY-MM-DD or DD/MM/YYYY (optional)
      issuer: Thủ tướng Chính phủ   # optional
      title: …                      # trích yếu (optional)
    valid_from: 2019                # first year the set applies to
    scoring: points                 # "points" (điểm) or "pass_fail" (đạt / chưa đạt)
    rules: [all_met, none_zero, total_threshold]
    classes:                        # commune classes; each with its threshold (points only)
      - key: urban
        title: Phường (đô thị)
        threshold: 900
      - key: other
        title: Xã, thị trấn khác
        threshold: 850
      - key: mountain_island_hard
        title: Xã miền núi, hải đảo, xã đặc biệt khó khăn
        threshold: 800
    note: …                         # optional
    criteria:
      - code: "1"                   # unique in the set, at most 20 characters
        title: …                    # Vietnamese title (required)
        title_en: …                 # optional
        max_points: 100             # optional; empty (null) = left to whoever imports the set
        prefill: [tre_em_tai_nan_thuong_tich]   # optional: report figures shown as evidence
        description: …              # optional

Recognition rules: ``all_met`` every criterion is met; ``none_zero`` no criterion scores 0;
``total_threshold`` the total reaches the threshold of the commune's class. The last two need
``scoring: points``.

XLSX format: sheet ``set`` holds one field per row (column A the name, column B the value) for
key, version, title, title_en, legal_number, legal_date, legal_issuer, legal_title, valid_from,
scoring, rules (comma-separated), note; sheet ``classes`` has a header row
``key | title | title_en | threshold`` and one class per row; sheet ``criteria`` has a header row
``code | title | title_en | max_points | prefill | description`` (prefill comma-separated) and one
criterion per row.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import replace

import yaml
from pyramid.path import AssetResolver

from intranet.numbers import MSG_TOO_LARGE, NumberError, parse_integer
from intranet.plugin.criteria import (
    POINT_RULES,
    RULES,
    SCORINGS,
    CommuneClass,
    CriteriaSet,
    CriteriaSetError,
    Criterion,
    LegalBasis,
    Problem,
    _,
)
from intranet.text import normalise_tones

MAX_BYTES = 1024 * 1024
# A criteria set is a few dozen lines. The bounds keep a hostile file to a fraction of a second:
# a declared dimension of A1:XFD100000 made 10,000 rows cost 16,384 cells each, nested YAML blew
# the stack, and shared aliases expand exponentially when the set is checked.
MAX_ROWS = 1000
MAX_COLUMNS = 20
MAX_XLSX_ENTRIES = 200
#: openpyxl parses every cell of a row it reads, however many columns are then kept: the unpacked
#: size bounds the cells (2 MB of sheet is some 65,000 cells, 0.6 s). 200 criteria with long
#: Vietnamese descriptions take well under 1 MB.
MAX_XLSX_UNZIPPED = 2 * 1024 * 1024
MAX_DEPTH = 20
MAX_ALIASES = 100
#: Nodes of the document once every alias is expanded: counting aliases alone is not enough, as
#: ten levels of ten aliases each stand for ten billion nodes. PyYAML reads some 20,000 nodes a
#: second; a set of 200 criteria has about 2,000.
MAX_NODES = 5000
#: PyYAML reads about 600 KB of text a second; a set of 200 criteria with long texts is 250 KB.
MAX_YAML_BYTES = 256 * 1024
#: PyYAML's scanner looks up to 1,024 characters ahead at every "[" or "{", so a run of them costs
#: half a second before the depth bound is reached: such a run is refused before PyYAML sees it.
DEEP_FLOW_RE = re.compile(r"(?:[\[{]\s*){%d}" % (MAX_DEPTH + 1))
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
CLASS_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
REF_RE = re.compile(r"^[a-z0-9_]{1,120}(\[[a-z0-9_-]{1,40}\])?$")
TOP_FIELDS = {
    "key",
    "version",
    "title",
    "title_en",
    "legal_basis",
    "valid_from",
    "scoring",
    "rules",
    "classes",
    "note",
    "criteria",
}
LEGAL_FIELDS = {"number", "date", "issuer", "title"}
CLASS_FIELDS = {"key", "title", "title_en", "threshold"}
CRITERION_FIELDS = {"code", "title", "title_en", "max_points", "prefill", "description"}


class _Checker:
    """Collects problems; ``where(path)`` says where a field of the document is."""

    def __init__(self, filename, where):
        self.filename = filename
        self.where = where
        self.problems: list[Problem] = []

    def add(self, path: tuple, message) -> None:
        loc = self.where(path)
        self.problems.append(Problem(file=self.filename, message=message, field=_field_name(path), **loc))


def _field_name(path: tuple) -> str | None:
    names = [p for p in path if isinstance(p, str)]
    return ".".join(names) if names else None


def _text(ch, obj, path, *, required=True, limit=300) -> str:
    value = obj.get(path[-1]) if isinstance(obj, dict) else None
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            ch.add(path, _("This field is required."))
        return ""
    if isinstance(value, (dict, list)):
        ch.add(path, _("Write a text here, not a list."))
        return ""
    value = str(value).strip()
    if len(value) > limit:
        ch.add(path, _("At most ${n} characters.", mapping={"n": limit}))
    return value


def _int(ch, obj, path, *, required=True, low=None, high=None) -> int | None:
    value = obj.get(path[-1]) if isinstance(obj, dict) else None
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            ch.add(path, _("This field is required."))
        return None
    if isinstance(value, bool):
        ch.add(path, _("Write a whole number."))
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        try:
            value = parse_integer(value, allow_negative=True)
        except NumberError as exc:
            ch.add(path, exc.message_or(invalid=_("Write a whole number.")))
            return None
    if not isinstance(value, int):
        ch.add(path, _("Write a whole number."))
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        ch.add(
            path,
            _(
                "Write a whole number between ${low} and ${high}.",
                mapping={"low": low if low is not None else "…", "high": high if high is not None else "…"},
            ),
        )
        return None
    return value


def _date(ch, obj, path) -> dt.date | None:
    value = obj.get(path[-1]) if isinstance(obj, dict) else None
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    ch.add(path, _("Write the date as DD/MM/YYYY or YYYY-MM-DD."))
    return None


def _list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _unknown(ch, obj, allowed, path) -> None:
    for name in obj:
        if isinstance(name, str) and name.startswith("__"):
            continue
        if name not in allowed:
            ch.add(
                path + (str(name),),
                _("Unknown field; the allowed fields are: ${names}.", mapping={"names": ", ".join(sorted(allowed))}),
            )


def check(doc, ch: _Checker) -> CriteriaSet | None:
    """Check the document (nested dicts and lists, as YAML gives them) and build the set."""
    if not isinstance(doc, dict):
        ch.add((), _("The file does not describe a criteria set (expected fields such as key, title, criteria)."))
        raise CriteriaSetError(ch.problems)
    _unknown(ch, doc, TOP_FIELDS, ())
    key = _text(ch, doc, ("key",), limit=64)
    if key and not KEY_RE.match(key):
        ch.add(("key",), _("Use only lower-case letters a-z, digits, “.”, “_” and “-”."))
    version = _int(ch, doc, ("version",), low=1, high=10000)
    title = _text(ch, doc, ("title",))
    title_en = _text(ch, doc, ("title_en",), required=False)
    note = _text(ch, doc, ("note",), required=False, limit=2000)
    valid_from = _int(ch, doc, ("valid_from",), low=1990, high=2100)
    scoring = _text(ch, doc, ("scoring",), limit=20)
    if scoring and scoring not in SCORINGS:
        ch.add(("scoring",), _("Write “points” or “pass_fail”."))
    legal = doc.get("legal_basis")
    legal_basis = None
    if not isinstance(legal, dict):
        ch.add(("legal_basis",), _("This field is required: the number, date and issuer of the document."))
    else:
        _unknown(ch, legal, LEGAL_FIELDS, ("legal_basis",))
        legal_basis = LegalBasis(
            number=_text(ch, legal, ("legal_basis", "number"), limit=60),
            date=_date(ch, legal, ("legal_basis", "date")),
            issuer=_text(ch, legal, ("legal_basis", "issuer"), required=False, limit=200),
            title=_text(ch, legal, ("legal_basis", "title"), required=False, limit=500),
        )

    rules = [str(r).strip() for r in _list(doc.get("rules"))]
    if not rules:
        ch.add(("rules",), _("Name at least one recognition rule: ${names}.", mapping={"names": ", ".join(RULES)}))
    for rule in rules:
        if rule not in RULES:
            ch.add(
                ("rules",),
                _(
                    "Unknown recognition rule “${rule}”; the rules are: ${names}.",
                    mapping={"rule": rule, "names": ", ".join(RULES)},
                ),
            )
        elif rule in POINT_RULES and scoring == "pass_fail":
            ch.add(("rules",), _("The rule “${rule}” needs scoring: points.", mapping={"rule": rule}))

    classes = []
    raw_classes = doc.get("classes")
    if raw_classes is None:
        raw_classes = []
    if not isinstance(raw_classes, list):
        ch.add(("classes",), _("Write a list of commune classes."))
        raw_classes = []
    if not raw_classes and "total_threshold" in rules:
        ch.add(("classes",), _("The rule total_threshold needs at least one commune class with its threshold."))
    seen = set()
    for i, raw in enumerate(raw_classes):
        path = ("classes", i)
        if not isinstance(raw, dict):
            ch.add(path, _("Each commune class has a key, a title and a threshold."))
            continue
        _unknown(ch, raw, CLASS_FIELDS, path)
        ckey = _text(ch, raw, path + ("key",), limit=40)
        if ckey and not CLASS_RE.match(ckey):
            ch.add(path + ("key",), _("Use only lower-case letters a-z, digits and “_”, starting with a letter."))
        elif ckey in seen:
            ch.add(path + ("key",), _("The commune class “${key}” is listed twice.", mapping={"key": ckey}))
        seen.add(ckey)
        threshold = _int(ch, raw, path + ("threshold",), required="total_threshold" in rules, low=0, high=100000)
        classes.append(
            CommuneClass(
                key=ckey,
                title=_text(ch, raw, path + ("title",), limit=200),
                title_en=_text(ch, raw, path + ("title_en",), required=False, limit=200),
                threshold=threshold,
            )
        )

    criteria = []
    raw_criteria = doc.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        ch.add(("criteria",), _("List at least one criterion."))
        raw_criteria = []
    codes = set()
    for i, raw in enumerate(raw_criteria):
        path = ("criteria", i)
        if not isinstance(raw, dict):
            ch.add(path, _("Each criterion has a code and a title."))
            continue
        _unknown(ch, raw, CRITERION_FIELDS, path)
        code = _text(ch, raw, path + ("code",), limit=20)
        if code in codes:
            ch.add(path + ("code",), _("The criterion code “${code}” is used twice.", mapping={"code": code}))
        codes.add(code)
        max_points = _int(ch, raw, path + ("max_points",), required=False, low=1, high=100000)
        if max_points is not None and scoring == "pass_fail":
            ch.add(path + ("max_points",), _("A pass/fail set has no points: leave max_points empty."))
        prefill = [str(r).strip() for r in _list(raw.get("prefill"))]
        for ref in prefill:
            if not REF_RE.match(ref):
                ch.add(
                    path + ("prefill",),
                    _("“${ref}” is not a report figure code (code or code[option]).", mapping={"ref": ref}),
                )
        criteria.append(
            Criterion(
                code=code,
                title=_text(ch, raw, path + ("title",), limit=500),
                title_en=_text(ch, raw, path + ("title_en",), required=False, limit=500),
                max_points=max_points,
                prefill=tuple(prefill),
                description=_text(ch, raw, path + ("description",), required=False, limit=2000),
            )
        )

    if criteria and classes and "total_threshold" in rules and all(c.max_points is not None for c in criteria):
        reachable = sum(c.max_points for c in criteria)
        for i, c in enumerate(classes):
            if c.threshold is not None and c.threshold > reachable:
                ch.add(
                    ("classes", i, "threshold"),
                    _(
                        "The threshold ${threshold} is more than the ${total} points the criteria can give.",
                        mapping={"threshold": c.threshold, "total": reachable},
                    ),
                )
    if ch.problems:
        raise CriteriaSetError(ch.problems)
    return CriteriaSet(
        key=key,
        version=version,
        title=title,
        title_en=title_en,
        legal_basis=legal_basis,
        valid_from=valid_from,
        scoring=scoring,
        classes=tuple(classes),
        rules=tuple(rules),
        criteria=tuple(criteria),
        note=note,
    )


# --- YAML ----------------------------------------------------------------------------------------


class TooComplex(yaml.YAMLError):
    def __init__(self, message, mark):
        super().__init__(message)
        self.message, self.mark = message, mark


def _node_children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return ()


class LineLoader(yaml.SafeLoader):
    """Records the line of every mapping and of each of its keys; refuses a document nested
    deeper than MAX_DEPTH, with more than MAX_ALIASES aliases or MAX_NODES expanded nodes."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = self._aliases = self._expanded = 0
        self._weights: dict[int, int] = {}

    def compose_node(self, parent, index):
        event = self.peek_event()
        weight = 1
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise TooComplex(
                    _("The file uses more than ${n} aliases (*name).", mapping={"n": MAX_ALIASES}), event.start_mark
                )
            target = self.anchors.get(event.anchor)
            if target is not None:
                weight = self._weights.get(id(target), 0)
                if not weight:
                    raise TooComplex(_("An alias (*name) refers to the block that contains it."), event.start_mark)
        self._expanded += weight
        if self._expanded > MAX_NODES:
            raise TooComplex(
                _(
                    "The file is too large: more than ${n} values once its aliases are expanded.",
                    mapping={"n": MAX_NODES},
                ),
                event.start_mark,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise TooComplex(
                _("The file nests lists and fields more than ${n} levels deep.", mapping={"n": MAX_DEPTH}),
                event.start_mark,
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if id(node) not in self._weights:
            self._weights[id(node)] = 1 + sum(self._weights.get(id(c), 1) for c in _node_children(node))
        return node

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {
            k.value: k.start_mark.line + 1 for k, _v in node.value if isinstance(k, yaml.ScalarNode)
        }
        return mapping


def parse_yaml(data: bytes, filename: str) -> CriteriaSet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CriteriaSetError(
            [Problem(file=filename, message=_("The file is neither an Excel (XLSX) file nor UTF-8 text (YAML)."))]
        ) from None
    deep = DEEP_FLOW_RE.search(text)
    if deep:
        raise CriteriaSetError(
            [
                Problem(
                    file=filename,
                    line=text.count("\n", 0, deep.start()) + 1,
                    message=_("The file nests lists and fields more than ${n} levels deep.", mapping={"n": MAX_DEPTH}),
                )
            ]
        )
    try:
        doc = yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except TooComplex as exc:
        raise CriteriaSetError([Problem(file=filename, line=exc.mark.line + 1, message=exc.message)]) from None
    except ValueError:
        # int() refuses a number of more than 4,300 digits while YAML reads it
        raise CriteriaSetError([Problem(file=filename, message=MSG_TOO_LARGE)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise CriteriaSetError(
            [
                Problem(
                    file=filename,
                    line=mark.line + 1 if mark else None,
                    message=_(
                        "This is not valid YAML: ${problem}.", mapping={"problem": getattr(exc, "problem", "") or ""}
                    ),
                )
            ]
        ) from None

    def where(path):
        node, line = doc, None
        for part in path:
            if isinstance(node, dict) and isinstance(part, str):
                line = node.get("__lines__", {}).get(part) or node.get("__line__") or line
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                if isinstance(node, dict):
                    line = node.get("__line__", line)
            else:
                break
        return {"line": line}

    return check(doc, _Checker(filename, where))


# --- XLSX ----------------------------------------------------------------------------------------

SET_ROWS = {
    "key",
    "version",
    "title",
    "title_en",
    "legal_number",
    "legal_date",
    "legal_issuer",
    "legal_title",
    "valid_from",
    "scoring",
    "rules",
    "note",
}


def _unzips_too_big(data: bytes) -> bool:
    """Whether the workbook declares more entries or bytes than a criteria set can need; the
    declared sizes bound what ``zipfile`` inflates, so nothing is inflated to find out."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False  # load_workbook says it cannot be read
    return len(entries) > MAX_XLSX_ENTRIES or sum(e.file_size for e in entries) > MAX_XLSX_UNZIPPED


def _sheet_rows(ws) -> list[tuple[int, tuple]] | None:
    """The first MAX_ROWS rows of MAX_COLUMNS cells, or None when the sheet has more rows.

    The dimension the file declares is ignored: it may claim A1:XFD100000 for three rows."""
    ws.reset_dimensions()
    rows = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
    bounded = list(enumerate(itertools.islice(rows, MAX_ROWS + 1), start=1))
    return None if len(bounded) > MAX_ROWS else bounded


def parse_xlsx(data: bytes, filename: str) -> CriteriaSet:
    from openpyxl import load_workbook  # noqa: PLC0415 — openpyxl (0.1 s) only for an uploaded XLSX set

    if _unzips_too_big(data):
        raise CriteriaSetError(
            [
                Problem(
                    file=filename,
                    message=_(
                        "The Excel file is too large once unpacked (more than ${n} MB) for a criteria set.",
                        mapping={"n": MAX_XLSX_UNZIPPED // (1024 * 1024)},
                    ),
                )
            ]
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same problem for the user
        raise CriteriaSetError([Problem(file=filename, message=_("The Excel file cannot be read."))]) from None
    problems = []
    rows_of = {}
    try:
        for name in ("set", "criteria", "classes"):
            if name not in wb.sheetnames:
                if name != "classes":
                    problems.append(Problem(file=filename, sheet=name, message=_("The sheet is missing.")))
                rows_of[name] = []
                continue
            rows = _sheet_rows(wb[name])
            if rows is None:
                problems.append(
                    Problem(
                        file=filename,
                        sheet=name,
                        message=_(
                            "The sheet has more than ${n} rows; a criteria set needs far fewer.",
                            mapping={"n": MAX_ROWS},
                        ),
                    )
                )
                rows = []
            rows_of[name] = rows
    except Exception:  # noqa: BLE001 - a sheet that cannot be parsed is the same problem for the user
        raise CriteriaSetError([Problem(file=filename, message=_("The Excel file cannot be read."))]) from None
    finally:
        wb.close()
    if problems:
        raise CriteriaSetError(problems)

    locations: dict[tuple, dict] = {}
    doc: dict = {}
    legal: dict = {}
    for i, row in rows_of["set"]:
        if not row or row[0] is None or str(row[0]).strip() == "":
            continue
        name = str(row[0]).strip()
        value = row[1] if len(row) > 1 else None
        if isinstance(value, str):
            value = value.strip()
        loc = {"sheet": "set", "row": i}
        if name not in SET_ROWS:
            problems.append(
                Problem(
                    file=filename,
                    field=name,
                    message=_(
                        "Unknown field; the allowed fields are: ${names}.",
                        mapping={"names": ", ".join(sorted(SET_ROWS))},
                    ),
                    **loc,
                )
            )
            continue
        if name.startswith("legal_"):
            legal[name[6:]] = value
            locations[("legal_basis", name[6:])] = loc
        else:
            doc[name] = value
            locations[(name,)] = loc
    if problems:
        raise CriteriaSetError(problems)
    doc["legal_basis"] = legal if legal else None
    locations[("legal_basis",)] = {"sheet": "set", "row": None}

    def table(sheet, fields, out_key):
        items = []
        rows = rows_of[sheet]
        if not rows:
            return items
        header_row, header = rows[0]
        names = [str(h).strip() if h is not None else "" for h in header]
        for name in names:
            if name and name not in fields:
                problems.append(
                    Problem(
                        file=filename,
                        sheet=sheet,
                        row=header_row,
                        field=name,
                        message=_(
                            "Unknown column; the allowed columns are: ${names}.",
                            mapping={"names": ", ".join(sorted(fields))},
                        ),
                    )
                )
        for i, row in rows[1:]:
            if not row or all(v is None or str(v).strip() == "" for v in row):
                continue
            item = {}
            for name, value in zip(names, row, strict=False):
                if name in fields and value is not None and not (isinstance(value, str) and not value.strip()):
                    item[name] = value.strip() if isinstance(value, str) else value
            locations[(out_key, len(items))] = {"sheet": sheet, "row": i}
            items.append(item)
        return items

    doc["classes"] = table("classes", {"key", "title", "title_en", "threshold"}, "classes")
    doc["criteria"] = table(
        "criteria", {"code", "title", "title_en", "max_points", "prefill", "description"}, "criteria"
    )
    for item in doc["criteria"]:
        if isinstance(item.get("code"), float) and item["code"].is_integer():
            item["code"] = int(item["code"])
    if problems:
        raise CriteriaSetError(problems)

    def where(path):
        for n in range(len(path), 0, -1):
            if path[:n] in locations:
                loc = locations[path[:n]]
                return {"sheet": loc["sheet"], "row": loc["row"]}
        return {"sheet": "set", "row": None}

    return check(doc, _Checker(filename, where))


def parse(data: bytes, filename: str) -> CriteriaSet:
    """A checked criteria set from a file's bytes: XLSX when it is an Excel workbook, else YAML."""
    filename = (filename or "bo-tieu-chi").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not data:
        raise CriteriaSetError([Problem(file=filename, message=_("The file is empty."))])
    if len(data) > MAX_BYTES:
        raise CriteriaSetError([Problem(file=filename, message=_("The file is larger than 1 MB."))])
    if data.startswith(b"PK\x03\x04"):
        return parse_xlsx(data, filename)
    if len(data) > MAX_YAML_BYTES:
        raise CriteriaSetError(
            [
                Problem(
                    file=filename,
                    message=_(
                        "A YAML file is at most ${n} KB; this one is larger.", mapping={"n": MAX_YAML_BYTES // 1024}
                    ),
                )
            ]
        )
    return parse_yaml(data, filename)


def load_criteria_file(path: str) -> CriteriaSet:
    """Read and check a criteria set from a YAML or XLSX file (``path`` or an asset spec).

    Raises :class:`CriteriaSetError` naming the file, the line or row and the field.
    """
    resolved = AssetResolver().resolve(path).abspath() if ":" in path and not path.startswith("/") else path
    with open(resolved, "rb") as fh:
        data = fh.read()
    return parse_criteria(data, resolved.rsplit("/", 1)[-1])


def parse_criteria(data: bytes, filename: str) -> CriteriaSet:
    """Read and check a criteria set from the bytes of a YAML or XLSX file; its Vietnamese texts
    come out in the intranet's spelling (:func:`normalised`)."""
    return normalised(parse(data, filename))


def normalised(cset: CriteriaSet) -> CriteriaSet:
    """``cset`` with the tone marks of its titles and texts on the main vowel ("ma túy", GLOSSARY:
    spelling), whichever style its file was written in (:func:`intranet.text.normalise_tones`).
    Keys, codes and figures are left as they are."""
    n = normalise_tones
    lb = cset.legal_basis
    return replace(
        cset,
        title=n(cset.title),
        title_en=n(cset.title_en),
        note=n(cset.note),
        legal_basis=replace(lb, number=n(lb.number), issuer=n(lb.issuer), title=n(lb.title)),
        classes=tuple(replace(c, title=n(c.title), title_en=n(c.title_en)) for c in cset.classes),
        criteria=tuple(
            replace(c, title=n(c.title), title_en=n(c.title_en), description=n(c.description)) for c in cset.criteria
        ),
    )
