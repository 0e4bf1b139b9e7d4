"""``obs forecast``: bloom forecast (bloom), model comparison (evaluate), external files (file)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.commands.options import (
    FormatOption,
    LangChoice,
    LangOption,
    OutputOption,
    SeasonOption,
    SheetFormatOption,
    StationOption,
)
from cli.render import OutputFormat, SheetFormat
from cli.state import state

if TYPE_CHECKING:
    import pandas as pd

    from obs.forecast.service import BloomForecast

forecast_app = typer.Typer(
    help="Bloom forecast: when will this season's wintersweet open and peak?",
    no_args_is_help=True,
)


class Stage(StrEnum):
    """Stage to forecast."""

    FLS = "FLS"
    FLF = "FLF"


class Status(StrEnum):
    """Which derived date of the stage is the event."""

    general = "general"
    start = "start"


PlotOption = Annotated[
    str | None, typer.Option("--plot", help="Plot code (needed when the station has several).")
]
StageOption = Annotated[
    Stage, typer.Option("--stage", help="FLS (first flowering 始花期) or FLF (full bloom 盛花期).")
]
StatusOption = Annotated[
    Status,
    typer.Option(
        "--status", help="Event date: general (普遍期, >= 50 % of plants) or start (始期, 10 %)."
    ),
]

#: Labels of the bloom summary and history tables (zh, en).
_LABELS: dict[str, tuple[str, str]] = {
    "item": ("项目", "Item"),
    "value": ("值", "Value"),
    "season": ("年度", "Season"),
    "observed": ("实测", "Observed"),
    "cv_predicted": ("交叉验证预测", "CV predicted"),
    "error_days": ("误差(天)", "Error (d)"),
    "model": ("模型", "Model"),
    "name": ("名称", "Name"),
    "cv_rmse_days": ("交叉验证RMSE(天)", "CV RMSE (d)"),
    "cv_bias_days": ("偏差(天)", "Bias (d)"),
    "n_seasons": ("年数", "Seasons"),
    "n_cases": ("样本", "Cases"),
    "n_missed": ("未达", "Missed"),
    "fit_rmse_days": ("拟合RMSE(天)", "Fit RMSE (d)"),
    "skill": ("技巧", "Skill"),
    "selected": ("选用", "Selected"),
    "params": ("参数", "Parameters"),
    "site": ("站点", "Site"),
}
#: Summary rows of ``obs forecast bloom`` (key of BloomForecast.to_dict, zh, en).
_SUMMARY: tuple[tuple[str, str, str], ...] = (
    ("plot", "地段", "Plot"),
    ("cultivar", "品种", "Cultivar"),
    ("stage", "发育期", "Stage"),
    ("status", "状态", "Status"),
    ("season", "年度", "Season"),
    ("as_of", "气温截至", "Temperature as of"),
    ("expected", "预计日期（常年值）", "Expected (normals)"),
    ("median", "集合中位数", "Ensemble median"),
    ("low", "10%", "10 %"),
    ("high", "90%", "90 %"),
    ("earliest", "最早", "Earliest"),
    ("latest", "最晚", "Latest"),
    ("observed", "本季实测", "Observed this season"),
    ("model_name", "模型", "Model"),
    ("params", "参数", "Parameters"),
    ("cv_rmse_days", "交叉验证RMSE(天)", "CV RMSE (d)"),
    ("cv_bias_days", "交叉验证偏差(天)", "CV bias (d)"),
    ("baseline_cv_rmse_days", "气候基准RMSE(天)", "Climatology CV RMSE (d)"),
    ("training_seasons", "训练年度", "Training seasons"),
    ("assumption", "剩余天数假定", "Remaining days"),
)
_HISTORY_COLUMNS = ("season", "observed", "cv_predicted", "error_days")
_FORECAST_COLUMNS = ("expected", "median", "low", "high", "earliest", "latest")


def _lang(ctx: typer.Context, lang: LangChoice | None) -> str:
    return lang.value if lang is not None else state(ctx).lang


def _labels(lang: str) -> dict[str, str]:
    return {k: v[0] if lang == "zh" else v[1] for k, v in _LABELS.items()}


@forecast_app.command("bloom")
def bloom_command(
    ctx: typer.Context,
    station: StationOption = None,
    plot: PlotOption = None,
    season: SeasonOption = None,
    stage: StageOption = Stage.FLS,
    status: StatusOption = Status.general,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Use temperatures up to this date (YYYY-MM-DD); before the season's "
            "observed date this is a hindcast. Default: the last day with data.",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", help="Force a model (default: lowest cross-validated RMSE)."),
    ] = None,
    fmt: SheetFormatOption = SheetFormat.table,
    output: OutputOption = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart", help="Also draw the forecast to FILE.png or FILE.svg.", dir_okay=False
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Forecast this season's first flowering (FLS) or full bloom (FLF) date of one plot.

    Example: obs forecast bloom --plot JG-A --season 2024/25 --as-of 2024-11-20 --chart fc.png
    """
    from obs.forecast.service import bloom_forecast
    from obs.records.parse import parse_date
    from obs.seasons import parse_season

    chosen = _lang(ctx, lang)
    with state(ctx).session() as session:
        result = bloom_forecast(
            session=session,
            station=station,
            plot=plot,
            season=parse_season(season) if season else None,
            stage=stage.value,
            status=status.value,
            as_of=parse_date("--as-of", as_of) if as_of else None,
            model=model,
        )
    _emit_bloom(result, fmt, output, chosen)
    if chart is not None:
        _draw(result, chart, chosen)


