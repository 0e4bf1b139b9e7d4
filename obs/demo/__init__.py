"""``obs demo``: a demo database with several realistic seasons at a Beibei-like station.

The database is deterministic for a seed: station 57511 (29.83 °N, 106.45 °E), plot JG-A of
素心蜡梅 with ten marked plants, daily weather for every season (bulk insert), hourly records
for the last season (so its chilling comes from hourly values), and observations entered
through :func:`obs.records.create` so that they pass the same validation as typed ones. The
last season has a cold spell in January with a FREEZE disaster.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from obs.errors import ObsError

#: Seasons end with this one (2024 = 2024/25), so the demo does not depend on today's date.
LAST_SEASON = 2024
#: Station note that marks a database as a demo that ``obs demo`` may replace.
DEMO_MARK = "obs-demo database"
STATION = {
    "code": "57511",
    "name": "北碚（演示）",
    "latitude": "29.83",
    "longitude": "106.45",
    "elevation": "240.8",
}
PLOT = {
    "code": "JG-A",
    "cultivar": "SUXIN",
    "name": "静观镇蜡梅园（演示）",
    "plot_type": "1",
    "field_level": "1",
    "area_m2": "600",
    "planting_year": "2008",
    "terrain": "缓坡",
    "slope_aspect": "东南",
    "soil_type": "黄壤",
    "management": "中等",
    "distance_to_station_m": "1800",
}
N_PLANTS = 10
#: Cold spell of the last season: first day (month, day of the season's second year) and the
#: daily minima [°C].
COLD_SPELL_START = (1, 9)
COLD_SPELL_TMIN: tuple[float, ...] = (-2.6, -4.1, -3.3)


@dataclass(frozen=True)
class DemoResult:
    """What ``build_demo`` made: the file, the station and plot, and the seasons."""

    path: Path
    station: str
    plot: str
    seasons: tuple[int, ...]
    daily_rows: int
    hourly_rows: int
    observations: int

    @property
    def last_season(self) -> int:
        """The latest complete season (the one ``obs demo`` prints)."""
        return self.seasons[-1]


def build_demo(path: Path, *, seasons: int = 6, seed: int = 1) -> DemoResult:
    """Build the demo database at ``path``, replacing an earlier demo (never another file).

    Parameters
    ----------
    path
        SQLite file to create.
    seasons
        Number of seasons, ending with ``LAST_SEASON`` (1–40).
    seed
        Seed of the random generator; the same seed gives the same data.
    """
    if not 1 <= seasons <= 40:
        raise ObsError(f"--seasons {seasons}: choose 1 to 40 seasons", hint="e.g. --seasons 6")
    _clear(path)
    from obs.demo.build import fill

    return fill(path, tuple(range(LAST_SEASON - seasons + 1, LAST_SEASON + 1)), seed)


def _clear(path: Path) -> None:
    """Remove an earlier demo database at ``path``; refuse any other existing file."""
    if not path.exists():
        return
    if not is_demo(path):
        raise ObsError(
            f"{path} exists and is not an obs demo database; not touching it",
            hint="choose another file with --path",
        )
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def is_demo(path: Path) -> bool:
    """True when ``path`` is an SQLite database whose station note carries ``DEMO_MARK``."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM station WHERE note = ?", (DEMO_MARK,)
            ).fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def cold_spell_start(season: int) -> dt.date:
    """First day of the demo cold spell in ``season``."""
    return dt.date(season + 1, *COLD_SPELL_START)
