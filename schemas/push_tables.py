"""The push bookkeeping of a field database: how far each central database has been sent.

``push_mark`` holds, per central database and table, the largest row id sent and the last
``push_change`` entry taken into account. ``push_change`` is the change log: a trigger (see
:mod:`obs.migrations.push_triggers`) adds a row's id whenever a row of a table that has been
pushed to some central database is updated, so an incremental push sends the rows with a
larger id plus the changed ones, and nothing else.
"""

import datetime as dt

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from schemas.table_base import utcnow


class PushMark(SQLModel, table=True):
    """How far one central database (``target``, its URL without password) has one table."""

    __tablename__ = "push_mark"
    __table_args__ = (UniqueConstraint("target", "table_name", name="uq_push_mark_target"),)

    id: int | None = Field(default=None, primary_key=True)
    target: str = Field(max_length=512)
    table_name: str = Field(max_length=32)
    last_id: int = Field(default=0, sa_type=BigInteger)
    last_change: int = Field(default=0, sa_type=BigInteger)
    pushed_at: dt.datetime = Field(default_factory=utcnow)


class PushChange(SQLModel, table=True):
    """One update of a row that a central database already has (written by a trigger)."""

    __tablename__ = "push_change"

    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=32)
    row_id: int = Field(sa_type=BigInteger)
