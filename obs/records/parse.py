"""Turn what a person typed (or a sheet cell held) into typed values, or say clearly why not."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from obs.errors import InvalidValueError
from schemas.terms import Term

#: Whole numbers must fit a 64-bit integer column (SQLite and PostgreSQL BIGINT).
MAX_INT = 2**63

_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME_RE = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
_TRUE = {"1", "true", "yes", "y", "t", "是", "对", "有"}
_FALSE = {"0", "false", "no", "n", "f", "否", "无", "未"}
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")


#: Observations before this date are typing mistakes, not records.
MIN_DATE = dt.date(1900, 1, 1)


def half_up(value: float, places: int = 1) -> float:
    """Round half away from zero (四舍五入), as Chinese observation practice does."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII, surrounding blanks removed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(field: str, value: object, *, today: dt.date | None = None) -> dt.date:
    """A date from ``YYYY-MM-DD`` (also ``/``, ``.``, ``年月日`` or ``YYYYMMDD``); not in the
    future when ``today`` is given."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        day = _date_from_text(field, str(value))
    if day < MIN_DATE:
        raise InvalidValueError(
            field, day.isoformat(), f"is before {MIN_DATE.year}", hint="check the year"
        )
    if today is not None and day > today:
        raise InvalidValueError(
            field,
            day.isoformat(),
            f"is in the future (today is {today})",
            hint="observations are recorded on or after the day they are made",
        )
    return day


def _date_from_text(field: str, raw: str) -> dt.date:
    text = normalise(raw)
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        raise InvalidValueError(field, raw, "is not a date", hint="write dates as YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise InvalidValueError(
            field, raw, f"is not a real date ({err})", hint="check the day and month"
        ) from None


def parse_time(field: str, value: object) -> dt.time:
    """A time of day ``HH:MM`` or ``HH:MM:SS`` (Beijing time unless the station says otherwise)."""
    if isinstance(value, dt.time):
        return value
    match = _TIME_RE.match(normalise(str(value)))
    try:
        if not match:
            raise ValueError("not HH:MM")
        return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
    except ValueError:
        raise InvalidValueError(
            field, value, "is not a time of day", hint="write times as HH:MM, e.g. 14:30"
        ) from None


def parse_float(field: str, value: object) -> float:
    """A finite number."""
    if isinstance(value, bool):
        raise InvalidValueError(field, value, "is not a number", hint="give a number")
    try:
        number = float(value if isinstance(value, int | float) else normalise(str(value)))
    except ValueError:
        raise InvalidValueError(field, value, "is not a number", hint="give a number") from None
    if not math.isfinite(number):
        raise InvalidValueError(field, value, "is not a finite number", hint="give a number")
    return number


def parse_int(field: str, value: object) -> int:
    """A whole number (``12`` or ``12.0``, not ``12.5``)."""
    number = parse_float(field, value)
    if not number.is_integer():
        raise InvalidValueError(field, value, "is not a whole number", hint="give a count")
    if abs(number) >= MAX_INT:
        raise InvalidValueError(field, value, "is too large", hint="give a realistic count")
    return int(number)


def parse_bool(field: str, value: object) -> bool:
    """yes/no, true/false, 1/0, 是/否."""
    if isinstance(value, bool):
        return value
    text = normalise(str(value)).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidValueError(field, value, "is not yes or no", hint="write yes or no (是/否)")


def parse_code(field: str, value: object, terms: Sequence[Term], vocab: str) -> str:
    """A vocabulary code, matched on the code (any case) or on its zh or en label."""
    text = normalise(str(value))
    for term in terms:
        if (
            text.upper() == term.code.upper()
            or text in (term.zh, term.en)
            or (text.lower() == term.en.lower())
        ):
            return term.code
    sample = ", ".join(t.code for t in terms[:12])
    more = ", …" if len(terms) > 12 else ""
    raise InvalidValueError(
        field,
        value,
        f"is not a known code of {vocab}",
        hint=f"one of {sample}{more}; list them with: obs vocab {vocab}",
    )


def parse_codes(field: str, value: object, terms: Sequence[Term], vocab: str) -> str:
    """A comma list of vocabulary codes, returned normalised as ``a,b``."""
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = [p for p in _LIST_SPLIT.split(normalise(str(value))) if p]
    return ",".join(dict.fromkeys(parse_code(field, item, terms, vocab) for item in items))
