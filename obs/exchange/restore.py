"""``obs restore-export``: load an export folder into an empty database, exactly.

The manifest is checked first (schema revision, every table, each file's SHA-256); then all
tables are inserted in foreign-key order in one transaction with their ids and uids, so that
exporting the restored database gives byte-identical files. On PostgreSQL the id sequences are
moved past the restored ids.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, exc, func, select

from obs.db import translate
from obs.errors import InputFormatError, ObsError
from obs.exchange import codec as C
from obs.exchange.export import (
    CHUNK_ROWS,
    FORMATS,
    MANIFEST,
    TableFile,
    check_revision,
    data_tables,
)
from obs.migrations import HEAD_REVISION


def restore_export(engine: Engine, directory: Path) -> list[TableFile]:
    """Load an export into an EMPTY database, in one transaction; ids and uids are kept."""
    listed = read_manifest(directory)
    fmt = listed[0].file.rsplit(".", 1)[1] if listed else "csv"
    by_name = {f.table: f for f in listed}
    try:
        with engine.begin() as conn:
            check_revision(conn)
            _refuse_non_empty(conn)
            for table in data_tables():
                loaded = _load_table(conn, table, directory / by_name[table.name].file, fmt)
                if loaded != by_name[table.name].rows:
                    raise InputFormatError(
                        f"{table.name}: {loaded} rows, the manifest says "
                        f"{by_name[table.name].rows}",
                        hint="the export is incomplete; export again",
                    )
            _reset_sequences(conn)
    except exc.DBAPIError as err:
        raise translate(err, engine) from None
    except exc.StatementError as err:
        raise InputFormatError(
            f"a value of the export cannot be stored: {err.orig}",
            hint="the export was changed by hand or is damaged",
        ) from None
    return listed


def read_manifest(directory: Path) -> list[TableFile]:
    """The manifest of an export, checked: same schema, every table, files unchanged."""
    path = directory.expanduser() / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        fmt, tables = manifest["format"], manifest["tables"]
        revision = manifest["schema_revision"]
    except (OSError, ValueError, KeyError, TypeError):
        raise InputFormatError(
            f"{path} is missing or not an obs export manifest",
            hint="give the folder written by: obs export",
        ) from None
    if revision != HEAD_REVISION:
        raise InputFormatError(
            f"the export has schema revision {revision}, this obs has {HEAD_REVISION}",
            hint="restore it with the obs that wrote it",
        )
    expected = {t.name for t in data_tables()}
    if fmt not in FORMATS or not isinstance(tables, dict) or set(tables) != expected:
        raise InputFormatError(
            f"{path} does not list the tables of this obs",
            hint="give a complete folder written by: obs export",
        )
    return [
        _checked_file(directory.expanduser(), name, tables[name], fmt) for name in sorted(expected)
    ]


def _checked_file(directory: Path, name: str, entry: Any, fmt: str) -> TableFile:
    file = f"{name}.{fmt}"  # never a path from the manifest itself
    try:
        listed = TableFile(name, file, int(entry["rows"]), str(entry["sha256"]))
    except (KeyError, TypeError, ValueError):
        raise InputFormatError(
            f"the manifest entry of {name} is damaged", hint="export again"
        ) from None
    if listed.file != entry.get("file") or sha256_of(directory / file) != listed.sha256:
        raise InputFormatError(
            f"{file} does not match its manifest (changed or damaged)",
            hint="export again; do not edit export files",
        )
    return listed


def sha256_of(path: Path) -> str:
    """SHA-256 (hex) of a file; an unreadable file is an InputFormatError."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as err:
        raise InputFormatError(
            f"cannot read {path}: {err.strerror}",
            hint="give a complete folder written by: obs export",
        ) from None
    return digest.hexdigest()


def _refuse_non_empty(conn: Connection) -> None:
    for table in data_tables():
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise ObsError(
                f"the database is not empty (table {table.name} has rows)",
                hint="restore into a new database: obs --db new.db init, then "
                "obs --db new.db restore-export DIR",
            )


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
        raise InputFormatError(
            f"{table.name}: the columns differ from this obs's table",
            hint="restore with the obs version that wrote the export",
        )


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
            conn.execute(select(func.setval(seq, select(func.max(table.c.id)).scalar_subquery())))
