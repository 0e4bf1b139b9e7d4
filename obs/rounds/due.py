"""``obs due``: which marked plants are due for a visit on a day, by the observation-frequency
rules of :mod:`schemas.frequency` (domain specification §2.4).

A plant's interval comes from the first rule that applies: a disaster recorded on its plot
since its last visit, an open ratio in the daily band, the flowering period (bud colour to the
end of flowering), else the calendar season. Intervals may be overridden in general or per plot
(:class:`Intervals`). Three queries for the whole selection, so a district's plots answer fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, column, func, select, table
from sqlmodel import Session

from obs.errors import ObsError
from obs.lookup import live_ref
from obs.rounds.plan import (
    LastObservation,
    expected_stage,
    last_observations,
    live_plants,
    tag_key,
)
from obs.seasons import season_bounds, season_of
from schemas import frequency as F
from schemas.kinds import KINDS
from schemas.rounds_text import say
from schemas.site_tables import Plot
from schemas.terms import Lang

#: The keys of a due row, in order (also the JSON keys).
DUE_COLUMNS: tuple[str, ...] = (
    "plot",
    "plant",
    "last_visit",
    "last_stage",
    "days_since",
    "interval_days",
    "rule",
    "due",
    "expected_stage",
)


@dataclass(frozen=True)
class Intervals:
    """Interval overrides [days] by rule code: in general and per plot code."""

    general: Mapping[str, int] = field(default_factory=dict)
    plots: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def days(self, rule: str, plot: str) -> int:
        """The interval of ``rule`` on ``plot``: plot override, general one, or the default."""
        if rule in self.plots.get(plot, {}):
            return self.plots[plot][rule]
        return self.general.get(rule, F.FREQUENCY_RULES_BY_CODE[rule].interval_days)


def intervals_from(
    config: Mapping[str, Any], given: Mapping[str, str], *, lang: Lang = "zh"
) -> Intervals:
    """Overrides from the config's ``[due]`` table and ``--interval RULE=DAYS`` (which win)."""
    general = {k: _days(k, v, lang) for k, v in config.items() if k != "plots"}
    general.update({k: _days(k, v, lang) for k, v in given.items()})
    plots_table: Mapping[str, Any] = config.get("plots") or {}
    if not isinstance(plots_table, Mapping):
        plots_table = {}
    plots = {
        str(code): {k: _days(k, v, lang) for k, v in table.items() if k not in given}
        for code, table in plots_table.items()
        if isinstance(table, Mapping)
    }
    return Intervals(general, plots)


def _days(rule: str, value: object, lang: Lang) -> int:
    rules = ", ".join(F.FREQUENCY_RULES_BY_CODE)
    text = str(value).strip()
    if rule not in F.FREQUENCY_RULES_BY_CODE or not text.isdigit():
        raise ObsError(
            say("bad_interval", lang, item=f"{rule}={value}"),
            hint=say("bad_interval_hint", lang, rules=rules),
        )
    return int(text)


def due_plants(
    session: Session,
    day: dt.date,
    *,
    plot: str | None = None,
    station: str | None = None,
    intervals: Intervals = Intervals(),
) -> list[dict[str, Any]]:
    """One row per live plant of the selected plots (keys :data:`DUE_COLUMNS`), overdue
    first."""
    plots = _plots(session, plot, station)
    codes = {p.id: p.code for p in plots}
    plants = live_plants(session, list(codes))
    ids = [p.id for p in plants]
    last = last_observations(session, ids, day)
    ended = _flowering_ended(session, ids, day)
    disasters = _last_disasters(session, list(codes), day)
    rows = []
    for plant in plants:
        code = codes[plant.plot_id]
        previous = last.get(plant.id)
        rule = rule_for(previous, day, plant.id in ended, disasters.get(plant.plot_id))
        rows.append(_row(code, plant.tag, previous, rule, intervals.days(rule, code), day))
    return sorted(rows, key=_urgency)


def rule_for(
    last: LastObservation | None, day: dt.date, ended: bool, disaster: dt.date | None
) -> str:
    """The code of the first frequency rule that applies to a plant on ``day``."""
    if disaster is not None and (last is None or disaster > last.obs_date):
        return "disaster"
    this_season = last is not None and season_of(last.obs_date) == season_of(day)
    if last is not None and this_season and last.stage_code != F.FLOWERING_END_STAGE:
        low, high = F.DAILY_OPEN_RATIO
        if last.open_ratio is not None and low <= last.open_ratio < high:
            return "flower_ratio"
        if last.stage_code in F.FLOWERING_STAGES:
            return "flowering"
    if not ended and F.in_flowering_window(day):
        return "flowering"
    return F.season_rule(day)


def _row(
    plot: str,
    tag: str,
    last: LastObservation | None,
    rule: str,
    interval: int,
    day: dt.date,
) -> dict[str, Any]:
    since = (day - last.obs_date).days if last is not None else None
    return {
        "plot": plot,
        "plant": tag,
        "last_visit": last.obs_date if last is not None else None,
        "last_stage": last.stage_code if last is not None else None,
        "days_since": since,
        "interval_days": interval,
        "rule": rule,
        "due": since is None or since >= interval,
        "expected_stage": expected_stage(last, day),
    }


def _urgency(row: Mapping[str, Any]) -> tuple[Any, ...]:
    since = row["days_since"]
    overdue = 10**6 if since is None else since - row["interval_days"]
    return (not row["due"], -overdue, row["plot"], tag_key(row["plant"]))


def _plots(session: Session, plot: str | None, station: str | None) -> list[Any]:
    columns = Plot.__table__.c  # type: ignore[attr-defined]
    query = select(columns.id, columns.code).where(columns.deleted_at.is_(None))
    if plot is not None:
        from obs.rounds.plan import plot_named

        query = query.where(columns.id == plot_named(session, plot).id)
    if station is not None:
        query = query.where(columns.station_id == live_ref(session, "station", station).id)
    return list(session.execute(query.order_by(columns.code)).all())


def _flowering_ended(session: Session, plant_ids: list[int], day: dt.date) -> set[int]:
    """Plants that reached the end of flowering in ``day``'s season, on or before ``day``."""
    obs_c = _phenology()
    first, _ = season_bounds(season_of(day))
    query = select(obs_c.plant_id).where(
        obs_c.plant_id.in_(plant_ids),
        obs_c.stage_code == F.FLOWERING_END_STAGE,
        obs_c.reached.is_(True),
        obs_c.deleted_at.is_(None),
        obs_c.obs_date.between(first, day),
    )
    return set(session.execute(query.distinct()).scalars())


def _last_disasters(session: Session, plot_ids: list[int], day: dt.date) -> dict[int, dt.date]:
    """The latest disaster record's date per plot, on or before ``day``."""
    d = _DISASTER.c
    query = (
        select(d.plot_id, func.max(d.obs_date))
        .where(d.plot_id.in_(plot_ids), d.deleted_at.is_(None), d.obs_date <= day)
        .group_by(d.plot_id)
    )
    return {int(row[0]): row[1] for row in session.execute(query).all()}


#: The disaster columns ``obs due`` reads, as a light clause on the kind's table: declaring the
#: SQLModel tables of schemas.observation_tables would cost start-up time obs due does not need.
_DISASTER = table(
    KINDS["disaster"].table, column("plot_id"), column("obs_date", Date), column("deleted_at")
)


def _phenology() -> Any:
    from schemas.phenology_table import PhenologyObservation

    return PhenologyObservation.__table__.c  # type: ignore[attr-defined]


__all__ = ["DUE_COLUMNS", "Intervals", "due_plants", "intervals_from", "rule_for"]
