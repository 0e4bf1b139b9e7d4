"""The one place that creates engines, opens sessions and translates driver errors.

A plain path means SQLite; a SQLAlchemy URL (``sqlite:///…``, ``postgresql+psycopg://…``) is
used as is. SQLite runs with foreign keys on, WAL journal and a busy timeout so that two
processes can record at once. Every command runs in one transaction: on any error nothing is
written.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from obs.errors import DatabaseError, DatabaseNotReadyError, DuplicateError, ObsError
from obs.migrations import HEAD_REVISION
from obs.secrets import mask_secrets

SUPPORTED_SCHEMES = ("sqlite", "postgresql")
BUSY_TIMEOUT_S = 30
_INIT_HINT = "run: obs init"


def to_url(db: str) -> str:
    """Turn ``--db`` into a SQLAlchemy URL string; refuse schemes we do not support.

    Relative SQLite paths (plain or in a ``sqlite:///`` URL) become absolute, so messages say
    exactly which file is meant.
    """
    if not db.strip():
        raise DatabaseError("--db is empty", hint="give a file path or a database URL")
    if "\x00" in db:
        raise DatabaseError("--db holds a NUL character", hint="give a file path or a database URL")
    if "://" not in db:
        if db == ":memory:":
            return "sqlite://"
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    if db.startswith("sqlite:///") and not db.startswith(("sqlite:////", "sqlite:///file:")):
        path, _, query = db[len("sqlite:///") :].partition("?")
        if path and path != ":memory:":
            absolute = f"sqlite:///{Path(path).expanduser().resolve()}"
            return absolute + (f"?{query}" if query else "")
    scheme = db.split("://", 1)[0].lower()
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if scheme.split("+", 1)[0] not in SUPPORTED_SCHEMES:
        raise DatabaseError(
            f"unknown database scheme {scheme!r} in --db",
            hint="use a file path, sqlite:///path or postgresql+psycopg://…",
        )
    return db


def safe_url(url: str) -> str:
    """The URL with every password-bearing part replaced by ``***`` (for messages and logs)."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError):
        shown = url
    return mask_secrets(shown)


def make_engine(db: str, *, create: bool = True) -> Engine:
    """Create the engine for ``db`` (a path or URL).

    With ``create=False`` a SQLite file that does not exist is refused instead of being
    created empty (every command but ``obs init`` opens databases that way).
    """
    url = to_url(db)
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise DatabaseError(
            f"cannot parse database URL {safe_url(url)}", hint="check the --db value"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        try:
            return _sqlite_engine(url, parsed.database, create=create)
        except OSError as err:  # e.g. a file name too long
            raise DatabaseError(
                f"cannot use {safe_url(url)[:160]}: {err.strerror}",
                hint="give another file path with --db",
            ) from None
    declare_postgresql_indexes()
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ImportError, exc.NoSuchModuleError) as err:
        raise DatabaseError(
            f"no driver for {safe_url(url)}: {err}",
            hint="install the PostgreSQL extra: pip install 'obs-wintersweet[postgres]'",
        ) from None


def declare_postgresql_indexes() -> None:
    """Give every natural-key index its PostgreSQL partial condition (see schemas.tables)."""
    from sqlmodel import SQLModel

    import schemas.tables as tables

    for table in SQLModel.metadata.tables.values():
        for index in table.indexes:
            if index.info.get("live"):
                index.dialect_options["postgresql"]["where"] = text(tables.LIVE_CONDITION)


def _sqlite_engine(url: str, database: str | None, *, create: bool) -> Engine:
    read_only = None
    if database and database != ":memory:" and not database.startswith("file:"):
        _check_sqlite_path(Path(database), create=create)
        read_only = read_only_mode(Path(database))
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_S},
            **({"creator": _read_only_connect(database, read_only)} if read_only else {}),
        )
    else:
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        if database and database != ":memory:" and read_only is None:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def read_only_mode(path: Path) -> str | None:
    """How an existing SQLite file we may not write is opened: ``"mode=ro"`` when only the
    file is read-only (SQLite can still keep its lock files beside it) or its WAL files are
    there to read, ``"immutable=1"`` when its folder is not writable either and no WAL is
    pending (a read-only medium or mount: no lock files possible); ``None`` for a writable
    file. Reads then work; writes say the database is read-only. A pending WAL without its
    ``-shm`` file on a read-only medium cannot be read at all: refused with a hint."""
    if not path.is_file() or writable(path):
        return None
    if writable(path.parent):
        return "mode=ro"
    wal, shm = (path.with_name(path.name + end) for end in ("-wal", "-shm"))
    if wal.is_file() and wal.stat().st_size > 0 and shm.is_file():
        return "mode=ro"  # SQLite reads the WAL through the existing, read-only -shm
    if wal.is_file() and wal.stat().st_size > 0:  # immutable would not read what it holds
        raise DatabaseError(
            f"{path} is on a read-only medium with changes not yet copied from {wal.name}",
            hint=f"copy {path.name} and {wal.name} together to a writable folder and use that copy",
        )
    return "immutable=1"


def writable(path: Path) -> bool:
    """True when this process may write ``path`` (a file or folder; False on a read-only
    filesystem, also for root)."""
    return os.access(path, os.W_OK)


def _read_only_connect(database: str, mode: str) -> Any:
    uri = f"{Path(database).absolute().as_uri()}?{mode}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)

    return connect


