"""``obs record KIND``: one observation of any kind of the standard, from flags or prompts."""

from __future__ import annotations

import typer

from cli.commands.entry import store
from cli.commands.options import kind_command
from schemas.kinds import KINDS, RECORD_KINDS

EXAMPLES = {
    "phenology": "obs record phenology --plant A-01 --date 2024-12-20 --stage FLF "
    "--open 30 --unopened 12 --withered 2 --observer 王芳",
    "status": "obs record status --plot JG-A --date 2024-12-28 --stage FLF --class 1 "
    "--basis '花大色正，受害株<10%'",
    "growth": "obs record growth --plant A-01 --date 2025-01-10 --item plant_height --value 235",
    "yield": "obs record yield --plot JG-A --date 2025-01-05 --item cut_branch_stems --value 1800",
    "disaster": "obs record disaster --plot JG-A --date 2025-01-12 --disaster FREEZE "
    "--start 2025-01-10 --end 2025-01-11 --plants-affected-pct 35",
    "pest": "obs record pest --plot JG-A --date 2024-06-12 --pest APHID --incidence-pct 12",
    "fieldwork": "obs record fieldwork --plot JG-A --item PRUNE_WINTER --start 2025-02-20 "
    "--quality 3",
    "weather": "obs record weather --station 57511 --date 2024-12-20 --tmax 12.4 --tmin 3.1 "
    "--tmean 7.0 --precip 0.4 --sunshine 3.2",
}

record_app = typer.Typer(
    help="Record one observation of the standard's kinds.", no_args_is_help=True
)


def _handler(kind_name: str):  # type: ignore[no-untyped-def]
    return lambda ctx, raw, fmt, output: store(ctx, kind_name, raw, fmt, output)


def register(app: typer.Typer) -> None:
    """Add ``obs record …`` to the app."""
    from obs.records.entry import option_name

    for name in RECORD_KINDS:
        kind = KINDS[name]
        doc = (
            f"Record one {kind.en.lower()} observation ({kind.zh}).\n\n"
            f"A missing required value is asked for at a terminal.\n\n"
            f"Example: {EXAMPLES[name]}"
        )
        record_app.command(name)(
            kind_command(kind, _handler(name), doc=doc, option_name=option_name)
        )
    app.add_typer(record_app, name="record")
