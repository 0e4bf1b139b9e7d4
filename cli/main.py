"""The ``obs`` command: global options, the one error boundary, and the command groups.

Exit codes: 0 ok · 1 error (``Error:`` and ``Hint:`` on stderr) · 2 usage · 3 data failed
QC · 130 interrupted.
"""

from __future__ import annotations

import atexit
import gc
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cli import render
from cli import state as state_module
from cli.exit_codes import ExitCode
from cli.state import State

__version__ = "0.1.0"


#: Top-level commands: the modules of cli/commands that define them and the one-line help
#: ``obs --help`` shows. A command's modules are imported only when it runs, so start-up stays
#: fast; tests check that these lines match the commands' own help.
LAZY_COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "init": (
        ("basics",),
        "Create the database, or upgrade it to this version's schema. Safe to run twice.",
    ),
    "vocab": (("basics",), "Show the standard's vocabularies with Chinese and English labels."),
    "station": (("sites",), "Stations (观测站): add and list."),
    "plot": (("sites",), "Plots (观测地段): add and list."),
    "plant": (("sites",), "Marked plants (观测株): add and list."),
    "record": (("record",), "Record one observation of the standard's kinds."),
    "import": (
        ("importing",),
        "Import weather files, field sheets (CSV/XLSX) and obs export folders.",
    ),
    "list": (("listing",), "List stored records of one kind."),
    "amend": (("amend",), "Correct a record; the old values stay in its history."),
    "history": (("amend",), "Show every version of a record: who changed what, when and why."),
    "delete": (("amend",), "Hide a record from listings and reports; it stays in history."),
    "restore": (("amend",), "Bring a deleted record back."),
    "validate": (
        ("validate",),
        "Run the QC checks over stored data; exit 3 when errors are found.",
    ),
    "stages": (
        ("stages",),
        "Show derived stage dates per plot, cultivar, season, stage and status.",
    ),
    "report": (
        ("report_group", "report", "report_data"),
        "Reports: season, year, region, completeness, observers.",
    ),
    "forecast": (
        ("forecast", "forecast_issued"),
        "Bloom forecast: when will this season's wintersweet open and peak?",
    ),
    "export": (("exchange",), "Write every table, history included, to a folder (CSV or JSON)."),
    "restore-export": (
        ("exchange",),
        "Load a folder written by obs export into an empty database.",
    ),
    "backup": (("exchange",), "Copy the database consistently while others may be writing."),
    "push": (("push",), "Send this database's records to a central database, idempotently."),
    "visit": (
        ("visit",),
        "Enter a whole round over a plot's marked plants at a terminal, stored in one transaction.",
    ),
    "due": (("due",), "Show which plants are due for a visit, by the observation-frequency rules."),
    "template": (
        ("template",),
        "Write a blank field sheet (CSV or XLSX) for a round that obs import observations reads.",
    ),
    "demo": (
        ("demo",),
        "Build a demo database (station 57511, plot JG-A) and print its latest season report.",
    ),
}

_LOADED: dict[tuple[str, ...], Any] = {}


def _load(modules: tuple[str, ...]) -> Any:
    """The click group holding the commands of ``modules`` (built once per process)."""
    if modules not in _LOADED:
        import importlib
        import importlib.util

        holder = typer.Typer()
        for name in modules:
            if importlib.util.find_spec(f"cli.commands.{name}") is None:
                continue  # a command whose module is not written yet
            importlib.import_module(f"cli.commands.{name}").register(holder)
        _LOADED[modules] = typer.main.get_group(holder)
    return _LOADED[modules]


def _available(name: str) -> bool:
    """True when the module defining a lazy command exists (found without importing it)."""
    import importlib.util

    return importlib.util.find_spec(f"cli.commands.{LAZY_COMMANDS[name][0][-1]}") is not None


