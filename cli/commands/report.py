"""``obs report season`` and ``obs report year``: the §9 reports in seven formats, with a chart.

Files: ``pdf`` (the A4 forms) and ``xlsx`` embed the chart always; ``html`` embeds it when
``--chart`` is given. CSV: ``--output x.csv`` is one file of all sections; ``--output DIR``
(an existing folder or a name without suffix) writes one file per section into it, and
``--output x.zip`` the same files zipped. The UTF-8 BOM (for Excel) is added with ``--bom``,
left out with ``--no-bom``; without either the config (``csv_bom = true``/``false``) or
``OBS_CSV_BOM`` decides, else a report file written with ``--output`` in zh has it and
stdout never does.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.commands.options import BomOption, StationOption
from cli.commands.report_group import report_app
from cli.state import state
from schemas.indices import COOLING_DEGREE_BASE, HEATING_DEGREE_BASE

if TYPE_CHECKING:
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
    pdf = "pdf"


_NEEDS_FILE = (ReportFormat.html, ReportFormat.xlsx, ReportFormat.pdf)

PlotOption = Annotated[
    str | None, typer.Option("--plot", help="Plot code (default: all plots of the station).")
]
ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format; html, xlsx and pdf need --output.",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout; with --format csv a folder or a .zip "
        "gets one file per section.",
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
HddBaseOption = Annotated[
    float,
    typer.Option(
        "--hdd-base",
        help="Base of the heating degree days [°C] (Chinese practice 18; "
        "18.33 = 65 °F for US-style reports).",
    ),
]
CddBaseOption = Annotated[
    float,
    typer.Option(
        "--cdd-base",
        help="Base of the cooling degree days [°C] (Chinese practice 26; 18.33 = 65 °F).",
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


def _table_text(section: Section, lang: Any) -> str:
    """The section's table as text: values never wrap, a wide table folds into parts that
    repeat the row's key columns (``render.table_text``)."""
    from obs.reports.labels import cell_text

    columns = [str(c) for c in section.frame.columns]
    texts = [
        [cell_text(c, v, lang) for c, v in zip(columns, row, strict=True)]
        for row in section.frame.itertuples(index=False, name=None)
    ]
    labels = dict(zip(columns, section.labels(lang), strict=True))
    rows = [dict.fromkeys(columns, "")] * len(texts)
    return render.table_text(rows, columns, labels, section.title(lang), lang=lang, texts=texts)


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
    bom: bool | None = None,
    draw: Callable[..., Any] | None = None,
) -> None:
    """Write the report in ``fmt`` and the chart (drawn by ``draw``, default the season and
    year chart); refuse html/xlsx/pdf to a terminal."""
    from obs import reports

    render.set_lang(lang)
    require_file(fmt, output)
    svg = _chart(report, chart, lang, draw) if chart is not None else None
    if fmt in (ReportFormat.xlsx, ReportFormat.pdf):
        png = _chart_png(report, lang, draw)
        if fmt is ReportFormat.xlsx:
            _write_bytes(reports.to_xlsx(report, lang, png), output)
        else:
            from obs.reports.pdf import to_pdf

            _write_bytes(to_pdf(report, lang, png), output)
        return
    if fmt is ReportFormat.csv:
        with_bom = render.wants_bom(bom, output, lang)
        if output is not None and _is_folder(output):
            _write_csv_files(reports.csv_files(report, lang), output, with_bom)
            return
        render.write_out(reports.to_csv(report, lang), output, bom=with_bom)
        return
    text = {
        ReportFormat.md: lambda: reports.to_markdown(report, lang),
        ReportFormat.html: lambda: reports.to_html(report, lang, svg),
        ReportFormat.csv: lambda: reports.to_csv(report, lang),
        ReportFormat.json: lambda: reports.to_json(report),
        ReportFormat.table: lambda: terminal_text(report, lang),
    }[fmt]()
    render.write_out(text, output)


def _is_folder(output: Path) -> bool:
    """A folder or a .zip for one CSV per section (an existing folder, or no suffix)."""
    return output.is_dir() or output.suffix.lower() in ("", ".zip")


