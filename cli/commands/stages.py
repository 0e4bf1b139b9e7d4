"""``obs stages``: plot-level stage dates (始期 / 普遍期 / 末期) derived from the live records."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.commands.options import (
    LangOption,
    OutputOption,
    SeasonOption,
    SheetFormatOption,
    StationOption,
    YearOption,
)
from cli.commands.report import MethodOption
from cli.render import SheetFormat
from cli.state import state


def stages_command(
    ctx: typer.Context,
    station: StationOption = None,
    plot: Annotated[str | None, typer.Option("--plot", help="Plot code.")] = None,
    season: SeasonOption = None,
    year: YearOption = None,
    method: MethodOption = "plants",
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            help="Stage code to report (repeatable; default the recorded stages plus the bloom "
            "stages). With --bloom: the bloom stages (FBC/FLS/FLF/FLE) whose columns appear.",
        ),
    ] = None,
    basis: Annotated[
        bool,
        typer.Option(
            "--basis", help="Add the plants/visits each date rests on (not with --bloom)."
        ),
    ] = False,
    bloom: Annotated[
        bool,
        typer.Option(
            "--bloom",
            help="Print the bloom timeline instead: FBC/FLS/FLF/FLE, duration, anomalies with "
            "their baseline (earlier seasons), all-season means and trends; --season/--year "
            "select rows, means and trends still use every season.",
        ),
    ] = False,
    plants: Annotated[
        bool,
        typer.Option(
            "--plants",
            help="One row per plant, stage and season instead: first_date and last_date "
            "(first and last visit with the stage reached), days_since_prior_no and "
            "days_until_next_no (to the nearest 'not reached' visits); every observed plant.",
        ),
    ] = False,
    max_gap: Annotated[
        int | None,
        typer.Option(
            "--max-gap",
            min=0,
            help="Count only plants whose first date follows a 'not reached' visit at most N "
            "days before (plot dates: n_plants = plants kept, n_excluded = left out; with "
            "--plants: a 'kept' column). Plant-share method only.",
        ),
    ] = None,
    fmt: SheetFormatOption = SheetFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Show derived stage dates per plot, cultivar, season, stage and status.

    Dates follow every amendment or deletion of the records: they are derived on each run.
    --season and --year exclude each other; --basis is refused with --bloom; --plants lists
    each plant's own dates instead (not with --bloom or --basis).

    --station all: every station of the database, one table after another (with --output one
    file per station, e.g. stages-57511.txt); csv and json: one list, each row names its
    station.

    Example: obs stages --station 57511 --season 2024/25 --basis --lang en
    Example: obs stages --plants --stage FLS --format json
    Example: obs stages --stage FLS --max-gap 7
    """
    from obs.seasons import parse_season
    from obs.stagedates import stages_view

    st = state(ctx)
    with st.session() as session:
        if station == "all":  # --station all: the same view for every station, one after another
            from obs.reports.region import station_codes

            codes: list[str | None] = list(station_codes(session, None))
        else:
            codes = [station]
        views = [
            (code, stages_view(
                session=session, station=code, plot=plot,
                season=parse_season(season) if season else None, year=year, method=method,
                stages=stage, basis=basis, bloom=bloom, lang=lang.value if lang else st.lang,
                plants=plants, max_gap=max_gap,
            ))
            for code in codes
        ]  # fmt: skip
    shown = fmt in (SheetFormat.table, SheetFormat.pdf, SheetFormat.xlsx)
    if station == "all" and not shown:  # the records name their station
        rows = [r for _, view in views for r in view.records]
        render.emit(rows, fmt, output=output, columns=views[0][1].columns if views else None)
        return
    for code, view in views:
        title, out = view.title, output
        if station == "all":  # a table per station, a file per station with --output
            title = f"{view.title} · {code}"
            out = None if output is None else output.with_name(
                f"{output.stem}-{code}{output.suffix}")  # fmt: skip
        if shown:
            render.emit(view.shown, fmt, output=out, columns=view.shown_columns,
                        labels=view.labels, title=title,
                        lang=lang.value if lang else st.lang)  # fmt: skip
        else:
            render.emit(view.records, fmt, output=out, columns=view.columns)


def register(app: typer.Typer) -> None:
    """Add ``obs stages`` to the app."""
    app.command("stages")(stages_command)
