"""Backup and restore of the whole database, evidence files included, in one portable file.

The file is gzip-compressed JSON lines, written and read one row at a time, so that a database
whose files weigh gigabytes never has to fit in memory:

    {"format": "dakto-intranet-backup", "version": 1, "dialect": "sqlite", "revisions": [...], "tables": [...]}
    {"table": "users", "columns": ["id", "login", ...]}
    [1, "admin", ...]                       one array per row, in the columns' order
    {"end": "users", "rows": 12}
    ...
    {"end_of_backup": true, "tables": 35, "rows": 1234}

Tables come in foreign-key order (plugin tables included), rows in primary-key order; dates are
ISO 8601, decimals strings, binary columns base64. The values are those stored, so a column a
type encrypts stays encrypted in the file. The Alembic revisions are recorded: a backup is
restored into an empty database migrated to the same revisions, on SQLite or PostgreSQL
whichever it was taken from, in one transaction, so a failed restore leaves nothing behind.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import io
import json
import os
import sys
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import MetaData, Table, bindparam, func, insert, inspect, literal, select, text, type_coerce
from sqlalchemy.schema import sort_tables
from sqlalchemy.types import JSON, Date, DateTime, LargeBinary, Numeric, Time, TypeDecorator

from intranet import main as make_app
from intranet.models import write_intent
from intranet.models.meta import metadata as models_metadata

FORMAT = "dakto-intranet-backup"
VERSION = 1
#: Rows fetched and inserted at a time; tables with binary columns (the evidence files) go a few
#: rows at a time so that memory holds a few files, never all of them.
BATCH_ROWS = 500
BLOB_BATCH_ROWS = 4
BATCH_BYTES = 32 * 1024 * 1024
PROGRESS_EVERY = 10_000


class BackupError(RuntimeError):
    """The backup or the restore cannot go on; the message says why and what to do."""


# --- the schema ---------------------------------------------------------------------------------------


def _storage_type(column):
    """The type a column is stored as: a TypeDecorator (an encrypted field) is read and written
    as what it stores, so the file never holds what it decrypts to."""
    kind = column.type
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return kind


def _tables(conn, metadata) -> list[Table]:
    """Every table of the database but Alembic's, in foreign-key order: the models' definitions
    where the application has them (core and enabled plugins), the database's own otherwise."""
    names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
    reflected = MetaData()
    tables = []
    for name in names:
        table = metadata.tables.get(name)
        if table is None:
            table = Table(name, reflected, autoload_with=conn)
        tables.append(table)
    return sort_tables(tables)


def revisions(conn) -> list[str]:
    """The Alembic revisions the database is at (one per branch: the core and each plugin's)."""
    if "alembic_version" not in inspect(conn).get_table_names():
        return []
    return sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _metadata(settings):
    """The models' metadata with the enabled plugins' tables, and the application's engine."""
    app = make_app({}, **settings)
    return models_metadata, app.registry["dbengine"]


# --- values ----------------------------------------------------------------------------------------------


