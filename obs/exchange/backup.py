"""``obs backup``: a consistent copy of a SQLite database while others may be writing.

The copy uses SQLite's online backup API (``sqlite3.Connection.backup``) on the engine's own
DBAPI connection, into a temporary file next to the target that replaces it only when complete
and checked. PostgreSQL databases are backed up with ``pg_dump``; obs says how.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from obs import safe_write
from obs.db import is_sqlite, safe_url
from obs.errors import DatabaseError, ObsError


def backup_database(engine: Engine, target: Path, *, force: bool = False) -> int:
    """Copy a SQLite database to ``target`` while others may write; returns its size [bytes]."""
    if not is_sqlite(engine):
        url = safe_url(str(engine.url)).replace("postgresql+psycopg://", "postgresql://")
        raise DatabaseError(
            "obs backup copies SQLite files; back up a PostgreSQL database with pg_dump",
            hint=f"pg_dump -Fc -f obs.dump '{url}' (give the password through PGPASSWORD or "
            "~/.pgpass, never in the URL)",
        )
    target = target.expanduser()
    safe_write.refuse_symlink(target)  # never replace a link's target
    dest = target.resolve()
    source = engine.url.database
    if source and source != ":memory:" and Path(source).resolve() == dest:
        raise ObsError("the backup file is the database itself", hint="give another FILE")
    if dest.is_dir() or (dest.exists() and not force):
        raise ObsError(f"{dest} exists", hint="give a new file name, or add --force")
    if not dest.parent.is_dir():
        raise ObsError(f"the folder {dest.parent} does not exist", hint="create it first")
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    try:
        _copy_sqlite(engine, partial)
        os.replace(partial, dest)
    except (OSError, sqlite3.Error) as err:
        raise DatabaseError(
            f"backup failed: {err}",
            hint=f"nothing was written to {dest.name}; check free space and permissions",
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return dest.stat().st_size


def _copy_sqlite(engine: Engine, partial: Path) -> None:
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(copy)  # type: ignore[union-attr]
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            if copy.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("the copy failed its integrity check")
        finally:
            copy.close()
    finally:
        raw.close()
