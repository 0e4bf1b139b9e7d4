"""Stage dates shaped for the reports: one row per plot, cultivar and stage (§2.2, §9.2–9.4).

Dates come from :func:`obs.stagedates.derive_stage_dates` (read by
:func:`obs.reports.reads.stage_dates`); a stage's single date (for
intervals, charts and the 农气表-3 table) is its 普遍期 ("general") date, or in flower-ratio
mode the one date that mode gives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from obs.reports.model import whole_numbers
from schemas.stages import STAGES, STAGES_BY_CODE

#: Columns of :func:`stage_table`.
STAGE_COLUMNS: tuple[str, ...] = (
    "plot", "cultivar", "stage", "start_date", "start_pct", "general_date", "general_pct",
    "end_date", "end_pct", "duration_days", "anomaly_days", "n_plants",
)  # fmt: skip
_KEY = ("plot", "cultivar", "season", "stage")
#: Stage chains (``schemas.stages.Stage.chain``) of the stage-interval table, in the order the
#: field staff read them: flowering first, then leaf-out, leaf colour, leaf fall; the optional
#: shoot and fruit chains last.
INTERVAL_CHAINS: tuple[str, ...] = ("flower", "leafout", "colour", "leaffall", "shoot", "fruit")
#: Spans added after a chain's own steps: the whole bloom, first to last flowering.
CHAIN_SPANS: dict[str, tuple[tuple[str, str], ...]] = {"flower": (("FLS", "FLE"),)}
#: Order in which statuses stand for "the date of the stage" when no general date exists.
_SINGLE_DATE_ORDER: tuple[str, ...] = ("general", "start", "end")


def _grouped(dates: Iterable[Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for sd in dates:
        key = (sd.plot, sd.cultivar, sd.season, sd.stage_code)
        groups.setdefault(key, {})[sd.status] = sd
    return groups


def _stage_order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    stage = STAGES_BY_CODE.get(key[3])
    return (key[0], key[1], key[2], stage.order if stage else 99, key[3])


def stage_table(dates: Sequence[Any], stages: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per plot, cultivar and stage: 始/普遍/末 dates and percents, duration, anomaly.

    ``duration_days`` is 末期 − 始期 [d]; ``anomaly_days`` is that of the 普遍期 date (or of
    the single date in flower-ratio mode) against the mean of the earlier seasons (this
    season excluded, as :mod:`obs.stagedates` computes it), + = later [d].
    """
    rows = []
    for key in sorted(_grouped(dates), key=_stage_order):
        if stages is not None and key[3] not in stages:
            continue
        rows.append(_stage_row(key, _grouped(dates)[key]))
    frame = pd.DataFrame(rows, columns=list(STAGE_COLUMNS))
    return whole_numbers(frame, ("duration_days", "anomaly_days", "n_plants"))


def _stage_row(key: tuple[Any, ...], by_status: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"plot": key[0], "cultivar": key[1], "stage": key[3]}
    for status in ("start", "general", "end"):
        sd = by_status.get(status)
        row[f"{status}_date"] = sd.date if sd is not None else None
        row[f"{status}_pct"] = _pct(sd)
    start, end = row["start_date"], row["end_date"]
    row["duration_days"] = (end - start).days if start and end else None
    single = single_date_of(by_status)
    row["anomaly_days"] = single.anomaly_days if single is not None else None
    row["n_plants"] = max((sd.n_plants for sd in by_status.values()), default=None)
    return row


def _pct(sd: Any) -> float | None:
    return None if sd is None or sd.percent is None else round(float(sd.percent), 0)


def single_date_of(by_status: dict[str, Any]) -> Any:
    """The StageDate that stands for the stage: 普遍期, else 始期, else 末期 (dated ones)."""
    for status in _SINGLE_DATE_ORDER:
        sd = by_status.get(status)
        if sd is not None and sd.date is not None:
            return sd
    return None


def single_dates(dates: Sequence[Any]) -> pd.DataFrame:
    """One row per plot, cultivar, season and stage with its single date (dated stages only)."""
    rows = []
    for key, by_status in sorted(_grouped(dates).items(), key=lambda kv: _stage_order(kv[0])):
        sd = single_date_of(by_status)
        if sd is not None:
            rows.append(
                {
                    **dict(zip(_KEY, key, strict=True)),
                    "date": sd.date,
                    "anomaly_days": sd.anomaly_days,
                }
            )
    return pd.DataFrame(rows, columns=[*_KEY, "date", "anomaly_days"])


def intervals(single: pd.DataFrame) -> list[tuple[str, str, str, str, dt.date, dt.date]]:
    """Stage-to-stage spans along each chain, per plot and cultivar (§10.4).

    Chains come in the order of ``INTERVAL_CHAINS`` (flower chain first), each season in turn;
    within a chain, each dated stage is paired with the next dated one in chain order (an
    undated stage is passed over). After the flower chain comes the whole bloom, FLS→FLE
    (``CHAIN_SPANS``). A stage not dated after the previous one is passed over, so every span
    has at least one day.

    Returns
    -------
    list of tuple
        (plot, cultivar, from_stage, to_stage, from_date, to_date).
    """
    out = []
    for (plot, cultivar), group in single.groupby(["plot", "cultivar"], sort=True):
        by_season: dict[Any, dict[str, dt.date]] = {}
        for row in group.itertuples():
            by_season.setdefault(row.season, {})[str(row.stage)] = row.date
        for chain in INTERVAL_CHAINS:
            for season in sorted(by_season):
                for first, second, day1, day2 in chain_spans(chain, by_season[season]):
                    out.append((str(plot), str(cultivar), first, second, day1, day2))
    return out


def chain_spans(chain: str, dates: dict[str, dt.date]) -> list[tuple[str, str, dt.date, dt.date]]:
    """Consecutive dated stages of ``chain`` (then its extra spans) from stage -> date."""
    spans = []
    prev: str | None = None
    for code in (s.code for s in STAGES if s.chain == chain and s.code in dates):
        if prev is None or dates[code] > dates[prev]:
            if prev is not None:
                spans.append((prev, code, dates[prev], dates[code]))
            prev = code
    for first, second in CHAIN_SPANS.get(chain, ()):
        known = {span[:2] for span in spans}
        dated = first in dates and second in dates and dates[second] > dates[first]
        if dated and (first, second) not in known:
            spans.append((first, second, dates[first], dates[second]))
    return spans