def _encode(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decoder(column):
    kind = _storage_type(column)
    if isinstance(kind, JSON):
        return None
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat
    if isinstance(kind, Date):
        return dt.date.fromisoformat
    if isinstance(kind, Time):
        return dt.time.fromisoformat
    if isinstance(kind, Numeric) and kind.asdecimal:
        return Decimal
    return None


def _raw(column):
    kind = _storage_type(column)
    return (column if kind is column.type else type_coerce(column, kind)).label(column.name)


def _has_binary(table) -> bool:
    return any(isinstance(_storage_type(c), LargeBinary) for c in table.columns)


# --- files ------------------------------------------------------------------------------------------------


@contextmanager
def _writing(path: str):
    """A text stream into ``path`` (``-``: standard output), gzip-compressed, readable by its owner
    only (it holds password hashes); the file appears under its name only once complete."""
    if path == "-":
        with (
            gzip.GzipFile(fileobj=sys.stdout.buffer, mode="wb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as stream,
        ):
            yield stream
        return
    partial = f"{path}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(fd, "wb") as handle,
            gzip.GzipFile(fileobj=handle, mode="wb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as stream,
        ):
            yield stream
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise


@contextmanager
def _reading(path: str):
    if path != "-" and not os.path.exists(path):
        raise BackupError(f"the backup file {path} does not exist.")
    source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 (closed below)
    try:
        with gzip.GzipFile(fileobj=source, mode="rb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as stream:
            yield stream
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not a complete backup of the intranet ({exc}).") from exc
    finally:
        if source is not sys.stdin.buffer:
            source.close()


def _line(stream, value) -> None:
    stream.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    stream.write("\n")


# --- backup -------------------------------------------------------------------------------------------------


@contextmanager
def _snapshot(engine):
    """One read-only transaction that sees the database as it was when it began."""
    token = write_intent.set(False)  # SQLite: a deferred BEGIN, so the app's writers are not held up
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn
    finally:
        write_intent.reset(token)


def backup(settings: dict, path: str, *, out=None) -> dict[str, int]:
    """Write the whole database to ``path``; returns the rows written per table. Progress goes
    to ``out`` (standard error: standard output may be the backup itself)."""
    out = out or sys.stderr
    metadata, engine = _metadata(settings)
    counts: dict[str, int] = {}
    try:
        with _snapshot(engine) as conn:
            found = revisions(conn)
            if not found:
                raise BackupError("the database has no schema yet: there is nothing to back up.")
            tables = _tables(conn, metadata)
            with _writing(path) as stream:
                _line(
                    stream,
                    {
                        "format": FORMAT,
                        "version": VERSION,
                        "dialect": conn.dialect.name,
                        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                        "revisions": found,
                        "tables": [t.name for t in tables],
                    },
                )
                for table in tables:
                    counts[table.name] = _dump_table(conn, table, stream, out)
                _line(stream, {"end_of_backup": True, "tables": len(tables), "rows": sum(counts.values())})
    finally:
        engine.dispose()
    print(f"Backup complete: {len(counts)} tables, {sum(counts.values()):,} rows.", file=out, flush=True)
    return counts


def _dump_table(conn, table, stream, out) -> int:
    columns = list(table.columns)
    _line(stream, {"table": table.name, "columns": [c.name for c in columns]})
    # Read each column as stored (see _storage_type), in primary-key order so that a row
    # referring to an earlier row of its own table (a plan's source) is restored after it.
    query = select(*[_raw(c) for c in columns]).order_by(*table.primary_key.columns)
    size = BLOB_BATCH_ROWS if _has_binary(table) else BATCH_ROWS
    rows = 0
    result = conn.execution_options(stream_results=True, yield_per=size).execute(query)
    for row in result:
        _line(stream, [_encode(v) for v in row])
        rows += 1
        if rows % PROGRESS_EVERY == 0:
            print(f"  {table.name}: {rows:,} rows …", file=out, flush=True)
    _line(stream, {"end": table.name, "rows": rows})
    print(f"  {table.name}: {rows:,} rows", file=out, flush=True)
    return rows


# --- restore -------------------------------------------------------------------------------------------------


def restore(settings: dict, path: str, *, force: bool = False, out=None) -> dict[str, int]:
    """Load the backup at ``path`` into the database of ``settings``: it must be migrated to the
    backup's revisions and be empty (``force``: its rows are deleted first). All or nothing."""
    out = out or sys.stderr
    metadata, engine = _metadata(settings)
    counts: dict[str, int] = {}
    try:
        with _reading(path) as stream, engine.begin() as conn:
            header = _header(stream, path)
            _check_revisions(conn, header["revisions"])
            tables = {t.name: t for t in _tables(conn, metadata)}
            missing = [name for name in header["tables"] if name not in tables]
            if missing:
                raise BackupError(
                    f"the database has no table {', '.join(missing)}: enable the plugins the "
                    "backup was taken with and run `intranet db upgrade` first."
                )
            _make_room(conn, list(tables.values()), force, out)
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            counts = _load(conn, tables, stream, path, out)
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn, [tables[name] for name in counts])
    finally:
        engine.dispose()
    print(f"Restore complete: {len(counts)} tables, {sum(counts.values()):,} rows.", file=out, flush=True)
    return counts


def _header(stream, path: str) -> dict:
    try:
        header = json.loads(stream.readline() or "null")
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of the intranet.")
    if header.get("version") != VERSION:
        raise BackupError(
            f"{path} is a backup of format {header.get('version')}; this version of the intranet "
            f"reads format {VERSION}."
        )
    return header


def _check_revisions(conn, wanted: list[str]) -> None:
    found = revisions(conn)
    if not found:
        raise BackupError(
            "the database has no schema: run `intranet db upgrade` on it first "
            f"(the backup is at revision {', '.join(wanted)})."
        )
    if sorted(found) != sorted(wanted):
        raise BackupError(
            f"the database is at revision {', '.join(found)} but the backup was taken at "
            f"{', '.join(wanted)}. Restore into an empty database migrated to the backup's "
            "revision (`intranet db upgrade <ini> --revision <rev>` for each), then upgrade it."
        )


def _make_room(conn, tables: list[Table], force: bool, out) -> None:
    filled = [t.name for t in tables if conn.execute(select(literal(1)).select_from(t).limit(1)).first()]
    if not filled:
        return
    if not force:
        raise BackupError(
            f"the database is not empty ({', '.join(filled[:5])}"
            f"{' …' if len(filled) > 5 else ''} have rows). Restore into an empty database, "
            "or add --force to delete everything it holds first."
        )
    print(f"Deleting the rows of {len(filled)} tables (--force) …", file=out, flush=True)
    for table in reversed(tables):
        conn.execute(table.delete())


def _load(conn, tables: dict[str, Table], stream, path: str, out) -> dict[str, int]:
    counts: dict[str, int] = {}
    table = statement = decoders = None
    batch: list[dict] = []
    size = rows = 0
    for number, line in enumerate(stream, start=2):
        try:
            item = json.loads(line)
        except ValueError:
            raise BackupError(f"{path} is damaged at line {number}.") from None
        if isinstance(item, list):
            if table is None or len(item) != len(decoders):
                raise BackupError(f"{path} is damaged at line {number}.")
            batch.append(
                {
                    f"c{i}": (v if v is None or d is None else d(v))
                    for i, (v, d) in enumerate(zip(item, decoders, strict=True))
                }
            )
            size += len(line)
            rows += 1
            if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
                conn.execute(statement, batch)
                batch, size = [], 0
            if rows % PROGRESS_EVERY == 0:
                print(f"  {table.name}: {rows:,} rows …", file=out, flush=True)
        elif "table" in item:
            table = tables[item["table"]]
            unknown = [c for c in item["columns"] if c not in table.columns]
            if unknown:
                raise BackupError(f"the table {table.name} of the database has no column {', '.join(unknown)}.")
            columns = [table.columns[c] for c in item["columns"]]
            decoders = [_decoder(c) for c in columns]
            statement = insert(table).values(
                {c.name: bindparam(f"c{i}", type_=_storage_type(c)) for i, c in enumerate(columns)}
            )
            rows = 0
        elif "end" in item:
            if batch:
                conn.execute(statement, batch)
                batch, size = [], 0
            if table is None or item["end"] != table.name or item["rows"] != rows:
                raise BackupError(f"{path} is damaged at line {number}.")
            counts[table.name] = rows
            print(f"  {table.name}: {rows:,} rows", file=out, flush=True)
            table = None
        elif item.get("end_of_backup"):
            if item.get("rows") != sum(counts.values()):
                raise BackupError(f"{path} is damaged at line {number}.")
            return counts
    raise BackupError(f"{path} ends before the end of the backup: it is incomplete. Nothing was restored.")


def _reset_sequences(conn, tables: list[Table]) -> None:
    """Move each id sequence past the restored rows, so that the next row gets a fresh id."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False:
            continue
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": keys[0].name}
        ).scalar()
        if sequence is None:
            continue
        highest = conn.execute(select(func.max(keys[0]))).scalar()
        conn.execute(
            text("SELECT setval(:s, :v, :called)"),
            {"s": sequence, "v": highest if highest is not None else 1, "called": highest is not None},
        )
