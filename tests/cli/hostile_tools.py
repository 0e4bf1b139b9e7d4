"""Shared by the hostile-input tests: generated hostile values, the database dump compared
before and after a refused command, the outcome checks, and the tally of invocations."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import create_engine, inspect, text

from schemas import text_rules as R

# --- hostile option values -------------------------------------------------------------------


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


#: Bytes that are not UTF-8, as the shell hands them to Python (surrogate escapes).
INVALID_UTF8 = (
    st.binary(min_size=1, max_size=6)
    .filter(_not_utf8)
    .map(lambda b: os.fsdecode(b"ab" + b) if b.startswith(b"-") else os.fsdecode(b))
)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\t\n",
        "\x00",
        "a\x00b",
        "A-0\x00",
        "\x1b[2J",
        "\u202e",
        "\ufeff",
        "\r",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "1e309",
        "-1e309",
        "1e-320",
        "9" * 40,
        "-" + "9" * 25,
        "0",
        "-0",
        "0001-01-01",
        "9999-12-31",
        "0000-00-00",
        "2024-02-30",
        "2024-12-31 24:00",
        "24:00",
        "23:59:60",
        "1900-01-01",
        "2200-12-31",
        "'; DROP TABLE x;--",
        "$(id)",
        "`id`",
        "\\",
        "\\N",
        "_",
        "%s",
        "{}",
        "null",
        "始花期",
        "２０２４-１２-２０",
        "😀😀😀",
        "x" * 5000,
        "é" * 3000,
        "A-01" + "\u0301" * 40,
    ]
)
CONTROL = st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=4)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
LONG = st.integers(min_value=60, max_value=6000).map(lambda n: "ab" * (n // 2))
HOSTILE = st.one_of(INVALID_UTF8, SPECIAL, CONTROL, NUMBERS, st.text(max_size=24), LONG)


# --- outcomes ------------------------------------------------------------------------------

#: Exit codes a command may end with: ok, error, usage, data failed validation.
EXIT_CODES = (0, 1, 2, 3)
#: Refusals: nothing may have changed in the database.
REFUSALS = (1, 2)


def check(result: Any) -> None:
    """An allowed exit code, no traceback, no bug caught by the boundary, a hint with every
    error (exit 1)."""
    out = result.stdout + result.stderr
    assert result.exit_code in EXIT_CODES, (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in out, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    if result.exit_code == 1:
        assert "Hint:" in result.stderr, result.stderr


def url_of(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def dump(db: str) -> dict[str, list[str]]:
    """Every row of every table, as sorted text (the same on SQLite and PostgreSQL)."""
    engine = create_engine(url_of(db))
    try:
        with engine.connect() as conn:
            return {
                name: sorted(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{name}"')))
                for name in sorted(inspect(conn).get_table_names())
            }
    finally:
        engine.dispose()


#: Tables of records (what a user or a file put in); checked for garbage.
_SYSTEM = {"alembic_version", "history", "import_batch", "qc_flag"}


def garbage(db: str) -> list[str]:
    """Stored text that breaks :mod:`schemas.text_rules` (must stay empty): control characters,
    text over its column's length, site codes of other characters."""
    from sqlmodel import SQLModel

    import schemas.tables  # noqa: F401

    engine = create_engine(url_of(db))
    found = []
    codes = {("station", "code"), ("plot", "code"), ("plant", "tag")}
    try:
        with engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                if table.name in _SYSTEM:
                    continue
                for row in conn.execute(table.select()):
                    for column in table.columns:
                        value = row._mapping[column.name]
                        if not isinstance(value, str):
                            continue
                        limit = getattr(column.type, "length", None) or R.TEXT_MAX_CHARS
                        where = f"{table.name}.{column.name}={value[:30]!r}"
                        if R.FORBIDDEN_TEXT_RE.search(value) or len(value) > limit:
                            found.append(where)
                        if (table.name, column.name) in codes and not R.CODE_RE.fullmatch(value):
                            found.append(where)
    finally:
        engine.dispose()
    return found


# --- the tally of what was tried -------------------------------------------------------------

TALLY: Counter[tuple[str, str, int]] = Counter()
#: Inputs that hit a known failure of the import internals (see test_hostile_files.py).
KNOWN: list[dict[str, str]] = []


def tally(command: str, backend: str, exit_code: int) -> None:
    TALLY[(command, backend, exit_code)] += 1


def write_tally() -> None:
    """Add this run's tally to the JSON file named by OBS_HOSTILE_TALLY (when set)."""
    path = os.environ.get("OBS_HOSTILE_TALLY")
    if not path or not TALLY:
        return
    old: dict[str, int] = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            old = json.load(handle)
    for (command, backend, code), n in TALLY.items():
        key = f"{command}|{backend}|{code}"
        old[key] = old.get(key, 0) + n
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(old, handle, indent=1, sort_keys=True)
    TALLY.clear()
    if KNOWN:
        with open(path + ".known", "a", encoding="utf-8") as handle:
            handle.writelines(json.dumps(k, ensure_ascii=False) + "\n" for k in KNOWN)
        KNOWN.clear()
