"""``obs report season`` and ``obs report year``: the §9 reports in six formats, with a chart."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.commands.options import OutputOption, StationOption
from cli.commands.report_group import report_app
from cli.state import state

if TYPE_CHECKING:
    from rich.table import Table
    from sqlmodel import Session

    from obs.reports import Report, Section


class ReportFormat(StrEnum):
    """Formats of reports."""

    table = "table"
    md = "md"
    html = "html"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


_NEEDS_FILE = (ReportFormat.html, ReportFormat.xlsx)

PlotOption = Annotated[
    str | None, typer.Option("--plot", help="Plot code (default: all plots of the station).")
]
ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format", "-f", help="Output format; html and xlsx need --output.", case_sensitive=False
    ),
]
ChartOption = Annotated[
    Path | None,
    typer.Option(
        "--chart",
        help="Also draw the weather-and-bloom chart to this .png or .svg file "
        "(an html report then embeds it).",
        dir_okay=False,
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang", help="Labels: zh or en (default: the global --lang).", show_default=False
    ),
]
MethodOption = Annotated[
    str,
    typer.Option(
        "--method",
        help="Stage dates from the share of marked plants (plants) or from the "
        "flower-opening ratio (flower_ratio).",
    ),
]


def report_lang(ctx: typer.Context, lang: str | None) -> str:
    """The label language: this command's --lang, else the global one."""
    from obs.errors import UsageError

    chosen = lang or state(ctx).lang
    if chosen not in ("zh", "en"):
        raise UsageError(f"--lang {chosen}: not a language of the reports", hint="use zh or en")
    return chosen


#: Columns of codes and periods that a terminal table never wraps (``2024-04`` stays whole).
_NO_WRAP_COLUMNS = frozenset({"month", "period", "plot", "code", "season"})


def _column_kind(column: str, values: list[Any]) -> str:
    """``"date"`` (dates, months, codes: never wrapped), ``"number"`` (right) or ``"text"``."""
    import datetime as dt
    import numbers

    from obs.reports.labels import is_missing

    present = [v for v in values if not is_missing(v)]
    if column in _NO_WRAP_COLUMNS or (present and all(isinstance(v, dt.date) for v in present)):
        return "date"
    numeric = [isinstance(v, numbers.Real) and not isinstance(v, bool) for v in present]
    return "number" if present and all(numeric) else "text"


def section_table(section: Section, lang: Any) -> Table:
    """One section as a rich table: dates and codes unwrapped, numbers right-aligned."""
    from rich.table import Table

    from obs.reports.labels import cell_text

    table = Table(title=section.title(lang), show_lines=False, header_style="bold")
    frame = section.frame
    for i, label in enumerate(section.labels(lang)):
        kind = _column_kind(str(frame.columns[i]), list(frame.iloc[:, i]))
        table.add_column(
            label,
            overflow="fold",
            no_wrap=kind == "date",
            justify="right" if kind == "number" else "left",
        )
    columns = [str(c) for c in frame.columns]
    for row in frame.itertuples(index=False, name=None):
        table.add_row(*[cell_text(c, v, lang) for c, v in zip(columns, row, strict=True)])
    return table


def _table_text(section: Section, lang: Any) -> str:
    """The section's table as text (plain when not at a terminal), as ``render.table_text``."""
    import io
    import sys

    from rich.console import Console

    if section.frame.empty:
        return f"{section.title(lang)}: no records"
    tty = sys.stdout.isatty()
    console = Console(
        file=io.StringIO(), width=None if tty else 200, color_system="auto" if tty else None
    )
    console.print(section_table(section, lang))
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def terminal_text(report: Report, lang: Any) -> str:
    """The report as rich tables (one per section) with the header and notes, as text."""
    from obs.reports.labels import cell_text

    parts = [
        report.title(lang),
        *(f"{f.label(lang)}: {cell_text('', f.shown(lang), lang)}" for f in report.header),
        "",
    ]
    for section in report.sections:
        parts.append(_table_text(section, lang).rstrip())
        parts += [*section.notes(lang), ""]
    return "\n".join(parts)


def deliver(
    report: Report,
    fmt: ReportFormat,
    output: Path | None,
    chart: Path | None,
    lang: Any,
    draw: Callable[..., Any] | None = None,
) -> None:
    """Write the report in ``fmt`` and the chart (drawn by ``draw``, default the season and
    year chart); refuse html/xlsx to a terminal."""
    from obs import reports

    require_file(fmt, output)
    svg = _chart(report, chart, lang, draw) if chart is not None else None
    if fmt is ReportFormat.xlsx:
        _write_bytes(reports.to_xlsx(report, lang), output)
        return
    text = {
        ReportFormat.md: lambda: reports.to_markdown(report, lang),
        ReportFormat.html: lambda: reports.to_html(report, lang, svg),
        ReportFormat.csv: lambda: reports.to_csv(report, lang),
        ReportFormat.json: lambda: reports.to_json(report),
        ReportFormat.table: lambda: terminal_text(report, lang),
    }[fmt]()
    render.write_out(text, output)


def require_file(fmt: ReportFormat, output: Path | None) -> None:
    """Refuse html and xlsx without --output (they make no sense on a terminal)."""
    from obs.errors import UsageError

    if fmt in _NEEDS_FILE and output is None:
        raise UsageError(
            f"--format {fmt.value} writes a file, not terminal text",
            hint=f"add --output report.{fmt.value}",
        )


