"""Declarations for reading weather files: header aliases, units, missing-value sentinels.

Data only. The engine (:mod:`obs.imports.weather`) normalises every header before looking it
up, so the aliases below are written as people write them: case, spaces, ``_``/``-``/``.`` and
full-width forms do not matter, and a trailing unit in brackets (``气温(℃)``, ``Rain [mm]``) is
cut off and looked up in :data:`UNITS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TimeRole = Literal["datetime", "date", "time"]
FileKind = Literal["daily", "subdaily"]

#: Headers of the columns that carry the time of a record.
TIME_ALIASES: dict[TimeRole, tuple[str, ...]] = {
    "datetime": (
        "日期时间",
        "观测时间",
        "资料时间",
        "时间戳",
        "datetime",
        "date time",
        "timestamp",
        "obs time",
        "observation time",
    ),
    "date": ("日期", "观测日期", "date", "obs date", "day"),
    "time": ("时间", "时次", "时刻", "time", "hour", "clock"),
}

#: Headers of daily files, by element code of :data:`schemas.weather.DAILY_ELEMENTS`.
#: A bare "气温"/"temp" is deliberately absent: in a daily file it could be the mean or a
#: fixed-time value, so such a column needs an explicit mapping.
DAILY_ALIASES: dict[str, tuple[str, ...]] = {
    "t_mean": (
        "平均气温",
        "日平均气温",
        "t_mean",
        "tmean",
        "tavg",
        "mean temperature",
        "temp mean",
        "avg temp",
    ),
    "t_max": ("最高气温", "日最高气温", "t_max", "tmax", "max temperature", "temp max"),
    "t_min": ("最低气温", "日最低气温", "t_min", "tmin", "min temperature", "temp min"),
    "t02": ("02时气温", "2时气温", "t02"),
    "t08": ("08时气温", "8时气温", "t08"),
    "t14": ("14时气温", "t14"),
    "t20": ("20时气温", "t20"),
    "rh_mean": (
        "平均相对湿度",
        "日平均相对湿度",
        "相对湿度",
        "rh_mean",
        "rh",
        "humidity",
        "relative humidity",
    ),
    "precip": (
        "降水量",
        "日降水量",
        "20-20时降水量",
        "降水",
        "precip",
        "precipitation",
        "rain",
        "rainfall",
        "prcp",
        "pre",
    ),
    "precip_20_08": ("20-08时降水量", "precip_20_08"),
    "precip_08_20": ("08-20时降水量", "precip_08_20"),
    "sunshine": ("日照时数", "日照", "sunshine", "sunshine duration", "ssd"),
    "wind_mean": (
        "平均风速",
        "日平均风速",
        "2分钟平均风速",
        "风速",
        "wind_mean",
        "wind",
        "wind speed",
        "ws",
    ),
    "wind_max": ("最大风速", "日最大风速", "wind_max", "max wind"),
    "wind_gust": ("极大风速", "日极大风速", "wind_gust", "gust", "max gust"),
    "ground_min": ("地面最低温度", "日地面最低温度", "ground_min", "tg min"),
}

#: Headers of sub-daily files, by element code of :data:`schemas.weather.SUBDAILY_ELEMENTS`.
SUBDAILY_ALIASES: dict[str, tuple[str, ...]] = {
    "t": ("气温", "温度", "空气温度", "t", "temp", "temperature", "air temperature", "tair"),
    "rh": ("相对湿度", "湿度", "rh", "humidity", "relative humidity"),
    "precip": (
        "降水量",
        "降水",
        "小时降水量",
        "雨量",
        "precip",
        "precipitation",
        "rain",
        "rainfall",
        "prcp",
        "pre",
    ),
    "wind_speed": ("风速", "2分钟平均风速", "平均风速", "wind_speed", "wind", "wind speed", "ws"),
    "wind_dir": ("风向", "2分钟平均风向", "wind_dir", "wind direction", "wd"),
    "wind_gust": ("极大风速", "阵风", "wind_gust", "gust"),
    "sunshine": ("日照时数", "日照", "sunshine", "sunshine duration"),
    "ground_t": ("地面温度", "地表温度", "ground_t", "ground temperature", "tg"),
}


@dataclass(frozen=True, slots=True)
class UnitConversion:
    """How a unit written in a header converts to an element's unit: ``v * factor + offset``."""

    to_unit: str
    factor: float = 1.0
    offset: float = 0.0


