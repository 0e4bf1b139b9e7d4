"""``obs due``: which marked plants are due for a visit on a day, overdue first."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.commands.options import FormatOption, LangOption, OutputOption, StationOption
from cli.render import OutputFormat
from cli.state import state

_LABELS = {
    "plot": ("地段", "Plot"),
    "plant": ("观测株", "Plant"),
    "last_visit": ("上次观测", "Last visit"),
    "last_stage": ("上次发育期", "Last stage"),
    "days_since": ("间隔天数", "Days since"),
    "interval_days": ("规定间隔", "Interval"),
    "rule": ("依据", "Rule"),
    "due": ("应观测", "Due"),
    "expected_stage": ("预计发育期", "Expected stage"),
}


def due(
    ctx: typer.Context,
    date: Annotated[
        str | None, typer.Option("--date", help="Day to plan for (default today, BT).")
    ] = None,
    plot: Annotated[str | None, typer.Option("--plot", help="Plot code.")] = None,
    station: StationOption = None,
    interval: Annotated[
        list[str] | None,
        typer.Option(
            "--interval",
            help="RULE=DAYS overriding a rule's interval (repeat); rules: disaster, "
            "flower_ratio, flowering, spring, summer, autumn, winter.",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Show which plants are due for a visit, by the observation-frequency rules.

    One row per live marked plant: last visit and stage, days since, the interval that
    applies and why, due or not, and the stage expected next; overdue plants first.
    Intervals can be overridden with --interval or the config's [due] table (per plot too).

    Example: obs due --plot JG-A --date 2024-12-20 --interval flowering=3 --format json
    """
    from obs.clock import today_bt
    from obs.records.parse import parse_date
    from obs.rounds.due import DUE_COLUMNS, due_plants, intervals_from

    st = state(ctx)
    st.use_lang(lang)
    day = parse_date("--date", date) if date else today_bt()
    given = dict(item.partition("=")[::2] for item in interval or [])
    intervals = intervals_from(st.settings.due, given, lang=st.lang)
    with st.session() as session:
        rows = due_plants(session, day, plot=plot, station=station, intervals=intervals)
    if fmt is OutputFormat.table:
        rows = [_human(row, st.lang) for row in rows]
    index = 0 if st.lang == "zh" else 1
    labels = {k: v[index] for k, v in _LABELS.items()}
    title = f"{'应观测株' if st.lang == 'zh' else 'Plants due'} {day}"
    render.emit(rows, fmt, output=output, columns=list(DUE_COLUMNS), labels=labels, title=title)


def _human(row: dict[str, object], lang: str) -> dict[str, object]:
    from schemas.frequency import FREQUENCY_RULES_BY_CODE
    from schemas.stages import STAGES_BY_CODE

    def stage(code: object) -> object:
        known = STAGES_BY_CODE.get(str(code))
        return f"{code} {known.label(lang)}" if known else code  # type: ignore[arg-type]

    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    return {
        **row,
        "last_stage": stage(row["last_stage"]),
        "expected_stage": stage(row["expected_stage"]),
        "rule": FREQUENCY_RULES_BY_CODE[str(row["rule"])].label(lang),  # type: ignore[arg-type]
        "due": yes if row["due"] else no,
    }


def register(app: typer.Typer) -> None:
    """Add ``obs due`` to the app."""
    app.command("due")(due)
