"""``obs visit``: a round over one plot's marked plants at a terminal, stored in one transaction.

For each plant in tag order: its last observation and the stage expected next, then today's
stage (Enter = no change), the counts or percent that stage uses and a note. ``s`` skips a
plant, ``b`` goes back one, ``q`` stops. The round is shown as a table and stored on one
confirmation; Ctrl-C anywhere stores nothing (exit 130).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli import render
from cli.commands.options import LangOption
from cli.exit_codes import ExitCode
from cli.prompts import (
    Navigation,
    ask_line,
    ask_until,
    choice_parser,
    complain,
    count_parser,
    interactive,
    number_parser,
    show,
    show_menu,
)
from cli.state import State, state
from schemas.frequency import RECOMMENDED_TIME
from schemas.rounds_text import say
from schemas.terms import Lang

if TYPE_CHECKING:
    from obs.rounds.plan import LastObservation, PlantStep, RoundPlan
    from obs.rounds.store import RoundEntry


@dataclass
class _Round:
    """The dialogue's state: the plan, the entries so far and who observes."""

    st: State
    plan: RoundPlan
    lang: Lang
    terms: list[Any]
    entries: dict[int, RoundEntry | None]


def visit(
    ctx: typer.Context,
    plot: Annotated[str, typer.Option("--plot", help="Plot code of the round.")],
    date: Annotated[
        str | None, typer.Option("--date", help="Day of the round (default today, BT).")
    ] = None,
    observer: Annotated[
        str | None,
        typer.Option("--observer", help="Observer (default $OBS_OBSERVER or the config's)."),
    ] = None,
    time: Annotated[
        str | None, typer.Option("--time", help="Time of the round HH:MM (default now, BT).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Enter a whole round over a plot's marked plants at a terminal, stored in one transaction.

    Enter keeps "no change", s skips a plant, b goes back one, q stops; the round is shown
    and stored on one confirmation. Without a terminal, use obs template and
    obs import observations.

    Example: obs visit --plot JG-A --observer 王芳
    """
    from cli.commands.entry import resolve_observer

    st = state(ctx)
    st.use_lang(lang)
    if not interactive():
        _refuse_no_terminal(st.lang, plot)
    day, at = _day_and_time(date, time, st.lang)
    try:
        who = resolve_observer(st, observer, ask=True)
        current = _open_round(st, plot, day)
        entries = _walk(current, day, who, at)
        stored = _confirm_and_store(current, entries, who, at) if entries else None
    except KeyboardInterrupt:
        render.error(say("interrupted", st.lang))
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    if stored is None and not entries:
        render.note(say("nothing_entered", st.lang))


def _refuse_no_terminal(lang: Lang, plot: str) -> None:
    from obs.errors import UsageError

    raise UsageError(say("no_tty", lang), hint=say("no_tty_hint", lang, plot=plot))


def _day_and_time(date: str | None, time: str | None, lang: Lang) -> tuple[dt.date, dt.time]:
    from obs.clock import today_bt
    from obs.errors import ObsError
    from obs.records.parse import parse_date, parse_time

    today = today_bt()
    day = parse_date("--date", date) if date else today
    if day > today:
        raise ObsError(say("future", lang, day=day, today=today), hint=say("future_hint", lang))
    if time:
        return day, parse_time("--time", time)
    now = dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)
    return day, now.time().replace(second=0, microsecond=0)


def _open_round(st: State, plot: str, day: dt.date) -> _Round:
    from obs.rounds.plan import plan_round
    from obs.rounds.store import prepare_store
    from schemas.stages import STAGES

    with st.session() as session:
        plan = plan_round(session, plot, day, lang=st.lang)
    prepare_store(day)
    terms = [s for s in STAGES if s.observed]
    return _Round(st, plan, st.lang, terms, {})


def _walk(current: _Round, day: dt.date, who: str, at: dt.time) -> list[RoundEntry]:
    """The dialogue over the plants; the entries given (skipped plants left out)."""
    lang, steps = current.lang, current.plan.steps
    show(
        say(
            "round_head",
            lang,
            plot=current.plan.plot,
            day=day,
            time=at.strftime("%H:%M"),
            observer=who or "—",
            count=len(steps),
        )
    )
    low, high = RECOMMENDED_TIME
    if not low <= at <= high:
        show(say("time_hint", lang, low=low.strftime("%H:%M"), high=high.strftime("%H:%M")))
    show_menu(current.terms, lang)
    index = 0
    while index < len(steps):
        try:
            current.entries[index] = _ask_plant(current, index)
            index += 1
        except Navigation as nav:
            if nav.command == "q":
                break
            if nav.command == "s":
                current.entries[index] = None
                index += 1
            elif index == 0:
                show(say("at_first", lang))
            else:
                index -= 1
    return [e for _, e in sorted(current.entries.items()) if e is not None]


def _ask_plant(current: _Round, index: int) -> RoundEntry:
    from obs.rounds.plan import uses_counts
    from obs.rounds.store import RoundEntry

    step, lang = current.plan.steps[index], current.lang
    show(say("plant_head", lang, n=index + 1, total=len(current.plan.steps), plant=step.tag))
    show(_last_line(step.last, lang))
    expected = step.expected_stage
    if expected:
        show(say("expected", lang, stage=_stage_text(expected, lang)))
    else:
        show(say("expected_none", lang))
    stage = _ask_stage(current, step)
    values: dict[str, Any] = {}
    if uses_counts(stage):
        for key, name in (
            ("ask_open", "flowers_open"),
            ("ask_unopened", "buds_unopened"),
            ("ask_withered", "flowers_withered"),
        ):
            values[name] = ask_until(
                say(key, lang), count_parser(lang), lang=lang, navigation=True, tries=None
            )
    else:
        values["percent"] = ask_until(
            say("ask_percent", lang),
            number_parser(lang, 0, 100),
            lang=lang,
            navigation=True,
            tries=None,
        )
    note = ask_line(say("ask_note", lang))
    if note.lower() in {"s", "b", "q"}:
        raise Navigation(note.lower())
    return RoundEntry(step.tag, step.plant_id, stage, note=note, **values)


def _ask_stage(current: _Round, step: PlantStep) -> str:
    """Today's stage; asked again after a refusal (no earlier stage, or the stage order)."""
    from obs.errors import ObsError
    from obs.rounds.store import RoundEntry, check_entry

    lang, last = current.lang, step.last
    pick = choice_parser(current.terms, lang)
    if last is not None:
        keep = f"{say('no_change', lang)} {last.stage_code}"
        question = say("ask_stage", lang, keep=keep)
    else:
        question = say("ask_stage_first", lang)

    def parse(text: str) -> str:
        if not text:
            if last is None:
                raise ValueError(say("need_stage", lang))
            return last.stage_code
        return pick(text)

    while True:
        stage = str(ask_until(question, parse, lang=lang, navigation=True, tries=None))
        try:
            with current.st.session() as session:
                check_entry(
                    session, RoundEntry(step.tag, step.plant_id, stage), current.plan.day, lang=lang
                )
            return stage
        except ObsError as err:
            complain(err.message, err.hint)


def _stage_text(code: str | None, lang: Lang) -> str:
    from schemas.stages import STAGES_BY_CODE

    return f"{code} {STAGES_BY_CODE[code].label(lang)}" if code in STAGES_BY_CODE else str(code)


def _last_line(last: LastObservation | None, lang: Lang) -> str:
    if last is None:
        return say("last_none", lang)
    return say(
        "last",
        lang,
        day=last.obs_date,
        stage=_stage_text(last.stage_code, lang),
        measure=_measure(
            last.percent, last.flowers_open, last.buds_unopened, last.flowers_withered, lang
        ),
    )


def _measure(percent: Any, open_: Any, unopened: Any, withered: Any, lang: Lang) -> str:
    counts = (open_, unopened, withered)
    if any(v is not None for v in counts):
        words = ("开", "蕾", "谢") if lang == "zh" else ("open", "unopened", "withered")
        parts = [f"{w} {'—' if v is None else v}" for w, v in zip(words, counts, strict=True)]
        return "，" + "／".join(parts) if lang == "zh" else ", " + " / ".join(parts)
    if percent is not None:
        return f"，{percent:g}%" if lang == "zh" else f", {percent:g} %"
    return ""


def _confirm_and_store(
    current: _Round, entries: list[RoundEntry], who: str, at: dt.time
) -> list[dict[str, Any]] | None:
    """The round as a table, one question, then one transaction."""
    from obs.rounds.store import store_round

    lang, plan = current.lang, current.plan
    show(
        render.table_text(
            _summary_rows(current),
            _SUMMARY_COLUMNS,
            _labels(lang),
            say("round_table", lang, plot=plan.plot, day=plan.day),
        )
    )
    if not _yes(lang):
        render.note(say("not_stored", lang))
        return None
    with current.st.session() as session:
        rows = store_round(
            session, plan, entries, observer=who, time=at, actor=current.st.settings.actor
        )
    render.note(
        say(
            "stored_round",
            lang,
            plot=plan.plot,
            day=plan.day,
            count=len(rows),
            first=rows[0]["id"],
            last=rows[-1]["id"],
        )
    )
    return rows


_SUMMARY_COLUMNS = ["plant", "stage", "open", "unopened", "withered", "percent", "note"]


def _labels(lang: Lang) -> dict[str, str]:
    zh = {
        "plant": "观测株",
        "stage": "发育期",
        "open": "开放花数",
        "unopened": "未开花蕾数",
        "withered": "凋谢花数",
        "percent": "百分率(%)",
        "note": "备注",
    }
    en = {
        "plant": "Plant",
        "stage": "Stage",
        "open": "Open",
        "unopened": "Unopened",
        "withered": "Withered",
        "percent": "Percent",
        "note": "Note",
    }
    return zh if lang == "zh" else en


def _summary_rows(current: _Round) -> list[dict[str, Any]]:
    rows = []
    for index, step in enumerate(current.plan.steps):
        entry = current.entries.get(index)
        if entry is None:
            mark = say("skipped", current.lang) if index in current.entries else "—"
            rows.append({"plant": step.tag, "stage": mark})
            continue
        rows.append(
            {
                "plant": step.tag,
                "stage": _stage_text(entry.stage_code, current.lang),
                "open": entry.flowers_open,
                "unopened": entry.buds_unopened,
                "withered": entry.flowers_withered,
                "percent": entry.percent,
                "note": entry.note,
            }
        )
    return rows


def _yes(lang: Lang) -> bool:
    def parse(text: str) -> bool:
        if text.lower() in {"y", "yes", "是"}:
            return True
        if text.lower() in {"n", "no", "否"}:
            return False
        raise ValueError(say("bad_yes_no", lang))

    return bool(ask_until(say("ask_store", lang), parse, lang=lang, tries=None))


def register(app: typer.Typer) -> None:
    """Add ``obs visit`` to the app."""
    app.command("visit")(visit)
