"""A registry of named, small, pure QC checks and the driver that runs them (xclim dataflags).

A check receives a frame shaped like one table of :mod:`schemas.tables` (one station's rows),
the :class:`~schemas.qc_rules.QCRules` and the :class:`Site`, and returns *findings*: one row
per flagged value with ``record_id`` (the row's ``id``), ``element`` (a column name, or a comma
list of the columns in conflict), ``flag`` (1, 2 or 8) and ``reason``. Values that pass produce
no row; the caller stores flag 0 for checked rows without findings. Checks never change data.

Each check declares what it needs of the stored data: the fields it reads (``elements``) and
how far in time its finding for one record depends on the records around it (``looks_back``,
from the rules: the day before for a day-to-day step, a persistence run for sub-daily values).
The QC windows of the import and of ``obs validate`` (:mod:`obs.qc.windows`) are derived from
these declarations: a window is read with that much context before it, and a change of a
record is checked again that far after it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from obs.errors import InvalidValueError, NotFoundError
from obs.qc._frames import require
from schemas.qc_rules import FLAG_SEVERITY, QCRules
from schemas.terms import LANGS, Lang

Kind = Literal["daily", "subdaily", "phenology"]
KINDS: tuple[Kind, ...] = ("daily", "subdaily", "phenology")

#: Columns every frame of a kind must have.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "daily": ("id", "obs_date"),
    "subdaily": ("id", "ts"),
    "phenology": ("id", "plant_id", "obs_date", "stage_code"),
}

#: Columns of a findings frame, in order.
FINDING_COLUMNS: tuple[str, ...] = ("record_id", "element", "check_name", "flag", "reason")


@dataclass(frozen=True, slots=True)
class Site:
    """The station the checked rows belong to.

    ``code`` selects station overrides of the rules; ``latitude`` [° north] is needed by the
    sunshine/day-length check (skipped when ``None``); ``utc_offset_hours`` [h] turns sub-daily
    ``ts`` into local months.
    """

    code: str | None = None
    latitude: float | None = None
    utc_offset_hours: float = 8.0


CheckFn = Callable[[pd.DataFrame, QCRules, Site], pd.DataFrame]
#: How far in time a check's finding for a record depends on other records, given the rules.
Reach = Callable[[QCRules], dt.timedelta]


def _alone(rules: QCRules) -> dt.timedelta:
    """A check of each record on its own: no other record matters."""
    return dt.timedelta(0)


@dataclass(frozen=True, slots=True)
class Check:
    """One registered check; ``elements`` are the fields it reads, ``looks_back`` how far in
    time the records it compares a record with lie (either side)."""

    name: str
    kind: Kind
    elements: tuple[str, ...]
    description_zh: str
    description_en: str
    func: CheckFn
    looks_back: Reach = field(default=_alone)

    def description(self, lang: Lang = "zh") -> str:
        """The plain-language description in ``lang``."""
        return self.description_zh if lang == "zh" else self.description_en

    def run(self, frame: pd.DataFrame, rules: QCRules, site: Site) -> pd.DataFrame:
        """Apply the check; the findings get this check's name."""
        found = self.func(frame, rules, site)
        found.insert(2, "check_name", self.name)
        return found


CHECKS: dict[tuple[Kind, str], Check] = {}
#: The module that registers the checks of each kind (loaded before they are first read).
CHECK_MODULES: dict[Kind, str] = {
    "daily": "obs.qc.daily_checks",
    "subdaily": "obs.qc.subdaily_checks",
    "phenology": "obs.qc.phenology_checks",
}


def _registered(kind: str | None = None) -> dict[tuple[Kind, str], Check]:
    """:data:`CHECKS`, with the check modules of ``kind`` (every kind: None) loaded."""
    for name, module in CHECK_MODULES.items():
        if kind is None or name == kind:
            importlib.import_module(module)
    return CHECKS


