"""Property tests: ``obs import observations`` and ``obs import weather`` given generated
hostile files (encodings, BOMs, delimiters, ragged rows, duplicate and missing headers,
duplicate and out-of-range timestamps, hostile cells, binary garbage, empty files, a
directory) and hostile option values.

Property as in test_hostile_props.py: exit 0, 1, 2 or 3; no traceback, no bug caught by the
boundary; a hint with every error; a refusal (exit 1 or 2) leaves the database dump
identical; nothing stored breaks the text rules.

The four inputs that once crashed the import or left an ``import_batch`` row behind (issue 12
points 1 and 4) are kept as test_former_import_failures_are_clean_refusals.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obs.db import make_engine
from tests.cli.hostile_tools import (
    CONTROL,
    HOSTILE,
    REFUSALS,
    SPECIAL,
    check,
    dump,
    garbage,
    tally,
    write_tally,
)
from tests.conftest import Invoker, seed_sites

HYPO = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", autouse=True)
def _tally() -> Iterator[None]:
    yield
    write_tally()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path: Path, _migrated_template: Path, monkeypatch) -> Invoker:
    """The CLI on a database with station 57511, plot JG-A and plants A-01…A-03."""
    if request.param == "sqlite":
        path = tmp_path / "obs.db"
        shutil.copyfile(_migrated_template, path)
        url = str(path)
    else:
        url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    seed_sites(engine, plants=3)
    engine.dispose()
    invoke = Invoker(url)
    invoke.backend = request.param  # type: ignore[attr-defined]
    monkeypatch.chdir(tmp_path)
    return invoke


def run(invoke: Invoker, command: str, *args: str) -> object:
    before = dump(invoke.db)
    result = invoke(*args, expect=None)
    after = dump(invoke.db)
    tally(command, invoke.backend, result.exit_code)  # type: ignore[attr-defined]
    check(result)
    if result.exit_code in REFUSALS:
        assert after == before, f"obs {args!r} was refused but changed the database"
    else:
        assert garbage(invoke.db) == [], f"obs {args!r} stored text that breaks the rules"
    return result


# --- file content ------------------------------------------------------------------------------

#: Cells of a file: hostile values without surrogates (a file holds bytes, not escapes).
CELL = st.one_of(
    SPECIAL.filter(lambda s: len(s) < 200),
    CONTROL,
    st.text(max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1", "cp1252", "big5"]
DELIMITERS = [",", ";", "\t", "|"]


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def delimited(draw, headers: st.SearchStrategy[str], good_cells: st.SearchStrategy[str]):
    """A delimited text file: headers (maybe repeated or missing), ragged rows of good and
    hostile cells, in one of several encodings and delimiters, with or without a BOM."""
    names = draw(st.lists(headers, min_size=0, max_size=6))
    sep = draw(st.sampled_from(DELIMITERS))
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        width = max(0, len(names) + draw(st.sampled_from([0, 0, 0, -1, 1, 2])))
        rows.append([draw(st.one_of(good_cells, good_cells, CELL)) for _ in range(width)])
    lines = [sep.join(names), *(sep.join(r) for r in rows)]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    data = _encode(text, draw(st.sampled_from(ENCODINGS)))
    if draw(st.booleans()) and not data.startswith(b"\xef\xbb\xbf"):
        data = draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"])) + data
    return data


#: Whole files that are no sheet at all.
ODD_FILES = st.one_of(
    st.just(b""),
    st.just(b"\n\n\n"),
    st.just(b"\xef\xbb\xbf"),
    st.binary(min_size=1, max_size=300),
    st.just(b"PK\x03\x04" + b"\x00" * 40),  # a broken zip (an XLSX name below)
)

OBS_HEADERS = st.sampled_from(
    [
        *("plant", "观测株", "obs_date", "观测日期", "date", "stage_code", "发育期", "stage"),
        *("percent", "Percent", "百分率(%)", "note", "备注", "observer", "kind", "x", ""),
    ]
)
OBS_CELLS = st.sampled_from(
    ["A-01", "A-02", "A-03", "2024-12-06", "2024-12-07", "FLS", "FLP", "10", "phenology", ""]
)
WEATHER_HEADERS = st.sampled_from(
    [
        *("时间", "日期", "datetime", "date", "time", "气温", "t", "相对湿度", "rh", "降水"),
        *("precip", "最高气温", "tmax", "x", ""),
    ]
)
#: Cells of weather files, timestamps at the ends of the calendar among them.
WEATHER_CELLS = st.sampled_from(
    [
        *("2024-03-01 21:00", "2024-03-01 22:00", "2024-03-02 08:00", "2024-03-02"),
        *("0000-01-01 00:00", "0001-01-01 00:10", "9999-12-31 23:50"),
        *("2024-03-02 24:00", "2024-03-03 00:00", "2999-01-01", "2024-02-30 10:00"),
        *("10.5", "-3", "80", "999", ""),
    ]
)


def _write(tmp_path: Path, data: bytes, suffix: str) -> Path:
    path = tmp_path / f"sheet{suffix}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind_option", [[], ["--kind", "phenology"]])
@HYPO
@given(
    data=st.one_of(delimited(OBS_HEADERS, OBS_CELLS), delimited(OBS_HEADERS, OBS_CELLS), ODD_FILES),
    suffix=st.sampled_from([".csv", ".csv", ".txt", ".xlsx"]),
)
def test_import_observations_files(db, tmp_path, kind_option, data, suffix):
    path = _write(tmp_path, data, suffix)
    run(db, "import observations", "import", "observations", str(path), *kind_option)


@HYPO
@given(
    data=st.one_of(
        delimited(WEATHER_HEADERS, WEATHER_CELLS),
        delimited(WEATHER_HEADERS, WEATHER_CELLS),
        ODD_FILES,
    ),
    suffix=st.sampled_from([".csv", ".csv", ".txt", ".xlsx"]),
)
def test_import_weather_files(db, tmp_path, data, suffix):
    path = _write(tmp_path, data, suffix)
    run(db, "import weather", "import", "weather", str(path), "--station", "57511")


GOOD_OBS = "观测株,观测日期,发育期,备注\nA-01,2024-12-06,FLS,x\nA-02,2024-12-06,FLS,y\n"
GOOD_WEATHER = "时间,气温,相对湿度\n2024-03-01 21:00,10,80\n2024-03-01 22:00,9.5,81\n"


@pytest.mark.parametrize(
    "option", ["--encoding", "--delimiter", "--sheet", "--kind", "--reject-file"]
)
@HYPO
@given(value=HOSTILE)
def test_import_observations_options(db, tmp_path, option, value):
    path = _write(tmp_path, GOOD_OBS.encode(), ".csv")
    if option == "--reject-file" and value and "\x00" not in value:
        value = str(tmp_path / value.replace("/", "_")[:200])
    run(db, "import observations", "import", "observations", str(path), option, value)


@pytest.mark.parametrize(
    "option",
    ["--station", "--encoding", "--delimiter", "--sheet", "--map", "--offset", "--on-conflict"],
)
@HYPO
@given(value=HOSTILE)
def test_import_weather_options(db, tmp_path, option, value):
    path = _write(tmp_path, GOOD_WEATHER.encode(), ".csv")
    args = ["import", "weather", str(path), option, value]
    if option != "--station":
        args += ["--station", "57511"]
    run(db, "import weather", *args)


def test_a_directory_and_a_missing_file(db, tmp_path):
    (tmp_path / "folder.csv").mkdir()
    for command in (["observations"], ["weather", "--station", "57511"]):
        for target in ("folder.csv", "missing.csv"):
            result = run(db, f"import {command[0]}", "import", command[0], target, *command[1:])
            assert result.exit_code == 2  # type: ignore[attr-defined]


# --- inputs that once crashed the import or left a batch row, exactly -----------------------

FORMER_FAILURES = [
    pytest.param(
        "weather",
        "时间,气温\n2024-03-01 21:00,1\n0001-01-01 00:10,2\n2024-03-01 22:00,2\n",
        id="subdaily-year-0001",
    ),
    pytest.param(
        "weather",
        "时间,气温\n2024-03-01 21:00,1\n9999-12-31 23:50,2\n",
        id="subdaily-year-9999",
    ),
    pytest.param(
        "weather",
        "时间,气温\n2024-03-01 21:00,1\n2024-03-01 21:00,2\n",
        id="duplicate-timestamp",
    ),
    pytest.param(
        "observations",
        "观测株,观测日期,发育期\nA-01,2024-12-06,FLS\nA-02,2024-12-06,FLS,x\n",
        id="ragged-observations",
    ),
    pytest.param(
        "weather",
        "时间,时间\n2024-03-01 21:00,2024-03-01 21:00,2024-03-01 21:00",  # found by the CI profile
        id="ragged-weather",
    ),
]


@pytest.mark.parametrize(("command", "content"), FORMER_FAILURES)
def test_former_import_failures_are_clean_refusals(db, tmp_path, command, content):
    path = _write(tmp_path, content.encode(), ".csv")
    extra = ["--station", "57511"] if command == "weather" else []
    before = dump(db.db)
    result = db("import", command, str(path), *extra, expect=None)
    check(result)
    if result.exit_code in REFUSALS:
        assert dump(db.db) == before
