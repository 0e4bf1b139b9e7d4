"""Imports go one way: schemas <- obs <- cli. Checked on the source, with file and line."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "schemas": {"obs", "cli", "typer", "rich", "pandas", "numpy", "matplotlib", "alembic"},
    "obs": {"cli", "typer", "rich"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_go_one_way(package):
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, name in _imports(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert offenders == []


def test_engine_never_prints_or_exits():
    offenders = []
    for path in sorted((ROOT / "obs").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in {"print", "sys.exit", "exit", "input", "quit"}:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {name}")
    assert offenders == []


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"OBS_CONFIG": "/nonexistent", "PATH": "/usr/bin:/bin"},
    )
    return set(out.stdout.split())


def test_help_does_not_load_heavy_modules():
    loaded = _modules_after(
        "import sys; sys.argv = ['obs', '--help']\n"
        "from cli.main import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    assert not {"sqlalchemy", "pandas", "sqlmodel", "alembic", "rich", "numpy"} & loaded


def test_record_does_not_load_pandas_or_alembic():
    loaded = _modules_after(
        "import sys; sys.argv = ['obs', 'record', 'phenology', '--help']\n"
        "from cli.main import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "import obs.records.create, obs.db"
    )
    assert not {"pandas", "alembic", "numpy", "matplotlib"} & loaded


def test_sqlite_commands_do_not_load_the_postgresql_dialect():
    loaded = _modules_after("import schemas.tables, obs.records.create, obs.db")
    assert "sqlalchemy.dialects.postgresql" not in loaded


def test_recording_phenology_declares_only_the_tables_it_uses(tmp_path):
    db = tmp_path / "obs.db"
    run = "from cli.main import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    for args in (
        ["init"],
        [
            "station",
            "add",
            "57511",
            "--name",
            "Beibei",
            "--latitude",
            "29.8",
            "--longitude",
            "106.4",
        ],
        ["plot", "add", "JG-A", "--station", "57511", "--cultivar", "SUXIN"],
        ["plant", "add", "A-01", "--plot", "JG-A"],
    ):
        _modules_after(f"import sys; sys.argv = ['obs', '--db', {str(db)!r}, *{args!r}]\n{run}")
    loaded = _modules_after(
        f"import sys; sys.argv = ['obs', '--db', {str(db)!r}, 'record', 'phenology', "
        "'--plant', 'A-01', '--date', '2024-12-20', '--stage', 'FLS']\n" + run
    )
    assert {"schemas.site_tables", "schemas.phenology_table"} <= loaded
    others = {"tables", "observation_tables", "weather_tables", "system_tables"}
    assert not {f"schemas.{name}" for name in others} & loaded