def _write_csv_files(files: dict[str, str], output: Path, bom: bool) -> None:
    """The section CSVs into the folder ``output`` or the zip file ``output``."""
    import zipfile

    from obs.errors import ObsError

    prefix = "\ufeff" if bom else ""
    try:
        if output.suffix.lower() == ".zip":
            with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, text in files.items():
                    archive.writestr(name, (prefix + text).encode("utf-8"))
        else:
            output.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (output / name).write_text(prefix + text, encoding="utf-8")
    except OSError as err:
        raise ObsError(
            f"cannot write {output}: {err.strerror}", hint="choose a writable path with --output"
        ) from None
    render.wrote(output, f" ({len(files)})")


def _chart_png(report: Report, lang: Any, draw: Callable[..., Any] | None = None) -> bytes:
    """The chart as PNG for embedding (a missing CJK font is said as a warning)."""
    from obs.reports.charts import report_chart

    drawn = (draw or report_chart)(report, "png", lang)
    if drawn.note:
        render.warning(drawn.note)
    return drawn.data


def require_file(fmt: ReportFormat, output: Path | None) -> None:
    """Refuse html, xlsx and pdf without --output at a terminal (they make no sense there);
    with stdout redirected (``> report.html``) they go to stdout."""
    from obs.errors import UsageError

    if fmt in _NEEDS_FILE and output is None and stdout_is_terminal():
        raise UsageError(
            f"--format {fmt.value} writes a file, not terminal text",
            hint=f"add --output report.{fmt.value}, or redirect: > report.{fmt.value}",
        )


def stdout_is_terminal() -> bool:
    """True when stdout is a terminal (html, xlsx and pdf then need --output)."""
    import sys

    return sys.stdout.isatty()


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
    import sys

    if path is None:  # stdout is not a terminal (require_file)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from obs import safe_write

    safe_write.write_bytes(path, data)  # never through a symlink
    render.wrote(path)


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
    bom: bool | None = None,
) -> None:
    chosen = report_lang(ctx, lang)
    require_file(fmt, output)
    with state(ctx).session() as session:
        if station != ALL_STATIONS:
            report = build(session, station)
        else:
            from obs.reports.region import station_codes

            every = [(code, build(session, code)) for code in station_codes(session, None)]
    with_bom = state(ctx).bom(bom)
    if station != ALL_STATIONS:
        deliver(report, fmt, output, chart, chosen, with_bom)
        return
    if fmt is ReportFormat.json and output is None:
        from obs.reports import to_json

        render.write_out("[\n" + ",\n".join(to_json(r) for _, r in every) + "\n]", None)
        return
    for code, one in every:
        deliver(one, fmt, _per_station(output, code), _per_station(chart, code), chosen, with_bom)


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
    hdd_base: HddBaseOption = HEATING_DEGREE_BASE,
    cdd_base: CddBaseOption = COOLING_DEGREE_BASE,
    bom: BomOption = None,
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

    def build(session: Session, code: str | None) -> Report:
        report = season_report(
            session=session,
            season=year,
            station=code,
            plot=plot,
            method=method,
            heating_base=hdd_base,
            cooling_base=cdd_base,
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
        station,
        fmt,
        output,
        chart,
        lang,
        bom,
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
    hdd_base: HddBaseOption = HEATING_DEGREE_BASE,
    cdd_base: CddBaseOption = COOLING_DEGREE_BASE,
    bom: BomOption = None,
) -> None:
    """Report a calendar year: 农气表-1 stages and records, 农气表-3 phenology, monthly climate.

    --station all: one report per station (files get the station code added to their names).

    Example: obs report year 2024 --station 57511 --format xlsx --output 2024.xlsx
    """
    from obs.reports import year_report

    _refuse_plot_with_all(station, plot)
    _run(
        ctx,
        lambda s, code: year_report(
            session=s,
            year=year_,
            station=code,
            plot=plot,
            method=method,
            heating_base=hdd_base,
            cooling_base=cdd_base,
        ),
        station,
        fmt,
        output,
        chart,
        lang,
        bom,
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
    bom: BomOption = None,
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
    deliver(report, fmt, output, chart, chosen, state(ctx).bom(bom), draw=region_chart)


def register(app: typer.Typer) -> None:
    """Attach ``season``, ``year`` and ``region`` to ``obs report`` (the group is added by
    report_group)."""
    report_app.command("season")(season)
    report_app.command("year")(year)
    report_app.command("region")(region)
