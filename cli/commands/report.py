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
    report: Report, fmt: ReportFormat, output: Path | None, chart: Path | None, lang: Any
) -> None:
    """Write the report in ``fmt`` and the chart; refuse html/xlsx to a terminal."""
    from obs import reports

    require_file(fmt, output)
    svg = _chart(report, chart, lang) if chart is not None else None
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
    """Refuse html and xlsx without --output at a terminal (they make no sense there); with
    stdout redirected (``> report.html``) they go to stdout."""
    from obs.errors import UsageError

    if fmt in _NEEDS_FILE and output is None and stdout_is_terminal():
        raise UsageError(
            f"--format {fmt.value} writes a file, not terminal text",
            hint=f"add --output report.{fmt.value}, or redirect: > report.{fmt.value}",
        )


def stdout_is_terminal() -> bool:
    """True when stdout is a terminal (html and xlsx then need --output)."""
    import sys

    return sys.stdout.isatty()


def _chart(report: Report, path: Path, lang: Any) -> str:
    """Draw the chart to ``path``; return it as SVG text for embedding in HTML."""
    from obs.reports.charts import report_chart

    drawn = report_chart(report, path.suffix.lower().lstrip("."), lang)
    if drawn.note:
        render.warning(drawn.note)
    _write_bytes(drawn.data, path)
    svg = drawn if drawn.fmt == "svg" else report_chart(report, "svg", lang)
    return svg.data.decode("utf-8")


def _write_bytes(data: bytes, path: Path | None) -> None:
    import sys

    if path is None:  # stdout is not a terminal (require_file)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from obs import safe_write

    safe_write.write_bytes(path, data)  # never through a symlink
    render.note(f"wrote {path}")


def _run(
    ctx: typer.Context,
    build: Callable[[Session], Report],
    fmt: ReportFormat,
    output: Path | None,
    chart: Path | None,
    lang: str | None,
) -> None:
    chosen = report_lang(ctx, lang)
    require_file(fmt, output)
    with state(ctx).session() as session:
        report = build(session)
    deliver(report, fmt, output, chart, chosen)


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

    Example: obs report season 2024 --station 57511 --format md --chart season.png
    """
    from obs.reports import season_report
    from obs.seasons import parse_season

    year = parse_season(season_)

    def build(session: Session) -> Report:
        report = season_report(
            session=session, season=year, station=station, plot=plot, method=method
        )
        if report.section("bloom").frame.empty:
            render.warning(
                f"{year}/{(year + 1) % 100:02d} 季无物候观测记录，报告中没有发育期日期"
                if state(ctx).lang == "zh"
                else f"no phenology recorded in season {year}/{(year + 1) % 100:02d}: the "
                "report has no stage dates"
            )
        return report

    _run(
        ctx,
        build,
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

    Example: obs report year 2024 --station 57511 --format xlsx --output 2024.xlsx
    """
    from obs.reports import year_report

    _run(
        ctx,
        lambda s: year_report(session=s, year=year_, station=station, plot=plot, method=method),
        fmt,
        output,
        chart,
        lang,
    )


def register(app: typer.Typer) -> None:
    """Attach ``season`` and ``year`` to ``obs report`` (the group is added by report_group)."""
    report_app.command("season")(season)
    report_app.command("year")(year)
