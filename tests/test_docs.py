"""Every command has help with an example and is named in the README; the one-line help that
``obs --help`` shows without loading a command matches the command's own."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from cli.main import LAZY_COMMANDS, _load, app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _root():
    return typer.main.get_command(app)


def _walk(group, ctx, prefix=()):
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        path = (*prefix, name)
        if hasattr(command, "list_commands"):
            yield from _walk(command, ctx, path)
        else:
            yield " ".join(path), command


def _all_commands():
    root = _root()
    with typer.Context(root) as ctx:
        return list(_walk(root, ctx))


COMMANDS = _all_commands()


def test_there_are_commands():
    names = {name for name, _ in COMMANDS}
    assert {"init", "record phenology", "list", "vocab", "station add"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_example(name, command):
    assert command.help, f"obs {name} has no help"
    assert "Example:" in command.help, f"obs {name} help has no example"
    for param in command.params:
        if param.param_type_name == "option" and param.name not in ("help",):
            assert getattr(param, "help", None), f"obs {name} {param.opts} has no help"


@pytest.mark.parametrize("top", sorted({n.split()[0] for n, _ in COMMANDS}))
def test_command_is_in_readme(top):
    assert f"obs {top}" in README, f"obs {top} is not in the README"


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_top_level_help_line_matches_the_command(name):
    modules, line = LAZY_COMMANDS[name]
    group = _load(modules)
    with typer.Context(group) as ctx:
        command = group.get_command(ctx, name)
    assert command is not None, f"{modules} define no command {name!r}"
    first = (command.help or "").strip().splitlines()[0]
    assert first == line, f"LAZY_COMMANDS[{name!r}] says {line!r}, the command says {first!r}"


def test_every_command_module_is_listed_lazily():
    import pkgutil

    from cli import commands
    from cli.main import HELPER_MODULES

    listed = {m for modules, _ in LAZY_COMMANDS.values() for m in modules} | HELPER_MODULES
    found = {m.name for m in pkgutil.iter_modules(commands.__path__)}
    assert found - listed == set(), "add these modules to LAZY_COMMANDS in cli/main.py"


def test_cli_reference_is_generated_from_the_app():
    from cli.docgen import REGENERATE, render

    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == render(), f"docs/cli.md is stale; regenerate it with: {REGENERATE}"


def test_station_add_documents_the_contract_names_with_their_aliases():
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "`--lat, --latitude <str>`" in reference
    assert "`--lon, --longitude <str>`" in reference
