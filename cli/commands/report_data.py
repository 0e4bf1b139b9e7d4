"""``obs report completeness`` and ``obs report observers``: reports on the data itself."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cli import render
from cli.commands.options import FormatOption, OutputOption, StationOption, YearOption
from cli.commands.report_group import report_app
from cli.render import OutputFormat
from cli.state import state
from schemas.messages import has, message


class Section(StrEnum):
    """Parts of the completeness report."""

    all = "all"
    weather = "weather"
    visits = "visits"
    gaps = "gaps"


def completeness(
    ctx: typer.Context,
    year: Annotated[int, typer.Option("--year", help="Calendar year.")],
    station: StationOption = None,
    section: Annotated[
        Section, typer.Option("--section", help="Which part (csv needs one part).")
    ] = Section.all,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Days with weather per element and month, visits per plant and month, and the gaps.

    Example: obs report completeness --year 2024 --station 57511 --format json
    """
    from dataclasses import asdict

    from obs.errors import UsageError
    from obs.reports.audit import completeness as build

    if fmt is OutputFormat.csv and section is Section.all:
        raise UsageError("csv holds one table: add --section weather|visits|gaps")
    with state(ctx).session() as session:
        parts = asdict(build(year, session=session, station=station))
    chosen = list(parts) if section is Section.all else [section.value]
    if fmt is OutputFormat.json:
        data = {k: parts[k] for k in chosen} if section is Section.all else parts[chosen[0]]
        render.write_out(render.to_json(data), output)
        return
    lang = state(ctx).lang
    text = "\n".join(
        _text(parts[k], fmt, message(f"title.completeness_{k}", lang, year=year), lang)
        for k in chosen
    )
    render.write_out(text, output)


def _element(code: str, lang: str) -> str:
    from obs.reports.labels import cell_text

    return (
        message(f"column.{code}", lang)
        if has(f"column.{code}")
        else cell_text("element", code, lang)
    )


def _labels(columns: list[str], lang: str) -> dict[str, str]:
    return {c: message(f"column.{c}", lang) for c in columns if has(f"column.{c}")}


def _text(rows: list[dict[str, object]], fmt: OutputFormat, title: str, lang: str) -> str:
    columns = list(rows[0]) if rows else []
    if fmt is OutputFormat.csv:
        return render.to_csv(rows, columns)
    shown = [
        {**r, "element": _element(str(r["element"]), lang)} if "element" in r else r for r in rows
    ]
    return render.table_text(shown, columns, _labels(columns, lang), title, lang=lang)


def observers(
    ctx: typer.Context,
    year: YearOption = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Records entered per observer, records amended later, QC errors per 1000 values (错情).

    Example: obs report observers --year 2024 --format csv
    """
    from obs.reports.audit import observers as build

    st = state(ctx)
    with st.session() as session:
        rows = build(session=session, year=year)
    lang = st.lang
    title = (
        message("title.observers_year", lang, year=year)
        if year
        else message("title.observers", lang)
    )
    if fmt is OutputFormat.table:
        auto = message("observer.automatic", "en")
        rows = [
            {**r, "observer": message("observer.automatic", lang)} if r.get("observer") == auto
            else r
            for r in rows
        ]  # fmt: skip
    columns = list(rows[0]) if rows else []
    render.emit(rows, fmt, output=output, title=title, labels=_labels(columns, lang), lang=lang)


def register(app: typer.Typer) -> None:
    """Add ``completeness`` and ``observers`` to ``obs report`` (added by report_group)."""
    report_app.command("completeness")(completeness)
    report_app.command("observers")(observers)
