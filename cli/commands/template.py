"""``obs template KIND --plot P``: a blank field sheet for a round, read back by
``obs import observations``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.commands.options import LangOption
from cli.state import state


class SheetFormat(StrEnum):
    """Formats of a field sheet."""

    csv = "csv"
    xlsx = "xlsx"


def template(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="phenology, growth, yield, status, pest, disaster or fieldwork.",
            show_default=False,
        ),
    ],
    plot: Annotated[str, typer.Option("--plot", help="Plot code of the round.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.", dir_okay=False)],
    date: Annotated[
        str | None, typer.Option("--date", help="Prefill this date (YYYY-MM-DD).")
    ] = None,
    fmt: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="csv or xlsx.", case_sensitive=False)
    ] = SheetFormat.csv,
    lang: LangOption = None,
) -> None:
    """Write a blank field sheet (CSV or XLSX) for a round that obs import observations reads.

    One row per live plant (tag prefilled) for phenology and growth, one row for the plot for
    the per-plot kinds; headers are the Chinese label and the field name; an example row is a
    comment (CSV) or a second sheet (XLSX).

    Example: obs template phenology --plot JG-A --date 2024-12-20 --format xlsx -o round.xlsx
    """
    from obs.records.parse import parse_date
    from obs.rounds.template import template_rows, write_template

    st = state(ctx)
    st.use_lang(lang)
    day = parse_date("--date", date) if date else None
    with st.session() as session:
        found, rows = template_rows(session, kind, plot, day, lang=st.lang)
    write_template(output, found, rows, fmt.value, plot=plot)
    words = "已写入空白记录表" if st.lang == "zh" else "wrote a blank sheet"
    render.note(f"{words} {output} ({found.label(st.lang)}, {len(rows)})")


def register(app: typer.Typer) -> None:
    """Add ``obs template`` to the app."""
    app.command("template")(template)
