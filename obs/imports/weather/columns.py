"""Map the header of a weather file to time columns and element codes.

Headers are matched through the aliases of :mod:`schemas.ingest` after normalisation
(:func:`normalize_header`); a user mapping ``{"source column": "element or time role"}`` wins
over the aliases. The kind of file (daily or sub-daily) follows from its time columns.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from obs.errors import InputFormatError, InvalidValueError
from schemas.ingest import (
    DAILY_ALIASES,
    SUBDAILY_ALIASES,
    TIME_ALIASES,
    UNITS,
    FileKind,
    TimeRole,
    UnitConversion,
)
from schemas.weather import DAILY_BY_CODE, SUBDAILY_BY_CODE, WeatherElement

_UNIT_RE = re.compile(r"[(\[]([^()\[\]]*)[)\]]\s*$")
_BRACKETS_RE = re.compile(r"[(\[][^()\[\]]*[)\]]")
_DROP_RE = re.compile(r"[\s_\-.·]+")
_CLOCK_RE = re.compile(r"\d{1,2}:\d{2}|T\d{2}")
_TIME_ROLES: tuple[TimeRole, ...] = ("datetime", "date", "time")


@dataclass(frozen=True, slots=True)
class ElementColumn:
    """One source column that feeds an element, with its unit conversion."""

    source: str
    element: str
    conversion: UnitConversion


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """What the columns of a file mean.

    ``datetime`` is set for a combined timestamp column; otherwise ``date`` (and, for a
    sub-daily file with a separate clock column, ``time``). ``ignored`` lists the source
    columns nothing uses; ``notes`` are remarks worth showing to the user.
    """

    kind: FileKind
    datetime: str | None
    date: str | None
    time: str | None
    elements: tuple[ElementColumn, ...]
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Element codes in source order."""
        return tuple(col.element for col in self.elements)


def normalize_header(text: str) -> tuple[str, str | None]:
    """Split a header into its lookup key and the unit written in trailing brackets.

    ``" 气温（℃） "`` -> ``("气温", "°c")``; ``"Rain [mm]"`` -> ``("rain", "mm")``.
    """
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    match = _UNIT_RE.search(folded)
    unit = re.sub(r"\s+", "", match.group(1)) if match else None
    key = _DROP_RE.sub("", _BRACKETS_RE.sub("", folded))
    return key, unit or None


def _alias_index(table: Mapping[Any, Iterable[str]]) -> dict[str, str]:
    return {
        normalize_header(alias)[0]: target for target, aliases in table.items() for alias in aliases
    }


def elements_of(kind: FileKind) -> dict[str, WeatherElement]:
    """The element table a file of ``kind`` is mapped onto."""
    return dict(DAILY_BY_CODE if kind == "daily" else SUBDAILY_BY_CODE)