def _chart(report: Report, path: Path, lang: Any, draw: Callable[..., Any] | None = None) -> str:
    """Draw the chart to ``path``; return it as SVG text for embedding in HTML."""
    from obs.reports.charts import report_chart

    draw = draw or report_chart
    drawn = draw(report, path.suffix.lower().lstrip("."), lang)
    if drawn.note:
        render.warning(drawn.note)
    _write_bytes(drawn.data, path)
    svg = drawn if drawn.fmt == "svg" else draw(report, "svg", lang)
    return svg.data.decode("utf-8")


def _write_bytes(data: bytes, path: Path | None) -> None:
    from obs.errors import ObsError

    assert path is not None
    try:
        path.write_bytes(data)
    except OSError as err:
        raise ObsError(
            f"cannot write {path}: {err.strerror}", hint="choose a writable path"
        ) from None
    render.note(f"wrote {path}")


#: ``--station all``: one report per live station.
ALL_STATIONS = "all"


def _run(
    ctx: typer.Context,
    build: Callable[[Session, str | None], Report],
    station: str | None,
    fmt: ReportFormat,
    output: Path | None,
    chart: Path | None,
    lang: str | None,
) -> None:
    chosen = report_lang(ctx, lang)
    require_file(fmt, output)
    with state(ctx).session() as session:
        if station != ALL_STATIONS:
            report = build(session, station)
        else:
            from obs.reports.region import station_codes

            every = [(code, build(session, code)) for code in station_codes(session, None)]
    if station != ALL_STATIONS:
        deliver(report, fmt, output, chart, chosen)
        return
    if fmt is ReportFormat.json and output is None:
        from obs.reports import to_json

        render.write_out("[\n" + ",\n".join(to_json(r) for _, r in every) + "\n]", None)
        return
    for code, one in every:
        deliver(one, fmt, _per_station(output, code), _per_station(chart, code), chosen)


def _per_station(path: Path | None, code: str) -> Path | None:
    """``season.md`` -> ``season-57511.md`` (``--station all`` writes a file per station)."""
    return None if path is None else path.with_name(f"{path.stem}-{code}{path.suffix}")


def _refuse_plot_with_all(station: str | None, plot: str | None) -> None:
    from obs.errors import UsageError

    if station == ALL_STATIONS and plot is not None:
        raise UsageError("--plot names one plot; --station all means every station",
                         hint="drop --plot, or name the plot's station")  # fmt: skip


def season(
    ctx: typer.Context,
    season_: Annotated[
        str, typer.Argument(metavar="SEASON", help="Season: 2024 or 2024/25 (1 Apr–31 Mar).")
    ],
    station: StationOption = None,
    plot: PlotOption = None,
    method: MethodOption = "plants",
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
    chart: ChartOption = None,
    lang: LangOption = None,
) -> None:
    """Report one flowering season: bloom timeline, weather, chilling, disasters, yield.

    --station all: one report per station (files and charts get the station code added to
    their names, e.g. season-57511.md).

    Example: obs report season 2024 --station 57511 --format md --chart season.png
    """
    from obs.reports import season_report
    from obs.seasons import parse_season

    year = parse_season(season_)
    _refuse_plot_with_all(station, plot)
    _run(
        ctx,
        lambda s, code: season_report(
            session=s, season=year, station=code, plot=plot, method=method
        ),
        station,
        fmt,
        output,
        chart,
        lang,
    )


def year(
    ctx: typer.Context,
    year_: Annotated[int, typer.Argument(metavar="YEAR", help="Calendar year.")],
    station: StationOption = None,
    plot: PlotOption = None,
    method: MethodOption = "plants",
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
    chart: ChartOption = None,
    lang: LangOption = None,
) -> None:
    """Report a calendar year: 农气表-1 stages and records, 农气表-3 phenology, monthly climate.

    --station all: one report per station (files get the station code added to their names).

    Example: obs report year 2024 --station 57511 --format xlsx --output 2024.xlsx
    """
    from obs.reports import year_report

    _refuse_plot_with_all(station, plot)
    _run(
        ctx,
        lambda s, code: year_report(session=s, year=year_, station=code, plot=plot, method=method),
        station,
        fmt,
        output,
        chart,
        lang,
    )


def region(
    ctx: typer.Context,
    season_: Annotated[
        str | None,
        typer.Option(
            "--season", help="Season: 2024 or 2024/25 (1 Apr–31 Mar).", show_default=False
        ),
    ] = None,
    year_: Annotated[
        int | None, typer.Option("--year", help="Calendar year.", show_default=False)
    ] = None,
    stations: Annotated[
        str | None,
        typer.Option(
            "--stations",
            help="Station codes, comma-separated (default: every station).",
            show_default=False,
        ),
    ] = None,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            help="Also draw bloom dates by station and season to this .png or .svg file "
            "(an html report then embeds it).",
            dir_okay=False,
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Stations side by side on a central database: bloom stage dates (始期/普遍期/末期 of FLS,
    FLF, FLE) with each station's own anomalies, bloom duration and bloom-period weather.

    Example: obs report region --season 2024/25 --stations 57511,57516 --chart region.png
    """
    from obs.reports.region import region_chart, region_report
    from obs.seasons import parse_season

    chosen = report_lang(ctx, lang)
    require_file(fmt, output)
    codes = [c.strip() for c in stations.split(",") if c.strip()] if stations else None
    with state(ctx).session() as session:
        report = region_report(
            session=session,
            season=parse_season(season_) if season_ is not None else None,
            year=year_,
            stations=codes,
        )
    deliver(report, fmt, output, chart, chosen, draw=region_chart)


def register(app: typer.Typer) -> None:
    """Attach ``season``, ``year`` and ``region`` to ``obs report`` (the group is added by
    report_group)."""
    report_app.command("season")(season)
    report_app.command("year")(year)
    report_app.command("region")(region)
