"""Field-sheet rows against what is stored (``obs import observations``): the columns a sheet
may carry, the record a row names (``id`` of an edited ``obs list`` output, or the natural
key), the fields in which it differs, and the plot a per-plant sheet is for.

An ``obs list`` output reads back in every format it is written in: the CSV (field names, raw
codes) and the clerk-ready XLSX (column labels of the message catalogue in zh or en, coded
values as ``FBC 花蕾露色期``, 是/否). Its read-only columns (:data:`LISTING_COLUMNS`, by name
or label) are not imported, and a field whose column is absent stays as stored."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from obs.clock import today_bt
from obs.errors import InputFormatError, InvalidValueError, NotFoundError, ObsError
from obs.imports.sheets import KIND_COLUMN_ALIASES, Sheet, sheet_rows
from obs.imports.weather import normalize_header
from obs.lookup import REF_COLUMN, TABLES, resolve_ref
from obs.records import history as H
from obs.records.entry import coerce
from obs.vocab import code_shown
from schemas.kinds import Kind
from schemas.messages import COLUMNS

#: Columns of an ``obs list`` output (or a reject file) that are read and not imported.
LISTING_COLUMNS: frozenset[str] = frozenset(
    {"id", "qc", "created_by", "created_at", "deleted_at", "reason", "open_ratio", "unit"}
    | {"pest_kind"}
)
#: Headers of the column of a per-plant sheet naming its plot (``obs template`` writes one).
PLOT_HEADERS: tuple[str, ...] = ("plot", "观测地段", "地段")


def _listing_keys() -> dict[str, str]:
    """Normalised header -> listing column, for each column's name and catalogue labels."""
    out: dict[str, str] = {}
    for name in sorted(LISTING_COLUMNS):
        for alias in (name, *COLUMNS.get(name, ())):
            out.setdefault(normalize_header(alias)[0], name)
    return out


_LISTING_KEYS = _listing_keys()


def listing_column(header: str) -> str | None:
    """The read-only ``obs list`` column a header names (``序号``/``ID``/``id`` -> ``id``)."""
    return _LISTING_KEYS.get(header_key(header))


class KeptError(ObsError):
    """A row that differs from its stored record, left as stored (``--on-conflict skip``)."""


def header_key(text: str) -> str:
    """The lookup key of a header (:func:`obs.imports.weather.normalize_header`)."""
    return normalize_header(text)[0]


def refuse_odd_columns(sheet: Sheet, kind: Kind, found: dict[int, str]) -> None:
    """Refuse a sheet with a column that names no field, or two columns for one field."""
    names = list(found.values())
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputFormatError(
            f"{sheet.path.name} ({sheet.name}): two columns for {', '.join(twice)}",
            hint="keep one column per field",
        )
    allowed = {header_key(a) for a in (*KIND_COLUMN_ALIASES, *PLOT_HEADERS)}
    extra = [
        h
        for i, h in enumerate(sheet.headers)
        if i not in found
        and h.strip()
        and header_key(h) not in allowed
        and listing_column(h) is None
    ]
    if extra:
        fields = ", ".join(s.name for s in kind.fields)
        raise InputFormatError(
            f"{sheet.path.name} ({sheet.name}): unknown column {extra[0]!r} for {kind.name}",
            hint=f"columns are the fields of {kind.name}: {fields} (or their labels; see "
            "docs/import.md)",
        )


