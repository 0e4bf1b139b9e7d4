"""``obs amend``, ``obs history``, ``obs delete``, ``obs restore``: corrections that keep the
old values."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli import render
from cli.commands.options import FormatOption, OutputOption
from cli.render import OutputFormat
from cli.state import state
from schemas.kinds import KINDS

KindArgument = Annotated[str, typer.Argument(help="Record kind: " + ", ".join(KINDS) + ".")]
IdArgument = Annotated[int, typer.Argument(help="Record id (the id column of obs list).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (kept in the history).")]


def amend(
    ctx: typer.Context,
    kind: KindArgument,
    record_id: IdArgument,
    reason: ReasonOption,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="FIELD=VALUE to change (repeatable; an empty VALUE clears the field).",
            show_default=False,
        ),
    ] = None,
    revert: Annotated[
        int | None,
        typer.Option(
            "--revert",
            help="Restore the values of version N (see obs history).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Also print the amended record on stdout (table, csv or json).",
            case_sensitive=False,
        ),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Correct a record; the old values stay in its history.

    Example: obs amend phenology 12 --set obs_date=2024-12-21 --reason "typo on the sheet"
    """
    from obs.errors import UsageError
    from obs.records import amend as A

    if (revert is None) == (not assignments):
        raise UsageError(
            "give either --set FIELD=VALUE or --revert N",
            hint=f"e.g. obs amend {kind} {record_id} --set note=… --reason …",
        )
    st = state(ctx)
    with st.session() as session:
        if revert is not None:
            done = A.revert(
                kind, record_id, revert, reason=reason, session=session, actor=st.settings.actor
            )
        else:
            done = A.amend(
                kind,
                record_id,
                A.parse_assignments(kind, assignments or []),
                reason=reason,
                session=session,
                actor=st.settings.actor,
            )
    for message in done.warnings:
        render.warning(message)
    shown = "; ".join(f"{k}: {_v(v[0])} → {_v(v[1])}" for k, v in done.changes.items())
    render.note(f"amended {kind} #{record_id} (version {done.version}): {shown}")
    if fmt is not None:
        render.emit_record(done.row, fmt, output=output, title=f"{kind} #{record_id}")


def _v(value: Any) -> str:
    return "∅" if value is None else str(value)


def history(
    ctx: typer.Context,
    kind: KindArgument,
    record_id: IdArgument,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Show every version of a record: who changed what, when and why.

    Version 1 is the record as first stored; each change adds one.

    Example: obs history phenology 12 --format json
    """
    from obs.lookup import kind_of
    from obs.records.history import history_chain
    from schemas.messages import has, message

    st = state(ctx)
    with st.session() as session:
        chain = history_chain(kind, record_id, session=session)
        offset = station_offset(session)
    if fmt is OutputFormat.json:
        render.emit(chain, fmt, output=output)
        return
    lang = st.lang
    rows = [
        {
            **v,
            "at": local_time(v["at"], offset, lang),
            "action": message(f"action.{v['action']}", lang)
            if has(f"action.{v['action']}")
            else v["action"],
            "changes": "; ".join(f"{k}: {_v(o)} → {_v(n)}" for k, (o, n) in v["changes"].items()),
        }
        for v in chain
    ]
    columns = ["version", "action", "at", "actor", "reason", "changes"]
    render.emit(
        rows,
        fmt,
        output=output,
        title=message("title.history", lang, kind=kind_of(kind).label(lang), id=record_id),
        columns=columns,
        labels={c: message(f"column.{c}", lang) for c in columns},
        lang=lang,
    )


#: The station time of a database without stations (or with several offsets): Beijing time.
BEIJING_HOURS = 8.0


def station_offset(session: Any) -> float:
    """Hours east of UTC of the database's stations when they share one, else Beijing time."""
    from sqlmodel import select

    from schemas.site_tables import Station

    offsets = set(session.exec(select(Station.utc_offset_hours)).all())
    return float(offsets.pop()) if len(offsets) == 1 else BEIJING_HOURS


def local_time(stamp: Any, offset_hours: float, lang: str) -> str:
    """A stored UTC time (ISO text or datetime) as station time to the second, zone shown:
    ``2026-12-03 20:15:07 北京时`` (UTC+8), else ``… UTC+7``."""
    import datetime as dt

    from schemas.messages import message

    if stamp in (None, ""):
        return ""
    when = stamp if isinstance(stamp, dt.datetime) else dt.datetime.fromisoformat(str(stamp))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone(dt.timezone(dt.timedelta(hours=offset_hours)))
    if offset_hours == BEIJING_HOURS:
        zone = message("zone.beijing", lang)
    else:
        zone = message("zone.offset", lang, offset=f"{offset_hours:+g}")
    return f"{local:%Y-%m-%d %H:%M:%S} {zone}"


def delete(
    ctx: typer.Context, kind: KindArgument, record_id: IdArgument, reason: ReasonOption
) -> None:
    """Hide a record from listings and reports; it stays in history.

    Restore it with obs restore.

    Example: obs delete phenology 12 --reason "entered twice"
    """
    from obs.records.deletion import delete_record

    st = state(ctx)
    with st.session() as session:
        delete_record(kind, record_id, reason=reason, session=session, actor=st.settings.actor)
    render.note(
        f"deleted {kind} #{record_id} (restore with: obs restore {kind} {record_id} --reason …)"
    )


def restore(
    ctx: typer.Context, kind: KindArgument, record_id: IdArgument, reason: ReasonOption
) -> None:
    """Bring a deleted record back.

    Example: obs restore phenology 12 --reason "deleted by mistake"
    """
    from obs.records.deletion import restore_record

    st = state(ctx)
    with st.session() as session:
        restore_record(kind, record_id, reason=reason, session=session, actor=st.settings.actor)
    render.note(f"restored {kind} #{record_id}")


def register(app: typer.Typer) -> None:
    """Add ``obs amend``, ``obs history``, ``obs delete`` and ``obs restore`` to the app."""
    app.command("amend")(amend)
    app.command("history")(history)
    app.command("delete")(delete)
    app.command("restore")(restore)
