"""The shared body of every command that stores one new record.

At a terminal, ``obs record phenology`` checks the plant before asking anything else, asks the
date, the stage, the counts (or percent) the stage uses and the observer, and asks the stage
again after a stage-order refusal; ``obs record weather`` asks the elements when none is given.
The observer is ``--observer``, else ``OBS_OBSERVER``, else the config's ``observer``; a record
stored with an empty observer gets a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli import render
from cli.prompts import ask_field, ask_line, complain, fill_missing, interactive
from cli.render import OutputFormat
from cli.state import State, state
from schemas.kinds import KINDS
from schemas.rounds_text import say

if TYPE_CHECKING:
    from obs.errors import ObsError
    from obs.records.create import Created


def store(
    ctx: typer.Context,
    kind_name: str,
    raw: dict[str, Any],
    fmt: OutputFormat | None,
    output: Path | None,
) -> None:
    """Prompt for what is missing, store one record in one transaction, report it."""
    from obs.records.entry import option_name

    st = state(ctx)
    kind = KINDS[kind_name]
    lang = st.lang
    if kind_name == "phenology" and interactive():
        _check_plant(st, raw)
    fill_missing(kind, raw, lang=lang, option_name=option_name)  # type: ignore[arg-type]
    if interactive():
        _ask_extras(st, kind_name, raw)
    if any(s.name == "observer" for s in kind.fields):
        raw["observer"] = resolve_observer(st, raw.get("observer"), ask=kind_name == "phenology")
    created = _create(st, kind_name, raw)
    for message in created.warnings:
        render.warning(message)
    row = created.row
    key = " ".join(str(row[k]) for k in kind.key if row.get(k) is not None)
    render.note(f"stored {kind.name} #{row['id']} ({kind.label(lang)}): {key}")  # type: ignore[arg-type]
    if fmt is not None:
        render.emit_record(row, fmt, output=output, title=f"{kind.name} #{row['id']}")


def resolve_observer(st: State, given: object, *, ask: bool) -> str:
    """``--observer``, else OBS_OBSERVER or the config's; asked at a terminal when ``ask``
    (Enter keeps the default); a warning when it stays empty."""
    observer = str(given or "").strip() or st.settings.observer
    if ask and interactive() and not str(given or "").strip():
        observer = ask_line(say("ask_observer", st.lang), observer or None).strip()
    if not observer:
        render.warning(say("no_observer", st.lang))
    return observer


def _check_plant(st: State, raw: dict[str, Any]) -> None:
    """At a terminal: the plant first (asked until it names a live plant)."""
    from obs.errors import NotFoundError
    from obs.lookup import live_ref

    spec = KINDS["phenology"].field("plant")
    while True:
        if not str(raw.get("plant") or "").strip():
            raw["plant"] = ask_field(spec, st.lang)
        try:
            with st.session() as session:
                live_ref(session, "plant", str(raw["plant"]).strip())
            return
        except NotFoundError:
            complain(say("bad_plant", st.lang, answer=raw["plant"]), say("ask_again", st.lang))
            raw["plant"] = None


def _ask_extras(st: State, kind_name: str, raw: dict[str, Any]) -> None:
    """The values a person at a terminal is also asked for (counts; weather elements)."""
    from obs.rounds.plan import uses_counts

    kind, lang = KINDS[kind_name], st.lang
    if kind_name == "phenology":
        names = ("flowers_open", "buds_unopened", "flowers_withered", "percent")
        if not any(raw.get(n) not in (None, "") for n in names):
            wanted = names[:3] if uses_counts(_stage_code(raw["stage_code"])) else names[3:]
            for name in wanted:
                raw[name] = ask_field(kind.field(name), lang, optional=True) or None
    elif kind_name == "weather":
        codes = list(PROMPTED_ELEMENTS)
        while not any(raw.get(c) not in (None, "") for c in codes):
            for code in codes:
                raw[code] = ask_field(kind.field(code), lang, optional=True) or None
            if not any(raw.get(c) not in (None, "") for c in codes):
                complain(say("need_element", lang))


#: The daily elements a person at a terminal is asked for (the others are given as options).
PROMPTED_ELEMENTS = ("t_max", "t_min", "t_mean", "precip", "rh_mean", "sunshine", "wind_mean")


def _order_message(st: State, raw: dict[str, Any], err: ObsError) -> tuple[str, str | None]:
    """The stage-order refusal in the chosen language, naming the contradicted record."""
    from obs.errors import ObsError
    from obs.lookup import live_ref
    from obs.records.parse import parse_date
    from obs.rounds.store import RoundEntry, StageOrderError, check_entry

    try:
        with st.session() as session:
            plant = live_ref(session, "plant", str(raw["plant"]).strip())
            entry = RoundEntry(plant.tag, plant.id, _stage_code(raw["stage_code"]))
            check_entry(session, entry, parse_date("--date", raw["obs_date"]), lang=st.lang)
    except StageOrderError as refusal:
        return refusal.message, refusal.hint
    except ObsError:
        pass
    return err.message, err.hint


def _stage_code(text: object) -> str:
    from obs.errors import ObsError
    from obs.records.parse import parse_code
    from schemas.stages import STAGES

    try:
        return parse_code("--stage", text, STAGES, "stages")
    except ObsError:
        return str(text)


def _create(st: State, kind_name: str, raw: dict[str, Any]) -> Created:
    """Store in one transaction; at a terminal a stage-order refusal asks the stage again."""
    from obs.errors import InvalidValueError
    from obs.records import create as records

    while True:
        try:
            with st.session() as session:
                return records.create(kind_name, raw, session=session, actor=st.settings.actor)
        except InvalidValueError as err:
            order = kind_name == "phenology" and err.field == "--stage"
            if not (order and interactive()):
                raise
            complain(*_order_message(st, raw, err))
            raw["stage_code"] = ask_field(KINDS[kind_name].field("stage_code"), st.lang)
