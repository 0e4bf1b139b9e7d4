"""The thresholds a user sets in ``qc.toml`` beside the config: an override changes a flag,
in the engine and through the CLI; the windows follow what the checks declare."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from obs.db import session_scope
from obs.errors import ObsError
from obs.qc.driver import validate
from obs.qc.registry import checks_of, fields_read, reach_of
from obs.qc.settings import configured_rules, load_qc_rules, qc_rules_path
from obs.qc.windows import daily_reach_days, daily_span, qc_context_seconds
from obs.records.create import create
from schemas.qc_rules import DEFAULT_QC_RULES
from schemas.terms import Limits
from tests.conftest import Invoker, seed_sites

JULY_57511 = """
[[override]]
station = "57511"
month = 7
daily.t_max = { hard_min = -20, hard_max = 45, soft_max = 38 }
"""


def _write(folder: Path, text: str) -> Path:
    (folder / "config.toml").write_text("", encoding="utf-8")
    path = folder / "qc.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_lies_beside_the_config(tmp_path: Path) -> None:
    env = {"OBS_CONFIG": str(tmp_path / "config.toml")}
    assert qc_rules_path(env) == tmp_path / "qc.toml"
    assert configured_rules(env) is DEFAULT_QC_RULES  # no file: the defaults
    _write(tmp_path, "[rules]\npersistence_hours = 12\n" + JULY_57511)
    rules = configured_rules(env)
    assert rules.persistence_hours == 12.0
    assert rules.override("57511", 7).daily_limits["t_max"] == Limits(-20.0, 45.0, None, 38.0)
    august = rules.override("57511", 8).daily_limits["t_max"]
    assert august == DEFAULT_QC_RULES.daily_limits["t_max"]


@pytest.mark.parametrize(
    "text, words",
    [
        ("[rules]\npersistence_hour = 12\n", "no threshold 'persistence_hour'"),
        ("[rules]\npersistence_hours = 'long'\n", "persistence_hours"),
        ("[[override]]\nmonth = 13\n", "month = 13"),
        ("[[override]]\ndaily.t_max = { top = 3 }\n", "t_max"),
        ("[limits]\n", "unknown section limits"),
        ("[rules\n", "cannot read QC rules file"),
    ],
)
def test_a_bad_file_is_refused_with_a_hint(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ObsError, match=words) as err:
        load_qc_rules(_write(tmp_path, text))
    assert err.value.hint and "qc.toml" in err.value.hint


def _record_hot_day(eng: Engine, day: str) -> None:
    with session_scope(eng) as s:
        create(
            "weather",
            {"station": "57511", "obs_date": day, "t_max": "40", "t_min": "25", "precip": "0"},
            session=s,
        )


def _flags(eng: Engine) -> list[tuple[object, ...]]:
    with eng.connect() as c:
        sql = "SELECT d.obs_date, f.check_name, f.flag FROM qc_flag f JOIN daily_weather d "
        sql += "ON f.kind = 'daily' AND f.record_id = d.id ORDER BY d.obs_date, f.check_name"
        return [tuple(r) for r in c.execute(text(sql)).all()]


def test_a_station_month_override_changes_a_flag(engine: Engine, tmp_path: Path) -> None:
    seed_sites(engine)
    _record_hot_day(engine, "2024-07-02")
    _record_hot_day(engine, "2024-08-02")
    with session_scope(engine) as s:
        validate(session=s, kinds=["daily"])
    assert _flags(engine) == []  # 40 °C is inside the default limits of t_max
    rules = load_qc_rules(_write(tmp_path, JULY_57511))
    with session_scope(engine) as s:
        summary = validate(session=s, kinds=["daily"], rules=rules)
    # above the soft maximum of July at 57511 only; August keeps the defaults
    assert _flags(engine) == [("2024-07-02", "outside_soft_limits", 1)]
    assert summary.suspects == 1


def test_the_cli_reads_the_file_beside_its_config(seeded: Invoker, tmp_path: Path) -> None:
    args = ("record", "weather", "--station", "57511", "--date", "2024-07-02")
    seeded(*args, "--tmax", "40", "--tmin", "25", "--precip", "0")
    plain = json.loads(seeded("validate", "--kind", "daily", "--format", "json").stdout)
    assert plain["flags"] == []
    env = {"OBS_CONFIG": str(tmp_path / "config.toml")}
    _write(tmp_path, JULY_57511 + "extremes.t_max = { soft_max = 39 }\n")
    out = seeded("validate", "--kind", "daily", "--format", "json", env=env)
    names = sorted(f["check_name"] for f in json.loads(out.stdout)["flags"])
    assert names == ["outside_climate_extremes", "outside_soft_limits"]
    # a hard maximum of 39 °C in July makes 40 °C an error: exit 3
    _write(tmp_path, JULY_57511.replace("hard_max = 45", "hard_max = 39"))
    failed = seeded("validate", "--kind", "daily", "--format", "json", env=env, expect=3)
    assert [f["check_name"] for f in json.loads(failed.stdout)["flags"]] == ["outside_hard_limits"]


def test_entry_reads_the_same_rules(seeded: Invoker, tmp_path: Path) -> None:
    args = ("record", "weather", "--station", "57511", "--tmax", "20", "--tmin", "10")
    halves = ("--precip-20-08", "1.0", "--precip-08-20", "2.0", "--precip", "3.3")
    refused = seeded(*args, "--date", "2024-07-01", *halves, expect=None)
    assert refused.exit_code != 0 and "20–08 + 08–20" in refused.stderr
    _write(tmp_path, "[rules]\nprecip_sum_tolerance = 0.5\n")
    env = {"OBS_CONFIG": str(tmp_path / "config.toml")}
    seeded(*args, "--date", "2024-07-01", *halves, env=env)


def test_windows_follow_the_checks_declarations() -> None:
    rules = DEFAULT_QC_RULES
    assert qc_context_seconds(rules) == 25 * 3600  # a 24 h persistence run, plus an hour
    longer = dataclasses.replace(rules, persistence_hours=48.0)
    assert qc_context_seconds(longer) == 49 * 3600
    assert qc_context_seconds(longer) == reach_of("subdaily", longer).total_seconds()
    assert daily_reach_days(rules) == 1  # the day-to-day step
    assert daily_span(dt.date(2024, 1, 1), dt.date(2024, 1, 9), rules)[1] == dt.date(2024, 1, 10)
    assert {c.name for c in checks_of("daily") if c.looks_back(rules)} == {"daily_step"}
    assert {"t", "rh", "sunshine"} <= set(fields_read("subdaily"))
