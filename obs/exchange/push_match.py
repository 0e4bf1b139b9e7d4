"""``obs push``: matching by natural key when the uids differ — adopt a central station, plot or
plant that is the same one, or refuse with a conflict that says what differs.

Two field databases that each entered station 57511 hold two rows with two uids. A station,
plot or plant of the field database whose uid is not in the central database but whose natural
key is (station code, plot code, plant tag) is *adopted* when its identifying attributes agree
(:data:`IDENTITY`): its records are pushed under the central row, the central row is not
changed, and the central database keeps an ``adopt`` history entry naming the field uid. When
the attributes disagree, or an observation's natural key is taken by another uid, the push is
refused with both values and a hint that can be followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, insert, select
from sqlmodel import Session

from obs.clock import now_utc
from obs.errors import ObsError
from obs.lookup import REF_COLUMN, TABLES, kind_of
from obs.records.history import json_safe, same_key
from schemas import tables as T

#: Largest difference of latitude or of longitude [°] at which two stations with one code
#: are taken as one station (0.01° ≈ 1.1 km north–south).
STATION_TOLERANCE_DEG = 0.01
#: Besides the natural key, the columns that must agree for a central row to be adopted.
IDENTITY: dict[str, tuple[str, ...]] = {
    "station": ("latitude", "longitude"),
    "plot": ("station_id", "cultivar"),
    "plant": ("plot_id", "cultivar"),
}
#: The history action and reason prefix that record an adoption in the central database.
ADOPT_ACTION = "adopt"
ADOPT_REASON = "obs push: the field database's record with uid"
_PARENT = {"station_id": "station", "plot_id": "plot", "plant_id": "plant"}
_BOOKKEEPING = frozenset({"id", "uid", "created_at", "created_by", "updated_at", "qc", "import_id"})


def adopt(
    target: Session, name: str, values: Mapping[str, Any], *, local_id: int
) -> dict[str, Any] | None:
    """The central row to adopt for a live station, plot or plant whose uid is not central.

    ``values`` are the field row with references already mapped to central ids. Returns
    None when no live central row has the natural key; raises a conflict when one has but an
    identifying attribute differs.
    """
    clash = same_key(target, kind_of(name), values, exclude_id=None)
    if clash is None:
        return None
    table: Table = TABLES[name].__table__
    central = dict(target.execute(select(table).where(table.c.id == clash)).mappings().one())
    differ = [c for c in IDENTITY[name] if not _agree(c, values.get(c), central.get(c))]
    if differ:
        raise _reference_conflict(target, name, values, central, differ[0], local_id)
    return central


def _agree(column: str, here: Any, there: Any) -> bool:
    if column in ("latitude", "longitude") and here is not None and there is not None:
        return abs(float(here) - float(there)) <= STATION_TOLERANCE_DEG
    return bool(here == there)


def record_adoption(
    target: Session, name: str, central: Mapping[str, Any], local_uid: str, *, actor: str
) -> bool:
    """Add the central ``adopt`` history entry of one adoption unless it is there; True if
    added."""
    table: Table = T.History.__table__  # type: ignore[attr-defined]
    reason = f"{ADOPT_REASON} {local_uid} is this {name}"
    there = target.execute(
        select(table.c.id).where(
            table.c.kind == name,
            table.c.record_id == central["id"],
            table.c.action == ADOPT_ACTION,
            table.c.reason == reason,
        )
    ).first()
    if there is not None:
        return False
    target.execute(
        insert(table).values(
            kind=name,
            record_id=central["id"],
            record_uid=central["uid"],
            action=ADOPT_ACTION,
            before={k: json_safe(v) for k, v in central.items()},
            changes={},
            reason=reason,
            actor=actor,
            at=now_utc(),
        )
    )
    return True


def _label(target: Session, column: str, value: Any) -> Any:
    """A reference column's value as people know it (station code, plot code, plant tag)."""
    parent = _PARENT.get(column)
    if parent is None or value is None:
        return value
    row = target.get(TABLES[parent], value)
    return value if row is None else getattr(row, REF_COLUMN[parent])


def _reference_conflict(
    target: Session,
    name: str,
    values: Mapping[str, Any],
    central: Mapping[str, Any],
    column: str,
    local_id: int,
) -> ObsError:
    key = REF_COLUMN[name]
    here, there = _label(target, column, values[column]), _label(target, column, central[column])
    attr = _PARENT.get(column, column)
    message = (
        f"conflict: {name} {values[key]} exists in the central database with another uid "
        f"and another {attr} (central {there}, here {here}); nothing was pushed"
    )
    if name == "station":
        hint = (
            f"if it is the same station, give the local one the central coordinates: obs "
            f"amend station {local_id} --set latitude={central['latitude']} --set "
            f"longitude={central['longitude']} --reason …, then push again; if it is "
            "another station, it must be entered under its own station code"
        )
    else:
        hint = (
            f"if it is the same {name}, the {attr} was entered wrongly in one database; if "
            f"they are two {name}s, they need different {key}s. A {name}'s {key} and {attr} "
            f"cannot be amended: add the local {name} again under a new {key} (obs {name} "
            f"add …), enter its records there, then push again"
        )
    return ObsError(message, hint=hint)


def key_conflict(
    target: Session, name: str, values: Mapping[str, Any], clash: int, *, local_id: int
) -> ObsError:
    """The conflict of an observation whose natural key a central record with another uid
    holds: both records' values are named."""
    kind = kind_of(name)
    table: Table = TABLES[name].__table__
    central = target.execute(select(table).where(table.c.id == clash)).mappings().one()
    key_columns = {kind.field(k).target for k in kind.key}
    key = ", ".join(
        f"{k}={_label(target, kind.field(k).target, values.get(kind.field(k).target))}"
        for k in kind.key
    )
    differ = [
        c
        for c in values
        if c not in _BOOKKEEPING and c not in key_columns and values[c] != central.get(c)
    ]
    if differ:
        shown = "; ".join(f"{c}: here {values[c]}, central {central.get(c)}" for c in differ)
        hint = (
            f"one of the two is wrong: correct the local one (obs amend {name} {local_id} "
            f"--set …) or delete it (obs delete {name} {local_id} --reason …), then push again"
        )
    else:
        shown = "both have the same values"
        hint = (
            f"the same observation was entered in two databases: delete the local copy (obs "
            f"delete {name} {local_id} --reason 'entered centrally'), then push again"
        )
    return ObsError(
        f"conflict: {name} {key} exists in the central database with another uid "
        f"({central['uid']}, central id {clash}): {shown}; nothing was pushed",
        hint=hint,
    )
