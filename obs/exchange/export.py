"""``obs export``: every table of the database as CSV or JSON files plus a manifest.

``export_database`` writes every table (one file each, rows by id) and ``manifest.json`` with
the schema revision, row counts and the SHA-256 of each file, all read in one transaction, so
the files agree with each other. :mod:`obs.exchange.restore` loads such a folder into an empty
database (export → restore → export gives identical files); :mod:`obs.exchange.backup`
copies a SQLite file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, Table, exc, select, text
from sqlmodel import SQLModel

from obs import safe_write
from obs.db import translate
from obs.errors import DatabaseNotReadyError, InputFormatError, ObsError
from obs.exchange import codec as C
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
            raise ObsError(
                f"unexpected table name {table.name!r}",
                hint="this installation of obs is damaged: install it again",
            )
    return tables


def export_database(
    engine: Engine, directory: Path, *, fmt: str = "csv", force: bool = False
) -> list[TableFile]:
    """Write every table of the database into ``directory`` as CSV or JSON plus a manifest."""
    if fmt not in FORMATS:
        raise InputFormatError(f"unknown export format {fmt!r}", hint="use csv or json")
    out = _output_dir(directory, force=force)
    try:
        with engine.connect() as conn:
            _begin_snapshot(conn)
            check_revision(conn)
            files = [_write_table(conn, table, out, fmt) for table in data_tables()]
            conn.rollback()
    except exc.DBAPIError as err:
        raise translate(err, engine) from None
    manifest = {
        "format": fmt,
        "schema_revision": HEAD_REVISION,
        "tables": {f.table: {"file": f.file, "rows": f.rows, "sha256": f.sha256} for f in files},
    }
    _write_text(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    _remove_stale(out, {f.file for f in files} | {MANIFEST})
    return files


def _output_dir(directory: Path, *, force: bool) -> Path:
    out = directory.expanduser()
    if out.exists() and not out.is_dir():
        raise ObsError(f"{out} is a file, not a folder", hint="give a folder for --output")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ObsError(
            f"{out} is not empty",
            hint="choose an empty folder, or add --force to replace the export files in it",
        )
    for name in _export_names():
        safe_write.refuse_symlink(out / name)  # before anything is written
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ObsError(
            f"cannot create {out}: {err.strerror}", hint="choose a writable place for --output"
        ) from None
    return out


def export_files(directory: Path) -> list[Path]:
    """The files in ``directory`` that an export writes: a table file of either format, the
    manifest. Nothing else is ever overwritten or removed."""
    paths = [directory / n for n in _export_names()]
    return [p for p in paths if p.is_file() and not p.is_symlink()]


def _export_names() -> list[str]:
    """The names of every file an export may write or remove (both formats)."""
    return [f"{t.name}.{fmt}" for t in data_tables() for fmt in FORMATS] + [MANIFEST]


def _remove_stale(directory: Path, written: set[str]) -> None:
    """Remove export files of an earlier export that this one did not write (another format),
    so the folder holds exactly what the manifest describes."""
    for path in export_files(directory):
        if path.name not in written:
            try:
                path.unlink()
            except OSError as err:
                raise ObsError(
                    f"cannot remove the old export file {path}: {err.strerror}",
                    hint="remove it by hand; the new export is complete",
                ) from None


def _begin_snapshot(conn: Connection) -> None:
    """Start a transaction whose reads all see one state of the database."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # pysqlite would not begin one for reads
    else:
        conn.execution_options(isolation_level="REPEATABLE READ")


def check_revision(conn: Connection) -> None:
    try:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (exc.OperationalError, exc.ProgrammingError):
        raise DatabaseNotReadyError(
            "the database has no obs tables yet", hint="run: obs init"
        ) from None
    if version != HEAD_REVISION:
        raise DatabaseNotReadyError(
            f"the database schema is at revision {version}, this obs needs {HEAD_REVISION}",
            hint="run: obs init",
        )


def _write_table(conn: Connection, table: Table, out: Path, fmt: str) -> TableFile:
    name = f"{table.name}.{fmt}"
    query = select(table).order_by(*table.primary_key.columns)
    rows = conn.execution_options(yield_per=CHUNK_ROWS).execute(query)
    digest, count = hashlib.sha256(), 0
    path = out / name
    try:
        with safe_write.open_text(path, newline="") as handle:
            sink = _HashingWriter(handle, digest)
            count = (_csv_rows if fmt == "csv" else _json_rows)(table, rows, sink)
    except OSError as err:
        raise ObsError(
            f"cannot write {path}: {err.strerror}",
            hint="check the free space and permissions of --output",
        ) from None
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
    safe_write.write_text(path, content)
