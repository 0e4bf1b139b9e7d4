"""Corrections: ``obs amend`` changes stored values with the same rules as a new entry.

The new values are coerced like a new entry (:func:`obs.records.entry.coerce` with ``partial``),
then the whole merged record is validated again (the kind's cross-field rules, a plant's stage
order, the natural key). The old row goes into the history first (:mod:`obs.records.history`);
``qc`` is reset to 9 (not checked) so that QC follows the amended value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from obs.clock import today_bt
from obs.errors import DuplicateError, InvalidValueError, NotFoundError, ObsError
from obs.lookup import REF_COLUMN, TABLES, kind_of, row_of
from obs.records import history as H
from obs.records.create import check_contradictions, check_stage_order
from obs.records.deletion import live_dependent
from obs.records.entry import RULES, Coerced, coerce, option_name
from schemas import tables as T
from schemas.kinds import FieldSpec, Kind

#: Columns a kind's rule derives from others; they are recomputed after an amendment.
DERIVED: dict[str, tuple[str, ...]] = {
    "phenology": ("open_ratio",),
    "growth": ("unit",),
    "yield": ("unit",),
    "pest": ("pest_kind",),
}


@dataclass
class Amended:
    """The amended record (as its listing row), what changed, warnings, its new version."""

    row: dict[str, Any]
    changes: dict[str, list[Any]]
    version: int
    warnings: list[str] = field(default_factory=list)


def field_of(kind: Kind, name: str) -> FieldSpec:
    """The field ``name`` names: a field, its column or its CLI option (``tmax``, ``date``)."""
    wanted = name.strip().lstrip("-").lower().replace("-", "_")
    for spec in kind.fields:
        aliases = {spec.name, spec.target, option_name(spec).lstrip("-").replace("-", "_")}
        if wanted in aliases:
            return spec
    raise InvalidValueError(
        "--set",
        name,
        f"is not a field of {kind.name}",
        hint="fields: " + ", ".join(s.name for s in kind.fields),
    )


def parse_assignments(kind_name: str, items: Sequence[str]) -> dict[str, str]:
    """``["FIELD=VALUE", …]`` as {field name: raw value}; an empty value clears the field."""
    kind = kind_of(kind_name)
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidValueError(
                "--set", item, "is not FIELD=VALUE", hint="e.g. --set obs_date=2024-12-21"
            )
        spec = field_of(kind, name)
        if spec.name in out:
            raise InvalidValueError(
                "--set", item, f"sets {spec.name} twice", hint="give each field once"
            )
        out[spec.name] = value
    return out


def amend(
    kind_name: str,
    record_id: int,
    assignments: Mapping[str, str],
    *,
    reason: str,
    session: Session,
    actor: str = "",
    today: dt.date | None = None,
    action: str = "amend",
) -> Amended:
    """Change fields of a live record, validated like a new entry, and log the change."""
    kind = kind_of(kind_name)
    why = H.require_reason(reason)
    record = H.get_record(session, kind, record_id)
    if not assignments:
        raise InvalidValueError(
            "--set", None, "is required", hint="e.g. --set obs_date=2024-12-21 (or --revert N)"
        )
    specs = {name: field_of(kind, name) for name in assignments}
    for name, spec in specs.items():
        if not spec.amendable:
            raise InvalidValueError(
                spec.name,
                assignments[name],
                "cannot be amended",
                hint=fixed_field_hint(session, kind, record, spec),
            )
    original = current_values(kind, record)
    checked = _merged(kind, record, original, assignments, specs, today or today_bt())
    _check_stored_rules(session, kind, record, checked.values, checked.warnings)
    changes = {
        col: [H.json_safe(original.get(col)), H.json_safe(new)]
        for col, new in checked.values.items()
        if new != original.get(col)
    }
    if not changes:
        raise ObsError(
            f"nothing to change: {kind.name} #{record_id} already has these values",
            hint=f"see its values with: obs history {kind.name} {record_id}",
        )
    H.apply_change(
        session,
        kind,
        record,
        {col: checked.values[col] for col in changes},
        action=action,
        reason=why,
        actor=actor,
    )
    session.flush()
    version = len(H.entries_of(session, kind, record_id)) + 1
    return Amended(row_of(session, kind, record), changes, version, checked.warnings)


def fixed_field_hint(session: Session, kind: Kind, record: Any, spec: FieldSpec) -> str:
    """What to do instead of amending a field that identifies a record.

    A record with nothing live below it can be deleted and entered again; a station, plot or
    plant that has records below it cannot be deleted, so the way out is a new one.
    """
    below = live_dependent(session, kind, record)
    if below is None:
        return (
            f"delete the record (obs delete {kind.name} {record.id} --reason …) "
            "and enter it again with the right value"
        )
    label = getattr(record, REF_COLUMN[kind.name])
    return (
        f"a {kind.name}'s {spec.name} is fixed once it has records below it "
        f"({below[0]} #{below[1]}): add a new {kind.name} with the right {spec.name} "
        f"(obs {kind.name} add …) and enter the records there; {kind.name} {label} "
        "can be deleted once nothing live hangs below it"
    )


def current_values(kind: Kind, record: Any) -> dict[str, Any]:
    """The stored values of a record's fields and derived columns (column -> value)."""
    columns = [s.target for s in kind.fields] + list(kind.extra_columns)
    return {col: getattr(record, col) for col in columns}