def _user_targets(headers: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Header -> target for the user mapping; every named source column must exist."""
    by_key = {normalize_header(h)[0]: h for h in headers}
    out: dict[str, str] = {}
    for source, target in mapping.items():
        header = by_key.get(normalize_header(source)[0])
        if header is None:
            raise InvalidValueError(
                "mapping",
                source,
                "no such column in the file",
                hint=f"columns are: {', '.join(headers)}",
            )
        out[header] = target.strip()
    return out


def _time_columns(headers: Sequence[str], user: Mapping[str, str]) -> dict[TimeRole, str]:
    """Role -> header, from the user mapping first and the aliases second."""
    aliases = _alias_index(TIME_ALIASES)
    found: dict[TimeRole, list[str]] = {role: [] for role in _TIME_ROLES}
    for header in headers:
        role = user.get(header) or aliases.get(normalize_header(header)[0])
        if role in found and (header in user or not _user_claims(user, role)):
            found[role].append(header)  # type: ignore[index]
    for role, cols in found.items():
        if len(cols) > 1:
            raise InputFormatError(
                f"line 1: columns {cols[0]!r} and {cols[1]!r} both look like the {role} column",
                hint="name one of them in a mapping",
            )
    return {role: cols[0] for role, cols in found.items() if cols}


def _user_claims(user: Mapping[str, str], target: str) -> bool:
    return target in user.values()


def detect_kind(roles: Mapping[TimeRole, str], sample: Mapping[str, Sequence[str]]) -> FileKind:
    """``subdaily`` when the sample shows clock times, else ``daily``.

    A separate clock column means sub-daily; otherwise the first time column decides by its
    values: a date-only column is a daily file, timestamps make a sub-daily one.
    """
    if "time" in roles and ("date" in roles or "datetime" in roles):
        return "subdaily"
    column = roles.get("datetime") or roles.get("date") or roles.get("time")
    values = sample.get(column, ()) if column else ()
    return "subdaily" if any(_CLOCK_RE.search(str(v)) for v in values) else "daily"


def _element_columns(
    headers: Sequence[str],
    user: Mapping[str, str],
    kind: FileKind,
    units: Mapping[str, str],
) -> tuple[list[ElementColumn], list[str]]:
    """Element columns and the notes raised while mapping them."""
    table = elements_of(kind)
    aliases = _alias_index(DAILY_ALIASES if kind == "daily" else SUBDAILY_ALIASES)
    out: dict[str, ElementColumn] = {}
    notes: list[str] = []
    for header in headers:
        key, unit = normalize_header(header)
        code = user.get(header) or (
            "" if _user_claims(user, aliases.get(key, "")) else aliases.get(key, "")
        )
        if not code or code in _TIME_ROLES:
            continue
        if code not in table:
            raise InvalidValueError(
                "mapping",
                code,
                f"is not a {kind} element",
                hint=f"choose one of: {', '.join(table)}",
            )
        if code in out:
            raise InputFormatError(
                f"line 1: columns {out[code].source!r} and {header!r} both map to {code}",
                hint="name the right one in a mapping",
            )
        given = units.get(header)
        unit = normalize_header(f"({given})")[1] if given else unit
        conversion, note = _conversion(header, unit, table[code])
        notes.extend(note)
        out[code] = ElementColumn(header, code, conversion)
    return list(out.values()), notes


def _conversion(
    header: str, unit: str | None, element: WeatherElement
) -> tuple[UnitConversion, list[str]]:
    """The conversion of a header unit to the element's unit (identity when none is given)."""
    identity = UnitConversion(element.unit)
    if unit is None:
        return identity, []
    known = UNITS.get(unit)
    if known is None:
        return identity, [
            f"column {header!r}: unit {unit!r} not recognised, values taken as {element.unit}"
        ]
    if known.to_unit != element.unit:
        raise InputFormatError(
            f"line 1, column {header!r}: unit {unit!r} does not fit "
            f"{element.code} [{element.unit}]",
            hint="fix the header or map the column to another element",
        )
    return known, []


def resolve_columns(
    headers: Sequence[str],
    sample: Mapping[str, Sequence[str]],
    *,
    mapping: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    kind: FileKind | None = None,
) -> ColumnMap:
    """Decide what each column means.

    Parameters
    ----------
    headers
        Column names as written in the file's first line.
    sample
        A few data values per header (used to tell daily from sub-daily files).
    mapping
        User overrides ``{"source column": "element code" | "datetime" | "date" | "time"}``.
    units
        User units per source column (e.g. ``{"TEMP": "0.1℃"}``), overriding header brackets.
    kind
        Force ``daily`` or ``subdaily`` instead of detecting it.
    """
    _refuse_repeated(headers)
    user = _user_targets(headers, mapping or {})
    roles = _time_columns(headers, user)
    if not roles:
        raise InputFormatError(
            "line 1: no date or time column found",
            hint=f"columns are: {', '.join(headers)}; map one to 'datetime'",
        )
    found_kind = kind or detect_kind(roles, sample)
    elements, notes = _element_columns(headers, user, found_kind, units or {})
    if not elements:
        raise InputFormatError(
            f"line 1: no {found_kind} weather element column recognised",
            hint=f"columns are: {', '.join(headers)}; use a mapping",
        )
    return _column_map(headers, roles, found_kind, elements, notes)


def _column_map(
    headers: Sequence[str],
    roles: Mapping[TimeRole, str],
    kind: FileKind,
    elements: Sequence[ElementColumn],
    notes: Sequence[str],
) -> ColumnMap:
    datetime_col = roles.get("datetime")
    date_col = None if datetime_col else roles.get("date")
    time_col = roles.get("time")
    if datetime_col is None and date_col is None:
        datetime_col, time_col = time_col, None  # a lone "时间" column holding full timestamps
    if datetime_col is not None:
        time_col = None
    used = {datetime_col, date_col, time_col, *(col.source for col in elements)}
    ignored = tuple(h for h in headers if h not in used)
    return ColumnMap(kind, datetime_col, date_col, time_col, tuple(elements), ignored, tuple(notes))


def _refuse_repeated(headers: Sequence[str]) -> None:
    seen: set[str] = set()
    for header in headers:
        if header in seen:
            raise InputFormatError(
                f"line 1: column {header!r} appears twice", hint="rename one of the columns"
            )
        seen.add(header)
