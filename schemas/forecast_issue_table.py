"""The ledger of issued bloom forecasts (预报发布记录): one row per forecast as it was issued.

A row is written once, by ``obs forecast bloom … --issue``, and never changed: no command
amends or deletes it (the table is not a record kind of :mod:`obs.lookup`), and a later issue
for the same plot, stage and season is a new row. It keeps what the verification needs: the
issue date, the as-of date of the weather used, the model and parameters, the predicted date
(ensemble median) with its range, the scenario assumption, and the climatology baseline
forecast made at the same moment from the same seasons.
"""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

import schemas.site_tables  # noqa: F401  (declares station and plot, which it refers to)
from schemas.table_base import new_uid, utcnow


class ForecastIssue(SQLModel, table=True):
    """One issued bloom forecast of a plot, cultivar, stage and season."""

    __tablename__ = "forecast_issue"
    __table_args__ = (Index("ix_forecast_issue_season", "season", "plot_id", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, max_length=32, unique=True)
    issued_at: dt.datetime = Field(default_factory=utcnow)
    issued_by: str = Field(default="", max_length=64)
    station_id: int = Field(foreign_key="station.id", index=True)
    plot_id: int = Field(foreign_key="plot.id", index=True)
    cultivar: str = Field(max_length=32)
    stage: str = Field(max_length=8)
    status: str = Field(max_length=16)
    season: int
    issue_date: dt.date
    as_of: dt.date | None = None
    model: str = Field(max_length=32)
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    predicted: dt.date | None = None
    low: dt.date | None = None
    high: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    normals: dt.date | None = None
    members: int = 0
    cv_rmse_days: float | None = None
    training_seasons: list[int] = Field(default_factory=list, sa_type=JSON)
    baseline_predicted: dt.date | None = None
    baseline_low: dt.date | None = None
    baseline_high: dt.date | None = None
    baseline_cv_rmse_days: float | None = None
    assumption_zh: str = Field(default="")
    assumption_en: str = Field(default="")
    note: str = Field(default="")
