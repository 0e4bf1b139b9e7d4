"""Write docs/cli.md, the command reference, from the typer app itself.

Run ``python -m cli.docgen > docs/cli.md`` after changing a command, an option or a help
text; ``tests/test_docs.py`` fails while the file differs from what this prints. The
conventions every command follows (database selection, output, exit codes, language) are
prose in docs/cli-conventions.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import typer

from cli.main import app

#: The command that regenerates the file (said by the file and by the staleness test).
REGENERATE = "python -m cli.docgen > docs/cli.md"
#: Wide enough that no usage line or help record wraps: the file does not depend on a terminal.
_WIDTH = 1000


def render() -> str:
    """The whole of docs/cli.md."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="obs", terminal_width=_WIDTH, max_content_width=_WIDTH)
    out = [
        "# `obs` command reference",
        "",
        f"Generated from the typer app by `{REGENERATE}`; do not edit by hand "
        "(`tests/test_docs.py` fails when this file is stale). The conventions every command "
        "follows — database selection, output formats, exit codes, dates, `--lang` — are in "
        "[cli-conventions.md](cli-conventions.md).",
        "",
        *_section(root, ctx, "obs", level=2),
    ]
    for path, command, sub in _walk(root, ctx, ("obs",)):
        out += _section(command, sub, " ".join(path), level=min(len(path), 4))
    return "\n".join(out).rstrip() + "\n"


def _walk(
    group: Any, ctx: typer.Context, prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any, typer.Context]]:
    """Every command and group below ``group`` in the order ``--help`` lists them."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = typer.Context(command, info_name=name, parent=ctx)
        path = (*prefix, name)
        yield path, command, sub
        if hasattr(command, "list_commands"):
            yield from _walk(command, sub, path)


def _section(command: Any, ctx: typer.Context, title: str, *, level: int) -> list[str]:
    """Heading, usage, help text and the table of arguments and options of one command."""
    lines = [f"{'#' * level} `{title}`", ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += [f"Usage: `{ctx.command_path} {usage}`", ""]
    if command.help:
        lines += [_paragraphs(command.help), ""]
    rows = [record for p in command.get_params(ctx) if (record := _record(p, ctx))]
    if rows:
        lines += ["| argument or option | meaning |", "|---|---|"]
        lines += [f"| `{_cell(names)}` | {_cell(text)} |" for names, text in rows]
        lines.append("")
    return lines


def _record(param: Any, ctx: typer.Context) -> tuple[str, str] | None:
    """(names and metavar, help) of a parameter as ``--help`` shows it; None for ``--help``."""
    if getattr(param, "name", None) == "help":
        return None
    record = param.get_help_record(ctx)
    if record is None:
        return None
    names, text = record
    return names, " ".join(text.split())


def _paragraphs(text: str) -> str:
    """A help text as Markdown: paragraphs kept, ``Example:`` lines as code."""
    out = []
    for block in text.strip().split("\n\n"):
        joined = " ".join(block.split())
        if joined.startswith("Example:"):
            joined = f"Example: `{joined.removeprefix('Example:').strip()}`"
        out.append(joined)
    return "\n\n".join(out)


def _cell(text: str) -> str:
    """Text that cannot break a Markdown table row."""
    return text.replace("|", "\\|")


if __name__ == "__main__":
    sys.stdout.write(render())