def _merged(
    kind: Kind,
    record: Any,
    original: Mapping[str, Any],
    assignments: Mapping[str, str],
    specs: Mapping[str, FieldSpec],
    today: dt.date,
) -> Coerced:
    given = {n: v for n, v in assignments.items() if v.strip()}
    checked = coerce(kind, given, today=today, partial=True, style="column")
    merged = dict(original)
    for col in DERIVED.get(kind.name, ()):
        merged[col] = None
    merged.update(checked.values)
    for name in set(assignments) - set(given):
        merged[specs[name].target] = _cleared(kind, specs[name])
    result = Coerced(values=merged, warnings=checked.warnings)
    rule = RULES.get(kind.name)
    if rule is not None:
        rule(result)
    for col in DERIVED.get(kind.name, ()):
        if result.values.get(col) is None and original.get(col) is not None:
            result.values[col] = _cleared_column(kind, col, original[col])
    return result


def _cleared(kind: Kind, spec: FieldSpec) -> Any:
    column = TABLES[kind.name].__table__.c[spec.target]
    if spec.required or (not column.nullable and spec.type not in ("text", "codes")):
        raise InvalidValueError(
            spec.name, None, "cannot be cleared", hint=f"give a value: --set {spec.name}=VALUE"
        )
    return None if column.nullable else ""


def _cleared_column(kind: Kind, col: str, old: Any) -> Any:
    column = TABLES[kind.name].__table__.c[col]
    return None if column.nullable else old


def _check_stored_rules(
    session: Session, kind: Kind, record: Any, values: Mapping[str, Any], warnings: list[str]
) -> None:
    if kind.name == "phenology":
        plant = session.get(T.Plant, record.plant_id)
        if values.get("reached", True):
            check_stage_order(
                session, plant, values["stage_code"], values["obs_date"], exclude_id=record.id
            )
        check_contradictions(session, plant, values, warnings, exclude_id=record.id)
    clash = H.same_key(session, kind, values, exclude_id=record.id)
    if clash is not None:
        raise DuplicateError(
            f"after this change {kind.name} #{record.id} would have the same "
            f"key as live record #{clash}",
            hint=f"amend or delete #{clash} instead",
        )


def revert(
    kind_name: str,
    record_id: int,
    version: int,
    *,
    reason: str,
    session: Session,
    actor: str = "",
    today: dt.date | None = None,
) -> Amended:
    """Give a record the values of an earlier version again (itself a new history entry)."""
    kind = kind_of(kind_name)
    chain = H.history_chain(kind_name, record_id, session=session)
    if not 1 <= version <= len(chain):
        raise NotFoundError(
            f"{kind.name} #{record_id} has no version {version}",
            hint=f"versions 1…{len(chain)}: obs history {kind.name} {record_id}",
        )
    record = H.get_record(session, kind, record_id)
    values = chain[version - 1]["values"]
    assignments = {
        spec.name: _as_text(values.get(spec.target))
        for spec in kind.fields
        if spec.amendable
        and spec.type != "ref"
        and values.get(spec.target) != H.json_safe(getattr(record, spec.target))
    }
    why = f"{H.require_reason(reason)} (revert to version {version})"
    if not assignments:
        raise ObsError(
            f"nothing to change: {kind.name} #{record_id} has the values of "
            f"version {version} already",
            hint="pick another version",
        )
    return amend(
        kind_name,
        record_id,
        assignments,
        reason=why,
        session=session,
        actor=actor,
        today=today,
        action="revert",
    )


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
