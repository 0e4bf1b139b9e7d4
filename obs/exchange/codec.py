"""Values of database columns in export files, exact in both directions.

CSV cells are text: ``\\N`` stands for NULL (as in PostgreSQL ``COPY``), and a text value that
begins with a backslash gets one more, so NULL, the empty string and the text ``\\N`` stay
distinct. Floats are written with ``repr`` (shortest text that reads back to the same double),
booleans as ``true``/``false``, dates and times as ISO 8601, JSON columns as compact JSON with
sorted keys. JSON files hold the same values natively (numbers, booleans, null, objects).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Column, types

from obs.errors import InputFormatError

NULL = "\\N"
_TRUE, _FALSE = "true", "false"


def python_type(column: Column[Any]) -> type:
    """The Python type of a column's values (JSON columns: dict; text: str)."""
    kind = column.type
    if isinstance(kind, types.TypeDecorator):
        kind = kind.impl_instance
    for sql_type, py_type in _TYPES:
        if isinstance(kind, sql_type):
            return py_type
    return str


_TYPES: tuple[tuple[type, type], ...] = (
    (types.Boolean, bool),
    (types.Integer, int),
    (types.Float, float),
    (types.DateTime, dt.datetime),
    (types.Date, dt.date),
    (types.Time, dt.time),
    (types.JSON, dict),
)


def to_plain(column: Column[Any], value: Any) -> Any:
    """A value as JSON holds it."""
    if value is None:
        return None
    kind = python_type(column)
    if kind in (dt.datetime, dt.date, dt.time):
        return value.isoformat()
    if kind is dict or kind is list:
        return json.loads(json.dumps(value, sort_keys=True, ensure_ascii=False))
    return value


def from_plain(column: Column[Any], value: Any) -> Any:
    """A JSON value back in the column's Python type."""
    if value is None:
        return None
    kind = python_type(column)
    try:
        if kind in (dt.datetime, dt.date, dt.time):
            return kind.fromisoformat(value)  # type: ignore[attr-defined]
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    except (TypeError, ValueError):
        raise _bad(column, value) from None
    if kind in (int, bool, str, float) and not _is_exact(kind, value):
        raise _bad(column, value)
    return value


def _is_exact(kind: type, value: Any) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def to_cell(column: Column[Any], value: Any) -> str:
    """A value as one CSV cell."""
    if value is None:
        return NULL
    kind = python_type(column)
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is float:
        return repr(float(value))
    if kind is dict or kind is list:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    text = value.isoformat() if kind in (dt.datetime, dt.date, dt.time) else str(value)
    return "\\" + text if text.startswith("\\") else text


def from_cell(column: Column[Any], cell: str) -> Any:
    """One CSV cell back in the column's Python type."""
    if cell == NULL:
        return None
    text = cell[1:] if cell.startswith("\\") else cell
    kind = python_type(column)
    try:
        if kind is bool:
            return {_TRUE: True, _FALSE: False}[text]
        if kind is dict or kind is list:
            return json.loads(text)
        if kind in (int, float):
            return kind(text)
        if kind in (dt.datetime, dt.date, dt.time):
            return kind.fromisoformat(text)  # type: ignore[attr-defined]
    except (KeyError, ValueError):
        raise _bad(column, cell) from None
    return text


def _bad(column: Column[Any], value: Any) -> InputFormatError:
    return InputFormatError(
        f"{column.table.name}.{column.name}: {str(value)[:40]!r} is not a "
        f"valid {python_type(column).__name__}",
        hint="the export was changed by hand or is damaged",
    )
