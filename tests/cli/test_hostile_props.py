"""Property tests: every command that takes user text, given generated hostile option values
(invalid UTF-8, control characters, NUL, huge and tiny numbers, NaN/inf, dates at the ends of
the calendar, very long strings, shell and SQL text).

Property: the exit code is 0, 1, 2 or 3; no traceback and no bug caught by the error boundary;
every error has a hint; a refusal (exit 1 or 2) leaves the database dump identical; what was
accepted breaks no text rule (schemas/text_rules.py). Each test runs on SQLite and, with
OBS_TEST_POSTGRES_URL set, on PostgreSQL (marked postgres).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obs.db import make_engine
from tests.cli.hostile_tools import HOSTILE, REFUSALS, check, dump, garbage, tally, write_tally
from tests.conftest import Invoker, seed_sites

HYPO = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module", autouse=True)
def _tally() -> Iterator[None]:
    yield
    write_tally()


@pytest.fixture(params=BACKENDS)
def hostile(request, tmp_path: Path, _migrated_template: Path, monkeypatch) -> Invoker:
    """The CLI on a database with station 57511, plot JG-A, plants A-01…A-03, one phenology
    and one weather record (SQLite copy, or a fresh PostgreSQL database)."""
    if request.param == "sqlite":
        path = tmp_path / "obs.db"
        shutil.copyfile(_migrated_template, path)
        db = str(path)
    else:
        db = request.getfixturevalue("pg_url")
    engine = make_engine(db)
    seed_sites(engine, plants=3)
    engine.dispose()
    invoke = Invoker(db)
    invoke("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    invoke("record", "weather", "--station", "57511", "--date", "2024-12-05", "--tmax", "10")
    invoke.backend = request.param  # type: ignore[attr-defined]
    monkeypatch.chdir(tmp_path)
    return invoke


def run(invoke: Invoker, command: str, *args: str) -> object:
    """Run ``obs ARGS``, check the outcome, and the dump when it was refused."""
    before = dump(invoke.db)
    result = invoke(*args, expect=None)
    tally(command, invoke.backend, result.exit_code)  # type: ignore[attr-defined]
    check(result)
    if result.exit_code in REFUSALS:
        assert dump(invoke.db) == before, f"obs {args!r} was refused but changed the database"
    else:
        assert garbage(invoke.db) == [], f"obs {args!r} stored text that breaks the rules"
    return result


PHENOLOGY = ["--plant", "--date", "--stage", "--percent", "--open", "--unopened", "--time"]
PHENOLOGY += ["--observer", "--note", "--reached"]


@pytest.mark.parametrize("field", PHENOLOGY)
@HYPO
@given(value=HOSTILE)
def test_record_phenology(hostile, field, value):
    base = {"--plant": "A-02", "--date": "2024-12-06", "--stage": "FLS", field: value}
    run(hostile, "record phenology", "record", "phenology", *[x for kv in base.items() for x in kv])


WEATHER = ["--station", "--date", "--tmax", "--tmin", "--tmean", "--rh", "--precip"]
WEATHER += ["--phenomena", "--observer", "--note", "--source", "--tmean-method"]


@pytest.mark.parametrize("field", WEATHER)
@HYPO
@given(value=HOSTILE)
def test_record_weather(hostile, field, value):
    base = {"--station": "57511", "--date": "2024-12-07", "--tmax": "9", field: value}
    run(hostile, "record weather", "record", "weather", *[x for kv in base.items() for x in kv])


SITES = {
    "station": (
        ["57999", "--name", "x", "--latitude", "29", "--longitude", "106", "--elevation", "1"],
        ["CODE", "--name", "--latitude", "--elevation", "--note", "--time-system"],
    ),
    "plot": (
        ["JG-B", "--station", "57511", "--cultivar", "SUXIN"],
        ["CODE", "--station", "--cultivar", "--name", "--area-m2", "--terrain", "--note"],
    ),
    "plant": (
        ["B-01", "--plot", "JG-A"],
        ["CODE", "--plot", "--planting-year", "--position", "--map-x", "--note"],
    ),
}


@pytest.mark.parametrize(
    ("site", "option"), [(site, o) for site, (_, options) in SITES.items() for o in options]
)
@HYPO
@given(value=HOSTILE)
def test_site_add(hostile, site, option, value):
    args = list(SITES[site][0])
    if option == "CODE":
        args[0] = value
    elif option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    run(hostile, f"{site} add", site, "add", *args)


AMEND = ["obs_date", "stage_code", "percent", "flowers_open", "obs_time", "note", "observer"]
AMEND += ["plant", "nonsense", "open"]


@HYPO
@given(field=st.sampled_from(AMEND), value=HOSTILE, reason=HOSTILE)
def test_amend(hostile, field, value, reason):
    run(
        hostile, "amend", "amend", "phenology", "1", "--set", f"{field}={value}", "--reason", reason
    )


@HYPO
@given(
    command=st.sampled_from(["delete", "restore", "history"]),
    kind=st.one_of(st.sampled_from(["phenology", "weather", "station", "plant"]), HOSTILE),
    record=st.one_of(st.sampled_from(["1", "2"]), HOSTILE),
    reason=HOSTILE,
)
def test_delete_restore_history(hostile, command, kind, record, reason):
    extra = [] if command == "history" else ["--reason", reason]
    run(hostile, command, command, kind, record, *extra)


READS = [
    ["list", "phenology", "--station", "V"],
    ["list", "weather", "--season", "V"],
    ["list", "phenology", "--year", "V"],
    ["list", "phenology", "--plant", "V"],
    ["list", "V"],
    ["stages", "--season", "V"],
    ["stages", "--station", "V"],
    ["report", "season", "V"],
    ["report", "year", "V"],
    ["report", "season", "2024", "--plot", "V"],
    ["report", "completeness", "--year", "V"],
    ["report", "observers", "--year", "V"],
    ["validate", "--season", "V"],
    ["validate", "--station", "V"],
    ["station", "list", "--format", "V"],
    ["vocab", "V"],
]


@settings(HYPO, max_examples=40)
@given(args=st.sampled_from(READS), value=HOSTILE)
def test_reading_commands(hostile, args, value):
    label = " ".join(a for a in args if a != "V")
    run(hostile, label, *[value if a == "V" else a for a in args])


@HYPO
@given(
    option=st.sampled_from(["--db", "--lang"]),
    value=HOSTILE,
    command=st.sampled_from([["list", "phenology"], ["station", "list"], ["validate"]]),
)
def test_global_options(hostile, option, value, command, tmp_path):
    if option == "--db" and "\x00" not in value and value.strip():
        value = str(tmp_path / "dbs" / value.replace("/", "_")[:200])  # never the test database
    before = dump(hostile.db)
    result = hostile.runner.invoke(
        __import__("cli.main", fromlist=["app"]).app, [option, value, *command]
    )
    tally(f"global {option}", hostile.backend, result.exit_code)
    check(result)
    assert dump(hostile.db) == before


@HYPO
@given(
    what=st.sampled_from(["export", "backup", "restore-export", "report-output"]),
    name=HOSTILE,
)
def test_output_paths(hostile, tmp_path, what, name):
    target = str(tmp_path / "out" / name.replace("/", "_")[:200]) if name else name
    args = {
        "export": ["export", "--output", target, "--force"],
        "backup": ["backup", target, "--force"],
        "restore-export": ["restore-export", target],
        "report-output": ["report", "season", "2024", "--format", "md", "--output", target],
    }[what]
    (tmp_path / "out").mkdir(exist_ok=True)
    run(hostile, what, *args)
