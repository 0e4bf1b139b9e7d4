"""What ``obs stages`` shows: machine rows for JSON/CSV and labelled rows for the table.

One rule for the two views: ``season`` / ``year`` select rows (never both), ``stages`` selects
stages (rows in the stage-date view, stage columns in the bloom view, where only FBC, FLS, FLF
and FLE exist), and ``basis`` belongs to the stage-date view only — with ``bloom`` it is a
UsageError (exit 2), because a bloom row rests on four stage dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlmodel import Session

from obs.errors import UsageError
from obs.seasons import season_label
from obs.stagedates._derive import derive_stage_dates
from obs.stagedates.bloom import bloom_table, stage_dates_frame
from obs.stagedates.labels import column_labels, summary_row_label, title
from schemas.stages import STAGES_BY_CODE, STATUS_LABELS
from schemas.terms import Lang

#: Columns of the human table of stage dates (``basis`` appended with ``basis=True``).
DATES_TABLE_COLUMNS: tuple[str, ...] = (
    "plot",
    "cultivar",
    "season",
    "stage_code",
    "status",
    "date",
    "percent",
    "n_plants",
    "anomaly_days",
)
#: Per-stage columns of the human bloom table (date, anomaly, the anomaly's baseline).
BLOOM_TABLE_STAGE_COLUMNS: tuple[str, ...] = ("date", "anomaly", "baseline")


@dataclass(frozen=True, slots=True)
class StagesView:
    """Rows of ``obs stages``: ``records``/``columns`` (codes, for JSON and CSV) and
    ``shown``/``shown_columns``/``labels``/``title`` (labels, for the table)."""

    records: list[dict[str, Any]]
    columns: list[str]
    shown: list[dict[str, Any]]
    shown_columns: list[str]
    labels: dict[str, str]
    title: str


def stages_view(
    *,
    session: Session,
    station: str | None = None,
    plot: str | None = None,
    season: int | None = None,
    year: int | None = None,
    method: str = "plants",
    stages: Sequence[str] | None = None,
    basis: bool = False,
    bloom: bool = False,
    lang: str = "en",
) -> StagesView:
    """Stage dates (:func:`derive_stage_dates`) or the bloom timeline (:func:`bloom_table`)
    of the live records, ready to print in ``lang`` (zh or en)."""
    if bloom and basis:
        raise UsageError(
            "--basis belongs to the stage-date view, not to --bloom",
            hint="drop --basis, or leave --bloom out to see the plants each date rests on",
        )
    if bloom:
        table = bloom_table(
            session=session, station=station, plot=plot, method=method, season=season,
            year=year, stages=stages, with_summary=True,
        )  # fmt: skip
        return _bloom_view(table, lang)
    dates = derive_stage_dates(
        session=session, station=station, plot=plot, season=season, year=year,
        method=method, stages=stages,
    )  # fmt: skip
    return _dates_view(stage_dates_frame(dates), basis, lang)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")  # type: ignore[no-any-return]


def _dates_view(frame: pd.DataFrame, basis: bool, lang: str) -> StagesView:
    """JSON/CSV keep the StageDate fields and codes; the table shows labels."""
    columns = [c for c in frame.columns if basis or c != "basis"]
    shown = frame.copy()
    index = 0 if lang == "zh" else 1
    code_lang: Lang = "zh" if lang == "zh" else "en"
    shown["stage_code"] = [STAGES_BY_CODE[c].label(code_lang) for c in frame["stage_code"]]
    shown["status"] = [STATUS_LABELS[s][index] for s in frame["status"]]
    shown["season"] = [season_label(s) for s in frame["season"]]
    shown_columns = [*DATES_TABLE_COLUMNS, *(["basis"] if basis else [])]
    return StagesView(
        _records(frame),
        columns,
        _records(shown),
        shown_columns,
        column_labels(shown_columns, lang),
        title("dates", lang),
    )


def _bloom_view(summarised: pd.DataFrame, lang: str) -> StagesView:
    """JSON/CSV: every bloom_table column, one row per season. Table: per plot and cultivar
    its seasons, then the all-season mean and the trend row; stages without any date left out."""
    frame = summarised[summarised["season"].notna()]
    stages = [
        c.removesuffix("_date")
        for c in frame.columns
        if c.endswith("_date") and frame[c].notna().any()
    ]
    shown_columns = ["plot", "cultivar", "season_label"]
    shown_columns += [f"{s}_{what}" for s in stages for what in BLOOM_TABLE_STAGE_COLUMNS]
    shown_columns += ["duration_days", "duration_anomaly"]
    shown = _records(summarised)
    for row in shown:
        if row["season"] is None:
            row["season_label"] = summary_row_label(row["season_label"], lang)
    return StagesView(
        _records(frame),
        [str(c) for c in frame.columns],
        shown,
        shown_columns,
        column_labels(shown_columns, lang),
        title("bloom", lang),
    )
