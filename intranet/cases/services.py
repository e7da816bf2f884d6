"""The child register's services: what the pages, the API and the commands will share.

Every identifying value goes through the keyring here and nowhere else: written as a token bound
to its row's reference and column (:func:`token_context`), read back by :func:`read_child` and
:func:`read_support` into plain dataclasses whose ``repr`` leaves the identifying fields out, so
that a record printed in a log or a traceback shows no name. No message of this module holds a
value a person typed: a :class:`ChildRegisterError` names the field and what is wrong with it.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from intranet.cases.crypto import Keyring
from intranet.cases.groups import GroupCatalogue, UnknownGroupError, default_catalogue
from intranet.cases.models import (
    SEXES,
    Case,
    CaseReferral,
    CaseReview,
    CaseService,
    Child,
    ChildGroup,
    ChildSupport,
)
from intranet.cases.names import match_key, normalise_name
from intranet.i18n import _, local_date, local_today
from intranet.spaces.models import Space

#: The kind of blind index of the duplicate search (intranet.cases.crypto.Keyring.blind_index).
MATCH_KIND = "name+dob"
#: A child is a person under 16 (Child Law 2016, Article 1).
CHILD_AGE_LIMIT = 16
#: The longest text each field takes, in characters.
MAX_LENGTHS = {"full_name": 200, "village": 200, "carers": 1000, "contact": 500, "notes": 4000}
MAX_SUPPORT_LENGTH = 2000
#: The codes of the list of Vietnam's 54 ethnic groups (Danh mục các dân tộc Việt Nam, Tổng cục
#: Thống kê, Quyết định 121-TCTK/PPCĐ): "01" Kinh to "54".
ETHNICITY = re.compile(r"0[1-9]|[1-4][0-9]|5[0-4]")
#: The references' letters: no 0/O, 1/I/L or U, so that one read out over the telephone is not misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

MSG_NAME = _("Enter the child's full name, with its diacritics.")
MSG_BIRTH_DATE = _("Enter a date of birth that is not later than today.")
MSG_NOT_A_CHILD = _("A child is under 16 years old (Child Law 2016, Article 1): check the date of birth.")
MSG_SEX = _("Choose the child's sex.")
MSG_ETHNICITY = _("Choose the ethnic group from the list.")
MSG_STALE = _("Someone else saved this register entry while you were editing it.")
MSG_GROUP = _("Choose a group from the list in force on the from date.")
MSG_GROUP_FROM = _("The from date cannot be later than today.")
MSG_GROUP_UNTIL = _("The until date cannot be before the from date.")
MSG_GROUP_OVERLAP = _("The child is already in this group for some of these days.")
MSG_SUPPORT = _("Say what support the child received.")
MSG_SUPPORT_DATE = _("The date of the support cannot be later than today.")


class ChildRegisterError(ValueError):
    """A value the register refuses: ``field`` and ``code`` say which and why to the program,
    ``message`` (a translation string) to the person. Neither holds the value itself."""

    def __init__(self, field: str, code: str, message):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ChildFields:
    """What a person types for a register entry. The identifying fields stay out of the ``repr``."""

    full_name: str = field(repr=False)
    date_of_birth: dt.date = field(repr=False)
    sex: str
    ethnicity: str | None = None
    village: str = field(default="", repr=False)
    carers: str = field(default="", repr=False)
    contact: str = field(default="", repr=False)
    notes: str = field(default="", repr=False)


@dataclass(frozen=True)
class ChildRecord:
    """A register entry decrypted. The identifying fields stay out of the ``repr``."""

    id: int
    reference: str
    space_id: int
    version: int
    sex: str
    ethnicity: str | None
    full_name: str = field(repr=False)
    date_of_birth: dt.date = field(repr=False)
    village: str = field(repr=False)
    carers: str = field(repr=False)
    contact: str = field(repr=False)
    notes: str = field(repr=False)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    created_by: int | None = None
    updated_by: int | None = None

    def fields(self) -> ChildFields:
        """The entry as a form edits it: change what you need and give it to :func:`update_child`."""
        return ChildFields(
            full_name=self.full_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            ethnicity=self.ethnicity,
            village=self.village,
            carers=self.carers,
            contact=self.contact,
            notes=self.notes,
        )


@dataclass(frozen=True)
class SupportRecord:
    """A support decrypted; its description stays out of the ``repr``."""

    id: int
    child_id: int
    given_on: dt.date
    provider_space_id: int | None
    recorded_by: int | None
    description: str = field(repr=False)


def token_context(table: str, column: str, reference: str) -> str:
    """Where a token belongs: ``"children.full_name:7KQ2M-9XD4P"``; it decrypts there only."""
    return f"{table}.{column}:{reference}"


def new_reference() -> str:
    """A random reference such as ``7KQ2M-9XD4P`` (10 letters of 30: about 49 bits)."""
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def match_index(keyring: Keyring, full_name: str, date_of_birth: dt.date) -> str:
    """The blind index of a name and a birth date: equal for one child however the name is typed."""
    return keyring.blind_index(MATCH_KIND, match_key(full_name, date_of_birth))


# --- register entries ---------------------------------------------------------------------------


def register_child(dbsession, keyring: Keyring, space_id: int, fields: ChildFields, user_id: int | None) -> Child:
    """A new entry in the register of the commune ``space_id``; its values encrypted before the insert."""
    space = dbsession.get(Space, space_id)
    if space is None or space.category != "commune":
        raise ValueError("A child is entered in the register of a commune.")
    values = _checked(fields, local_today())
    reference = new_reference()
    child = Child(
        reference=reference,
        space_id=space_id,
        sex=values.sex,
        ethnicity=values.ethnicity,
        match_index=match_index(keyring, values.full_name, values.date_of_birth),
        created_by=user_id,
        updated_by=user_id,
    )
    for column, text in _plain(values).items():
        setattr(child, column, keyring.encrypt(text, token_context(Child.__tablename__, column, reference)))
    dbsession.add(child)
    dbsession.flush()
    return child


def read_child(keyring: Keyring, child: Child) -> ChildRecord:
    """The entry ``child`` decrypted (a token that was changed or moved raises, never misreads)."""
    plain = {
        column: keyring.decrypt(getattr(child, column), token_context(Child.__tablename__, column, child.reference))
        for column in Child.ENCRYPTED
    }
    return ChildRecord(
        id=child.id,
        reference=child.reference,
        space_id=child.space_id,
        version=child.version,
        sex=child.sex,
        ethnicity=child.ethnicity,
        full_name=plain["full_name"],
        date_of_birth=dt.date.fromisoformat(plain["date_of_birth"]),
        village=plain["village"],
        carers=plain["carers"],
        contact=plain["contact"],
        notes=plain["notes"],
        created_at=child.created_at,
        updated_at=child.updated_at,
        created_by=child.created_by,
        updated_by=child.updated_by,
    )


def update_child(
    dbsession,
    keyring: Keyring,
    child: Child,
    fields: ChildFields,
    user_id: int | None,
    *,
    expected_version: int | None = None,
) -> bool:
    """Write ``fields`` over the entry; only the values that changed are encrypted again.

    ``expected_version`` is the version the person's form was opened at: a save over a newer
    version is refused (``code`` "stale"), never a silent overwrite, and so is a save that another
    one overtook after this entry was read. Whether anything changed.
    """
    if expected_version is not None and child.version != expected_version:
        raise ChildRegisterError("version", "stale", MSG_STALE)
    # The age rule holds on the day the child was registered, not on the day of a correction.
    values = _checked(fields, local_date(child.created_at), today=local_today())
    current = _plain(read_child(keyring, child).fields())
    new = _plain(values)
    dirty = [column for column in Child.ENCRYPTED if new[column] != current[column]]
    for column in dirty:
        setattr(
            child, column, keyring.encrypt(new[column], token_context(Child.__tablename__, column, child.reference))
        )
    if "full_name" in dirty or "date_of_birth" in dirty:
        child.match_index = match_index(keyring, values.full_name, values.date_of_birth)
    for column in ("sex", "ethnicity"):
        if getattr(child, column) != getattr(values, column):
            setattr(child, column, getattr(values, column))
            dirty.append(column)
    changed = bool(dirty)
    if changed:
        child.updated_by = user_id
        try:
            dbsession.flush()
        except StaleDataError:  # saved by someone else between this read and this write
            raise ChildRegisterError("version", "stale", MSG_STALE) from None
    return changed


def likely_duplicates(
    dbsession, keyring: Keyring, full_name: str, date_of_birth: dt.date, *, exclude_child_id: int | None = None
) -> list[tuple[int, int]]:
    """(child id, commune id) of every entry in the district with the same folded name and birth
    date: "Nguyễn Thị Hòa" finds "nguyen thi hoa" born the same day, in any commune."""
    if not normalise_name(full_name):
        return []
    query = select(Child.id, Child.space_id).where(Child.match_index == match_index(keyring, full_name, date_of_birth))
    if exclude_child_id is not None:
        query = query.where(Child.id != exclude_child_id)
    return [(row.id, row.space_id) for row in dbsession.execute(query.order_by(Child.id))]


def duplicate_entries(dbsession, keyring: Keyring, full_name: str, date_of_birth: dt.date) -> list:
    """:func:`likely_duplicates` as the warning shows them: each entry's reference and its commune
    (slug and titles), oldest first."""
    found = likely_duplicates(dbsession, keyring, full_name, date_of_birth)
    if not found:
        return []
    return dbsession.execute(
        select(Child.reference, Space.slug, Space.title, Space.title_en)
        .join(Space, Space.id == Child.space_id)
        .where(Child.id.in_([child_id for child_id, _space in found]))
        .order_by(Child.id)
    ).all()


def unit_titles(dbsession, space_ids) -> dict:
    """Space id -> a row with the unit's ``title`` and ``title_en``: who gave the supports shown."""
    ids = set(space_ids) - {None}
    if not ids:
        return {}
    return {r.id: r for r in dbsession.execute(select(Space.id, Space.title, Space.title_en).where(Space.id.in_(ids)))}


