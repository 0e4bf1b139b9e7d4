"""The weather tables: daily and sub-daily records of a station.

Sub-daily weather is keyed by ``ts``, the UTC instant in epoch seconds, for compact storage
and fast aggregation over tens of millions of rows.
"""

import datetime as dt

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

# declares station and import_batch, which these refer to
import schemas.system_tables  # noqa: F401
from schemas.table_base import Record, live_unique


class DailyWeather(Record, table=True):
    """One climatological day (ending 20:00 BT) of weather at a station (逐日气象)."""

    __tablename__ = "daily_weather"
    __table_args__ = (live_unique("uq_daily_weather_key_live", "station_id", "obs_date"),)

    station_id: int = Field(foreign_key="station.id", index=True)
    obs_date: dt.date
    t_mean: float | None = None
    t_max: float | None = None
    t_min: float | None = None
    t02: float | None = None
    t08: float | None = None
    t14: float | None = None
    t20: float | None = None
    rh_mean: float | None = None
    precip: float | None = None
    precip_20_08: float | None = None
    precip_08_20: float | None = None
    precip_08_08: float | None = None
    precip_trace: bool = Field(default=False)
    sunshine: float | None = None
    wind_mean: float | None = None
    wind_max: float | None = None
    wind_gust: float | None = None
    ground_min: float | None = None
    phenomena: str = Field(default="")
    tmean_method: str = Field(default="", max_length=8)
    source: str = Field(default="manual", max_length=16)
    observer: str = Field(default="", max_length=64)
    # days derived from sub-daily records: records found and expected (completeness), and the
    # fixed-time temperatures filled in from neighbours (comma list, e.g. "t02,t20")
    n_records: int | None = None
    n_expected: int | None = None
    interpolated: str = Field(default="")


class SubDailyWeather(SQLModel, table=True):
    """One sub-daily (hourly or 10-minute) weather record; ``ts`` is the UTC epoch second at
    the end of the interval."""

    __tablename__ = "subdaily_weather"
    __table_args__ = (UniqueConstraint("station_id", "ts", name="uq_subdaily_station_ts"),)

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id")
    ts: int = Field(sa_type=BigInteger)
    t: float | None = None
    rh: float | None = None
    precip: float | None = None
    precip_trace: bool = Field(default=False)
    wind_speed: float | None = None
    wind_dir: float | None = None
    wind_gust: float | None = None
    sunshine: float | None = None
    ground_t: float | None = None
    qc: int = Field(default=9)
    import_id: int | None = Field(default=None, foreign_key="import_batch.id")
    deleted_at: dt.datetime | None = None
