"""What every table module shares: the naming convention, the ``Record`` base and live indexes.

The tables are declared in small modules (:mod:`schemas.site_tables`,
:mod:`schemas.phenology_table`, :mod:`schemas.observation_tables`,
:mod:`schemas.weather_tables`, :mod:`schemas.system_tables`) so that a command declares only
the tables it uses: declaring a SQLModel table costs start-up time. :mod:`schemas.tables`
imports them all (Alembic and most of the engine use it).

Annotations are evaluated eagerly (no ``from __future__ import annotations``): pydantic would
otherwise ``eval`` every field's type at import, which costs start-up time.
"""

import datetime as dt
import uuid

from pydantic import ConfigDict
from sqlalchemy import Index, MetaData, text
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Rows that are not soft-deleted: the condition of every natural-key index.
LIVE_CONDITION = "deleted_at IS NULL"
_LIVE = LIVE_CONDITION


def new_uid() -> str:
    """A new record uid: a random UUID as 32 hex digits."""
    return uuid.uuid4().hex


def utcnow() -> dt.datetime:
    """The current instant, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def live_unique(name: str, *columns: str) -> Index:
    """A unique index over the rows that are not soft-deleted.

    Only the SQLite form of the condition is declared here: naming ``postgresql_where`` would
    make SQLAlchemy load its whole PostgreSQL dialect (~0.1 s) on every start-up.
    :func:`obs.db.make_engine` adds the PostgreSQL condition when it opens a PostgreSQL
    database; indexes carry ``info["live"]`` for that.
    """
    index = Index(name, *columns, unique=True, sqlite_where=text(_LIVE))
    index.info["live"] = True
    return index


class Record(SQLModel):
    """Columns every record table shares. Timestamps are timezone-aware UTC."""

    # building pydantic validators for every table costs ~0.2 s at start-up; tables are
    # written through SQLAlchemy, so build them only if something validates a table model
    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, max_length=32, unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=64)
    updated_at: dt.datetime | None = None
    deleted_at: dt.datetime | None = None
    qc: int = Field(default=9)
    note: str = Field(default="")
