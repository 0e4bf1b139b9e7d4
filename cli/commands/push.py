"""``obs push --to URL``: send this database to the central one."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cli import render
from cli.commands.options import FormatOption, OutputOption
from cli.render import OutputFormat
from cli.state import state


def push(
    ctx: typer.Context,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The central database URL, e.g. postgresql+psycopg://obs@server/obs "
            "(a password is better kept in ~/.pgpass or PGPASSWORD).",
            show_default=False,
        ),
    ],
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Compare every record with the central database, not only those new or "
            "changed since the last push to it.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Send this database's records to a central database, idempotently.

    Stations, plots, plants, observations, weather, QC flags and history, in bulk; only what
    is new or changed since the last push to the same central database is sent (--full
    compares everything), and a second push changes nothing. A station, plot or plant entered
    in both databases (same code and attributes, another uid) is adopted: the records go under
    the central one.

    Example: obs --db station.db push --to postgresql+psycopg://obs@central/obs
    """
    from obs.db import safe_url, to_url
    from obs.errors import UsageError
    from obs.exchange.push import push_database

    st = state(ctx)
    if to_url(to) == to_url(st.settings.db):
        raise UsageError("--to names this database itself", hint="give the central database")
    counts = push_database(st.engine, to, actor=st.settings.actor, full=full)
    render.note(f"pushed to {safe_url(to_url(to))}")
    adopted = {c.table: c.adopted for c in counts if c.adopted}
    if adopted:
        shown = ", ".join(f"{n} {t}" for t, n in adopted.items())
        render.note(f"adopted central records with the same code and attributes: {shown}")
    render.emit([asdict(c) for c in counts], fmt, output=output, title="push")


def register(app: typer.Typer) -> None:
    """Add ``obs push`` to the app."""
    app.command("push")(push)