def find_in_register(dbsession, keyring: Keyring, space_id: int, full_name: str, date_of_birth: dt.date) -> list[str]:
    """The references of the entries of the commune ``space_id`` with this name (however it is
    typed) and birth date: the register's search, which decrypts nothing."""
    if not normalise_name(full_name):
        return []
    return list(
        dbsession.scalars(
            select(Child.reference)
            .where(Child.space_id == space_id, Child.match_index == match_index(keyring, full_name, date_of_birth))
            .order_by(Child.id)
        )
    )


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register's list: an entry decrypted, with the groups it is in today."""

    reference: str
    sex: str
    ethnicity: str | None
    groups: tuple[str, ...]
    full_name: str = field(repr=False)
    date_of_birth: dt.date = field(repr=False)
    village: str = field(repr=False)


def register_page(
    dbsession, keyring: Keyring, space_id: int, *, page: int, size: int, references: list[str] | None = None
) -> tuple[list[RegisterRow], int]:
    """A page of the register of the commune ``space_id``, the latest entries first, and the
    number of entries (of ``references`` only, when given). Two statements whatever its size: only
    the page's entries are read and decrypted (three values each), and their groups of today."""
    where = [Child.space_id == space_id]
    if references is not None:
        where.append(Child.reference.in_(references))
    rows = dbsession.execute(
        select(
            Child.id,
            Child.reference,
            Child.sex,
            Child.ethnicity,
            Child.full_name,
            Child.date_of_birth,
            Child.village,
            func.count().over().label("total"),
        )
        .where(*where)
        .order_by(Child.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    if not rows:
        total = dbsession.scalar(select(func.count()).select_from(Child).where(*where)) if page > 1 else 0
        return [], total or 0
    today = local_today()
    groups: dict[int, list[str]] = {}
    for child_id, code in dbsession.execute(
        select(ChildGroup.child_id, ChildGroup.group_code)
        .where(
            ChildGroup.child_id.in_([r.id for r in rows]),
            ChildGroup.from_date <= today,
            or_(ChildGroup.until_date.is_(None), ChildGroup.until_date >= today),
        )
        .order_by(ChildGroup.from_date, ChildGroup.id)
    ):
        groups.setdefault(child_id, []).append(code)
    table = Child.__tablename__

    def plain(row, column):
        return keyring.decrypt(getattr(row, column), token_context(table, column, row.reference))

    return [
        RegisterRow(
            reference=r.reference,
            sex=r.sex,
            ethnicity=r.ethnicity,
            groups=tuple(groups.get(r.id, ())),
            full_name=plain(r, "full_name"),
            date_of_birth=dt.date.fromisoformat(plain(r, "date_of_birth")),
            village=plain(r, "village"),
        )
        for r in rows
    ], rows[0].total


def entry_details(dbsession, keyring: Keyring, child: Child):
    """The entry decrypted, its groups (oldest first) and its supports decrypted (oldest first)."""
    groups = list(
        dbsession.scalars(
            select(ChildGroup).where(ChildGroup.child_id == child.id).order_by(ChildGroup.from_date, ChildGroup.id)
        )
    )
    supports = [
        read_support(keyring, s)
        for s in dbsession.scalars(
            select(ChildSupport)
            .where(ChildSupport.child_id == child.id)
            .order_by(ChildSupport.given_on, ChildSupport.id)
        )
    ]
    return read_child(keyring, child), groups, supports


# --- groups and supports ------------------------------------------------------------------------


def add_group(
    dbsession,
    child: Child,
    group_code: str,
    from_date: dt.date,
    until_date: dt.date | None,
    user_id: int | None,
    *,
    catalogue: GroupCatalogue | None = None,
) -> ChildGroup:
    """The child is in the group ``group_code`` from ``from_date`` until ``until_date`` (None: still)."""
    catalogue = catalogue or default_catalogue()
    _check_day("from_date", from_date, MSG_GROUP_FROM)
    if from_date > local_today():
        raise ChildRegisterError("from_date", "future", MSG_GROUP_FROM)
    if until_date is not None:
        _check_day("until_date", until_date, MSG_GROUP_UNTIL)
        if until_date < from_date:
            raise ChildRegisterError("until_date", "before_from", MSG_GROUP_UNTIL)
    try:
        catalogue.check(group_code, from_date)
    except UnknownGroupError:
        raise ChildRegisterError("group_code", "unknown", MSG_GROUP) from None
    overlapping = select(ChildGroup.id).where(
        ChildGroup.child_id == child.id,
        ChildGroup.group_code == group_code,
        or_(ChildGroup.until_date.is_(None), ChildGroup.until_date >= from_date),
    )
    if until_date is not None:
        overlapping = overlapping.where(ChildGroup.from_date <= until_date)
    if dbsession.execute(overlapping.limit(1)).first() is not None:
        raise ChildRegisterError("from_date", "overlap", MSG_GROUP_OVERLAP)
    membership = ChildGroup(
        child_id=child.id, group_code=group_code, from_date=from_date, until_date=until_date, recorded_by=user_id
    )
    dbsession.add(membership)
    dbsession.flush()
    return membership


def add_support(
    dbsession,
    keyring: Keyring,
    child: Child,
    description: str,
    given_on: dt.date,
    provider_space_id: int | None,
    user_id: int | None,
) -> ChildSupport:
    """A support the child received on ``given_on`` from the unit ``provider_space_id`` (None: a
    giver outside the intranet's units); what it was is encrypted."""
    text = _text("description", description, MAX_SUPPORT_LENGTH)
    if not text:
        raise ChildRegisterError("description", "required", MSG_SUPPORT)
    _check_day("given_on", given_on, MSG_SUPPORT_DATE)
    if given_on > local_today():
        raise ChildRegisterError("given_on", "future", MSG_SUPPORT_DATE)
    if provider_space_id is not None and dbsession.get(Space, provider_space_id) is None:
        raise ValueError("A support is given by one of the intranet's units, or by None (a giver outside them).")
    reference = new_reference()
    support = ChildSupport(
        reference=reference,
        child_id=child.id,
        description=keyring.encrypt(text, token_context(ChildSupport.__tablename__, "description", reference)),
        given_on=given_on,
        provider_space_id=provider_space_id,
        recorded_by=user_id,
    )
    dbsession.add(support)
    dbsession.flush()
    return support


def read_support(keyring: Keyring, support: ChildSupport) -> SupportRecord:
    context = token_context(ChildSupport.__tablename__, "description", support.reference)
    return SupportRecord(
        id=support.id,
        child_id=support.child_id,
        given_on=support.given_on,
        provider_space_id=support.provider_space_id,
        recorded_by=support.recorded_by,
        description=keyring.decrypt(support.description, context),
    )


# --- key rotation -------------------------------------------------------------------------------


def rotate_all(dbsession, keyring: Keyring, *, batch: int = 500, progress=None) -> int:
    """Encrypt again under the keyring's current key every token written under another key; the
    number of tokens re-encrypted. Afterwards the old keys can leave the keyring.

    Rows are read a batch at a time and locked (``FOR UPDATE`` on PostgreSQL; SQLite's write
    lock), so that a value saved meanwhile is never overwritten with its old text. Rotation is not
    an edit: the entries' version, last change time and author stay as they were. ``progress``,
    when given, is called after each batch with the table's name, the rows read so far in it and
    the values re-encrypted so far in all.
    """
    dbsession.flush()
    count = 0
    # The register, then the cases: every model with encrypted columns.
    for model in (Child, ChildSupport, Case, CaseService, CaseReview, CaseReferral):
        table = model.__table__
        columns = [table.c[name] for name in model.ENCRYPTED]
        last_id = 0
        read = 0
        while True:
            rows = dbsession.execute(
                select(table.c.id, table.c.reference, *columns)
                .where(table.c.id > last_id)
                .order_by(table.c.id)
                .limit(batch)
                .with_for_update()
            ).all()
            if not rows:
                break
            for row in rows:
                changes = {
                    column: keyring.rotate(getattr(row, column), token_context(table.name, column, row.reference))
                    for column in model.ENCRYPTED
                    # None: a step of a case not filled yet, nothing encrypted
                    if getattr(row, column) is not None and keyring.needs_rotation(getattr(row, column))
                }
                if changes:
                    count += len(changes)
                    if "updated_at" in table.c:
                        changes["updated_at"] = table.c.updated_at
                    # An ORM statement (of the model, not its table), so that the transaction counts
                    # it as a change and commits it.
                    dbsession.execute(
                        update(model).where(model.id == row.id).values(**changes),
                        execution_options={"synchronize_session": False},
                    )
            last_id = rows[-1].id
            read += len(rows)
            if progress is not None:
                progress(table.name, read, count)
    # Objects loaded before hold the old tokens: read them again when next used.
    dbsession.expire_all()
    return count


# --- checks -------------------------------------------------------------------------------------


def _checked(fields: ChildFields, registered_on: dt.date, *, today: dt.date | None = None) -> ChildFields:
    """``fields`` with its texts trimmed and composed (NFC), or :class:`ChildRegisterError`."""
    today = today or registered_on
    full_name = _text("full_name", fields.full_name, MAX_LENGTHS["full_name"])
    if not normalise_name(full_name):
        raise ChildRegisterError("full_name", "required", MSG_NAME)
    born = fields.date_of_birth
    _check_day("date_of_birth", born, MSG_BIRTH_DATE)
    if born > today:
        raise ChildRegisterError("date_of_birth", "future", MSG_BIRTH_DATE)
    if _age(born, registered_on) >= CHILD_AGE_LIMIT:
        raise ChildRegisterError("date_of_birth", "not_a_child", MSG_NOT_A_CHILD)
    if fields.sex not in SEXES:
        raise ChildRegisterError("sex", "invalid", MSG_SEX)
    ethnicity = fields.ethnicity or None
    if ethnicity is not None and not (isinstance(ethnicity, str) and ETHNICITY.fullmatch(ethnicity)):
        raise ChildRegisterError("ethnicity", "invalid", MSG_ETHNICITY)
    return ChildFields(
        full_name=full_name,
        date_of_birth=born,
        sex=fields.sex,
        ethnicity=ethnicity,
        **{
            name: _text(name, getattr(fields, name), MAX_LENGTHS[name])
            for name in ("village", "carers", "contact", "notes")
        },
    )


def _plain(fields: ChildFields) -> dict[str, str]:
    """The text each encrypted column protects."""
    return {
        "full_name": fields.full_name,
        "date_of_birth": fields.date_of_birth.isoformat(),
        "village": fields.village,
        "carers": fields.carers,
        "contact": fields.contact,
        "notes": fields.notes,
    }


def _text(name: str, value, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{name} is a text.")
    text = unicodedata.normalize("NFC", value.strip())
    if len(text) > limit:
        raise ChildRegisterError(name, "too_long", _("At most ${n} characters.", mapping={"n": limit}))
    return text


def _check_day(name: str, value, message) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ChildRegisterError(name, "invalid", message)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