def _check_sqlite_path(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise DatabaseError(
            f"{path} is a directory, not a database file",
            hint="give a file name such as station.db",
        )
    if not create and not path.exists():
        raise DatabaseNotReadyError(
            f"no database at {path}", hint=f"create it with: obs --db {path} init"
        )
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DatabaseError(
            f"cannot create the folder {parent}: {err.strerror}",
            hint="choose a writable place with --db",
        ) from None


def is_sqlite(engine: Engine) -> bool:
    """True for a SQLite engine."""
    return engine.dialect.name == "sqlite"


@contextmanager
def session_scope(engine: Engine, *, check_schema: bool = True) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error, translate driver errors."""
    session = Session(engine, expire_on_commit=False)
    try:
        if check_schema:
            ensure_current(session)
        yield session
        session.commit()
    except exc.DBAPIError as err:
        session.rollback()
        raise translate(err, engine) from None
    except OverflowError as err:
        session.rollback()
        if "sqlite" not in str(err).lower():
            raise
        raise DatabaseError(
            "a whole number is larger than the database can store (64 bits)",
            hint="check the numbers and ids given; nothing was written",
        ) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def ensure_current(session: Session) -> None:
    """Refuse to work on a database that was never initialised or has an older schema."""
    try:
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (exc.OperationalError, exc.ProgrammingError) as err:
        session.rollback()
        translated = translate(err, session.get_bind())  # type: ignore[arg-type]
        if isinstance(translated, DatabaseNotReadyError):
            raise DatabaseNotReadyError(
                "the database has no obs tables yet", hint=_INIT_HINT
            ) from None
        raise translated from None
    if version != HEAD_REVISION:
        raise DatabaseNotReadyError(
            f"the database schema is at revision {version}, this obs needs {HEAD_REVISION}",
            hint=f"{_INIT_HINT} (it upgrades the database; make a backup first)",
        )


_NOT_READY = ("no such table", "does not exist", "undefinedtable")
_LOCKED = ("database is locked", "could not obtain lock")
_READONLY = ("readonly database", "read-only", "attempt to write a readonly")
_FULL = ("database or disk is full", "no space left")
_OPEN = (
    "unable to open database",
    "could not connect",
    "connection refused",
    "connection failed",
    "password authentication failed",
    "does not exist\n",
)


def disk_full(err: BaseException) -> bool:
    """Whether a (wrapped or bare) driver error says the disk (or the database's size limit)
    is full."""
    orig = getattr(err, "orig", None)
    message = str(orig if orig is not None else err)
    return any(key in message.lower() for key in _FULL)


def translate(err: exc.DBAPIError, engine: Engine | None = None) -> ObsError:
    """Map a driver error to an :class:`ObsError` with a message and a hint."""
    message = str(err.orig) if err.orig is not None else str(err)
    low = message.lower()
    where = safe_url(str(engine.url)) if engine is not None else "the database"
    if isinstance(err, exc.IntegrityError):
        return DuplicateError(
            f"the database refused the record: {_first_line(message)}",
            hint="a record with the same key exists, or a reference is wrong",
        )
    if 'database "' in low and "does not exist" in low:
        return DatabaseError(
            f"cannot open {where}: {_first_line(message)}",
            hint="create the database on the server first",
        )
    if "role" in low and "does not exist" in low:
        return DatabaseError(
            f"cannot open {where}: {_first_line(message)}",
            hint="check the user name in --db / OBS_DB, or create that role on the server",
        )
    if any(key in low for key in _NOT_READY):
        return DatabaseNotReadyError(f"the database {where} is not initialised", hint=_INIT_HINT)
    if any(key in low for key in _LOCKED):
        return DatabaseError(
            "the database is busy (another program is writing)", hint="try again in a moment"
        )
    if any(key in low for key in _READONLY):
        return DatabaseError(
            f"the database {where} is read-only",
            hint="reading works, writing does not: check the permissions of the file and its "
            "folder, or copy the file to a writable place (obs backup COPY.db)",
        )
    if any(key in low for key in _FULL):
        return DatabaseError(
            "the disk is full; nothing was written",
            hint="free some space and run the command again",
        )
    if any(key in low for key in _OPEN):
        return DatabaseError(
            f"cannot open {where}: {_first_line(message)}",
            hint="check --db / OBS_DB and that the server is running",
        )
    return DatabaseError(
        f"database error: {_first_line(message)}", hint="run again with --debug for details"
    )


def _first_line(text_: str) -> str:
    return text_.strip().splitlines()[0] if text_.strip() else text_


def upgrade(engine: Engine) -> str:
    """Create or upgrade the schema to the newest revision (Alembic); returns the revision."""
    try:
        migrate(engine, "upgrade", "head")
    except exc.DBAPIError as err:
        raise translate(err, engine) from None
    return HEAD_REVISION


def migrate(engine: Engine, action: str, revision: str) -> None:
    """Run the Alembic command ``action`` ("upgrade", "downgrade") to ``revision`` in one
    transaction.

    On SQLite the foreign keys are off while it runs: a batch migration rebuilds a table by
    copying, dropping and renaming it, which the rows that refer to it would refuse. They are
    checked before the commit (a violation rolls everything back) and turned on again after.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                getattr(command, action)(cfg, revision)
                if sqlite:
                    _refuse_broken_keys(connection)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _refuse_broken_keys(connection: Any) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
        raise DatabaseError(
            f"the migration would leave {len(broken)} rows without their parent "
            f"(first: {table} row {rowid} -> {parent}); nothing was changed",
            hint="report this with the database file; obs init changed nothing",
        )