def _emit_bloom(
    result: BloomForecast, fmt: OutputFormat | SheetFormat, output: Path | None, lang: str
) -> None:
    data = result.to_dict(lang)
    if fmt.value in ("pdf", "xlsx"):
        _bloom_file(data, fmt.value, output, lang)
    elif fmt.value == "json":
        render.write_out(render.to_json(data), output)
    elif fmt.value == "csv":
        forecast = {"season": data["season"], **{c: data[c] for c in _FORECAST_COLUMNS}}
        forecast["observed"] = data["observed"]
        columns = [*_HISTORY_COLUMNS, *_FORECAST_COLUMNS]
        render.write_out(render.to_csv([*data["history"], forecast], columns), output)
    else:
        render.write_out(_bloom_tables(data, lang, to_file=output is not None), output)


def _shown(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v:g}" for k, v in value.items())
    if isinstance(value, list):
        return f"{value[0]}–{value[-1]} ({len(value)})" if value else ""
    return value


def _bloom_parts(data: dict[str, Any], lang: str) -> tuple[list[dict[str, Any]], str, str]:
    """The summary rows and the titles of the two tables of a forecast."""
    index = 1 if lang == "zh" else 2
    rows = [
        {"item": row[index], "value": _shown(data[row[0]])}
        for row in _SUMMARY
        if data[row[0]] not in (None, "", {})
    ]
    title = "花期预报" if lang == "zh" else "Bloom forecast"
    history = "历年回报检验" if lang == "zh" else "Seasons: observed vs cross-validated"
    return rows, title, history


def _bloom_file(data: dict[str, Any], fmt: str, output: Path | None, lang: str) -> None:
    """The forecast and its seasons as a PDF page (A4 landscape) or a two-sheet workbook."""
    import pandas as pd

    from obs.errors import UsageError
    from obs.reports.model import Report, Section

    if output is None:
        raise UsageError(
            f"--format {fmt} writes a file, not terminal text", hint=f"add --output fc.{fmt}"
        )
    rows, title, history = _bloom_parts(data, lang)
    sections = (
        Section("summary", title, title, pd.DataFrame(rows, columns=["item", "value"])),
        Section("history", history, history,
                pd.DataFrame(data["history"], columns=list(_HISTORY_COLUMNS))),
    )  # fmt: skip
    report = Report("forecast", title, title, (), sections)
    if fmt == "pdf":
        from obs.reports.pdf import to_pdf

        render.write_bytes(to_pdf(report, lang, labels=_labels(lang), signatures=False), output)  # type: ignore[arg-type]
    else:
        from obs.reports.xlsx import to_xlsx

        render.write_bytes(to_xlsx(report, lang), output)  # type: ignore[arg-type]