def check_plot_column(session: Session, sheet: Sheet, kind: Kind, found: dict[int, str]) -> None:
    """A per-plant sheet with a plot column: every plant must be on that plot."""
    keys = {header_key(h) for h in PLOT_HEADERS}
    plot_at = next((i for i, h in enumerate(sheet.headers) if header_key(h) in keys), None)
    plant_at = next((i for i, n in found.items() if n == "plant"), None)
    if kind.scope != "plant" or plot_at is None or plant_at is None:
        return
    for line, cells in sheet_rows(sheet):
        plot, tag = cells[plot_at].strip(), cells[plant_at].strip()
        if not plot or not tag:
            continue
        try:
            plant = resolve_ref(session, "plant", tag)
        except NotFoundError:
            continue  # refused row by row later
        actual = ref_code(session, "plot", plant.plot_id)
        if actual != plot:
            raise InputFormatError(
                f"{sheet.path.name} line {line}: plant {tag} is on plot {actual}, not on the "
                f"sheet's plot {plot}; nothing imported",
                hint="is this the sheet of another plot? write the right one with: "
                f"obs template {kind.name} --plot {actual}",
            )


def unfilled(kind: Kind, raw: dict[str, str]) -> bool:
    """A row of a blank sheet left as written (only its plant or plot and date filled)."""
    prefilled = {s.name for s in kind.fields if s.type == "ref"} | {kind.date_field}
    return bool(raw) and set(raw) <= prefilled


def has_observer(kind: Kind) -> bool:
    """True when the kind's records name an observer."""
    return any(s.name == "observer" for s in kind.fields)


def record_id(sheet: Sheet, cells: list[str]) -> int | None:
    """The ``id`` cell of an edited ``obs list`` output, if the sheet has one."""
    for index, head in enumerate(sheet.headers):
        if listing_column(head) == "id" and index < len(cells) and cells[index].strip():
            try:
                return int(float(cells[index]))
            except ValueError:
                raise InvalidValueError("id", cells[index], "is not a record id") from None
    return None


def has_id_column(sheet: Sheet) -> bool:
    """True for an edited ``obs list`` output (a sheet with an ``id`` column)."""
    return any(listing_column(h) == "id" for h in sheet.headers)


def row_values(kind: Kind, columns: dict[int, str], cells: list[str]) -> dict[str, str]:
    """Field name -> cell text of a row, a coded cell as the listing shows it (``FBC
    花蕾露色期``, ``A 叶, B 花``) read as its code(s); any other text is left to the parser."""
    out: dict[str, str] = {}
    for index, name in columns.items():
        text, vocab = cells[index], kind.field(name).vocab
        if vocab and text.strip():
            codes = [code_shown(vocab, part) for part in text.split(",")]
            if all(codes):
                text = ",".join(c for c in codes if c)
        out[name] = text
    return out


def existing_id(session: Session, kind: Kind, raw: dict[str, str]) -> int | None:
    """The id of the live record with the row's natural key, if any."""
    checked = coerce(kind, raw, today=today_bt(), style="column")
    for name, code in checked.refs.items():
        checked.values[f"{name}_id"] = resolve_ref(session, kind.field(name).ref or name, code).id
    return H.same_key(session, kind, checked.values, exclude_id=None)


def differences(
    session: Session, kind: Kind, record: int, present: dict[str, str]
) -> dict[str, str]:
    """The fields of the row (name -> text; "" clears) whose values differ from the record."""
    stored_row = H.get_record(session, kind, record)
    out: dict[str, str] = {}
    for name, text in present.items():
        spec = kind.field(name)
        stored = getattr(stored_row, spec.target)
        if spec.type == "ref":
            if text.strip() and ref_code(session, spec.ref or name, stored) != text.strip():
                out[name] = text
            continue
        if not text.strip():
            if stored not in (None, ""):
                out[name] = ""
            continue
        new = coerce(kind, {name: text}, partial=True, style="column").values.get(spec.target)
        if not same(stored, new):
            out[name] = text
    return out


def ref_code(session: Session, ref: str, row_id: int | None) -> str | None:
    """The code or tag of a station, plot or plant by id."""
    if row_id is None:
        return None
    row = session.get(TABLES[ref], row_id)
    return None if row is None else str(getattr(row, REF_COLUMN[ref]))


def same(a: Any, b: Any) -> bool:
    """Equal values (floats within 1e-9)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-9
    return bool(a == b)
