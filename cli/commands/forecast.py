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
    "label": ("情景", "Scenario"),
    "date": ("日期", "Date"),
}
#: Summary rows of ``obs forecast bloom`` (key of BloomForecast.to_dict, zh, en).
_SUMMARY: tuple[tuple[str, str, str], ...] = (
    ("plot", "地段", "Plot"),
    ("cultivar", "品种", "Cultivar"),
    ("stage", "发育期", "Stage"),
    ("status", "状态", "Status"),
    ("season", "年度", "Season"),
    ("as_of", "气温截至", "Temperature as of"),
    ("predicted", "预报日期（集合中位数）", "Forecast (ensemble median)"),
    ("low", "范围下限（10%）", "Range from (10 %)"),
    ("high", "范围上限（90%）", "Range to (90 %)"),
    ("earliest", "最早", "Earliest"),
    ("latest", "最晚", "Latest"),
    ("normals", "常年值情景", "Normals scenario"),
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
_FORECAST_COLUMNS = ("predicted", "low", "high", "earliest", "latest")
_SCENARIO_COLUMNS = ("label", "date")


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
    issue: Annotated[
        bool,
        typer.Option(
            "--issue",
            help="Store the forecast as issued (never changed later; see obs forecast issued).",
        ),
    ] = False,
    note: Annotated[
        str, typer.Option("--note", help="A note stored with the issued forecast.")
    ] = "",
    issued_on: Annotated[
        str | None,
        typer.Option(
            "--issued-on",
            help="Issue date with --issue (YYYY-MM-DD; default today); weather up to it only.",
        ),
    ] = None,
) -> None:
    """Forecast this season's first flowering (FLS) or full bloom (FLF) date of one plot.

    With --issue the forecast is stored as issued: station, plot, stage, season, issue date,
    as-of date, model and parameters, the predicted date and range, the scenario assumption,
    the climatology baseline and who issued it.

    Example: obs forecast bloom --plot JG-A --season 2024/25 --as-of 2024-11-20 --chart fc.png
    """
    from obs.records.parse import parse_date
    from obs.seasons import parse_season

    chosen = _lang(ctx, lang)
    args: dict[str, Any] = {
        "station": station,
        "plot": plot,
        "season": parse_season(season) if season else None,
        "stage": stage.value,
        "status": status.value,
        "as_of": parse_date("--as-of", as_of) if as_of else None,
        "model": model,
    }
    if not issue and (note or issued_on):
        raise _usage(
            chosen,
            "--note 和 --issued-on 只与 --issue 一起使用",
            "--note and --issued-on go with --issue only",
            "加上 --issue",
            "add --issue",
        )
    with state(ctx).session() as session:
        if issue:
            result = _issue(ctx, session, args, issued_on, note, chosen)
        else:
            from obs.forecast.service import bloom_forecast

            result = bloom_forecast(session=session, **args)
    _emit_bloom(result, fmt, output, chosen)
    if chart is not None:
        _draw(result, chart, chosen)


def _usage(lang: str, zh: str, en: str, hint_zh: str, hint_en: str) -> Exception:
    from obs.errors import UsageError

    return UsageError(zh if lang == "zh" else en, hint=hint_zh if lang == "zh" else hint_en)


def _issue(
    ctx: typer.Context,
    session: Any,
    args: dict[str, Any],
    issued_on: str | None,
    note: str,
    lang: str,
) -> BloomForecast:
    """Forecast and store it as issued; the note on stderr names the new ledger row."""
    import datetime as dt

    from obs.forecast.ledger import issue_forecast
    from obs.records.parse import parse_date

    day = parse_date("--issued-on", issued_on) if issued_on else dt.date.today()  # noqa: DTZ011
    issued, result = issue_forecast(
        session=session,
        issue_date=day,
        issued_by=state(ctx).settings.actor,
        note=note,
        lang=lang,
        **args,
    )
    number = issued.row.id
    render.note(
        f"已发布预报 #{number}（{day}）" if lang == "zh" else f"issued forecast #{number} ({day})"
    )
    return result


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
        scenarios = [
            {"season": data["season"], "scenario": s["scenario"], "scenario_date": s["date"]}
            for s in data["scenarios"]
        ]
        columns = [*_HISTORY_COLUMNS, *_FORECAST_COLUMNS, "scenario", "scenario_date"]
        rows = [*data["history"], forecast, *scenarios]
        render.write_out(render.to_csv(rows, columns), output)
    else:
        render.write_out(_bloom_tables(data, lang, to_file=output is not None), output)


