"""Flowering seasons. A season is named by the year its bloom starts: ``2024`` = "2024/25".

By default a season runs from 1 April of its year to 31 March of the next (the domain
specification §9.1), which keeps one bud-set → bloom cycle together.
"""

from __future__ import annotations

import datetime as dt
import re

from obs.errors import InvalidValueError

#: Default first (month, day) of a season.
DEFAULT_SEASON_START: tuple[int, int] = (4, 1)

#: Years an observation, season or report can refer to.
YEAR_RANGE: tuple[int, int] = (1900, 2200)

_SEASON_RE = re.compile(r"^(\d{4})(?:/(\d{2}|\d{4}))?$")


def season_of(day: dt.date, start: tuple[int, int] = DEFAULT_SEASON_START) -> int:
    """The season a date belongs to."""
    return day.year if (day.month, day.day) >= start else day.year - 1


def season_bounds(
    season: int, start: tuple[int, int] = DEFAULT_SEASON_START
) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of a season."""
    check_year(season, "--season")
    first = dt.date(season, *start)
    return first, dt.date(season + 1, *start) - dt.timedelta(days=1)


def season_label(season: int) -> str:
    """``2024`` -> ``"2024/25"``."""
    return f"{season}/{(season + 1) % 100:02d}"


def parse_season(text: str) -> int:
    """Parse ``2024``, ``2024/25`` or ``2024/2025`` into the season year 2024."""
    match = _SEASON_RE.match(text.strip())
    if not match:
        raise InvalidValueError(
            "--season", text, "is not a season", hint="write it as 2024, 2024/25 or 2024/2025"
        )
    year = int(match.group(1))
    tail = match.group(2)
    if tail is not None:
        expected = str(year + 1) if len(tail) == 4 else f"{(year + 1) % 100:02d}"
        if tail != expected:
            raise InvalidValueError(
                "--season",
                text,
                "the second year must follow the first",
                hint=f"did you mean {season_label(year)}?",
            )
    return check_year(year, "--season")


def day_of_season(day: dt.date, season: int, start: tuple[int, int] = DEFAULT_SEASON_START) -> int:
    """Days since the season's first day (that day = 0). Crosses the new year."""
    return (day - dt.date(season, *start)).days


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar year."""
    check_year(year, "--year")
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def check_year(year: int, field: str = "--year") -> int:
    """Refuse a year outside the span observations can have (YEAR_RANGE)."""
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise InvalidValueError(
            field, year, f"is outside {low}…{high}", hint="give a four-digit year, e.g. 2024"
        )
    return year
