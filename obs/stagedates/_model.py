"""The shapes of derived stage dates: one :class:`StageDate` per plot, cultivar, season, stage and
status, and the cell (plot, cultivar, season, stage) that rows are derived for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: (plant tag, date): a plant's first date in the stage (plant mode) or a visit (flower ratio).
Basis = tuple[tuple[str, dt.date], ...]


@dataclass(frozen=True)
class StageDate:
    """One derived plot-level stage date (发育期), or the note that a stage was not reached.

    Attributes
    ----------
    station, plot, cultivar
        Codes; dates are never mixed across cultivars of one plot.
    season
        Season year: 2024 = "2024/25" (1 Apr–31 Mar, domain specification §9.1).
    stage_code
        Stage code of :mod:`schemas.stages`, e.g. ``"FLS"``.
    status
        ``"start"`` (始期), ``"general"`` (普遍期/盛期), ``"end"`` (末期) or ``"not_reached"``
        (未进). In flower-ratio mode each stage has one date, with status ``"general"``.
    date
        The date, or None when not reached.
    percent
        Share of the plants in the stage on ``date`` (plant mode), or the plot-mean flower
        ratio on ``date`` (flower-ratio mode). For ``not_reached`` the highest share the
        season got to. [%]
    method
        ``"plants"`` or ``"flower_ratio"``.
    n_plants
        Plant mode: the denominator, i.e. live marked plants of this plot and cultivar with at
        least one live phenology record (any stage) in the season. Flower-ratio mode: plants
        whose visits enter the plot mean on ``date``.
    basis
        What the date rests on: (plant tag, the plant's first date in the stage) for every
        plant counted on ``date``, or (plant tag, visit date) of the visits averaged.
    anomaly_days
        Day count of ``date`` minus the rounded mean day count of the earlier seasons
        (§9.4; + = later); None when fewer than ``ANOMALY_MIN_SEASONS`` earlier seasons have a
        date. [days]
    """

    station: str
    plot: str
    cultivar: str
    season: int
    stage_code: str
    status: str
    date: dt.date | None
    percent: float | None
    method: str
    n_plants: int
    basis: Basis
    anomaly_days: int | None = None


@dataclass(frozen=True)
class PlantStage:
    """Per-plant phenometrics of one stage in one season (``obs stages --plants``).

    Attributes
    ----------
    station, plot, cultivar, plant
        Codes and the plant's tag.
    stage_code, season
        The stage and the season year (2024 = "2024/25").
    first_date
        First visit with the stage reached; None when no visit found it reached.
    last_date
        Last visit with the stage reached (the plant still in it).
    days_since_prior_no
        Days from the last "not reached" visit before ``first_date`` to ``first_date``: the
        uncertainty of the first date. None when there is no such visit (or no first date).
    days_until_next_no
        Days from ``last_date`` to the first "not reached" visit after it; None when none.
    """

    station: str
    plot: str
    cultivar: str
    plant: str
    stage_code: str
    season: int
    first_date: dt.date | None
    last_date: dt.date | None
    days_since_prior_no: int | None
    days_until_next_no: int | None

    def bracketed(self, max_gap: int) -> bool:
        """The first date follows a "not reached" visit at most ``max_gap`` days before."""
        return self.days_since_prior_no is not None and self.days_since_prior_no <= max_gap


@dataclass(frozen=True)
class Group:
    """A plot and one cultivar in it: the unit stage dates are derived for."""

    station: str
    plot: str
    cultivar: str


@dataclass(frozen=True)
class Cell:
    """One group, season and stage."""

    group: Group
    season: int
    stage_code: str

    def row(
        self,
        status: str,
        date: dt.date | None,
        percent: float | None,
        *,
        method: str,
        n_plants: int,
        basis: Basis = (),
    ) -> StageDate:
        """A StageDate of this cell (anomaly filled in later)."""
        g = self.group
        return StageDate(
            g.station,
            g.plot,
            g.cultivar,
            self.season,
            self.stage_code,
            status,
            date,
            percent,
            method,
            n_plants,
            basis,
        )


def share(count: int, total: int) -> float:
    """``count`` of ``total`` as a percentage rounded to 0.1. [%]"""
    return round(100.0 * count / total, 1) if total else 0.0
