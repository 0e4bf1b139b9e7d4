"""The phenology table: one visit of one plant for one stage (see :mod:`schemas.table_base`)."""

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field

import schemas.site_tables  # noqa: F401  (declares plant, which phenology refers to)
from schemas.table_base import Record, live_unique


class PhenologyObservation(Record, table=True):
    """One visit of one plant for one stage (发育期观测)."""

    __tablename__ = "phenology"
    __table_args__ = (
        live_unique("uq_phenology_key_live", "plant_id", "stage_code", "obs_date"),
        Index("ix_phenology_date", "obs_date"),
    )

    plant_id: int = Field(foreign_key="plant.id", index=True)
    obs_date: dt.date
    obs_time: dt.time | None = None
    stage_code: str = Field(max_length=8)
    reached: bool = Field(default=True)
    percent: float | None = None
    flowers_open: int | None = None
    buds_unopened: int | None = None
    flowers_withered: int | None = None
    open_ratio: float | None = None
    observer: str = Field(default="", max_length=64)
