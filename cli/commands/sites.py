"""``obs station|plot|plant add|list``: where observations are made."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

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
        "Add marked plants (观测株); their cultivar is the plot's unless given and never changes.",
        "obs plant add A-01..A-20 B-01 --plot JG-A",
    ),
}


def _group(name: str) -> typer.Typer:
    from obs.records.entry import option_aliases, option_name

    group = typer.Typer(
        help=f"{KINDS[name].en}s ({KINDS[name].zh}): add and list.", no_args_is_help=True
    )
    positional, summary, example = _ADD[name]
    doc = f"{summary}\n\nExample: {example}"
    add = kind_command(
        KINDS[name],
        lambda ctx, raw, fmt, output: store(ctx, name, raw, fmt, output),
        doc=doc,
        positional=positional,
        option_name=option_name,
        option_aliases=option_aliases,
    )
    group.command("add")(_many_tags(add) if name == "plant" else add)

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


def _many_tags(command: Any) -> Any:
    """``obs plant add``: several tags and ranges (A-01..A-20), stored in one transaction."""
    signature = inspect.signature(command)
    marker = typer.Argument(
        help="Plant tags, and ranges such as A-01..A-20 (zero padding kept).", show_default=False
    )
    params = [
        p.replace(annotation=Annotated[list[str] | None, marker]) if p.name == "tag" else p
        for p in signature.parameters.values()
    ]

    def add_plants(**kwargs: Any) -> None:
        ctx, tags = kwargs.pop("ctx"), kwargs.pop("tag") or []
        fmt, output = kwargs.pop("fmt"), kwargs.pop("output")
        if len(tags) == 1 and ".." not in tags[0]:
            store(ctx, "plant", {**kwargs, "tag": tags[0]}, fmt, output)
        else:
            _store_plants(ctx, tags, kwargs)

    add_plants.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    add_plants.__doc__ = command.__doc__
    return add_plants


def _store_plants(ctx: typer.Context, items: list[str], raw: dict[str, Any]) -> None:
    from cli import render
    from cli.state import state
    from obs.records.create import create
    from obs.rounds.tags import expand_tags
    from schemas.rounds_text import say

    st = state(ctx)
    tags = expand_tags(items, lang=st.lang)
    with st.session() as session:
        created = [
            create("plant", {**raw, "tag": t}, session=session, actor=st.settings.actor)
            for t in tags
        ]
    for message in dict.fromkeys(m for c in created for m in c.warnings):
        render.warning(message)
    shown = f"{tags[0]}…{tags[-1]}" if len(tags) > 3 else " ".join(tags)
    render.note(say("stored_plants", st.lang, count=len(tags), tags=shown))


def register(app: typer.Typer) -> None:
    """Add ``obs station``, ``obs plot`` and ``obs plant`` to the app."""
    for name in ("station", "plot", "plant"):
        app.add_typer(_group(name), name=name)
