"""What the bloom forecast reads from the store: the plot, its event dates and its temperatures.

* Event dates are derived stage dates (:func:`obs.stagedates.derive_stage_dates`, plant-share
  method, domain specification §2.2): the 普遍期 (``"general"``, >= 50 % of the marked plants)
  date of the stage by default, or the 始期 (``"start"``, >= 10 %).
* Daily mean temperature is ``DailyWeather.t_mean`` of the plot's station; where it is missing
  (or flagged as an error by QC) it is ``(t_max + t_min) / 2`` (the max–min daily mean,
  specification §10.1 / WMO-No. 8, used when the 4-times or 24-hour mean is absent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlmodel import Session, select

from obs.errors import NotFoundError, ObsError, UsageError
from obs.lookup import resolve_ref
from obs.store import daily, qc_flag
from schemas import tables as T
from schemas.qc import ERROR

# typed as Any: column attributes of SQLModel classes are typed as their Python values
PO: Any = T.Plot
ST: Any = T.Station

#: Temperature elements of a daily record whose QC error flags make the value unusable.
TEMPERATURE_ELEMENTS: tuple[str, ...] = ("t_mean", "t_max", "t_min")
#: Kinds under which QC flags of daily weather may be stored (QC registry kind; record kind).
WEATHER_KINDS: tuple[str, ...] = ("daily", "weather")


@dataclass(frozen=True, slots=True)
class Site:
    """The unit a forecast is made for: one plot (one cultivar) and its station."""

    station: str
    plot: str
    cultivar: str


def resolve_site(session: Session, station: str | None, plot: str | None) -> Site:
    """The plot to forecast; refuse when it is ambiguous, listing the choices."""
    if plot is not None:
        row = resolve_ref(session, "plot", plot)
        owner = session.get(T.Station, row.station_id)
        code = owner.code if owner is not None else ""
        if station is not None and station != code:
            raise UsageError(
                f"plot {plot} belongs to station {code}, not {station}",
                hint=f"drop --station or use --station {code}",
            )
        return Site(code, row.code, row.cultivar)
    station_row = _station(session, station)
    plots = session.exec(
        select(PO).where(PO.station_id == station_row.id, PO.deleted_at.is_(None)).order_by(PO.code)
    ).all()
    if not plots:
        raise NotFoundError(
            f"station {station_row.code} has no plot",
            hint="add one with: obs plot add --code … --station " + station_row.code,
        )
    if len(plots) > 1:
        choices = ", ".join(f"{p.code} ({p.cultivar})" for p in plots)
        raise UsageError(
            f"station {station_row.code} has {len(plots)} plots; a forecast is for one plot "
            "and cultivar",
            hint=f"choose one with --plot: {choices}",
        )
    return Site(station_row.code, plots[0].code, plots[0].cultivar)


def _station(session: Session, station: str | None) -> Any:
    if station is not None:
        return resolve_ref(session, "station", station)
    rows = session.exec(select(ST).where(ST.deleted_at.is_(None)).order_by(ST.code)).all()
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFoundError("no station in the database", hint="add one with: obs station add")
    raise UsageError(
        f"the database has {len(rows)} stations",
        hint="choose one with --station: " + ", ".join(r.code for r in rows),
    )


def event_dates(session: Session, site: Site, stage: str, status: str) -> dict[int, dt.date]:
    """Season -> date of ``stage`` with ``status`` at the site's plot and cultivar."""
    from obs.stagedates import derive_stage_dates

    rows = derive_stage_dates(session=session, plot=site.plot, method="plants", stages=[stage])
    return {
        r.season: r.date
        for r in rows
        if r.cultivar == site.cultivar and r.status == status and r.date is not None
    }


def station_temperatures(session: Session, station: str) -> pd.Series:
    """Daily mean temperature of the station by date, missing days left out. [°C]"""
    station_id = resolve_ref(session, "station", station).id or 0
    columns = ["id", "obs_date", *TEMPERATURE_ELEMENTS]
    frame = daily.rows(session, station_id, columns=columns).rename(columns={"obs_date": "date"})
    for record_id, element in _error_flags(session, frame["id"].tolist()):
        frame.loc[frame["id"] == record_id, element] = None
    values = frame[list(TEMPERATURE_ELEMENTS)].astype("float64")
    mean = values["t_mean"].fillna((values["t_max"] + values["t_min"]) / 2)
    series = pd.Series(mean.to_numpy(), index=pd.DatetimeIndex(pd.to_datetime(frame["date"])))
    series = series.dropna()
    if series.empty:
        raise ObsError(
            f"station {station} has no daily temperature",
            hint="import daily weather (obs record weather or the import command) first",
        )
    return series


def _error_flags(
    session: Session, ids: list[int], elements: tuple[str, ...] = TEMPERATURE_ELEMENTS
) -> list[tuple[int, str]]:
    """(record id, element) of values of ``elements`` QC flagged as errors."""
    if not ids:
        return []
    wanted = set(ids)
    found = qc_flag.flagged_elements(session, WEATHER_KINDS, ERROR, elements)
    return [(r, e) for r, e in found if r in wanted]


#: Daily elements the bulletin's risk rules read.
RISK_ELEMENTS: tuple[str, ...] = ("t_min", "precip", "sunshine")


def station_daily(session: Session, station: str) -> pd.DataFrame:
    """Daily ``t_min`` [°C], ``precip`` [mm] and ``sunshine`` [h] of the station by date.

    Values QC flagged as errors are left out (``NaN``), as for the temperatures.
    """
    station_id = resolve_ref(session, "station", station).id
    frame = daily.rows(session, station_id, columns=["id", "obs_date", *RISK_ELEMENTS])
    for record_id, element in _error_flags(session, frame["id"].tolist(), RISK_ELEMENTS):
        frame.loc[frame["id"] == record_id, element] = None
    values = frame[list(RISK_ELEMENTS)].astype("float64")
    return values.set_index(pd.DatetimeIndex(pd.to_datetime(frame["obs_date"])))