def check(
    name: str,
    kind: Kind,
    elements: tuple[str, ...] = (),
    *,
    description_zh: str,
    description_en: str,
    looks_back: Reach = _alone,
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as check ``name`` of ``kind`` (see :class:`Check`)."""

    def register(func: CheckFn) -> CheckFn:
        if (kind, name) in CHECKS:
            raise ValueError(f"check {kind}/{name} registered twice")
        CHECKS[(kind, name)] = Check(
            name, kind, elements, description_zh, description_en, func, looks_back
        )
        return func

    return register


def reach_of(kind: str, rules: QCRules) -> dt.timedelta:
    """How far in time the checks of ``kind`` look around a record: the most any one does."""
    return max((c.looks_back(rules) for c in checks_of(kind)), default=dt.timedelta(0))


def fields_read(kind: str) -> tuple[str, ...]:
    """The fields the checks of ``kind`` read, in the order they declare them."""
    return tuple(dict.fromkeys(e for c in checks_of(kind) for e in c.elements))


def checks_of(kind: str, only: Iterable[str] | None = None) -> tuple[Check, ...]:
    """The registered checks of ``kind`` (all, or those named in ``only``), in order."""
    if kind not in KINDS:
        raise InvalidValueError(
            "kind", kind, "is not a QC record kind", hint=f"use one of {', '.join(KINDS)}"
        )
    known = {n: c for (k, n), c in _registered(kind).items() if k == kind}
    if only is None:
        return tuple(known.values())
    wanted = tuple(only)
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise NotFoundError(
            f"no {kind} check named {', '.join(unknown)}",
            hint="list them with: obs validate --list-checks",
        )
    return tuple(known[n] for n in wanted)


def run_checks(
    kind: str,
    frame: pd.DataFrame,
    rules: QCRules,
    only: Iterable[str] | None = None,
    *,
    site: Site | None = None,
) -> pd.DataFrame:
    """Apply every check of ``kind`` (or those in ``only``) to ``frame``.

    Parameters
    ----------
    kind
        ``"daily"``, ``"subdaily"`` or ``"phenology"``.
    frame
        Rows of one station, with the columns of the matching table (an ``id`` column always).
    rules
        Thresholds; station and month overrides are applied inside the checks.
    only
        Names of the checks to run; all when ``None``.
    site
        The station of the rows (code, latitude, UTC offset).

    Returns
    -------
    pandas.DataFrame
        Findings with :data:`FINDING_COLUMNS`, ordered by check then record id.
    """
    chosen = checks_of(kind, only)
    require(frame, kind, REQUIRED_COLUMNS[kind])
    where = site if site is not None else Site()
    parts = [c.run(frame, rules, where) for c in chosen]
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_findings(with_check_name=True)
    return pd.concat(parts, ignore_index=True)


def worst_flag_per_record(findings: pd.DataFrame) -> pd.Series:
    """The most severe flag per ``record_id`` (:data:`~schemas.qc_rules.FLAG_SEVERITY`).

    Findings must come from one kind: record ids of different tables collide.
    """
    rank = {flag: i for i, flag in enumerate(FLAG_SEVERITY)}
    ranks = findings["flag"].map(rank)
    best = ranks.groupby(findings["record_id"]).max()
    worst = best.map(dict(enumerate(FLAG_SEVERITY))).astype("int64")
    worst.name = "flag"
    return worst


def describe_checks(lang: str = "zh") -> pd.DataFrame:
    """All registered checks: ``name``, ``kind``, ``elements`` and ``description`` in ``lang``."""
    if lang not in LANGS:
        raise InvalidValueError(
            "lang", lang, "is not a supported language", hint=f"use one of {', '.join(LANGS)}"
        )
    chosen: Lang = "zh" if lang == "zh" else "en"
    rows = [
        {
            "name": c.name,
            "kind": c.kind,
            "elements": ",".join(c.elements),
            "description": c.description(chosen),
        }
        for c in sorted(_registered().values(), key=lambda c: KINDS.index(c.kind))
    ]
    return pd.DataFrame(rows, columns=["name", "kind", "elements", "description"])


def empty_findings(*, with_check_name: bool = False) -> pd.DataFrame:
    """A findings frame without rows."""
    cols = [c for c in FINDING_COLUMNS if with_check_name or c != "check_name"]
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES[c]) for c in cols})


def findings(record_id: Any, element: Any, flag: int, reason: Any) -> pd.DataFrame:
    """A findings frame (without ``check_name``) from aligned ids and reasons."""
    ids = pd.Series(_plain(record_id), dtype="int64")
    return pd.DataFrame(
        {
            "record_id": ids,
            "element": pd.Series(_plain(element), index=ids.index, dtype="object"),
            "flag": pd.Series(flag, index=ids.index, dtype="int64"),
            "reason": pd.Series(_plain(reason), index=ids.index, dtype="object"),
        }
    )


def _plain(values: Any) -> Any:
    """A scalar string as it is, anything else as a list (drops a pandas index)."""
    return values if isinstance(values, str) else list(values)


_DTYPES = {
    "record_id": "int64",
    "element": "object",
    "check_name": "object",
    "flag": "int64",
    "reason": "object",
}
