"""``obs stages``: plot-level stage dates (始期 / 普遍期 / 末期) derived from the live records."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.commands.options import (
    FormatOption,
    LangOption,
    OutputOption,
    SeasonOption,
    StationOption,
    YearOption,
)
from cli.commands.report import MethodOption
from cli.render import OutputFormat
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
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Show derived stage dates per plot, cultivar, season, stage and status.

    Dates follow every amendment or deletion of the records: they are derived on each run.
    --season and --year exclude each other; --basis is refused with --bloom.

    --station all: every station of the database, one table after another (with --output one
    file per station, e.g. stages-57511.txt); csv and json: one list, each row names its
    station.

    Example: obs stages --station 57511 --season 2024/25 --basis --lang en
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
            ))
            for code in codes
        ]  # fmt: skip
    if station == "all" and fmt is not OutputFormat.table:  # the records name their station
        rows = [r for _, view in views for r in view.records]
        render.emit(rows, fmt, output=output, columns=views[0][1].columns if views else None)
        return
    for code, view in views:
        title, out = view.title, output
        if station == "all":  # a table per station, a file per station with --output
            title = f"{view.title} · {code}"
            out = None if output is None else output.with_name(
                f"{output.stem}-{code}{output.suffix}")  # fmt: skip
        if fmt is OutputFormat.table:
            render.emit(view.shown, fmt, output=out, columns=view.shown_columns,
                        labels=view.labels, title=title)  # fmt: skip
        else:
            render.emit(view.records, fmt, output=out, columns=view.columns)


def register(app: typer.Typer) -> None:
    """Add ``obs stages`` to the app."""
    app.command("stages")(stages_command)
