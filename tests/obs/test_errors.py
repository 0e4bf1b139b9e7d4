"""Every ObsError a user can meet carries a hint: each raise site in obs/ and cli/ gives one,
or the error's class has a default hint (scanned in the source, so a new raise site without
one fails here)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import obs.errors as E

ROOT = Path(__file__).resolve().parents[2]


def _error_classes() -> dict[str, type[E.ObsError]]:
    """Name -> class of ObsError and every subclass defined in obs/ (imported modules)."""
    found: dict[str, type[E.ObsError]] = {}
    todo: list[type[E.ObsError]] = [E.ObsError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def _subclass_names_in_source() -> dict[str, str]:
    """Subclasses of the error classes declared anywhere in obs/ or cli/: name -> base."""
    names = set(_error_classes())
    out: dict[str, str] = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    base_name = getattr(base, "id", None) or getattr(base, "attr", None)
                    if base_name in names:
                        out[node.name] = str(base_name)
    return out


def _sources() -> list[Path]:
    return sorted([*(ROOT / "obs").rglob("*.py"), *(ROOT / "cli").rglob("*.py")])


def _has_default_hint(name: str, classes: dict[str, type[E.ObsError]], bases: dict[str, str]):
    if name in classes:
        return classes[name].default_hint is not None or "hint" not in str(
            inspect.signature(classes[name].__init__)
        )
    return name in bases and _has_default_hint(bases[name], classes, bases)


def _calls_without_hint() -> list[str]:
    classes, bases = _error_classes(), _subclass_names_in_source()
    names = set(classes) | set(bases)
    missing = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            # a direct name (ObsError(...)) or errors.X(...); not sqlite3.DatabaseError
            if isinstance(func, ast.Name):
                name = func.id
            elif isinstance(func, ast.Attribute) and getattr(func.value, "id", "") in (
                "errors",
                "E",
            ):
                name = func.attr
            else:
                continue
            if name not in names:
                continue
            given = [k for k in node.keywords if k.arg == "hint" or k.arg is None]
            explicit_none = any(
                isinstance(k.value, ast.Constant) and k.value.value is None for k in given
            )
            if (not given or explicit_none) and not _has_default_hint(name, classes, bases):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}(…) has no hint")
    return missing


def test_every_raise_site_gives_a_hint():
    assert _calls_without_hint() == []


@pytest.mark.parametrize("name", sorted(_error_classes()))
def test_error_classes_without_a_default_need_one_at_the_raise_site(name):
    cls = _error_classes()[name]
    if cls is E.ObsError:
        assert E.ObsError("x").hint is None  # the raise site must give one (scanned above)
    elif cls.default_hint is not None:
        assert cls.default_hint.strip()


def test_the_scan_finds_a_raise_without_hint(tmp_path, monkeypatch):
    bad = tmp_path / "obs" / "bad.py"
    bad.parent.mkdir()
    bad.write_text("from obs.errors import ObsError\nraise ObsError('no hint')\n")
    monkeypatch.setattr("tests.obs.test_errors._sources", lambda: [bad], raising=True)
    monkeypatch.setattr("tests.obs.test_errors.ROOT", tmp_path)
    assert _calls_without_hint() == ["obs/bad.py:2 ObsError(…) has no hint"]
