"""Reports on the data itself: how complete it is, and who entered it how well.

``completeness`` counts, for one calendar year, the days with a value of each daily weather
element per month, the phenology visits (distinct visit days) of each marked plant per month,
and lists the runs of days missing from each element that was observed at all that year.
``observers`` counts the records each observer entered, how many were later amended, and the
QC errors per thousand values: the idea of the CMA 错情 rate (errors per 1000 observed values,
《地面气象观测业务考核办法》), computed from ``qc_flag`` rows with flag 2 (error).
Only live (not deleted) records count.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from obs.clock import today_bt
from obs.exchange.push import QC_KINDS
from obs.lookup import TABLES, kind_of, resolve_ref
from obs.seasons import year_bounds
from schemas import tables as T
from schemas.kinds import RECORD_KINDS
from schemas.qc import ERROR
from schemas.weather import DAILY_ELEMENTS

MONTHS: tuple[str, ...] = tuple(f"{m:02d}" for m in range(1, 13))
#: Fields that are bookkeeping or defaults, not observed values (not in the 错情 denominator).
NOT_VALUES: frozenset[str] = frozenset(
    {"observer", "note", "reached", "precip_trace", "tmean_method", "source"}
)
#: The ``source`` of weather a person read and entered (schemas.weather.WEATHER_SOURCES).
MANUAL_SOURCE = "manual"
#: The observer shown for weather rows no person observed (automatic, imported, derived).
AUTOMATIC = "(automatic)"
#: History actions that count as "amended".
AMEND_ACTIONS: tuple[str, ...] = ("amend", "revert")


@dataclass(frozen=True)
class Completeness:
    """Rows of the completeness report: weather days, plant visits and gaps."""

    weather: list[dict[str, Any]]
    visits: list[dict[str, Any]]
    gaps: list[dict[str, Any]]


def completeness(
    year: int, *, session: Session, station: str | None = None, today: dt.date | None = None
) -> Completeness:
    """Completeness of weather and phenology visits in calendar ``year`` (up to ``today``)."""
    first, last = year_bounds(year)
    last = min(last, today or today_bt())
    S: Any = T.Station
    stations = (
        [resolve_ref(session, "station", station)]
        if station
        else list(session.exec(select(S).where(S.deleted_at.is_(None)).order_by(S.code)).all())
    )
    weather: list[dict[str, Any]] = []
    gaps: list[dict[str, Any]] = []
    for st in stations:
        days = _weather_days(session, st.id, first, last)
        weather += _weather_rows(st.code, days, first, last)
        gaps += _gap_rows(st.code, days, first, last)
    visits = _visit_rows(session, [s.id for s in stations], first, last)
    return Completeness(weather, visits, gaps)


def _weather_days(
    session: Session, station_id: int, first: dt.date, last: dt.date
) -> dict[str, set[dt.date]]:
    """Element -> the days on which it has a value."""
    from obs.store import daily

    codes = [e.code for e in DAILY_ELEMENTS]
    rows = daily.rows(session, station_id, first, last, ["obs_date", *codes])
    return {c: set(rows.loc[rows[c].notna(), "obs_date"]) for c in codes}


def _month_counts(days: set[dt.date]) -> dict[str, int]:
    counted = Counter(f"{d.month:02d}" for d in days)
    return {m: counted.get(m, 0) for m in MONTHS}


def _period_days(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


def _weather_rows(
    code: str, days: dict[str, set[dt.date]], first: dt.date, last: dt.date
) -> list[dict[str, Any]]:
    period = _period_days(first, last) if last >= first else set()
    rows = [
        {
            "station": code,
            "element": "days_in_period",
            **_month_counts(period),
            "total": len(period),
        }
    ]
    for element, present in days.items():
        rows.append(
            {"station": code, "element": element, **_month_counts(present), "total": len(present)}
        )
    return rows


def _gap_rows(
    code: str, days: dict[str, set[dt.date]], first: dt.date, last: dt.date
) -> list[dict[str, Any]]:
    if not any(days.values()):
        span = max((last - first).days + 1, 0)
        return (
            [{"station": code, "element": "all", "start": first, "end": last, "days": span}]
            if span
            else []
        )
    rows = []
    for element, present in days.items():
        if present:
            rows += [
                {
                    "station": code,
                    "element": element,
                    "start": a,
                    "end": b,
                    "days": (b - a).days + 1,
                }
                for a, b in missing_runs(present, first, last)
            ]
    return rows


def missing_runs(
    present: set[dt.date], first: dt.date, last: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """Runs (first, last day) of consecutive days in [first, last] that are not in
    ``present``."""
    runs: list[tuple[dt.date, dt.date]] = []
    start: dt.date | None = None
    day = first
    while day <= last:
        if day not in present and start is None:
            start = day
        if day in present and start is not None:
            runs.append((start, day - dt.timedelta(days=1)))
            start = None
        day += dt.timedelta(days=1)
    if start is not None:
        runs.append((start, last))
    return runs


def _visit_rows(
    session: Session, station_ids: list[int], first: dt.date, last: dt.date
) -> list[dict[str, Any]]:
    P: Any = T.PhenologyObservation
    Pl: Any = T.Plant
    Pt: Any = T.Plot
    plants = session.exec(
        select(Pl, Pt)
        .join(Pt, Pt.id == Pl.plot_id)
        .where(Pl.deleted_at.is_(None), Pt.station_id.in_(station_ids))
        .order_by(Pt.code, Pl.tag)
    ).all()
    visits: dict[int, set[dt.date]] = defaultdict(set)
    for plant_id, day in session.exec(
        select(P.plant_id, P.obs_date).where(
            P.deleted_at.is_(None), P.obs_date.between(first, last)
        )
    ).all():
        visits[plant_id].add(day)
    return [
        {
            "plot": plot.code,
            "plant": plant.tag,
            **_month_counts(visits[plant.id]),
            "total": len(visits[plant.id]),
        }
        for plant, plot in plants
    ]


# --- observers ---------------------------------------------------------------------------


def observers(*, session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """Per observer: records entered, records amended later, values, QC errors and errors per
    1000 values (错情率 idea). The observer is :func:`observer_of` the record."""
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    for name in RECORD_KINDS:
        _count_kind(session, name, year, stats)
    rows = []
    for who in sorted(stats):
        s = stats[who]
        rate = round(1000.0 * s["qc_errors"] / s["values"], 2) if s["values"] else None
        rows.append(
            {
                "observer": who,
                "records": s["records"],
                "amended": s["amended"],
                "values": s["values"],
                "qc_errors": s["qc_errors"],
                "errors_per_1000": rate,
            }
        )
    return rows


def _count_kind(
    session: Session, name: str, year: int | None, stats: dict[str, Counter[str]]
) -> None:
    kind, table = kind_of(name), TABLES[name]
    query = select(table).where(table.deleted_at.is_(None))
    if year is not None:
        query = query.where(getattr(table, kind.date_field).between(*year_bounds(year)))
    amended = _amended_ids(session, name)
    errors = _error_counts(session, name)
    fields = [s.target for s in kind.fields if s.type != "ref" and s.name not in NOT_VALUES]
    for record in session.exec(query).all():
        who = observer_of(record)
        s = stats[who]
        s["records"] += 1
        s["amended"] += record.id in amended
        s["values"] += sum(getattr(record, f) not in (None, "") for f in fields)
        s["qc_errors"] += errors.get(record.id, 0)


def observer_of(record: Any) -> str:
    """Who observed ``record``: its ``observer`` field; else, for a weather row from an
    automatic station, a file import or a derivation (``source`` not manual),
    :data:`AUTOMATIC`; else the user who entered it (``created_by``)."""
    named = (getattr(record, "observer", "") or "").strip()
    if named:
        return named
    if getattr(record, "source", MANUAL_SOURCE) != MANUAL_SOURCE:
        return AUTOMATIC
    return (record.created_by or "").strip() or "unknown"


def _amended_ids(session: Session, name: str) -> set[int]:
    H: Any = T.History
    return set(
        session.exec(select(H.record_id).where(H.kind == name, H.action.in_(AMEND_ACTIONS))).all()
    )


def _error_counts(session: Session, name: str) -> dict[int, int]:
    from obs.store import qc_flag

    qc_kinds = [k for k, v in QC_KINDS.items() if v == name]
    return qc_flag.errors_per_record(session, qc_kinds, ERROR) if qc_kinds else {}