def _shown(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v:.10g}" for k, v in value.items())
    if isinstance(value, list):
        return f"{value[0]}–{value[-1]} ({len(value)})" if value else ""
    return value


def _bloom_parts(data: dict[str, Any], lang: str) -> tuple[list[dict[str, Any]], str, str, str]:
    """The summary rows and the titles of the three tables of a forecast."""
    index = 1 if lang == "zh" else 2
    rows = [
        {"item": row[index], "value": _shown(data[row[0]])}
        for row in _SUMMARY
        if data[row[0]] not in (None, "", {})
    ]
    title = "花期预报" if lang == "zh" else "Bloom forecast"
    history = "历年回报检验" if lang == "zh" else "Seasons: observed vs cross-validated"
    by_scenario = "各情景预报日期" if lang == "zh" else "Forecast date by scenario"
    return rows, title, history, by_scenario


def _bloom_file(data: dict[str, Any], fmt: str, output: Path | None, lang: str) -> None:
    """The forecast, its scenarios and its seasons as PDF pages (A4 landscape) or a workbook."""
    import pandas as pd

    from obs.errors import UsageError
    from obs.reports.model import Report, Section

    if output is None:
        raise UsageError(
            f"--format {fmt} writes a file, not terminal text", hint=f"add --output fc.{fmt}"
        )
    rows, title, history, by_scenario = _bloom_parts(data, lang)
    sections = (
        Section("summary", title, title, pd.DataFrame(rows, columns=["item", "value"])),
        Section("scenarios", by_scenario, by_scenario,
                pd.DataFrame(data["scenarios"], columns=list(_SCENARIO_COLUMNS))),
        Section("history", history, history,
                pd.DataFrame(data["history"], columns=list(_HISTORY_COLUMNS))),
    )  # fmt: skip
    report = Report("forecast", title, title, (), sections)
    if fmt == "pdf":
        from obs.reports.pdf import to_pdf

        pdf = to_pdf(report, lang, labels=_labels(lang), signatures=False)  # type: ignore[arg-type]
        render.write_bytes(pdf, output)
    else:
        from obs.reports.xlsx import to_xlsx

        render.write_bytes(to_xlsx(report, lang), output)  # type: ignore[arg-type]


def _bloom_tables(data: dict[str, Any], lang: str, *, to_file: bool) -> str:
    rows, title, history, by_scenario = _bloom_parts(data, lang)
    labels = _labels(lang)
    return (
        render.table_text(rows, ["item", "value"], labels, title, to_file=to_file)
        + render.table_text(
            data["scenarios"], _SCENARIO_COLUMNS, labels, by_scenario, to_file=to_file
        )
        + render.table_text(data["history"], _HISTORY_COLUMNS, labels, history, to_file=to_file)
    )


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
        render.warning(("未用 " if chosen == "zh" else "left out ") + note)
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
    season_start: Annotated[
        str | None,
        typer.Option(
            "--season-start",
            help="First day of every season's window, MM-DD (default: derived from the events; "
            "10-01 when they fit its window).",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Fit and cross-validate the models on external files (e.g. a phenology network's export).

    Events may fall in any month: each site's season window is derived from its events unless
    --season-start is given. Seasons without the temperature they need are named and left out.

    Example: obs forecast file events.csv temps.csv --pooled --season-start 11-01 --format json
    """
    from obs.forecast.data import parse_season_start
    from obs.forecast.evaluation import evaluate_files

    chosen = _lang(ctx, lang)
    start = parse_season_start(season_start, chosen) if season_start is not None else None
    frame = evaluate_files(events, temps, pooled=pooled, lang=chosen, season_start=start)
    for site, (month, day) in frame.attrs["references"].items():
        window = "季节窗口起于" if chosen == "zh" else "season window starts on"
        render.note(f"{site}: {window} {month:02d}-{day:02d}")
    for note in frame.attrs["excluded_notes"]:
        render.warning(("未用 " if chosen == "zh" else "left out ") + note)
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
    """Add ``obs forecast`` to the app (with issued, verify and bulletin)."""
    import cli.commands.forecast_issued  # noqa: F401  (adds its commands to forecast_app)

    app.add_typer(forecast_app, name="forecast")