class ObsGroup(TyperGroup):
    """Loads commands on first use and turns every ObsError raised below into
    ``Error:``/``Hint:`` and its exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        eager = super().list_commands(ctx)
        return [*eager, *(n for n in LAZY_COMMANDS if n not in eager and _available(n))]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS and _available(cmd_name):
            command = _load(LAZY_COMMANDS[cmd_name][0]).get_command(ctx, cmd_name)
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS and super().get_command(ctx, name) is None:
                rows.append((name, LAZY_COMMANDS[name][1]))
            else:
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width - 20)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, args: Any = None, *rest: Any, **extra: Any) -> Any:
        """Refuse, before parsing, command-line words or ``OBS_*`` settings that are not valid
        UTF-8 text (the shell hands such bytes over as surrogate escapes, which no database,
        file or terminal can take)."""
        import os
        import sys

        argv = list(sys.argv[1:] if args is None else args)
        words = [*argv, *(f"{k}={v}" for k, v in os.environ.items() if k.startswith("OBS_"))]
        bad = next((w for w in words if isinstance(w, str) and _undecodable(w)), None)
        if bad is not None:
            shown = os.fsencode(bad).decode("utf-8", "backslashreplace")
            shown = shown if len(shown) <= 60 else shown[:60] + "…"
            render.error(
                f"'{shown}' is not valid UTF-8 text",
                "write options, file names and OBS_* settings in UTF-8 (check the terminal's "
                "locale, e.g. LANG=zh_CN.UTF-8, and rename files whose names are not UTF-8)",
            )
            sys.exit(ExitCode.ERROR)
        return super().main(argv, *rest, **extra)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_lang(args))

    def invoke(self, ctx: Any) -> Any:
        """The one error boundary: every exception below becomes ``Error:``/``Hint:`` and an
        exit code; ``--debug`` adds the traceback (with secrets of database URLs masked)."""
        from typer.exceptions import Abort, Exit, TyperException

        from obs.errors import ObsError

        try:
            return super().invoke(ctx)
        except ObsError as err:
            _traceback(ctx)
            render.error(err.message, err.hint or "run the command again with --debug for details")
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            _traceback(ctx)
            render.error(
                "interrupted; nothing of the unfinished command was written"
                if _lang_of(ctx) == "en"
                else "已中断；未完成的命令没有写入任何内容"
            )
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except (Exit, Abort, TyperException):
            raise  # typer's own exits and usage errors (exit 2)
        except Exception as err:
            _traceback(ctx)
            render.error(
                f"internal error ({type(err).__name__}): {_first_line(str(err))}",
                "this is a bug in obs, not in your data: run the command again with --debug "
                "and report the output",
            )
            raise typer.Exit(ExitCode.ERROR) from None


def _undecodable(word: str) -> bool:
    """True when ``word`` holds surrogate escapes (bytes that were not UTF-8)."""
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _traceback(ctx: Any) -> None:
    """With ``--debug``: the current exception's traceback on stderr, secrets masked."""
    if isinstance(ctx.obj, State) and ctx.obj.debug:
        import sys
        import traceback

        from obs.secrets import mask_secrets

        sys.stderr.write(mask_secrets("".join(traceback.format_exc())))


def hoist_lang(args: list[str]) -> list[str]:
    """``--lang zh|en`` anywhere after the command moved before it, so every command accepts
    it (a command's own ``--lang`` then falls back to this global one: same result)."""
    out, moved, index = list(args), [], 0
    while index < len(out):
        token = out[index]
        if token == "--":
            break
        if token == "--lang" and index + 1 < len(out) and out[index + 1] in ("zh", "en"):
            moved += out[index : index + 2]
            del out[index : index + 2]
        elif token in ("--lang=zh", "--lang=en"):
            moved.append(out.pop(index))
        else:
            index += 1
    return moved + out


def _lang_of(ctx: Any) -> str:
    """The run's language for a last message (zh when the settings cannot be read)."""
    from obs.errors import ObsError

    try:
        return ctx.obj.lang if isinstance(ctx.obj, State) else "zh"
    except ObsError:
        return "zh"


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
        render.LangChoice | None,
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
    ctx.obj = State(db=db, lang_option=lang.value if lang else None, debug=debug)
    ctx.call_on_close(ctx.obj.close)


#: Modules of cli/commands that hold no top-level command of their own.
HELPER_MODULES = frozenset({"entry", "options"})


def _register_new_modules() -> None:
    """Register eagerly any command module not yet listed in LAZY_COMMANDS."""
    import importlib
    import pkgutil

    from cli import commands

    listed = {m for modules, _ in LAZY_COMMANDS.values() for m in modules} | HELPER_MODULES
    for info in pkgutil.iter_modules(commands.__path__):
        if info.name not in listed:
            module = importlib.import_module(f"cli.commands.{info.name}")
            if hasattr(module, "register"):
                module.register(app)


_register_new_modules()


def main() -> None:
    """Console-script entry point."""
    # Loading pandas, sqlalchemy and pydantic makes ~200,000 long-lived objects, and each full
    # collection during the loading walks all made so far (~0.1 s in all): the collector is
    # off until the command opens its database (State.engine), which freezes what the imports
    # made (never walked again) and turns the collector back on for the command's own work.
    gc.disable()
    state_module.collect_after_startup = True
    # Python's last garbage collections at exit walk every object the imports made (~0.2 s
    # for sqlalchemy and pydantic); freezing them first skips that. Nothing is lost: commands
    # close their files and database connections themselves before they return.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    app()
