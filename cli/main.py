"""The ``obs`` command: global options, the one error boundary, and the command groups.

Exit codes: 0 ok · 1 error (``Error:`` and ``Hint:`` on stderr) · 2 usage · 3 data failed
QC · 130 interrupted.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cli import render
from cli.exit_codes import ExitCode
from cli.state import State

__version__ = "0.1.0"


class ObsGroup(TyperGroup):
    """Turns every ObsError raised below into ``Error:``/``Hint:`` and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        from obs.errors import ObsError

        try:
            return super().invoke(ctx)
        except ObsError as err:
            if isinstance(ctx.obj, State) and ctx.obj.debug:
                raise
            render.error(err.message, err.hint)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            render.error("interrupted; nothing of the unfinished command was written")
            raise typer.Exit(ExitCode.INTERRUPTED) from None


app = typer.Typer(
    cls=ObsGroup,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=(
        "Record, validate and report wintersweet (蜡梅) agrometeorological observations.\n\n"
        "Exit codes: 0 ok, 1 error, 2 usage, 3 data failed QC, 130 interrupted."
    ),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"obs {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database: a file path (SQLite) or a URL such as "
            "postgresql+psycopg://user@host/obs. Default: $OBS_DB, the config file, or "
            "obs.db in the user data folder.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Labels in human output: zh or en (default $OBS_LANG or zh).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Global options go before the command: obs --db station.db --lang en list phenology."""
    ctx.obj = State(db=db, lang_option=lang, debug=debug)
    ctx.call_on_close(ctx.obj.close)


#: Command modules in help order; any other module of cli/commands with a ``register(app)``
#: function is added after these.
COMMAND_ORDER = (
    "basics",
    "sites",
    "record",
    "importing",
    "listing",
    "amend",
    "validate",
    "stages",
    "report",
    "forecast",
    "exchange",
)


def _register() -> None:
    import importlib
    import pkgutil

    from cli import commands

    found = [m.name for m in pkgutil.iter_modules(commands.__path__)]
    ordered = [n for n in COMMAND_ORDER if n in found] + sorted(set(found) - set(COMMAND_ORDER))
    for name in ordered:
        module = importlib.import_module(f"cli.commands.{name}")
        if hasattr(module, "register"):
            module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
