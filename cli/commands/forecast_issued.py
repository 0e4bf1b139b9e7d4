"""``obs forecast issued|verify|bulletin``: the ledger of issued forecasts, their verification
and the publishable bulletin (花期预报)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.commands.forecast import PlotOption, _lang, forecast_app
from cli.commands.options import (
    FormatOption,
    LangOption,
    OutputOption,
    SeasonOption,
    StationOption,
)
from cli.render import OutputFormat
from cli.state import state

#: Column labels of the ledger and verification tables (zh, en).
_LABELS: dict[str, tuple[str, str]] = {
    "id": ("编号", "ID"),
    "season": ("年度", "Season"),
    "station": ("站号", "Station"),
    "plot": ("地段", "Plot"),
    "cultivar": ("品种", "Cultivar"),
    "stage": ("发育期", "Stage"),
    "status": ("状态", "Status"),
    "issue_date": ("发布日期", "Issued on"),
    "as_of": ("气温截至", "Weather as of"),
    "predicted": ("预报日期", "Forecast"),
    "low": ("范围下限", "Range from"),
    "high": ("范围上限", "Range to"),
    "normals": ("常年值情景", "Normals scenario"),
    "baseline_predicted": ("气候基准", "Climatology"),
    "model": ("模型", "Model"),
    "issued_by": ("发布人", "Issued by"),
    "note": ("备注", "Note"),
    "observed": ("实测", "Observed"),
    "lead_days": ("时效(天)", "Lead (d)"),
    "error_days": ("误差(天)", "Error (d)"),
    "hit": ("落入范围", "In range"),
    "baseline_error_days": ("基准误差(天)", "Baseline error (d)"),
    "baseline_hit": ("基准落入范围", "Baseline in range"),
    "state": ("检验", "Verified"),
    "lead_class": ("预报时效", "Lead time"),
    "n": ("次数", "Forecasts"),
    "mae_days": ("平均绝对误差(天)", "MAE (d)"),
    "bias_days": ("偏差(天)", "Bias (d)"),
    "hit_rate": ("范围命中率", "Range hit rate"),
    "baseline_mae_days": ("基准平均绝对误差(天)", "Baseline MAE (d)"),
    "baseline_bias_days": ("基准偏差(天)", "Baseline bias (d)"),
    "baseline_hit_rate": ("基准命中率", "Baseline hit rate"),
}


def _labels(lang: str) -> dict[str, str]:
    return {k: v[0] if lang == "zh" else v[1] for k, v in _LABELS.items()}


def _season(season: str | None) -> int | None:
    from obs.seasons import parse_season

    return parse_season(season) if season else None


@forecast_app.command("issued")
def issued_command(
    ctx: typer.Context,
    season: SeasonOption = None,
    station: StationOption = None,
    plot: PlotOption = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """List the issued bloom forecasts (the ledger; issued rows are never changed).

    Example: obs forecast issued --season 2024/25 --format csv
    """
    from obs.forecast.ledger import ISSUED_COLUMNS, issued_forecasts

    chosen = _lang(ctx, lang)
    with state(ctx).session() as session:
        rows = issued_forecasts(session=session, season=_season(season), station=station, plot=plot)
        data = [r.to_dict(chosen) for r in rows]
    columns = list(data[0]) if fmt is OutputFormat.json and data else list(ISSUED_COLUMNS)
    title = "已发布的花期预报" if chosen == "zh" else "Issued bloom forecasts"
    render.emit(data, fmt, output=output, columns=columns, labels=_labels(chosen), title=title)


@forecast_app.command("verify")
def verify_command(
    ctx: typer.Context,
    season: SeasonOption = None,
    all_seasons: Annotated[
        bool, typer.Option("--all", help="Every season (the default when --season is not given).")
    ] = False,
    station: StationOption = None,
    plot: PlotOption = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart", help="Draw error against lead time to FILE.png|svg.", dir_okay=False
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Score the issued forecasts against the observed stage dates, with the climatology baseline.

    Per forecast: error (forecast − observed), whether the date fell in the range, lead time.
    Over forecasts: MAE, bias and range hit rate by lead time (≥30, 15–29, <15 days).

    Example: obs forecast verify --all --format json --chart verify.png
    """
    from obs.forecast.verify import CHECK_COLUMNS, SUMMARY_COLUMNS, verify

    chosen = _lang(ctx, lang)
    if season and all_seasons:
        raise _usage(chosen)
    with state(ctx).session() as session:
        result = verify(
            session=session, season=_season(season), lang=chosen, station=station, plot=plot
        )
        checks = [c.to_dict(chosen) for c in result.checks]
    summary = result.summary(chosen)
    if result.pending:
        render.note(_pending(result, chosen))
    if fmt is OutputFormat.json:
        render.write_out(render.to_json({"forecasts": checks, "summary": summary}), output)
    elif fmt is OutputFormat.csv:
        render.write_out(render.to_csv(checks, CHECK_COLUMNS), output)
    else:
        labels = _labels(chosen)
        zh = chosen == "zh"
        checks = [{k: _yes_no(v, zh) for k, v in row.items()} for row in checks]
        text = render.table_text(
            checks,
            CHECK_COLUMNS,
            labels,
            "逐次检验" if zh else "Issued forecasts",
            to_file=output is not None,
        ) + render.table_text(
            summary,
            SUMMARY_COLUMNS,
            labels,
            "按预报时效" if zh else "By lead time",
            to_file=output is not None,
        )
        render.write_out(text, output)
    if chart is not None:
        _draw_verify(result, chart, chosen)


