"""The bookkeeping tables: QC flags, change history and import batches."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

import schemas.site_tables  # noqa: F401  (declares station, which import_batch refers to)
from schemas.table_base import utcnow


class QCFlag(SQLModel, table=True):
    """A QC finding next to a raw value: which check, which flag, and why."""

    __tablename__ = "qc_flag"
    __table_args__ = (Index("ix_qc_flag_record", "kind", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    record_id: int
    element: str = Field(max_length=32)
    check_name: str = Field(max_length=48)
    flag: int
    reason: str = Field(default="")
    run_at: dt.datetime = Field(default_factory=utcnow)


class History(SQLModel, table=True):
    """One change to a record: the state before it, what changed, who, when and why."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_record", "kind", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    record_id: int
    record_uid: str = Field(default="", max_length=32)
    action: str = Field(max_length=16)
    before: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    reason: str = Field(default="")
    actor: str = Field(default="", max_length=64)
    at: dt.datetime = Field(default_factory=utcnow)


class ImportBatch(SQLModel, table=True):
    """One run of ``obs import``: the file, what happened to its rows, and whether it ended."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    file_name: str
    file_sha256: str = Field(max_length=64, index=True)
    station_id: int | None = Field(default=None, foreign_key="station.id")
    started_at: dt.datetime = Field(default_factory=utcnow)
    finished_at: dt.datetime | None = None
    status: str = Field(default="running", max_length=16)
    rows_read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    actor: str = Field(default="", max_length=64)
