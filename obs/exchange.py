"""Take the data out and bring it back: export, restore from an export, backup.

``export_database`` writes every table (one file each, rows by id) and ``manifest.json`` with
the schema revision, row counts and the SHA-256 of each file, all read in one transaction, so
the files agree with each other. ``restore_export`` loads such a directory into an empty
database in one transaction, ids and uids unchanged: export → restore → export gives identical
files. (Backups of a SQLite file: :mod:`obs.backup`.)
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, Table, exc, func, select, text
from sqlmodel import SQLModel

from obs import exchange_codec as C
from obs.db import translate
from obs.errors import DatabaseNotReadyError, InputFormatError, ObsError
from obs.migrations import HEAD_REVISION

FORMATS: tuple[str, ...] = ("csv", "json")
MANIFEST = "manifest.json"
#: Rows read or inserted per round trip.
CHUNK_ROWS = 2000
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class TableFile:
    """One table in an export: its file, row count and SHA-256 (hex)."""

    table: str
    file: str
    rows: int
    sha256: str


def data_tables() -> list[Table]:
    """Every table of the schema, parents before children (foreign-key order)."""
    import schemas.tables  # noqa: F401  (declares the tables)

    tables = list(SQLModel.metadata.sorted_tables)
    for table in tables:
        if not _TABLE_NAME.match(table.name):  # file names come only from these names
            raise ObsError(f"unexpected table name {table.name!r}")
    return tables


def export_database(engine: Engine, directory: Path, *, fmt: str = "csv",
                    force: bool = False) -> list[TableFile]:
    """Write every table of the database into ``directory`` as CSV or JSON plus a manifest."""
    if fmt not in FORMATS:
        raise InputFormatError(f"unknown export format {fmt!r}", hint="use csv or json")
    out = _output_dir(directory, force=force)
    try:
        with engine.connect() as conn:
            _begin_snapshot(conn)
            _check_revision(conn)
            files = [_write_table(conn, table, out, fmt) for table in data_tables()]
            conn.rollback()
    except exc.DBAPIError as err:
        raise translate(err, engine) from None
    manifest = {"format": fmt, "schema_revision": HEAD_REVISION,
                "tables": {f.table: {"file": f.file, "rows": f.rows, "sha256": f.sha256}
                           for f in files}}
    _write_text(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return files


def _output_dir(directory: Path, *, force: bool) -> Path:
    out = directory.expanduser()
    if out.exists() and not out.is_dir():
        raise ObsError(f"{out} is a file, not a folder", hint="give a folder for --output")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ObsError(f"{out} is not empty", hint="choose an empty folder, or add --force to "
                       "overwrite the export files in it")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ObsError(f"cannot create {out}: {err.strerror}",
                       hint="choose a writable place for --output") from None
    return out


def _begin_snapshot(conn: Connection) -> None:
    """Start a transaction whose reads all see one state of the database."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # pysqlite would not begin one for reads
    else:
        conn.execution_options(isolation_level="REPEATABLE READ")


def _check_revision(conn: Connection) -> None:
    try:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (exc.OperationalError, exc.ProgrammingError):
        raise DatabaseNotReadyError("the database has no obs tables yet",
                                    hint="run: obs init") from None
    if version != HEAD_REVISION:
        raise DatabaseNotReadyError(f"the database schema is at revision {version}, this obs "
                                    f"needs {HEAD_REVISION}", hint="run: obs init")


def _write_table(conn: Connection, table: Table, out: Path, fmt: str) -> TableFile:
    name = f"{table.name}.{fmt}"
    query = select(table).order_by(*table.primary_key.columns)
    rows = conn.execution_options(yield_per=CHUNK_ROWS).execute(query)
    digest, count = hashlib.sha256(), 0
    path = out / name
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            sink = _HashingWriter(handle, digest)
            count = (_csv_rows if fmt == "csv" else _json_rows)(table, rows, sink)
    except OSError as err:
        raise ObsError(f"cannot write {path}: {err.strerror}",
                       hint="check the free space and permissions of --output") from None
    return TableFile(table.name, name, count, digest.hexdigest())


class _HashingWriter:
    """A text sink that hashes what it writes."""

    def __init__(self, handle: IO[str], digest: Any) -> None:
        self.handle, self.digest = handle, digest

    def write(self, chunk: str) -> int:
        self.digest.update(chunk.encode("utf-8"))
        return self.handle.write(chunk)


def _csv_rows(table: Table, rows: Any, sink: _HashingWriter) -> int:
    columns = list(table.columns)
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    count = 0
    for row in rows:
        writer.writerow([C.to_cell(c, row._mapping[c.name]) for c in columns])
        count += 1
    return count


def _json_rows(table: Table, rows: Any, sink: _HashingWriter) -> int:
    columns = list(table.columns)
    count = 0
    sink.write("[")
    for row in rows:
        item = {c.name: C.to_plain(c, row._mapping[c.name]) for c in columns}
        sink.write(("," if count else "") + "\n" + json.dumps(item, ensure_ascii=False))
        count += 1
    sink.write("\n]\n")
    return count


