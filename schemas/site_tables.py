"""The site tables: stations, plots and marked plants (see :mod:`schemas.table_base`)."""

from sqlmodel import Field

from schemas.table_base import Record, live_unique
from schemas.weather import DAY_END_HOUR_BT


class Station(Record, table=True):
    """An agromet observation station (观测站)."""

    __tablename__ = "station"
    __table_args__ = (live_unique("uq_station_code_live", "code"),)

    code: str = Field(max_length=16)
    name: str = Field(max_length=100)
    latitude: float
    longitude: float
    elevation: float | None = None
    time_system: str = Field(default="BT", max_length=4)
    utc_offset_hours: float = Field(default=8.0)
    #: Hour (station time) at which the climatological day ends: 20 (CMA, the default) or
    #: 24 (civil days, midnight); 1–24 (the station kind's limits).
    day_end_hour: int = Field(
        default=DAY_END_HOUR_BT, sa_column_kwargs={"server_default": str(DAY_END_HOUR_BT)}
    )


class Plot(Record, table=True):
    """An observation plot (观测地段) of one cultivar near a station."""

    __tablename__ = "plot"
    __table_args__ = (live_unique("uq_plot_code_live", "code"),)

    code: str = Field(max_length=32)
    station_id: int = Field(foreign_key="station.id", index=True)
    cultivar: str = Field(max_length=32)
    name: str = Field(default="", max_length=100)
    plot_type: str = Field(default="0", max_length=2)
    field_level: str | None = Field(default=None, max_length=2)
    area_m2: float | None = None
    planting_year: int | None = None
    terrain: str = Field(default="")
    slope_aspect: str = Field(default="")
    soil_type: str = Field(default="")
    management: str = Field(default="")
    distance_to_station_m: float | None = None


class Plant(Record, table=True):
    """A marked plant (观测株); its cultivar is fixed for life."""

    __tablename__ = "plant"
    __table_args__ = (live_unique("uq_plant_tag_live", "tag"),)

    tag: str = Field(max_length=32)
    plot_id: int = Field(foreign_key="plot.id", index=True)
    cultivar: str = Field(max_length=32)
    planting_year: int | None = None
    position: str = Field(default="")
    map_x: float | None = None
    map_y: float | None = None
