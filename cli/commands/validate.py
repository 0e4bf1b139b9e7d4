"""``obs validate``: run the QC checks over stored data and show what they flagged."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.commands.options import (
    FormatOption,
    OutputOption,
    SeasonOption,
    StationOption,
    YearOption,
)
from cli.render import OutputFormat
from cli.state import state
from schemas.messages import has, message

if TYPE_CHECKING:
    from obs.qc.driver import ValidationSummary

_FLAG_COLUMNS = [
    "kind",
    "record_id",
    "station",
    "when",
    "element",
    "value",
    "flag",
    "check_name",
    "reason",
]


class QCKind(StrEnum):
    """Record kinds the QC checks cover."""

    daily = "daily"
    subdaily = "subdaily"
    phenology = "phenology"


def validate(
    ctx: typer.Context,
    station: StationOption = None,
    season: SeasonOption = None,
    year: YearOption = None,
    kind: Annotated[
        list[QCKind] | None, typer.Option("--kind", help="Only this kind (repeat for more).")
    ] = None,
    list_checks: Annotated[
        bool, typer.Option("--list-checks", help="List the checks and exit.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Run the QC checks over stored data; exit 3 when errors are found.

    Flags are stored next to the values (raw values never change) and replace those of an
    earlier run; suspect values alone exit 0 with a warning.

    Example: obs validate --station 57511 --season 2024 --format json
    """
    from obs.errors import UsageError

    st = state(ctx)
    if list_checks:
        from obs.qc.registry import describe_checks

        rows = describe_checks(st.lang).to_dict("records")
        columns = ["kind", "name", "elements", "description"]
        render.emit(
            rows,
            fmt,
            output=output,
            columns=columns,
            labels=_labels(columns, st.lang),
            title=message("title.qc_checks", st.lang),
            lang=st.lang,
        )
        return
    if season is not None and year is not None:
        raise UsageError("give --season or --year, not both")
    from obs.qc.driver import validate as run
    from obs.qc.settings import configured_rules
    from obs.seasons import parse_season

    kinds = [k.value for k in kind] if kind else ["daily", "subdaily", "phenology"]
    with st.session() as session:
        summary = run(
            session=session,
            station=station,
            season=parse_season(season) if season else None,
            year=year,
            kinds=kinds,
            rules=configured_rules(),
        )
    _show(summary, fmt, output, st.lang)
    if summary.errors:
        render.warning(message("warn.qc_errors", st.lang, n=summary.errors), st.lang)
        raise typer.Exit(3)
    if summary.suspects:
        render.warning(message("warn.qc_suspects", st.lang, n=summary.suspects), st.lang)


def _labels(columns: list[str], lang: str) -> dict[str, str]:
    """Column labels of the catalogue (``column.<name>``) in ``lang``."""
    return {c: message(f"column.{c}", lang) for c in columns if has(f"column.{c}")}


def _show(summary: ValidationSummary, fmt: OutputFormat, target: Path | None, lang: str) -> None:
    if fmt is OutputFormat.json:
        data = {
            "checked": summary.checked,
            "summary": summary.summary_rows(),
            "flags": summary.flags,
            "flags_total": summary.flags_total,
        }
        render.write_out(render.to_json(data), target)
        return
    if fmt is OutputFormat.csv:
        render.emit(summary.flags, fmt, output=target, columns=_FLAG_COLUMNS)
        return
    checked = ", ".join(f"{k} {n}" for k, n in summary.checked.items())
    summary_columns = ["kind", "check_name", "flag", "count"]
    text = render.table_text(
        summary.summary_rows(),
        summary_columns,
        _labels(summary_columns, lang),
        message("title.qc_summary", lang, checked=checked),
        to_file=target is not None,
        lang=lang,
    )
    text += "\n" + render.table_text(
        summary.flags,
        _FLAG_COLUMNS,
        _labels(_FLAG_COLUMNS, lang),
        message("title.qc_flags", lang),
        to_file=target is not None,
        lang=lang,
    )
    render.write_out(text, target)


def register(app: typer.Typer) -> None:
    """Add ``obs validate`` to the app."""
    app.command("validate")(validate)