#: Units recognised in header brackets, keyed by their normalised form (lower case, NFKC, no
#: spaces: "℃" is normalised to "°c"). Scaled units such as 0.1 ℃ are the CMA integer-coded
#: archives' convention [I-R, CMA SURF_CLI_CHN_MUL_DAY data description].
UNITS: dict[str, UnitConversion] = {
    "°c": UnitConversion("°C"),
    "c": UnitConversion("°C"),
    "degc": UnitConversion("°C"),
    "度": UnitConversion("°C"),
    "0.1°c": UnitConversion("°C", 0.1),
    # °F -> °C: (v - 32) * 5/9, the definition of the Fahrenheit scale.
    "°f": UnitConversion("°C", 5 / 9, -32 * 5 / 9),
    "f": UnitConversion("°C", 5 / 9, -32 * 5 / 9),
    "%": UnitConversion("%"),
    "0.1%": UnitConversion("%", 0.1),
    "mm": UnitConversion("mm"),
    "毫米": UnitConversion("mm"),
    "0.1mm": UnitConversion("mm", 0.1),
    "cm": UnitConversion("mm", 10.0),
    "h": UnitConversion("h"),
    "小时": UnitConversion("h"),
    "hr": UnitConversion("h"),
    "0.1h": UnitConversion("h", 0.1),
    "min": UnitConversion("h", 1 / 60),
    "分钟": UnitConversion("h", 1 / 60),
    "m/s": UnitConversion("m/s"),
    "米/秒": UnitConversion("m/s"),
    "0.1m/s": UnitConversion("m/s", 0.1),
    "km/h": UnitConversion("m/s", 1 / 3.6),
    "°": UnitConversion("°"),
    "deg": UnitConversion("°"),
}

#: Cell texts meaning "missing" (compared upper-cased after stripping spaces).
MISSING_TEXT: frozenset[str] = frozenset(
    {"", "NA", "N/A", "NAN", "NULL", "NONE", "/", "//", "///", "-", "--", "—", "——", "缺测"}
)

#: Numbers meaning "missing": CMA archive codes 32766 (missing) and 32744 (no observation)
#: [I-R, CMA SURF_CLI_CHN_MUL_DAY description]; 999999/99999/9999.9 and -9999/-999 are the
#: usual logger and database fillers.
MISSING_NUMBERS: frozenset[float] = frozenset(
    {999999.0, 99999.0, 9999.9, 32766.0, 32744.0, -9999.0, -999.0}
)

#: Precipitation cells meaning "trace" (微量, below 0.1 mm): stored as 0.0 plus a trace flag
#: (domain spec §10.2). 32700 is the CMA archive code for trace [I-R, as above].
TRACE_TEXT: frozenset[str] = frozenset({"T", "TR", "TRACE", "微量", ","})
TRACE_NUMBERS: frozenset[float] = frozenset({32700.0})

#: Rows per chunk when streaming a file: large enough that the per-chunk work (queries, QC and
#: daily derivation set-up) is paid rarely, small enough that a chunk of a dozen text columns
#: stays within tens of MB.
DEFAULT_CHUNK_ROWS = 150_000
#: Rows of a file's first chunk (at most): storing starts while the rest is still being read.
FIRST_CHUNK_ROWS = 20_000

#: Bytes read from the start of a file to guess its encoding and delimiter.
SNIFF_BYTES = 65_536

#: Data rows read to tell a daily file (dates) from a sub-daily one (timestamps).
KIND_SAMPLE_ROWS = 200

#: Encodings tried, in order, when none is given. GB18030 is a superset of GBK and GB2312, the
#: encodings of most Chinese station exports.
CANDIDATE_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

#: Delimiters recognised in a header line.
CANDIDATE_DELIMITERS: tuple[str, ...] = (",", ";", "\t")

#: Default station time: Beijing time, UTC+8 [hours] (domain spec §10.1).
DEFAULT_UTC_OFFSET_HOURS = 8.0

#: Offset of Beijing time (BT) from UTC, the time of the climatological day boundary [h].
BT_OFFSET_HOURS = 8.0

#: How many offending cells or rows an error message lists before "and N more".
MAX_OFFENDERS_SHOWN = 5

#: File-name endings read as spreadsheets; everything else is read as delimited text.
XLSX_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm")

#: The years a weather file's timestamps and dates may fall in (inclusive). A row outside them
#: is refused (into the reject file): the day derivation needs calendar room on both sides of
#: every record, and no instrumental record is older.
WEATHER_YEARS: tuple[int, int] = (1800, 9998)
