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
from obs.stagedates._derive import derive_stage_dates, plant_phenometrics
from obs.stagedates._model import PlantStage
from obs.stagedates.bloom import bloom_table, stage_dates_frame
from obs.stagedates.labels import column_labels, summary_row_label, title
from obs.stagedates.phenometrics import excluded_counts
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
#: Keys of the per-plant rows (``--plants``); ``kept`` is added with ``--max-gap``.
PLANT_COLUMNS: tuple[str, ...] = (
    "plot",
    "cultivar",
    "plant",
    "stage",
    "season",
    "first_date",
    "last_date",
    "days_since_prior_no",
    "days_until_next_no",
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
    plants: bool = False,
    max_gap: int | None = None,
) -> StagesView:
    """Stage dates (:func:`derive_stage_dates`), the bloom timeline (:func:`bloom_table`) or
    per-plant phenometrics (``plants``, :func:`plant_phenometrics`) of the live records, ready
    to print in ``lang`` (zh or en). ``max_gap`` restricts plot-level dates to plants whose
    first date is bracketed by a "not reached" visit at most that many days before, and adds
    ``n_excluded``; with ``plants`` it adds whether each plant is ``kept``."""
    if bloom and basis:
        raise UsageError(
            "--basis belongs to the stage-date view, not to --bloom",
            hint="drop --basis, or leave --bloom out to see the plants each date rests on",
        )
    if plants and (bloom or basis):
        raise UsageError(
            "--plants lists each plant's own dates; --bloom and --basis belong to plot dates",
            hint="drop --bloom/--basis, or leave --plants out",
        )
    if bloom and max_gap is not None:
        raise UsageError(
            "--max-gap restricts stage dates, not the bloom timeline", hint="drop --max-gap"
        )
    if plants:
        if method != "plants":
            raise UsageError("--plants lists visits, not a method's dates", hint="drop --method")
        rows = plant_phenometrics(
            session=session, station=station, plot=plot, season=season, year=year, stages=stages
        )
        return _plants_view(rows, max_gap, lang)
    if bloom:
        table = bloom_table(
            session=session, station=station, plot=plot, method=method, season=season,
            year=year, stages=stages, with_summary=True,
        )  # fmt: skip
        return _bloom_view(table, lang)
    dates = derive_stage_dates(
        session=session, station=station, plot=plot, season=season, year=year,
        method=method, stages=stages, max_gap=max_gap,
    )  # fmt: skip
    view = _dates_view(stage_dates_frame(dates), basis, lang)
    if max_gap is None:
        return view
    every = plant_phenometrics(
        session=session, station=station, plot=plot, season=season, stages=stages
    )  # every season's plants (the rows are matched by season)
    return _with_excluded(view, excluded_counts(every, max_gap), lang)


def _plant_record(row: PlantStage, max_gap: int | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "plot": row.plot,
        "cultivar": row.cultivar,
        "plant": row.plant,
        "stage": row.stage_code,
        "season": row.season,
        "first_date": row.first_date,
        "last_date": row.last_date,
        "days_since_prior_no": row.days_since_prior_no,
        "days_until_next_no": row.days_until_next_no,
    }
    if max_gap is not None:
        record["kept"] = None if row.first_date is None else row.bracketed(max_gap)
    return record


def _plants_view(rows: Sequence[PlantStage], max_gap: int | None, lang: str) -> StagesView:
    """JSON/CSV: one row per plant, stage and season (codes); the table shows labels."""
    columns = [*PLANT_COLUMNS, *(["kept"] if max_gap is not None else [])]
    records = [_plant_record(r, max_gap) for r in rows]
    code_lang: Lang = "zh" if lang == "zh" else "en"
    shown = [
        {
            **r,
            "stage": STAGES_BY_CODE[r["stage"]].label(code_lang),
            "season": season_label(r["season"]),
        }
        for r in records
    ]
    return StagesView(
        records, columns, shown, columns, column_labels(columns, lang), title("plants", lang)
    )


def _with_excluded(
    view: StagesView, excluded: dict[tuple[object, ...], int], lang: str
) -> StagesView:
    """The stage-date view with ``n_excluded`` (plants left out by ``--max-gap``) per row."""

    def key(r: dict[str, Any]) -> tuple[object, ...]:
        return (r["station"], r["plot"], r["cultivar"], r["season"], r["stage_code"])

    counts = [excluded.get(key(r), 0) for r in view.records]
    records = [{**r, "n_excluded": n} for r, n in zip(view.records, counts, strict=True)]
    shown = [{**r, "n_excluded": n} for r, n in zip(view.shown, counts, strict=True)]
    at = view.shown_columns.index("n_plants") + 1
    shown_columns = [*view.shown_columns[:at], "n_excluded", *view.shown_columns[at:]]
    return StagesView(
        records,
        [*view.columns, "n_excluded"],
        shown,
        shown_columns,
        column_labels(shown_columns, lang),
        view.title,
    )


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
