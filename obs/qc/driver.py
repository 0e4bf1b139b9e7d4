"""The QC driver: run the checks of :mod:`obs.qc` over stored rows and keep their flags.

For each station, rows are read (sub-daily ones in time windows, so memory stays bounded),
checked with :func:`obs.qc.run_checks`, and the flags of the checked records are *replaced*:
their old ``qc_flag`` rows go, the new findings are written, and each row's ``qc`` column gets
its worst flag (0 when checked without finding). Raw values are never touched.

Windows (:mod:`obs.qc.windows`, derived from what the checks declare): a sub-daily
:class:`~obs.qc.windows.Window` (lo, hi] is read with its context on both sides, so step and
persistence checks see the records around it; only the window's own records get flags. A range
of days is read with the days before it its checks compare with. The weather import checks
the same windows on the rows it holds in memory (:func:`check_subdaily_rows`) and calls
:func:`check_daily_range` for the days it stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from obs.clock import HOUR_S
from obs.errors import InvalidValueError
from obs.lookup import resolve_ref
from obs.qc.flags import enrich, replace_flags, replace_subdaily_flags
from obs.qc.registry import KINDS, Site, run_checks
from obs.qc.settings import configured_rules
from obs.qc.windows import Window, daily_reach_days, subdaily_fields
from obs.seasons import season_bounds, year_bounds
from obs.store import daily, subdaily
from schemas.phenology_table import PhenologyObservation
from schemas.qc import ERROR, SUSPECT
from schemas.qc_rules import DEFAULT_QC_RULES, QCRules
from schemas.site_tables import Plant, Plot, Station

#: Sub-daily rows checked per window (memory bound of :func:`validate`).
QC_WINDOW_ROWS = 100_000
#: Flagged values listed in a summary at most (the counts are always complete).
MAX_FLAGGED_LISTED = 100_000


@dataclass
class ValidationSummary:
    """Rows checked per kind, finding counts per (kind, check, flag) and the flagged values."""

    checked: dict[str, int] = field(default_factory=dict)
    counts: dict[tuple[str, str, int], int] = field(default_factory=dict)
    flags: list[dict[str, Any]] = field(default_factory=list)
    flags_total: int = 0

    @property
    def errors(self) -> int:
        """Findings with flag 2 (error)."""
        return sum(n for (_, _, flag), n in self.counts.items() if flag == ERROR)

    @property
    def suspects(self) -> int:
        """Findings with flag 1 (suspect)."""
        return sum(n for (_, _, flag), n in self.counts.items() if flag == SUSPECT)

    def summary_rows(self) -> list[dict[str, Any]]:
        """One row per (kind, check, flag) with its count."""
        return [
            {"kind": k, "check_name": c, "flag": f, "count": n}
            for (k, c, f), n in sorted(self.counts.items())
        ]

    def merge(self, kind: str, checked: int, found: pd.DataFrame) -> None:
        """Add the rows checked and the (enriched) findings of one run."""
        self.checked[kind] = self.checked.get(kind, 0) + checked
        if found.empty:
            return
        for (check, flag), n in found.groupby(["check_name", "flag"]).size().items():
            key = (kind, str(check), int(flag))
            self.counts[key] = self.counts.get(key, 0) + int(n)
        self.flags_total += len(found)
        room = MAX_FLAGGED_LISTED - len(self.flags)
        if room > 0 and len(found):
            self.flags.extend(found.head(room).to_dict("records"))


def site_of(station: Station) -> Site:
    """The QC site of a station row."""
    return Site(station.code, station.latitude, station.utc_offset_hours)


def check_subdaily_window(
    session: Session, station: Station, window: Window, rules: QCRules = DEFAULT_QC_RULES
) -> tuple[int, pd.DataFrame]:
    """Check the stored sub-daily rows of ``window``; returns (rows checked, findings)."""
    columns = ("id", "station_id", *subdaily_fields(), "qc")
    frame = subdaily.rows(session, station.id or 0, window.read_lo, window.read_hi, columns)
    checked, found = check_subdaily_rows(session, station, frame, window, rules)
    if not checked:
        return checked, found
    found = found.assign(record_id=found["record_id"].map(frame.set_index("ts")["id"]))
    return checked, enrich("subdaily", station, frame, found)


def check_subdaily_rows(
    session: Session,
    station: Station,
    frame: pd.DataFrame,
    window: Window,
    rules: QCRules = DEFAULT_QC_RULES,
    unflagged: Sequence[tuple[int, int]] | None = None,
) -> tuple[int, pd.DataFrame]:
    """Check the rows of ``window`` in ``frame`` (stored rows of ``station``: ``ts`` and
    values, with the window's context) and store their flags (``unflagged``: see
    :func:`obs.qc.flags.replace_subdaily_flags`).

    Rows are keyed by their time (``ts`` is unique per station), so the frame needs no ids.
    Returns (rows checked, findings as :func:`obs.qc.run_checks` gives them, with the row's
    ``ts`` as ``record_id``).
    """
    checked, found = window.findings(frame, site_of(station), rules)
    if checked:
        sid = station.id or 0
        replace_subdaily_flags(session, sid, window.lo, window.hi, found, unflagged)
    return checked, found


def check_daily_range(
    session: Session,
    station: Station,
    first: dt.date | None = None,
    last: dt.date | None = None,
    rules: QCRules | None = None,
) -> tuple[int, pd.DataFrame]:
    """Check the daily rows of a station (all, or ``first``…``last`` with the days before that
    the checks compare with, :func:`obs.qc.windows.daily_reach_days`); returns (rows checked,
    findings). ``rules`` None: those in force (:func:`obs.qc.settings.configured_rules`)."""
    rules = configured_rules() if rules is None else rules
    start = None if first is None else first - dt.timedelta(days=daily_reach_days(rules))
    frame = daily.rows(session, station.id or 0, start, last)
    if frame.empty:
        return 0, pd.DataFrame()
    inside = frame["obs_date"] >= first if first is not None else frame["obs_date"].notna()
    found = run_checks("daily", frame, rules, site=site_of(station))
    region = frame[inside]
    found = found[found["record_id"].isin(region["id"])].reset_index(drop=True)
    replace_flags(session, "daily", region, found)
    return len(region), enrich("daily", station, frame, found)


def check_phenology(
    session: Session,
    station: Station,
    first: dt.date | None = None,
    last: dt.date | None = None,
    rules: QCRules | None = None,
) -> tuple[int, pd.DataFrame]:
    """Check the phenology rows of the plants of a station's plots (``rules`` None: those in
    force)."""
    rules = configured_rules() if rules is None else rules
    P = PhenologyObservation
    query = (
        select(P)
        .join(Plant, col(Plant.id) == P.plant_id)
        .join(Plot, col(Plot.id) == Plant.plot_id)
        .where(Plot.station_id == station.id, col(P.deleted_at).is_(None))
    )
    if first is not None and last is not None:
        query = query.where(col(P.obs_date).between(first, last))
    frame = pd.DataFrame([r.model_dump() for r in session.exec(query).all()])
    if frame.empty:
        return 0, pd.DataFrame()
    found = run_checks("phenology", frame, rules, site=site_of(station))
    replace_flags(session, "phenology", frame, found)
    return len(frame), enrich("phenology", station, frame, found)


def _period(season: int | None, year: int | None) -> tuple[dt.date, dt.date] | None:
    if season is not None:
        return season_bounds(season)
    if year is not None:
        return year_bounds(year)
    return None


def _ts_bounds(
    session: Session, station: Station, period: tuple[dt.date, dt.date] | None
) -> tuple[int, int, int] | None:
    """(lo, hi, rows) of the station's sub-daily records in the period (lo exclusive)."""
    bounds: tuple[int | None, int | None] = (None, None)
    if period is not None:
        offset = round(station.utc_offset_hours * HOUR_S)
        start = int(dt.datetime.combine(period[0], dt.time(), dt.UTC).timestamp()) - offset
        end = int(dt.datetime.combine(period[1], dt.time(), dt.UTC).timestamp()) - offset + 86_400
        bounds = (start, end)
    found = subdaily.span(session, station.id or 0, *bounds)
    return None if found is None else (found[0] - 1, found[1], found[2])


