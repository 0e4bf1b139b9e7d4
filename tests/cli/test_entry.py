"""Entry from the CLI: stored records read back as JSON, refusals leave the database unchanged."""

from __future__ import annotations

import pytest


def test_station_plot_plant_round_trip(seeded):
    stations = seeded.json("station", "list")
    assert stations[0]["code"] == "57511"
    assert stations[0]["latitude"] == pytest.approx(29.83)
    plants = seeded.json("plant", "list", "--plot", "JG-A")
    assert [p["tag"] for p in plants] == [f"A-{n:02d}" for n in range(1, 11)]
    assert {p["cultivar"] for p in plants} == {"SUXIN"}


def test_record_phenology_with_counts_computes_open_ratio(seeded):
    out = seeded.json(
        "record",
        "phenology",
        "--plant",
        "A-01",
        "--date",
        "2024-12-20",
        "--stage",
        "FLF",
        "--open",
        "30",
        "--unopened",
        "9",
        "--withered",
        "1",
    )
    assert out[0]["open_ratio"] == 75.0
    listed = seeded.json("list", "phenology", "--season", "2024/25")
    assert [(r["plant"], r["stage_code"], r["obs_date"]) for r in listed] == [
        ("A-01", "FLF", "2024-12-20")
    ]


def test_stage_given_by_chinese_label(seeded):
    out = seeded.json(
        "record", "phenology", "--plant", "A-02", "--date", "2024-12-08", "--stage", "始花期"
    )
    assert out[0]["stage_code"] == "FLS"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--date", "2024-02-30", "--stage", "FLS"], "--date 2024-02-30"),
        (["--date", "2024-13-01", "--stage", "FLS"], "--date 2024-13-01"),
        (["--date", "yesterday", "--stage", "FLS"], "is not a date"),
        (["--date", "2999-01-01", "--stage", "FLS"], "in the future"),
        (["--date", "2024-12-20", "--stage", "XYZ"], "--stage XYZ"),
        (["--date", "2024-12-20", "--stage", "DRM"], "derived, not observed"),
        (["--date", "2024-12-20", "--stage", "FLF", "--percent", "abc"], "--percent abc"),
        (["--date", "2024-12-20", "--stage", "FLF", "--percent", "101"], "--percent 101"),
        (["--date", "2024-12-20", "--stage", "FLF", "--open", "-3"], "--open -3"),
        (["--date", "2024-12-20", "--stage", "FLF", "--open", "2.5"], "whole number"),
    ],
)
def test_bad_phenology_refused_and_nothing_written(seeded, counts, args, needle):
    before = counts()
    result = seeded("record", "phenology", "--plant", "A-01", *args, expect=1)
    assert needle in result.stderr
    assert "Error:" in result.stderr and "Hint:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    assert counts() == before


def test_unknown_plant_refused(seeded, counts):
    before = counts()
    result = seeded(
        "record", "phenology", "--plant", "Z-99", "--date", "2024-12-20", "--stage", "FLS", expect=1
    )
    assert "no plant 'Z-99'" in result.stderr
    assert "obs plant list" in result.stderr
    assert counts() == before


def test_stage_order_contradiction_refused(seeded, counts):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLF")
    before = counts()
    result = seeded(
        "record", "phenology", "--plant", "A-01", "--date", "2024-12-25", "--stage", "FLS", expect=1
    )
    assert "contradicts plant A-01's stage order" in result.stderr
    assert counts() == before


def test_stage_order_is_per_season(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLF")
    # next season's first flowering comes after last season's full bloom: fine
    seeded("record", "phenology", "--plant", "A-01", "--date", "2025-12-02", "--stage", "FLS")


def test_duplicate_refused_with_amend_hint(seeded, counts):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLS")
    before = counts()
    result = seeded(
        "record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLS", expect=1
    )
    assert "exists already (id 1)" in result.stderr
    assert "obs amend phenology 1" in result.stderr
    assert counts() == before


def test_soft_limit_warns_and_stores(seeded):
    result = seeded(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2024-12-20",
        "--tmin",
        "-6.5",
        "--tmax",
        "4.0",
    )
    assert "Warning: --tmin -6.5 is unusual" in result.stderr
    assert seeded.json("list", "weather")[0]["t_min"] == -6.5


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--tmax", "70"], "--tmax 70: is outside the limits -55…55"),
        (["--tmin", "5", "--tmax", "3"], "--tmin 5: is above --tmax 3"),
        (["--tmin", "1", "--tmean", "9", "--tmax", "8"], "--tmean 9: is above --tmax 8"),
        (["--precip", "5", "--precip-20-08", "1", "--precip-08-20", "1"], "differs from"),
        (["--rh", "120"], "--rh 120"),
        (["--sunshine", "-1"], "--sunshine -1"),
    ],
)
def test_bad_weather_refused(seeded, counts, args, needle):
    before = counts()
    result = seeded(
        "record", "weather", "--station", "57511", "--date", "2024-12-20", *args, expect=1
    )
    assert needle in result.stderr
    assert counts() == before


def test_duplicate_weather_day_refused(seeded):
    seeded("record", "weather", "--station", "57511", "--date", "2024-12-20", "--tmax", "9")
    result = seeded(
        "record", "weather", "--station", "57511", "--date", "2024-12-20", "--tmax", "10", expect=1
    )
    assert "exists already" in result.stderr


def test_disaster_end_before_start_refused(seeded, counts):
    before = counts()
    result = seeded(
        "record",
        "disaster",
        "--plot",
        "JG-A",
        "--date",
        "2025-01-12",
        "--disaster",
        "FREEZE",
        "--start",
        "2025-01-10",
        "--end",
        "2025-01-09",
        expect=1,
    )
    assert "--end 2025-01-09: is before --start 2025-01-10" in result.stderr
    assert counts() == before


def test_disaster_severity_defaults_from_share(seeded):
    out = seeded.json(
        "record",
        "disaster",
        "--plot",
        "JG-A",
        "--date",
        "2025-01-12",
        "--disaster",
        "冻害" if False else "FREEZE",
        "--start",
        "2025-01-10",
        "--plants-affected-pct",
        "35",
    )
    assert out[0]["severity"] == 3


def test_missing_required_without_terminal_is_usage_error(seeded, counts):
    before = counts()
    result = seeded("record", "phenology", "--plant", "A-01", expect=2)
    assert "missing --date" in result.stderr
    assert counts() == before
