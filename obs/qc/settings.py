"""The QC thresholds a user sets: ``qc.toml`` next to the config file.

The file lies beside ``config.toml`` (``$OBS_CONFIG``'s folder, else the user config folder);
without it the defaults of :class:`schemas.qc_rules.QCRules` hold. Both sections are
optional::

    # any threshold of QCRules, by its name
    [rules]
    persistence_hours = 12
    precip_sum_tolerance = 0.2
    daily_step = { t_mean = 10, t_max = 12 }

    # limits for one station and/or one month (either may be left out: "any")
    [[override]]
    station = "57511"
    month = 7
    subdaily.t = { hard_min = -20, hard_max = 42, soft_min = 5, soft_max = 38 }
    daily.t_max = { hard_min = -20, hard_max = 45, soft_max = 40 }
    extremes.t_max = { soft_max = 39 }

An override replaces an element's whole limits (bounds it does not give are open); the most
specific one wins (``QCRules.override``). ``obs validate``, ``obs import`` and the checks at
entry (``obs record``) read the same rules (:func:`configured_rules`).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from obs.config import config_path
from obs.errors import ObsError
from schemas.qc_rules import DEFAULT_QC_RULES, LimitOverride, OverrideKey, QCRules
from schemas.terms import Limits

#: Name of the file, in the folder of the config file.
QC_FILE = "qc.toml"
_BOUNDS = ("hard_min", "hard_max", "soft_min", "soft_max")
_TABLES = ("daily", "subdaily", "extremes")
#: Fields of QCRules a file may not set in ``[rules]`` (overrides have their own section).
_NOT_SETTABLE = frozenset({"overrides", "daily_limits", "subdaily_limits", "climate_extremes"})
_HINT = "see docs/import.md, section qc.toml"


def qc_rules_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the QC rules file is (it need not exist)."""
    return config_path(dict(os.environ) if env is None else dict(env)).with_name(QC_FILE)


def load_qc_rules(path: Path) -> QCRules:
    """The rules of ``path`` over the defaults; the defaults when there is no such file."""
    if not path.is_file():
        return DEFAULT_QC_RULES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as err:
        raise ObsError(f"cannot read QC rules file {path}: {err}", hint=_HINT) from None
    return rules_from(data, source=str(path))


def rules_from(data: Mapping[str, Any], *, source: str = QC_FILE) -> QCRules:
    """QCRules from the parsed TOML of a rules file (see the module docstring)."""
    unknown = set(data) - {"rules", "override"}
    if unknown:
        _refuse(source, f"unknown section {', '.join(sorted(unknown))}")
    changes = {name: _field(source, name, value) for name, value in _table(data, "rules").items()}
    overrides: dict[OverrideKey, LimitOverride] = {}
    entries = data.get("override", [])
    if not isinstance(entries, list):
        _refuse(source, "[[override]] must be a list of tables")
    for entry in entries:
        key, override = _override(source, entry)
        overrides[key] = override
    return dataclasses.replace(DEFAULT_QC_RULES, **changes, overrides=overrides)


_cache: dict[Path, tuple[tuple[int, int], QCRules]] = {}


def configured_rules(env: Mapping[str, str] | None = None) -> QCRules:
    """The rules in force: those of :func:`qc_rules_path`, read again when the file changed."""
    path = qc_rules_path(env)
    try:
        stat = path.stat()
    except OSError:
        return DEFAULT_QC_RULES
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, load_qc_rules(path))
        _cache[path] = cached
    return cached[1]


def _refuse(source: str, what: str) -> None:
    raise ObsError(f"{source}: {what}", hint=_HINT)


def _table(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        _refuse(QC_FILE, f"[{name}] must be a table")
    return dict(value)


def _field(source: str, name: str, value: Any) -> Any:
    """A value of ``[rules]`` as the field ``name`` of QCRules holds it."""
    fields = {f.name: f for f in dataclasses.fields(QCRules)}
    if name not in fields or name in _NOT_SETTABLE:
        _refuse(source, f"[rules] has no threshold {name!r}")
    default = getattr(DEFAULT_QC_RULES, name)
    try:
        if isinstance(default, bool | str):
            if type(value) is not type(default):
                raise TypeError
            return value
        if isinstance(default, int | float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError
            return type(default)(value)
        if isinstance(default, tuple):
            items = tuple(value)
            if len(default) and isinstance(default[0], int | float):
                return tuple(type(default[0])(v) for v in items)
            return tuple(str(v) for v in items)
        if isinstance(default, Mapping):
            return {str(k): float(v) for k, v in dict(value).items()}
    except (TypeError, ValueError):
        pass
    _refuse(source, f"[rules] {name} = {value!r} is not like the default {default!r}")
    return None


def _override(source: str, entry: Any) -> tuple[OverrideKey, LimitOverride]:
    if not isinstance(entry, Mapping):
        _refuse(source, "each [[override]] must be a table")
    unknown = set(entry) - {"station", "month", *_TABLES}
    if unknown:
        _refuse(source, f"[[override]] has no key {', '.join(sorted(unknown))}")
    station, month = entry.get("station"), entry.get("month")
    if station is not None and not isinstance(station, str):
        _refuse(source, f"[[override]] station = {station!r} must be a station code in quotes")
    if month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
        _refuse(source, f"[[override]] month = {month!r} must be 1 to 12")
    limits = {t: _limits(source, t, entry.get(t, {})) for t in _TABLES}
    return (station, month), LimitOverride(**limits)


def _limits(source: str, table: str, elements: Any) -> dict[str, Limits]:
    if not isinstance(elements, Mapping):
        _refuse(source, f"[[override]] {table} must map elements to limits")
    out = {}
    for element, bounds in elements.items():
        if not isinstance(bounds, Mapping) or set(bounds) - set(_BOUNDS):
            _refuse(source, f"[[override]] {table}.{element}: give {', '.join(_BOUNDS)}")
        for bound, value in bounds.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                _refuse(source, f"[[override]] {table}.{element}.{bound} = {value!r}: a number")
        out[str(element)] = Limits(**{b: float(v) for b, v in bounds.items()})
    return out