def _subdaily(
    session: Session,
    station: Station,
    period: tuple[dt.date, dt.date] | None,
    rules: QCRules,
    summary: ValidationSummary,
) -> None:
    bounds = _ts_bounds(session, station, period)
    if bounds is None:
        return
    for checked, found in check_subdaily_span(session, station, *bounds, rules):
        summary.merge("subdaily", checked, found)


def check_subdaily_span(
    session: Session, station: Station, lo: int, hi: int, rows: int, rules: QCRules
) -> Iterator[tuple[int, pd.DataFrame]]:
    """Check the sub-daily rows ``lo < ts <= hi`` (about ``rows`` of them) window by window,
    so memory stays bounded; yields (rows checked, findings) per window."""
    span = max(86_400, int((hi - lo) * QC_WINDOW_ROWS / max(rows, 1)) + 1)
    while lo < hi:
        top = min(lo + span, hi)
        yield check_subdaily_window(session, station, Window.of(lo, top, rules), rules)
        lo = top


def validate(
    *,
    session: Session,
    station: str | None = None,
    season: int | None = None,
    year: int | None = None,
    kinds: Iterable[str] = KINDS,
    rules: QCRules = DEFAULT_QC_RULES,
) -> ValidationSummary:
    """Run the QC checks over stored rows and store their flags (see the module docstring).

    Parameters
    ----------
    session
        The open transaction; the flags and ``qc`` columns are written in it.
    station
        A station code; all live stations when None.
    season, year
        Restrict to one season (1 Apr–31 Mar) or calendar year.
    kinds
        Any of ``daily``, ``subdaily``, ``phenology``.
    """
    chosen = _kinds(kinds)
    period = _period(season, year)
    stations = [resolve_ref(session, "station", station)] if station else _stations(session)
    summary = ValidationSummary(checked=dict.fromkeys(chosen, 0))
    first, last = period if period is not None else (None, None)
    for st in stations:
        if "daily" in chosen:
            summary.merge("daily", *check_daily_range(session, st, first, last, rules))
        if "subdaily" in chosen:
            _subdaily(session, st, period, rules, summary)
        if "phenology" in chosen:
            summary.merge("phenology", *check_phenology(session, st, first, last, rules))
    return summary


def _kinds(kinds: Iterable[str]) -> Sequence[str]:
    chosen = tuple(kinds)
    for kind in chosen:
        if kind not in KINDS:
            raise InvalidValueError(
                "--kind", kind, "is not a QC kind", hint="daily, subdaily or phenology"
            )
    return chosen


def _stations(session: Session) -> list[Station]:
    S = Station
    return list(session.exec(select(S).where(col(S.deleted_at).is_(None)).order_by(S.code)).all())
