"""``obs stages``: plot-level stage dates (始期 / 普遍期 / 末期) derived from the live records."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.commands.options import (
    FormatOption,
    OutputOption,
    SeasonOption,
    StationOption,
    YearOption,
)
from cli.render import OutputFormat
from cli.state import state

if TYPE_CHECKING:
    import pandas as pd

#: Column labels of the human table (zh, en).
_LABELS: dict[str, tuple[str, str]] = {
    "station": ("站号", "Station"),
    "plot": ("地段", "Plot"),
    "cultivar": ("品种", "Cultivar"),
    "season": ("季", "Season"),
    "stage_code": ("发育期", "Stage"),
    "status": ("状态", "Status"),
    "date": ("日期", "Date"),
    "percent": ("百分率(%)", "Percent"),
    "n_plants": ("株数", "Plants"),
    "anomaly_days": ("距平(天)", "Anomaly (d)"),
    "basis": ("依据", "Basis"),
}
_TABLE_COLUMNS = (
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


class Method(StrEnum):
    """How stage dates are derived."""

    plants = "plants"
    flower_ratio = "flower_ratio"


class Lang(StrEnum):
    """Label language."""

    zh = "zh"
    en = "en"


def stages_command(
    ctx: typer.Context,
    station: StationOption = None,
    plot: Annotated[str | None, typer.Option("--plot", help="Plot code.")] = None,
    season: SeasonOption = None,
    year: YearOption = None,
    method: Annotated[
        Method,
        typer.Option(
            "--method",
            help="plants: share of marked plants (10/50/80 %); flower_ratio: "
            "plot-mean flower ratio on sample branches (FLS/FLF/FLE only).",
        ),
    ] = Method.plants,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            help="Stage code to report (repeatable; default the recorded stages "
            "plus the bloom stages).",
        ),
    ] = None,
    basis: Annotated[
        bool, typer.Option("--basis", help="Add the plants/visits each date rests on.")
    ] = False,
    bloom: Annotated[
        bool,
        typer.Option(
            "--bloom",
            help="Print the bloom timeline instead: FBC/FLS/FLF/FLE, duration, "
            "anomalies, mean dates and trends per season.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", help="Labels of the table: zh or en (default the global --lang)."),
    ] = None,
) -> None:
    """Show derived stage dates per plot, cultivar, season, stage and status.

    Dates follow every amendment or deletion of the records: they are derived on each run.

    Example: obs stages --station 57511 --season 2024/25 --basis --lang en
    """
    from obs.seasons import parse_season
    from obs.stagedates import bloom_table, derive_stage_dates, stage_dates_frame

    st = state(ctx)
    chosen = lang.value if lang is not None else st.lang
    with st.session() as session:
        if bloom:
            frame = bloom_table(session=session, station=station, plot=plot, method=method.value)
        else:
            frame = stage_dates_frame(
                derive_stage_dates(
                    session=session,
                    station=station,
                    plot=plot,
                    season=parse_season(season) if season else None,
                    year=year,
                    method=method.value,
                    stages=stage,
                )
            )
    if bloom:
        _emit_bloom(frame, fmt, output, lang=chosen)
        return
    _emit_dates(frame, fmt, output, lang=chosen, basis=basis)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")  # type: ignore[no-any-return]


def _emit_dates(
    frame: pd.DataFrame, fmt: OutputFormat, output: Any, *, lang: str, basis: bool
) -> None:
    """JSON/CSV keep the StageDate fields and codes; the table shows labels."""
    if fmt is not OutputFormat.table:
        columns = [c for c in frame.columns if basis or c != "basis"]
        render.emit(_records(frame), fmt, output=output, columns=columns)
        return
    columns = [*_TABLE_COLUMNS, "basis"] if basis else list(_TABLE_COLUMNS)
    labels = {k: v[0] if lang == "zh" else v[1] for k, v in _LABELS.items()}
    title = "发育期" if lang == "zh" else "Stage dates"
    render.emit(
        _labelled(frame, lang), fmt, output=output, columns=columns, labels=labels, title=title
    )


def _labelled(frame: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Stage, status and season shown by their labels in ``lang``."""
    from obs.seasons import season_label
    from schemas.stages import STAGES_BY_CODE, STATUS_LABELS

    shown = frame.copy()
    index = 0 if lang == "zh" else 1
    shown["stage_code"] = [STAGES_BY_CODE[c].label(lang) for c in frame["stage_code"]]  # type: ignore[arg-type]
    shown["status"] = [STATUS_LABELS[s][index] for s in frame["status"]]
    shown["season"] = [season_label(s) for s in frame["season"]]
    return _records(shown)


def _emit_bloom(frame: pd.DataFrame, fmt: OutputFormat, output: Any, *, lang: str) -> None:
    """JSON/CSV: every bloom_table column. Table: one row per season, then per plot and
    cultivar a "mean" row (mean dates, mean duration) and a "trend" row [days/decade]."""
    if fmt is not OutputFormat.table:
        render.emit(_records(frame), fmt, output=output, columns=list(frame.columns))
        return
    from schemas.stages import BLOOM_STAGES, STAGES_BY_CODE

    zh = lang == "zh"
    stages = [c.lower() for c in BLOOM_STAGES if frame[f"{c.lower()}_date"].notna().any()]
    labels = {
        "plot": "地段" if zh else "Plot",
        "cultivar": "品种" if zh else "Cultivar",
        "season_label": "季" if zh else "Season",
        "duration_days": "花期(天)" if zh else "Bloom (d)",
        "duration_anomaly": "花期距平" if zh else "Bloom anomaly",
    }
    for code in stages:
        name = STAGES_BY_CODE[code.upper()].label(lang)  # type: ignore[arg-type]
        labels[f"{code}_date"] = name
        labels[f"{code}_anomaly"] = f"{name}距平" if zh else f"{code.upper()} anomaly"
    columns = ["plot", "cultivar", "season_label"]
    columns += [f"{c}_{what}" for c in stages for what in ("date", "anomaly")]
    columns += ["duration_days", "duration_anomaly"]
    rows: list[dict[str, Any]] = []
    for _, group in frame.groupby(["station", "plot", "cultivar"], sort=False):
        rows += _records(group)
        rows += [_summary_row(group, what, stages, zh) for what in ("mean", "trend")]
    title = "花期" if zh else "Bloom timeline"
    render.emit(rows, fmt, output=output, columns=columns, labels=labels, title=title)


def _summary_row(group: pd.DataFrame, what: str, stages: list[str], zh: bool) -> dict[str, Any]:
    first = group.iloc[0]
    names = {"mean": "平均" if zh else "mean", "trend": "趋势(天/10年)" if zh else "trend (d/10y)"}
    row: dict[str, Any] = {
        "plot": first["plot"],
        "cultivar": first["cultivar"],
        "season_label": names[what],
        "duration_days": first[f"duration_{what}"],
    }
    row.update({f"{c}_date": first[f"{c}_{what}"] for c in stages})
    return row


def register(app: typer.Typer) -> None:
    """Add ``obs stages`` to the app."""
    app.command("stages")(stages_command)