def _write_text(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as err:
        raise ObsError(f"cannot write {path}: {err.strerror}",
                       hint="check the free space and permissions of --output") from None


# --- restore ---------------------------------------------------------------------------------


def restore_export(engine: Engine, directory: Path) -> list[TableFile]:
    """Load an export into an EMPTY database, in one transaction; ids and uids are kept."""
    listed = read_manifest(directory)
    fmt = listed[0].file.rsplit(".", 1)[1] if listed else "csv"
    by_name = {f.table: f for f in listed}
    try:
        with engine.begin() as conn:
            _check_revision(conn)
            _refuse_non_empty(conn)
            for table in data_tables():
                loaded = _load_table(conn, table, directory / by_name[table.name].file, fmt)
                if loaded != by_name[table.name].rows:
                    raise InputFormatError(f"{table.name}: {loaded} rows, the manifest says "
                                           f"{by_name[table.name].rows}",
                                           hint="the export is incomplete; export again")
            _reset_sequences(conn)
    except exc.DBAPIError as err:
        raise translate(err, engine) from None
    except exc.StatementError as err:
        raise InputFormatError(f"a value of the export cannot be stored: {err.orig}",
                               hint="the export was changed by hand or is damaged") from None
    return listed


def read_manifest(directory: Path) -> list[TableFile]:
    """The manifest of an export, checked: same schema, every table, files unchanged."""
    path = directory.expanduser() / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        fmt, tables = manifest["format"], manifest["tables"]
        revision = manifest["schema_revision"]
    except (OSError, ValueError, KeyError, TypeError):
        raise InputFormatError(f"{path} is missing or not an obs export manifest",
                               hint="give the folder written by: obs export") from None
    if revision != HEAD_REVISION:
        raise InputFormatError(f"the export has schema revision {revision}, this obs has "
                               f"{HEAD_REVISION}", hint="restore it with the obs that wrote it")
    expected = {t.name for t in data_tables()}
    if fmt not in FORMATS or not isinstance(tables, dict) or set(tables) != expected:
        raise InputFormatError(f"{path} does not list the tables of this obs",
                               hint="give a complete folder written by: obs export")
    return [_checked_file(directory.expanduser(), name, tables[name], fmt)
            for name in sorted(expected)]


def _checked_file(directory: Path, name: str, entry: Any, fmt: str) -> TableFile:
    file = f"{name}.{fmt}"  # never a path from the manifest itself
    try:
        listed = TableFile(name, file, int(entry["rows"]), str(entry["sha256"]))
    except (KeyError, TypeError, ValueError):
        raise InputFormatError(f"the manifest entry of {name} is damaged",
                               hint="export again") from None
    if listed.file != entry.get("file") or sha256_of(directory / file) != listed.sha256:
        raise InputFormatError(f"{file} does not match its manifest (changed or damaged)",
                               hint="export again; do not edit export files")
    return listed


def sha256_of(path: Path) -> str:
    """SHA-256 (hex) of a file; an unreadable file is an InputFormatError."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        raise InputFormatError(f"cannot read {path}: {err.strerror}",
                               hint="give a complete folder written by: obs export") from None
    return digest.hexdigest()


def _refuse_non_empty(conn: Connection) -> None:
    for table in data_tables():
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise ObsError(f"the database is not empty (table {table.name} has rows)",
                           hint="restore into a new database: obs --db new.db init, then "
                                "obs --db new.db restore-export DIR")


def _load_table(conn: Connection, table: Table, path: Path, fmt: str) -> int:
    count = 0
    for chunk in _chunks(_read_rows(table, path, fmt)):
        conn.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def _read_rows(table: Table, path: Path, fmt: str) -> Iterator[dict[str, Any]]:
    columns = {c.name: c for c in table.columns}
    with path.open(encoding="utf-8", newline="") as handle:
        if fmt == "json":
            for item in json.load(handle):
                _same_columns(table, list(item))
                yield {k: C.from_plain(columns[k], v) for k, v in item.items()}
            return
        reader = csv.reader(handle)
        header = next(reader, [])
        _same_columns(table, header)
        for cells in reader:
            yield {k: C.from_cell(columns[k], v) for k, v in zip(header, cells, strict=True)}


def _same_columns(table: Table, names: list[str]) -> None:
    if sorted(names) != sorted(c.name for c in table.columns):
        raise InputFormatError(f"{table.name}: the columns differ from this obs's table",
                               hint="restore with the obs version that wrote the export")


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: let new rows get ids after the restored ones."""
    if conn.dialect.name != "postgresql":
        return
    for table in data_tables():
        if "id" in table.c:
            seq = func.pg_get_serial_sequence(table.name, "id")
            conn.execute(select(func.setval(seq, select(func.max(table.c.id))
                                            .scalar_subquery())))
