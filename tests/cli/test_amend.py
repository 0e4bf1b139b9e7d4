"""CLI: obs amend / history / delete / restore, and the data reports on amended data."""

from __future__ import annotations

import pytest


@pytest.fixture
def flowered(seeded):
    seeded(
        "record",
        "phenology",
        "--plant",
        "A-01",
        "--date",
        "2024-12-05",
        "--stage",
        "FLS",
        "--observer",
        "王芳",
    )
    seeded(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2024-12-20",
        "--tmax",
        "12.4",
        "--tmin",
        "3.1",
    )
    return seeded


def test_amend_then_history_shows_each_version(flowered):
    out = flowered.json("amend", "weather", "1", "--set", "tmax=13.5", "--reason", "typo")
    assert out[0]["t_max"] == 13.5
    chain = flowered.json("history", "weather", "1")
    assert [(v["version"], v["action"]) for v in chain] == [(1, "create"), (2, "amend")]
    assert chain[1]["changes"] == {"t_max": [12.4, 13.5]}
    assert chain[1]["reason"] == "typo"
    csv_text = flowered("history", "weather", "1", "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "version,action,at,actor,reason,changes"
    assert "t_max: 12.4 → 13.5" in csv_text


def test_revert_restores_version(flowered):
    flowered("amend", "weather", "1", "--set", "tmax=13.5", "--reason", "typo")
    flowered("amend", "weather", "1", "--revert", "1", "--reason", "was right")
    assert flowered.json("list", "weather")[0]["t_max"] == 12.4
    assert [v["action"] for v in flowered.json("history", "weather", "1")] == [
        "create",
        "amend",
        "revert",
    ]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--set", "plant=A-02"], 1, "cannot be amended"),
        (["--set", "tmin=20"], 1, "is above"),
        (["--set", "tmax"], 1, "not FIELD=VALUE"),
        (["--set", "tmax=12", "--revert", "1"], 2, "either --set"),
        ([], 2, "either --set"),
        (["--revert", "9"], 1, "no version 9"),
    ],
)
def test_amend_refusals_change_nothing(flowered, counts, args, code, needle):
    kind, rid = ("phenology", "1") if "plant=A-02" in args else ("weather", "1")
    before = counts()
    result = flowered("amend", kind, rid, *args, "--reason", "x", expect=code)
    assert needle in result.stderr
    assert result.stdout == ""
    assert counts() == before


def test_amend_missing_reason_is_usage_error(flowered):
    assert flowered("amend", "weather", "1", "--set", "tmax=1", expect=2).exit_code == 2


def test_delete_restore_round(flowered):
    flowered("delete", "phenology", "1", "--reason", "wrong plant")
    assert flowered.json("list", "phenology") == []
    assert len(flowered.json("list", "phenology", "--deleted")) == 1
    flowered("restore", "phenology", "1", "--reason", "right plant after all")
    assert len(flowered.json("list", "phenology")) == 1


def test_delete_station_with_records_refused(flowered, counts):
    before = counts()
    result = flowered("delete", "station", "1", "--reason", "x", expect=1)
    assert "still has live records" in result.stderr and "Hint:" in result.stderr
    assert counts() == before


def test_restore_refused_when_key_taken(flowered):
    flowered("delete", "weather", "1", "--reason", "x")
    flowered("record", "weather", "--station", "57511", "--date", "2024-12-20", "--tmax", "9")
    result = flowered("restore", "weather", "1", "--reason", "x", expect=1)
    assert "same key" in result.stderr


def test_observers_report_counts_amendments(flowered):
    flowered("amend", "weather", "1", "--set", "tmax=13.5", "--reason", "typo")
    rows = {r["observer"]: r for r in flowered.json("report", "observers", "--year", "2024")}
    assert rows["王芳"]["records"] == 1 and rows["王芳"]["amended"] == 0
    # phenology: obs_date and stage_code are its two values
    assert rows["王芳"]["values"] == 2
    others = [r for name, r in rows.items() if name != "王芳"]
    assert [(r["records"], r["amended"]) for r in others] == [(1, 1)]
    # weather: obs_date, t_max, t_min and t_mean, derived at entry as (12.4 + 3.1) / 2
    assert others[0]["values"] == 4 and others[0]["errors_per_1000"] == 0


def test_completeness_counts_days_and_visits(flowered):
    flowered("record", "weather", "--station", "57511", "--date", "2024-12-22", "--tmax", "9")
    report = flowered.json("report", "completeness", "--year", "2024")
    tmax = next(r for r in report["weather"] if r["element"] == "t_max")
    assert tmax["12"] == 2 and tmax["total"] == 2 and tmax["01"] == 0
    days = next(r for r in report["weather"] if r["element"] == "days_in_period")
    assert days["02"] == 29 and days["total"] == 366  # 2024 is a leap year
    a01 = next(r for r in report["visits"] if r["plant"] == "A-01")
    assert a01["12"] == 1 and a01["total"] == 1
    gaps = [(g["start"], g["end"], g["days"]) for g in report["gaps"] if g["element"] == "t_max"]
    assert gaps == [
        ("2024-01-01", "2024-12-19", 354),
        ("2024-12-21", "2024-12-21", 1),
        ("2024-12-23", "2024-12-31", 9),
    ]
    csv_text = flowered(
        "report", "completeness", "--year", "2024", "--section", "visits", "--format", "csv"
    ).stdout
    assert csv_text.splitlines()[0].startswith("plot,plant,01,02")


def test_amend_format_table_prints_the_amended_record(flowered):
    result = flowered(
        "amend", "weather", "1", "--set", "tmax=13.5", "--reason", "typo", "-f", "table"
    )
    line = next(x for x in result.stdout.splitlines() if " t_max " in x)
    assert "13.5" in line
    plain = flowered("amend", "weather", "1", "--set", "tmax=13.6", "--reason", "typo")
    assert plain.stdout == ""


def test_observers_report_does_not_credit_automatic_weather_to_who_loaded_it(flowered):
    for day, source in (("2024-12-21", "aws"), ("2024-12-22", "imported")):
        flowered(
            "record",
            "weather",
            "--station",
            "57511",
            "--date",
            day,
            "--tmax",
            "9",
            "--source",
            source,
        )
    flowered(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2024-12-23",
        "--tmax",
        "8",
        "--source",
        "aws",
        "--observer",
        "李明",
    )
    rows = {r["observer"]: r["records"] for r in flowered.json("report", "observers")}
    # the manual weather row of the fixture stays with whoever entered it (no observer given)
    assert rows.pop("(automatic)") == 2 and rows.pop("李明") == 1 and rows.pop("王芳") == 1
    assert list(rows.values()) == [1]


def test_history_times_are_station_time_to_the_second() -> None:
    from cli.commands.amend import local_time

    stamp = "2024-12-28T04:05:06.789012"  # stored UTC, microseconds
    assert local_time(stamp, 8.0, "zh") == "2024-12-28 12:05:06 北京时"
    assert local_time(stamp, 8.0, "en") == "2024-12-28 12:05:06 Beijing time"
    assert local_time(stamp, 7.0, "zh") == "2024-12-28 11:05:06 UTC+7"
