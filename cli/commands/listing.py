"""``obs list KIND``: stored records of any kind, narrowed by station, plot, season or year.

Tables: audit columns, notes and empty columns are left out; so are columns with the same value
in every row (a QC status 9 throughout, an "entered" flag always yes), named under the table.
Dates, codes and numbers never wrap: at a narrow terminal (e.g. 100 columns) the table folds
into parts that repeat id, plot, plant, stage and date. ``--wide`` shows every column in one
table. ``--format xlsx --output x.xlsx`` writes a workbook with the report conventions.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cli import render
from cli.commands.options import (
    BomOption,
    LangOption,
    OutputOption,
    SeasonOption,
    SheetFormatOption,
    StationOption,
    YearOption,
)
from cli.render import SheetFormat
from cli.state import state
from schemas.kinds import KINDS

#: The record kinds as a choice, so an unknown kind is a usage error (exit 2).
KindChoice = StrEnum("KindChoice", {name: name for name in KINDS})  # type: ignore[misc]

_AUDIT = ("created_by", "created_at", "deleted_at")
_COMMON_LABELS = ("id", "qc", "open_ratio", "unit", "pest_kind")


def show(
    ctx: typer.Context,
    kind_name: str,
    *,
    station: str | None = None,
    plot: str | None = None,
    plant: str | None = None,
    season: str | None = None,
    year: int | None = None,
    deleted: bool = False,
    fmt: SheetFormat = SheetFormat.table,
    output: OutputOption = None,
    lang: str | None = None,
    wide: bool = False,
    bom: bool | None = None,
) -> None:
    """List the records of one kind in the chosen format."""
    from obs import lookup
    from obs.records import listing
    from obs.seasons import parse_season
    from schemas.messages import message

    st = state(ctx)
    st.use_lang(lang)
    kind = lookup.kind_of(kind_name)
    filters = listing.Filters(
        station=station,
        plot=plot,
        plant=plant,
        year=year,
        season=parse_season(season) if season is not None else None,
        include_deleted=deleted,
    )
    with st.session() as session:
        rows = listing.list_records(kind_name, filters, session=session)
    lang = st.lang
    labels = {s.name: s.label(lang) for s in kind.fields}  # type: ignore[arg-type]
    labels.update({k: message(f"column.{k}", lang) for k in _COMMON_LABELS})
    columns = listing.columns_of(kind_name)
    if fmt in (SheetFormat.table, SheetFormat.xlsx, SheetFormat.pdf):
        from obs.vocab import humanize_rows

        rows = humanize_rows(kind, rows, lang)  # type: ignore[arg-type]
        columns = [
            c
            for c in columns
            if c not in _AUDIT and c != "note" and any(r.get(c) not in (None, "") for r in rows)
        ]
    render.emit(
        rows,
        fmt,
        output=output,
        columns=columns,
        labels=labels,
        title=kind.label(lang),  # type: ignore[arg-type]
        lang=lang,
        wide=wide,
        hide_constant=not wide,
        bom=bool(st.bom(bom)),
    )


def list_command(
    ctx: typer.Context,
    kind: Annotated[KindChoice, typer.Argument(help="Record kind.", show_default=False)],
    station: StationOption = None,
    plot: Annotated[str | None, typer.Option("--plot", help="Plot code.")] = None,
    plant: Annotated[str | None, typer.Option("--plant", help="Plant tag.")] = None,
    season: SeasonOption = None,
    year: YearOption = None,
    deleted: Annotated[bool, typer.Option("--deleted", help="Include deleted records.")] = False,
    fmt: SheetFormatOption = SheetFormat.table,
    output: OutputOption = None,
    lang: LangOption = None,
    wide: Annotated[
        bool, typer.Option("--wide", help="Show every column in one table (no folding).")
    ] = False,
    bom: BomOption = None,
) -> None:
    """List stored records of one kind.

    Example: obs list phenology --station 57511 --season 2024/25 --format json
    """
    show(
        ctx,
        str(kind),
        station=station,
        plot=plot,
        plant=plant,
        season=season,
        year=year,
        deleted=deleted,
        fmt=fmt,
        output=output,
        lang=lang,
        wide=wide,
        bom=bom,
    )


def register(app: typer.Typer) -> None:
    """Add ``obs list`` to the app."""
    app.command("list")(list_command)
