"""Bad input and faults: no traceback, exit 0/1/2, nothing written on a refusal, no password
shown, a read-only database refused cleanly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Invoker

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\t\n",
            "'; DROP TABLE phenology; --",
            "1 OR 1=1",
            "NaN",
            "inf",
            "-inf",
            "1e309",
            "9" * 400,
            "-0",
            "２０２４-１２-２０",
            "2024-12-20\x00",
            "\\N",
            "%s",
            "{}",
            "None",
            "null",
            "Ｆｌｆ",
            "始花期",
            "😀",
            "\u202e",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
RECORD_FIELDS = [
    "--date",
    "--stage",
    "--percent",
    "--open",
    "--unopened",
    "--time",
    "--observer",
    "--note",
    "--reached",
]
AMEND_FIELDS = [
    "obs_date",
    "stage_code",
    "percent",
    "flowers_open",
    "obs_time",
    "reached",
    "plant",
    "note",
    "nonsense",
    "open",
]
HYPO = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _snapshot(invoke):
    return invoke.json("list", "phenology", "--deleted"), invoke.json("history", "phenology", "1")


def _check(result):
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)


@pytest.fixture
def one_record(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    return seeded


@HYPO
@given(field=st.sampled_from(RECORD_FIELDS), value=HOSTILE)
def test_record_with_hostile_value(one_record, counts, field, value):
    before, rows = counts(), _snapshot(one_record)
    result = one_record(
        "record",
        "phenology",
        "--plant",
        "A-02",
        "--date",
        "2024-12-06",
        "--stage",
        "FLS",
        field,
        value,
        expect=None,
    )
    _check(result)
    if result.exit_code != 0:
        assert counts() == before
        assert _snapshot(one_record) == rows
    else:  # accepted: exactly one new record, nothing else touched
        after = counts()
        assert after["phenology"] == before["phenology"] + 1
        one_record(
            "delete",
            "phenology",
            str(one_record.json("list", "phenology")[-1]["id"]),
            "--reason",
            "test cleanup",
        )


@HYPO
@given(field=st.sampled_from(AMEND_FIELDS), value=HOSTILE, reason=HOSTILE)
def test_amend_with_hostile_value(one_record, counts, field, value, reason):
    before, rows = counts(), _snapshot(one_record)
    result = one_record(
        "amend", "phenology", "1", "--set", f"{field}={value}", "--reason", reason, expect=None
    )
    _check(result)
    if result.exit_code != 0:
        assert counts() == before
        assert _snapshot(one_record) == rows
    else:
        assert counts()["history"] == before["history"] + 1


@pytest.mark.parametrize(
    "args",
    [
        ["list", "phenology"],
        ["record", "weather", "--station", "57511", "--date", "2024-12-20", "--tmax", "1"],
        ["amend", "weather", "1", "--set", "tmax=1", "--reason", "x"],
        ["export", "--output", "OUT"],
        ["push", "--to", "postgresql+psycopg://central:hunter2@127.0.0.1:1/obs"],
    ],
)
def test_password_never_shown(tmp_path, args):
    url = "postgresql+psycopg://obs:s3cret-pw@127.0.0.1:1/obs"
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = Invoker(url)(*args, expect=1)
    text = result.stdout + result.stderr
    assert "s3cret-pw" not in text and "hunter2" not in text
    assert "***" in text
    assert "Traceback" not in text


def test_password_not_in_help():
    result = Invoker("postgresql+psycopg://obs:s3cret-pw@127.0.0.1:1/obs")("push", "--help")
    assert "s3cret-pw" not in result.stdout


def test_read_only_database_refused_without_partial_write(seeded, db_path, tmp_path, monkeypatch):
    # Tests run as root, where chmod does not stop writes: open the file read-only instead
    # (SQLite URI mode=ro). The copy is in rollback-journal mode so no -wal file is needed.
    ro_path = tmp_path / "ro" / "obs.db"
    ro_path.parent.mkdir()
    seeded("backup", str(ro_path))
    monkeypatch.chdir(tmp_path)
    before = Invoker(str(ro_path)).json("list", "phenology")
    ro = Invoker(f"sqlite:///file:{ro_path}?mode=ro&uri=true")
    result = ro(
        "record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS", expect=1
    )
    assert "read-only" in result.stderr and "Hint:" in result.stderr
    assert "Traceback" not in result.stderr
    assert Invoker(str(ro_path)).json("list", "phenology") == before


@pytest.mark.parametrize(
    "args",
    [
        [
            "record",
            "phenology",
            "--plant",
            "A-02",
            "--date",
            "2024-12-06",
            "--stage",
            "FLS",
            "--open",
            "1e40",
        ],
        ["amend", "phenology", "1", "--set", "flowers_open=1e40", "--reason", "x"],
    ],
)
def test_integer_beyond_64_bits_refused(one_record, counts, args):
    # Found by test_record_with_hostile_value ('--open 0100e44'): obs.records.parse.parse_int
    # accepts any whole number, and SQLite cannot store one beyond 64 bits (OverflowError).
    before = counts()
    result = one_record(*args, expect=None)
    _check(result)
    assert result.exit_code == 1
    assert counts() == before
