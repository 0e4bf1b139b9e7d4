"""``obs init`` and ``obs vocab``."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.commands.options import FormatOption, LangOption, OutputOption
from cli.render import OutputFormat
from cli.state import state


def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it to this version's schema. Safe to run twice.

    Example: obs --db station.db init
    """
    from obs.db import safe_url, to_url, upgrade

    st = state(ctx)
    revision = upgrade(st.creating_engine())
    render.note(f"database ready: {safe_url(to_url(st.settings.db))} (schema {revision})")


def vocab(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="Vocabulary: stages, disasters, pests, cultivars, elements, … (omit to list them)."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Show the standard's vocabularies with Chinese and English labels.

    Example: obs vocab stages --format json
    """
    from obs.vocab import vocabulary_names, vocabulary_rows

    st = state(ctx)
    st.use_lang(lang)
    rows = vocabulary_rows(name, st.lang) if name else vocabulary_names()  # type: ignore[arg-type]
    render.emit(rows, fmt, output=output, title=name or "vocabularies")


def register(app: typer.Typer) -> None:
    """Add ``obs init`` and ``obs vocab`` to the app."""
    app.command("init")(init)
    app.command("vocab")(vocab)
