"""Parse the time columns of a weather file into UTC epoch seconds or dates.

Conventions (domain spec §10.1):

- a sub-daily timestamp marks the **end** of its interval: an hourly precipitation stamped
  08:00 fell between 07:00 and 08:00;
- a timestamp without an explicit zone is in station time, Beijing time (UTC+8) unless told
  otherwise; ``assume_utc`` reads such timestamps as UTC instead;
- an explicit zone in the cell (``Z``, ``+00:00``, ``+0800``) always wins;
- ``24:00`` (allowed by CMA hour codes) is 00:00 of the next day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

from obs.clock import EPOCH_DAY
from schemas.ingest import DEFAULT_UTC_OFFSET_HOURS

_EPOCH = pd.Timestamp(EPOCH_DAY)
_ZONE_RE = r"(?<=\d:\d\d)(?::\d\d(?:\.\d+)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)$"
_ZONE_STRIP_RE = r"\s*(?:Z|[+-]\d\d(?::?\d\d)?)$"
_H24_RE = r"(?<![\d])24:00(?::00)?"
_CN_DATE_RE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"


@dataclass(frozen=True, slots=True)
class Clock:
    """How to read timestamps without an explicit zone.

    Attributes
    ----------
    utc_offset_hours
        Station time offset from UTC. [h]
    assume_utc
        Read zone-less timestamps as UTC instead of station time.
    """

    utc_offset_hours: float = DEFAULT_UTC_OFFSET_HOURS
    assume_utc: bool = False

    @property
    def default_offset_s(self) -> int:
        """Offset applied to zone-less timestamps. [s]"""
        return 0 if self.assume_utc else round(self.utc_offset_hours * 3600)


def normalize_clock(cells: pd.Series) -> pd.Series:
    """Clock texts to ``HH:MM[:SS]``: ``"8"`` -> ``"08:00"``, ``"0830"`` -> ``"08:30"``."""
    text = cells.astype("str").str.strip()
    hour_only = text.str.fullmatch(r"\d{1,2}")
    hhmm = text.str.fullmatch(r"\d{4}")
    text = text.mask(hour_only, text.str.zfill(2) + ":00")
    return text.mask(hhmm, text.str[:2] + ":" + text.str[2:])


def combine_date_time(dates: pd.Series, clocks: pd.Series) -> pd.Series:
    """One timestamp text per row from a date column and a clock column."""
    return dates.astype("str").str.strip() + " " + normalize_clock(clocks)


def _parse_naive(text: pd.Series) -> pd.Series:
    """Parse zone-less texts; the format is guessed once and unmatched cells retried one by one."""
    filled = text[text != ""]
    first = filled.iloc[0] if len(filled) else None
    fmt = guess_datetime_format(first) if first is not None else None
    parsed = pd.to_datetime(text, format=fmt or "mixed", errors="coerce")
    retry = parsed.isna() & (text != "")
    if fmt and retry.any():
        parsed[retry] = pd.to_datetime(text[retry], format="mixed", errors="coerce")
    return parsed


def _offset_seconds(zone: pd.Series, default_s: int) -> pd.Series:
    """Seconds east of UTC per row, from ``Z`` / ``±HH[:MM]`` or the default."""
    parts = zone.str.extract(r"([+-])(\d\d):?(\d\d)?")
    sign = parts[0].map({"+": 1, "-": -1})
    minutes = parts[1].astype("float64") * 60 + parts[2].fillna("0").astype("float64")
    seconds = (sign * minutes * 60).where(zone != "Z", 0.0)
    return seconds.fillna(float(default_s)).astype("int64")


def _clean(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Cleaned texts, the explicit zone of each (or NaN), and the ``24:00`` rows."""
    text = text.astype("str").str.strip().str.replace(_CN_DATE_RE, r"\1-\2-\3", regex=True)
    zone = text.str.extract(_ZONE_RE, expand=False)
    text = text.where(zone.isna(), text.str.replace(_ZONE_STRIP_RE, "", regex=True))
    h24 = text.str.contains(_H24_RE, regex=True)
    return text.str.replace(_H24_RE, "00:00", regex=True), zone, h24


def _parse_fast(text: pd.Series) -> pd.Series:
    """Parse with the format of the first cell when it has no zone (NaT where it fails)."""
    first = next((cell for cell in text if cell != ""), None)
    fmt = guess_datetime_format(first) if first is not None else None
    if fmt is None or "%z" in fmt:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    return pd.to_datetime(text, format=fmt, errors="coerce")


def _parse_slow(cells: pd.Series, clock: Clock) -> pd.Series:
    """Local seconds minus zone offset for cells the fast path could not read (float, NaN)."""
    text, zone, h24 = _clean(cells)
    local_s = (_parse_naive(text) - _EPOCH) // pd.Timedelta(seconds=1)
    local_s = local_s + np.where(h24, 86_400, 0)
    return local_s - _offset_seconds(zone.fillna(""), clock.default_offset_s)


def parse_epoch_seconds(cells: pd.Series, clock: Clock) -> pd.Series:
    """Timestamp texts -> UTC epoch seconds (nullable ``Int64``; ``<NA>`` = not understood).

    Cells in the format of the first cell are parsed at once; the rest (other formats, explicit
    zones, ``24:00``, Chinese dates) one by one.
    """
    text = cells.astype("str")
    fast = _parse_fast(text)
    utc_s = ((fast - _EPOCH) // pd.Timedelta(seconds=1)).astype("float64") - clock.default_offset_s
    slow = fast.isna()
    if slow.any():
        slow &= text != ""
    if slow.any():
        utc_s[slow] = _parse_slow(text[slow], clock)
    return utc_s.astype("Int64")


def parse_dates(cells: pd.Series) -> pd.Series:
    """Date texts -> ``datetime64`` at midnight (``NaT`` = not understood)."""
    text = cells.astype("str").str.strip().str.replace(_CN_DATE_RE, r"\1-\2-\3", regex=True)
    return _parse_naive(text).dt.normalize()


def bt_text(ts: int, clock: Clock) -> str:
    """A UTC epoch second as ``YYYY-MM-DD HH:MM`` in station time, for messages."""
    local = pd.Timestamp(ts + round(clock.utc_offset_hours * 3600), unit="s")
    return f"{local:%Y-%m-%d %H:%M} (UTC{clock.utc_offset_hours:+g})"