def _bloom_tables(data: dict[str, Any], lang: str, *, to_file: bool) -> str:
    rows, title, history = _bloom_parts(data, lang)
    labels = _labels(lang)
    return render.table_text(
        rows, ["item", "value"], labels, title, to_file=to_file
    ) + render.table_text(data["history"], _HISTORY_COLUMNS, labels, history, to_file=to_file)


def _draw(result: BloomForecast, path: Path, lang: str) -> None:
    from obs.errors import ObsError
    from obs.forecast.chart import bloom_chart

    drawn = bloom_chart(result, path.suffix.lower().lstrip("."), lang)
    try:
        path.write_bytes(drawn.data)
    except OSError as err:
        raise ObsError(
            f"cannot write {path}: {err.strerror}", hint="choose a writable path"
        ) from None
    if drawn.note:
        render.warning(drawn.note)
    render.note(f"wrote {path}")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")  # type: ignore[no-any-return]


@forecast_app.command("evaluate")
def evaluate_command(
    ctx: typer.Context,
    station: StationOption = None,
    plot: PlotOption = None,
    stage: StageOption = Stage.FLS,
    status: StatusOption = Status.general,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Compare the models by leave-one-season-out cross-validation against climatology.

    Skill = 1 − RMSE / RMSE of the climatology baseline: above 0 a model beats the mean date.

    Example: obs forecast evaluate --plot JG-A --stage FLF --format csv
    """
    from obs.forecast.evaluation import evaluate
    from obs.seasons import season_label

    chosen = _lang(ctx, lang)
    with state(ctx).session() as session:
        frame = evaluate(
            session=session,
            station=station,
            plot=plot,
            stage=stage.value,
            status=status.value,
            lang=chosen,
        )
    site, seasons = frame.attrs["site"], frame.attrs["seasons"]
    title = f"{site.plot} ({site.cultivar}) {stage.value} {status.value}"
    render.note(
        f"{title}: {len(seasons)} seasons {season_label(seasons[0])}–{season_label(seasons[-1])}"
    )
    for note in frame.attrs["excluded_notes"]:
        render.warning(f"left out {note}")
    render.emit(
        _records(frame),
        fmt,
        output=output,
        columns=list(frame.columns),
        labels=_labels(chosen),
        title=title,
    )


@forecast_app.command("file")
def file_command(
    ctx: typer.Context,
    events: Annotated[
        Path,
        typer.Argument(help="Events CSV: site, year, doy (calendar day of year).", dir_okay=False),
    ],
    temps: Annotated[
        Path, typer.Argument(help="Daily temperature CSV: site, date, t_mean [°C].", dir_okay=False)
    ],
    pooled: Annotated[
        bool, typer.Option("--pooled", help="Fit all sites together (leave one season out).")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Fit and cross-validate the models on external files (e.g. a phenology network's export).

    Example: obs forecast file events.csv temps.csv --pooled --format json
    """
    from obs.forecast.evaluation import evaluate_files

    chosen = _lang(ctx, lang)
    frame = evaluate_files(events, temps, pooled=pooled, lang=chosen)
    title = "模型比较" if chosen == "zh" else "Model comparison"
    render.emit(
        _records(frame),
        fmt,
        output=output,
        columns=list(frame.columns),
        labels=_labels(chosen),
        title=title,
    )


def register(app: typer.Typer) -> None:
    """Add ``obs forecast`` to the app."""
    app.add_typer(forecast_app, name="forecast")
