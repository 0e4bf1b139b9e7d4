"""The shared body of every command that stores one new record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli import render
from cli.prompts import fill_missing
from cli.render import OutputFormat
from cli.state import state
from schemas.kinds import KINDS


def store(
    ctx: typer.Context,
    kind_name: str,
    raw: dict[str, Any],
    fmt: OutputFormat | None,
    output: Path | None,
) -> None:
    """Prompt for what is missing, store one record in one transaction, report it."""
    from obs.records import create as records
    from obs.records.entry import option_name

    st = state(ctx)
    kind = KINDS[kind_name]
    fill_missing(kind, raw, lang=st.lang, option_name=option_name)  # type: ignore[arg-type]
    with st.session() as session:
        created = records.create(kind_name, raw, session=session, actor=st.settings.actor)
    for message in created.warnings:
        render.warning(message)
    row = created.row
    key = " ".join(str(row[k]) for k in kind.key if row.get(k) is not None)
    render.note(f"stored {kind.name} #{row['id']} ({kind.label(st.lang)}): {key}")  # type: ignore[arg-type]
    if fmt is not None:
        render.emit_record(row, fmt, output=output, title=f"{kind.name} #{row['id']}")
