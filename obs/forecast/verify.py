"""Verification of issued forecasts against the stage dates observed since.

For every issued forecast whose event is now known (the derived stage date of the plant visits,
:func:`obs.forecast.inputs.event_dates`): the error in days (predicted − observed; + = late),
whether the observed date fell in the issued range (10–90 %, bounds inclusive) and the lead time
(observed date − issue date [d]). The climatology baseline issued with it is scored the same way.
Over forecasts: mean absolute error, bias and range hit rate by lead-time class
(:data:`schemas.forecast.LEAD_CLASSES`) and over all. Forecasts whose event is not observed yet
are listed as "not yet" and never scored. Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from obs.errors import NotFoundError
from obs.forecast.inputs import Site, event_dates
from obs.forecast.ledger import Issued, issued_forecasts, say
from obs.seasons import season_label
from schemas.forecast import LEAD_CLASSES

#: Columns of the per-forecast table of ``obs forecast verify``.
CHECK_COLUMNS: tuple[str, ...] = (
    "id",
    "season",
    "plot",
    "stage",
    "issue_date",
    "predicted",
    "low",
    "high",
    "observed",
    "lead_days",
    "error_days",
    "hit",
    "baseline_predicted",
    "baseline_error_days",
    "baseline_hit",
    "state",
)
#: Columns of the summary table.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "lead_class",
    "n",
    "mae_days",
    "bias_days",
    "hit_rate",
    "baseline_mae_days",
    "baseline_bias_days",
    "baseline_hit_rate",
)


@dataclass(frozen=True, slots=True)
class Check:
    """One issued forecast against the observed date (``observed`` None = not yet)."""

    issued: Issued
    observed: dt.date | None

    @property
    def lead(self) -> int | None:
        """Days from issue to the observed event."""
        return None if self.observed is None else (self.observed - self.issued.row.issue_date).days

    def error(self, which: str = "predicted") -> int | None:
        """Predicted − observed [d] of the forecast (or of ``"baseline_predicted"``)."""
        predicted: dt.date | None = getattr(self.issued.row, which)
        if self.observed is None or predicted is None:
            return None
        return (predicted - self.observed).days

    def hit(self, prefix: str = "") -> bool | None:
        """Whether the observed date lies in the issued range (``prefix`` "baseline_")."""
        low, high = (
            getattr(self.issued.row, prefix + "low"),
            getattr(self.issued.row, prefix + "high"),
        )
        if self.observed is None or low is None or high is None:
            return None
        return bool(low <= self.observed <= high)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """One row of :data:`CHECK_COLUMNS`."""
        r = self.issued.row
        return {
            "id": r.id,
            "season": season_label(r.season),
            "plot": self.issued.plot,
            "stage": r.stage,
            "issue_date": r.issue_date,
            "predicted": r.predicted,
            "low": r.low,
            "high": r.high,
            "observed": self.observed,
            "lead_days": self.lead,
            "error_days": self.error(),
            "hit": self.hit(),
            "baseline_predicted": r.baseline_predicted,
            "baseline_error_days": self.error("baseline_predicted"),
            "baseline_hit": self.hit("baseline_"),
            "state": say(lang, "已检验", "verified")
            if self.observed
            else say(lang, "尚未观测", "not yet"),
        }


@dataclass(frozen=True, slots=True)
class Verification:
    """The checks of the issued forecasts asked for and their scores."""

    checks: tuple[Check, ...]

    @property
    def verified(self) -> tuple[Check, ...]:
        """The checks whose event is observed."""
        return tuple(c for c in self.checks if c.observed is not None)

    @property
    def pending(self) -> tuple[Check, ...]:
        """The checks whose event is not observed yet."""
        return tuple(c for c in self.checks if c.observed is None)

    def summary(self, lang: str = "zh") -> list[dict[str, Any]]:
        """Scores by lead-time class, then over all (rows of :data:`SUMMARY_COLUMNS`)."""
        rows = []
        for lead in LEAD_CLASSES:
            group = [c for c in self.verified if c.lead is not None and lead.holds(c.lead)]
            rows.append(_scores(say(lang, lead.zh, lead.en), group))
        rows.append(_scores(say(lang, "全部", "all"), list(self.verified)))
        return rows


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _scores(label: str, group: Sequence[Check]) -> dict[str, Any]:
    def of(which: str, prefix: str) -> tuple[float | None, float | None, float | None]:
        errors = [e for c in group if (e := c.error(which)) is not None]
        hits = [h for c in group if (h := c.hit(prefix)) is not None]
        return (
            _mean([abs(e) for e in errors]),
            _mean([float(e) for e in errors]),
            _mean([1.0 if h else 0.0 for h in hits]),
        )

    mae, bias, hit = of("predicted", "")
    base_mae, base_bias, base_hit = of("baseline_predicted", "baseline_")
    return {
        "lead_class": label,
        "n": len(group),
        "mae_days": mae,
        "bias_days": bias,
        "hit_rate": hit,
        "baseline_mae_days": base_mae,
        "baseline_bias_days": base_bias,
        "baseline_hit_rate": base_hit,
    }


def verify(
    *, session: Session, season: int | None = None, lang: str = "zh", **where: Any
) -> Verification:
    """Score the issued forecasts of ``season`` (default: all seasons) against the stage dates.

    ``where`` narrows the ledger as :func:`obs.forecast.ledger.issued_forecasts` does (station,
    plot, stage). Refused when no forecast was issued for what is asked.
    """
    issued = issued_forecasts(session=session, season=season, **where)
    if not issued:
        which = (
            say(lang, f"{season_label(season)}年度", f"season {season_label(season)}")
            if (season is not None)
            else say(lang, "数据库中", "the database")
        )
        raise NotFoundError(
            say(lang, f"{which}没有已发布的预报", f"{which} has no issued forecast"),
            hint=say(
                lang,
                "先用 obs forecast bloom … --issue 发布预报；obs forecast issued 列出已发布的",
                "issue one with obs forecast bloom … --issue; obs forecast issued lists them",
            ),
        )
    cache: dict[tuple[str, str, str, str], dict[int, dt.date]] = {}
    checks = []
    for item in issued:
        r = item.row
        key = (item.station, item.plot, r.stage, r.status)
        if key not in cache:
            cache[key] = event_dates(session, Site(*key[:2], r.cultivar), r.stage, r.status)
        checks.append(Check(item, cache[key].get(r.season)))
    return Verification(tuple(checks))
