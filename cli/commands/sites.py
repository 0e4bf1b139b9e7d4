"""``obs station|plot|plant add|list``: where observations are made."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.commands.entry import store
from cli.commands.listing import show
from cli.commands.options import (
    FormatOption,
    LangOption,
    OutputOption,
    StationOption,
    kind_command,
)
from cli.render import OutputFormat
from schemas.kinds import KINDS

_ADD = {
    "station": (
        "code",
        "Add an observation station (观测站).",
        "obs station add 57511 --name 北碚 --lat 29.83 --lon 106.45 --elevation 240.8",
    ),
    "plot": (
        "code",
        "Add an observation plot (观测地段) of one cultivar at a station.",
        "obs plot add JG-A --station 57511 --cultivar SUXIN --name 静观镇素心蜡梅园",
    ),
    "plant": (
        "tag",
        "Add a marked plant (观测株); its cultivar is the plot's unless given and never changes.",
        "obs plant add A-01 --plot JG-A",
    ),
}


def _group(name: str) -> typer.Typer:
    from obs.records.entry import option_aliases, option_name

    group = typer.Typer(
        help=f"{KINDS[name].en}s ({KINDS[name].zh}): add and list.", no_args_is_help=True
    )
    positional, summary, example = _ADD[name]
    doc = f"{summary}\n\nExample: {example}"
    group.command("add")(
        kind_command(
            KINDS[name],
            lambda ctx, raw, fmt, output: store(ctx, name, raw, fmt, output),
            doc=doc,
            positional=positional,
            option_name=option_name,
            option_aliases=option_aliases,
        )
    )

    def list_cmd(
        ctx: typer.Context,
        station: StationOption = None,
        plot: Annotated[str | None, typer.Option("--plot", help="Plot code.")] = None,
        deleted: Annotated[bool, typer.Option("--deleted", help="Include deleted.")] = False,
        fmt: FormatOption = OutputFormat.table,
        output: OutputOption = None,
        lang: LangOption = None,
    ) -> None:
        show(
            ctx,
            name,
            station=station,
            plot=plot,
            deleted=deleted,
            fmt=fmt,
            output=output,
            lang=lang,
        )

    list_cmd.__doc__ = f"List {KINDS[name].en.lower()}s.\n\nExample: obs {name} list --format json"
    group.command("list")(list_cmd)
    return group


def register(app: typer.Typer) -> None:
    """Add ``obs station``, ``obs plot`` and ``obs plant`` to the app."""
    for name in ("station", "plot", "plant"):
        app.add_typer(_group(name), name=name)