def _yes_no(value: object, zh: bool) -> object:
    """Booleans as the table shows them (是/否, yes/no); other values unchanged."""
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    return value


def _usage(lang: str) -> Exception:
    from obs.errors import UsageError

    if lang == "zh":
        return UsageError("--season 与 --all 只能选一个", hint="去掉其中一个")
    return UsageError("--season and --all exclude each other", hint="drop one of them")


def _pending(result: object, lang: str) -> str:
    from obs.forecast.verify import Verification

    assert isinstance(result, Verification)
    seasons = sorted({c.to_dict(lang)["season"] for c in result.pending})
    n = len(result.pending)
    if lang == "zh":
        return f"尚未检验：{n}次预报的发育期尚未观测到（{'、'.join(seasons)}），暂不计入评分"
    listed = ", ".join(seasons)
    return f"not yet: {n} forecast(s) whose stage is not observed yet ({listed}), not scored"


def _draw_verify(result: object, path: Path, lang: str) -> None:
    from obs.errors import ObsError
    from obs.forecast.verify import Verification
    from obs.forecast.verify_chart import verify_chart

    assert isinstance(result, Verification)
    drawn = verify_chart(result, path.suffix.lower().lstrip("."), lang)
    try:
        path.write_bytes(drawn.data)
    except OSError as err:
        raise ObsError(
            f"cannot write {path}: {err.strerror}", hint="choose a writable path"
        ) from None
    if drawn.note:
        render.warning(drawn.note)
    render.note(f"已写入 {path}" if lang == "zh" else f"wrote {path}")


class BulletinFormat(StrEnum):
    """Formats of the bulletin."""

    md = "md"
    html = "html"
    pdf = "pdf"


@forecast_app.command("bulletin")
def bulletin_command(
    ctx: typer.Context,
    season: Annotated[
        str, typer.Option("--season", help="Season of the bulletin: 2024 or 2024/25.")
    ],
    station: StationOption = None,
    fmt: Annotated[
        BulletinFormat, typer.Option("--format", "-f", help="md, html or pdf.")
    ] = BulletinFormat.md,
    output: OutputOption = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="An edited copy of schemas/bulletin.toml (wording, unit, advice rules).",
            dir_okay=False,
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Write the bloom-forecast bulletin (花期预报) of a season from its issued forecasts.

    Wording, issuing unit and advice rules are data in schemas/bulletin.toml (or --template).
    PDF (needs --output) is A4 portrait with the Chinese font embedded.

    Example: obs forecast bulletin --season 2024/25 --format html --output bulletin.html
    """
    from obs.forecast.bulletin import build_bulletin, render_bulletin

    chosen = _lang(ctx, lang)
    if fmt is BulletinFormat.pdf and output is None:
        raise _pdf_needs_output(chosen)
    with state(ctx).session() as session:
        document = build_bulletin(
            session=session,
            season=_season(season),
            station=station,
            lang=chosen,
            template=template,
        )
    data = render_bulletin(document, fmt.value)
    if isinstance(data, bytes):
        if output is None:  # refused above already; kept for the type checker
            raise _pdf_needs_output(chosen)
        try:
            output.write_bytes(data)
        except OSError as err:
            from obs.errors import ObsError

            zh = chosen == "zh"
            raise ObsError(
                f"无法写入 {output}：{err.strerror}"
                if zh
                else f"cannot write {output}: {err.strerror}",
                hint="换一个可写的路径" if zh else "choose a writable path",
            ) from None
        render.note(f"已写入 {output}" if chosen == "zh" else f"wrote {output}")
    else:
        render.write_out(data, output)


def _pdf_needs_output(lang: str) -> Exception:
    from obs.errors import UsageError

    if lang == "zh":
        return UsageError(
            "--format pdf 输出的是文件，不是终端文字", hint="加上 --output bulletin.pdf"
        )
    return UsageError(
        "--format pdf writes a file, not terminal text", hint="add --output bulletin.pdf"
    )


def register(app: typer.Typer) -> None:
    """Nothing to add: the commands above are on ``forecast_app`` (see cli.commands.forecast)."""
