"""``obs demo``: build a demo database and show its latest season."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.commands.report import LangOption, report_lang, terminal_text
from cli.state import end_startup


def demo(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Option(
            "--path",
            help="Demo database file (default: --db or $OBS_DB when given, else "
            "obs-demo.db); an earlier demo there is replaced, any other file is left alone.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    seasons: Annotated[
        int, typer.Option("--seasons", help="Number of seasons (1–40), ending with 2024/25.")
    ] = 6,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives the same data.")
    ] = 1,
    lang: LangOption = None,
) -> None:
    """Build a demo database (station 57511, plot JG-A) and print its latest season report.

    Example: obs demo --path obs-demo.db --seasons 6
    """
    from obs.db import make_engine, session_scope
    from obs.demo import build_demo
    from obs.reports import season_report

    chosen = report_lang(ctx, lang)
    path = _demo_path(ctx, path)
    end_startup()  # the modules are loaded; this command opens its database itself
    result = build_demo(path, seasons=seasons, seed=seed)
    engine = make_engine(str(path))
    try:
        with session_scope(engine) as session:
            report = season_report(
                session=session, season=result.last_season, station=result.station
            )
    finally:
        engine.dispose()
    render.write_out(terminal_text(report, chosen), None)
    render.note(
        f"built {path}: {len(result.seasons)} seasons, {result.daily_rows} days of "
        f"weather, {result.hourly_rows} hourly values, {result.observations} "
        "observations"
    )
    render.note(
        f"explore: obs --db {path} report year {result.last_season} --station "
        f"{result.station}   ·   obs --db {path} report season "
        f"{result.last_season} --format md --chart season.png"
    )


def _demo_path(ctx: typer.Context, path: Path | None) -> Path:
    """The demo file: ``--path``, else ``--db`` / ``$OBS_DB`` (a file), else obs-demo.db."""
    import os

    from cli.state import state
    from obs.db import to_url
    from obs.errors import UsageError

    given = state(ctx).db or os.environ.get("OBS_DB") or None
    if given is None:
        return path or Path("obs-demo.db")
    url = to_url(given)
    if not url.startswith("sqlite:///") or url.startswith("sqlite:///file:"):
        raise UsageError(
            f"obs demo builds a SQLite file; {'--db' if state(ctx).db else 'OBS_DB'} names "
            "a server or an in-memory database",
            hint="give a file: obs --db obs-demo.db demo (or --path FILE)",
        )
    chosen = Path(url[len("sqlite:///") :].partition("?")[0])
    if path is not None and path.expanduser().resolve() != chosen:
        raise UsageError(
            f"--path {path} and --db {chosen} name different files", hint="give only one"
        )
    return chosen


def register(app: typer.Typer) -> None:
    """Add ``obs demo`` to the app."""
    app.command("demo")(demo)
