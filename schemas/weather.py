"""Weather elements of the daily and sub-daily records, with units, resolutions and limits.

Hard limits are the national climatological bounds (an error); soft limits are Beibei defaults
(suspicious). Day boundaries follow the Chinese surface-observation convention: the
climatological day ends at 20:00 Beijing time (BT).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemas.terms import Limits, Term, index

Aggregation = Literal["mean", "max", "min", "sum", "instant"]


@dataclass(frozen=True, slots=True)
class WeatherElement(Term):
    """One weather element; ``code`` is also the column name in the weather tables."""

    unit: str = ""
    resolution: float = 0.1
    limits: Limits = field(default_factory=Limits)
    aggregation: Aggregation = "instant"
    day_boundary: str = "20:00 BT"


_T_HARD = (-55.0, 55.0)

DAILY_ELEMENTS: tuple[WeatherElement, ...] = (
    WeatherElement(
        "t_mean",
        "日平均气温",
        "Daily mean air temperature",
        "°C",
        0.1,
        Limits(*_T_HARD, -5, 36),
        "mean",
    ),
    WeatherElement(
        "t_max",
        "日最高气温",
        "Daily maximum air temperature",
        "°C",
        0.1,
        Limits(*_T_HARD, -3, 45.5),
        "max",
    ),
    WeatherElement(
        "t_min",
        "日最低气温",
        "Daily minimum air temperature",
        "°C",
        0.1,
        Limits(*_T_HARD, -6, 32),
        "min",
    ),
    WeatherElement("t02", "02时气温", "Air temperature at 02 BT", "°C", 0.1, Limits(*_T_HARD)),
    WeatherElement("t08", "08时气温", "Air temperature at 08 BT", "°C", 0.1, Limits(*_T_HARD)),
    WeatherElement("t14", "14时气温", "Air temperature at 14 BT", "°C", 0.1, Limits(*_T_HARD)),
    WeatherElement("t20", "20时气温", "Air temperature at 20 BT", "°C", 0.1, Limits(*_T_HARD)),
    WeatherElement(
        "rh_mean",
        "日平均相对湿度",
        "Daily mean relative humidity",
        "%",
        1,
        Limits(0, 100, 30, 100),
        "mean",
    ),
    WeatherElement(
        "precip",
        "日降水量（20-20时）",
        "Daily precipitation 20–20 BT",
        "mm",
        0.1,
        Limits(0, 600, 0, 300),
        "sum",
    ),
    WeatherElement(
        "precip_20_08", "20-08时降水量", "Precipitation 20–08 BT", "mm", 0.1, Limits(0, 600), "sum"
    ),
    WeatherElement(
        "precip_08_20", "08-20时降水量", "Precipitation 08–20 BT", "mm", 0.1, Limits(0, 600), "sum"
    ),
    WeatherElement(
        "sunshine", "日照时数", "Sunshine duration", "h", 0.1, Limits(0, 24), "sum", "sunset"
    ),
    WeatherElement(
        "wind_mean",
        "日平均风速",
        "Daily mean wind speed (2 min)",
        "m/s",
        0.1,
        Limits(0, 75, 0, 20),
        "mean",
    ),
    WeatherElement(
        "wind_max",
        "日最大风速",
        "Daily maximum wind speed",
        "m/s",
        0.1,
        Limits(0, 75, 0, 30),
        "max",
    ),
    WeatherElement(
        "wind_gust",
        "日极大风速",
        "Daily extreme wind gust",
        "m/s",
        0.1,
        Limits(0, 150, 0, 40),
        "max",
    ),
    WeatherElement(
        "ground_min",
        "地面最低温度",
        "Grass/ground minimum temperature",
        "°C",
        0.1,
        Limits(-80, 80),
        "min",
    ),
)

SUBDAILY_ELEMENTS: tuple[WeatherElement, ...] = (
    WeatherElement("t", "气温", "Air temperature", "°C", 0.1, Limits(*_T_HARD, -7, 46)),
    WeatherElement("rh", "相对湿度", "Relative humidity", "%", 1, Limits(0, 100)),
    WeatherElement(
        "precip", "降水量", "Precipitation in the interval", "mm", 0.1, Limits(0, 600), "sum"
    ),
    WeatherElement("wind_speed", "风速", "Wind speed", "m/s", 0.1, Limits(0, 75, 0, 20)),
    WeatherElement("wind_dir", "风向", "Wind direction", "°", 1, Limits(0, 360)),
    WeatherElement("wind_gust", "极大风速", "Wind gust", "m/s", 0.1, Limits(0, 150, 0, 40), "max"),
    WeatherElement(
        "sunshine", "日照时数", "Sunshine in the interval", "h", 0.01, Limits(0, 1), "sum", "sunset"
    ),
    WeatherElement(
        "ground_t", "地面温度", "Ground-surface temperature", "°C", 0.1, Limits(-80, 80)
    ),
)

#: How the daily mean temperature was obtained (recorded with every daily row).
TMEAN_METHODS: tuple[Term, ...] = (
    Term("24h", "24次定时观测平均", "mean of 24 hourly values"),
    Term("4obs", "02、08、14、20时平均", "mean of 02, 08, 14, 20 BT"),
    Term("maxmin", "最高最低平均", "(Tmax + Tmin) / 2"),
    Term("given", "原始记录", "as recorded"),
)

#: Weather phenomena that can be marked on a day (stored as a comma list of codes).
PHENOMENA: tuple[Term, ...] = (
    Term("rain", "雨", "rain"),
    Term("snow", "雪", "snow"),
    Term("sleet", "雨夹雪", "sleet"),
    Term("frost", "霜", "frost"),
    Term("glaze", "雨凇", "glaze"),
    Term("hail", "冰雹", "hail"),
    Term("fog", "雾", "fog"),
    Term("thunder", "雷暴", "thunder"),
)

WEATHER_SOURCES: tuple[Term, ...] = (
    Term("manual", "人工", "manual"),
    Term("aws", "自动站", "automatic station"),
    Term("imported", "导入", "imported"),
    Term("derived", "由逐时资料计算", "derived from sub-daily data"),
)

DAILY_BY_CODE = index(DAILY_ELEMENTS)
SUBDAILY_BY_CODE = index(SUBDAILY_ELEMENTS)
TMEAN_METHODS_BY_CODE = index(TMEAN_METHODS)
PHENOMENA_BY_CODE = index(PHENOMENA)
WEATHER_SOURCES_BY_CODE = index(WEATHER_SOURCES)

#: Fixed observation times of basic stations [hour BT].
FIXED_HOURS: tuple[int, ...] = (2, 8, 14, 20)

#: Hour (BT) at which the climatological day ends.
DAY_END_HOUR_BT = 20

#: Minimum hourly values for a 24-hour daily mean; else 4 fixed times; else (max+min)/2.
MIN_HOURS_FOR_24H_MEAN = 20

#: Value columns of a sub-daily record (table ``subdaily_weather``), in table order.
SUBDAILY_VALUES: tuple[str, ...] = (
    "t",
    "rh",
    "precip",
    "precip_trace",
    "wind_speed",
    "wind_dir",
    "wind_gust",
    "sunshine",
    "ground_t",
)
