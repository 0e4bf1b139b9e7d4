"""``obs stages``: derived stage dates read back as JSON/CSV; labels in zh/en; refusals."""

from __future__ import annotations

import csv
import io

import pytest

from obs.db import make_engine, session_scope
from obs.records.create import create


@pytest.fixture
def flowering(seeded):
    """Plants A-01…A-10 of JG-A reach FLS on 1 Dec + n days (season 2024/25)."""
    eng = make_engine(seeded.db)
    with session_scope(eng) as s:
        for n in range(1, 11):
            create(
                "phenology",
                {
                    "plant": f"A-{n:02d}",
                    "obs_date": f"2024-12-{1 + n:02d}",
                    "stage_code": "FLS",
                    "flowers_open": str(n),
                    "buds_unopened": str(20 - n),
                    "flowers_withered": "0",
                },
                session=s,
            )
    eng.dispose()
    return seeded


def test_json_rows_are_stage_date_fields(flowering):
    rows = flowering.json("stages", "--season", "2024/25")
    fls = {r["status"]: r for r in rows if r["stage_code"] == "FLS"}
    assert (fls["start"]["date"], fls["general"]["date"], fls["end"]["date"]) == (
        "2024-12-02",
        "2024-12-06",
        "2024-12-09",
    )
    assert fls["general"]["percent"] == 50.0
    assert fls["general"]["n_plants"] == 10
    assert fls["general"]["season"] == 2024
    assert set(fls["start"]) == {
        "station",
        "plot",
        "cultivar",
        "season",
        "stage_code",
        "status",
        "date",
        "percent",
        "method",
        "n_plants",
        "anomaly_days",
    }
    flf = [r for r in rows if r["stage_code"] == "FLF"]
    assert [(r["status"], r["date"]) for r in flf] == [("not_reached", None)]


def test_basis_adds_the_plants_a_date_rests_on(flowering):
    rows = flowering.json("stages", "--plot", "JG-A", "--basis", "--stage", "FLS")
    start = next(r for r in rows if r["status"] == "start")
    assert start["basis"] == "A-01 2024-12-02"
    assert {r["stage_code"] for r in rows} == {"FLS"}


def test_flower_ratio_method(flowering):
    rows = flowering.json("stages", "--method", "flower_ratio")
    # open ratios n/20 = 5 %, 10 %, …; plot mean of the plants seen so far ≥ 5 % on 2 Dec
    fls = next(r for r in rows if r["stage_code"] == "FLS")
    assert (fls["status"], fls["date"], fls["method"]) == ("general", "2024-12-02", "flower_ratio")


def test_table_labels_in_both_languages(flowering):
    en = flowering("stages", "--lang", "en").stdout
    assert "First flowering" in en and "general" in en and "not reached" in en
    assert "2024/25" in en
    zh = flowering("stages", "--lang", "zh", "--basis").stdout
    assert "始花期" in zh and "普遍期" in zh and "未进" in zh and "A-01 2024-12-02" in zh


def test_csv_header_and_year(flowering):
    text = flowering("stages", "--year", "2024", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "basis" not in rows[0]
    assert {(r["stage_code"], r["status"], r["date"]) for r in rows if r["date"]} == {
        ("FLS", "start", "2024-12-02"),
        ("FLS", "general", "2024-12-06"),
        ("FLS", "end", "2024-12-09"),
    }


def test_bloom_table(flowering):
    rows = flowering.json("stages", "--bloom")
    assert len(rows) == 1
    assert (rows[0]["season_label"], rows[0]["fls_date"], rows[0]["fle_date"]) == (
        "2024/25",
        "2024-12-06",
        None,
    )
    assert rows[0]["duration_days"] is None


def test_bloom_table_view_has_mean_and_trend_rows(flowering):
    text = flowering("stages", "--bloom", "--lang", "en").stdout
    assert "First flowering" in text and "2024-12-06" in text
    assert "mean" in text and "12-06" in text and "trend (d/10y)" in text
    assert "平均" in flowering("stages", "--bloom", "--lang", "zh").stdout


@pytest.fixture
def two_seasons(flowering):
    """FLS of every plant also in 2023/24, one day earlier than in 2024/25 (1 Dec + n − 1)."""
    eng = make_engine(flowering.db)
    with session_scope(eng) as s:
        for n in range(1, 11):
            create(
                "phenology",
                {"plant": f"A-{n:02d}", "obs_date": f"2023-12-{n:02d}", "stage_code": "FLS"},
                session=s,
            )
    eng.dispose()
    return flowering


def test_bloom_season_and_year_select_rows(two_seasons):
    text = two_seasons("stages", "--bloom", "--season", "2024", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["season_label"] for r in rows] == ["2024/25"]
    # the all-season mean (5 and 6 Dec -> day counts 66, 67 -> 66.5 -> 67 = 6 Dec) stays
    assert rows[0]["fls_mean"] == "12-06"
    assert [r["season"] for r in two_seasons.json("stages", "--bloom", "--year", "2023")] == [2023]


def test_bloom_stage_selects_the_stage_columns(two_seasons):
    rows = two_seasons.json("stages", "--bloom", "--stage", "FLS")
    assert not [k for r in rows for k in r if k.startswith(("fbc_", "flf_", "fle_"))]
    text = two_seasons("stages", "--bloom", "--stage", "FLS", "--lang", "en").stdout
    assert "First flowering" in text and "Bud colouring" not in text


def test_bloom_baseline_and_all_season_mean_are_labelled_apart(two_seasons):
    zh = two_seasons("stages", "--bloom", "--lang", "zh").stdout
    assert "往年平均（不含本季）" in zh and "多年平均（全部年份）" in zh
    rows = two_seasons.json("stages", "--bloom")
    assert {"fls_baseline", "fls_baseline_n", "fls_mean"} <= set(rows[0])


def test_empty_database(invoke):
    assert invoke.json("stages") == []
    assert invoke.json("stages", "--bloom") == []


def test_output_file(flowering, tmp_path):
    out = tmp_path / "stages.json"
    result = flowering("stages", "--format", "json", "--output", str(out))
    assert result.stdout == ""
    assert '"stage_code": "FLS"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--season", "2024", "--year", "2024"], 2, "give --season or --year, not both"),
        (["--bloom", "--season", "2024", "--year", "2024"], 2, "not both"),
        (["--bloom", "--basis"], 2, "--basis"),
        (["--bloom", "--stage", "LBS"], 2, "not a stage of the bloom timeline"),
        (["--lang", "xx"], 2, "'xx'"),
        (["--plot", "NOPE"], 1, "no plot 'NOPE'"),
        (["--stage", "XYZ"], 1, "no stage 'XYZ'"),
        (["--method", "flower_ratio", "--stage", "LBS"], 1, "no flower-ratio threshold"),
        # the same message and exit code as obs report season --method median
        (["--method", "median"], 1, "--method median: is not a stage-date method"),
    ],
)
def test_refusals(flowering, args, code, needle):
    result = flowering("stages", *args, expect=code)
    assert needle in result.stderr


def test_plants_json_has_one_row_per_plant_and_max_gap_says_how_many_were_kept(seeded):
    # not reached on 1 Dec, reached 4 Dec; A-02 reached 6 Dec without an earlier visit
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-01", "--stage", "FLS",
           "--reached", "no")  # fmt: skip
    for plant, day in (("A-01", "2024-12-04"), ("A-02", "2024-12-06")):
        seeded("record", "phenology", "--plant", plant, "--date", day, "--stage", "FLS")
    rows = seeded.json("stages", "--plants", "--season", "2024/25")
    # every plant observed in the season (A-03…A-10 were never visited: not observed)
    assert [r["plant"] for r in rows] == ["A-01", "A-02"]
    assert set(rows[0]) == {
        "plot", "cultivar", "plant", "stage", "season", "first_date", "last_date",
        "days_since_prior_no", "days_until_next_no",
    }  # fmt: skip
    by_plant = {r["plant"]: r for r in rows}
    assert by_plant["A-01"]["first_date"] == "2024-12-04"
    assert by_plant["A-01"]["days_since_prior_no"] == 3
    assert by_plant["A-02"]["days_since_prior_no"] is None
    kept = seeded.json("stages", "--season", "2024/25", "--stage", "FLS", "--max-gap", "7")
    assert [(r["status"], r["date"], r["n_plants"], r["n_excluded"]) for r in kept] == [
        ("start", "2024-12-04", 1, 1),
        ("general", "2024-12-04", 1, 1),
        ("end", "2024-12-04", 1, 1),
    ]
    table = seeded("stages", "--plants", "--lang", "zh").stdout
    assert "单株发育期" in table and "距前次未进(天)" in table
    refused = seeded("stages", "--plants", "--bloom", expect=2)
    assert "--plants" in refused.stderr
    seeded("stages", "--max-gap", "-1", expect=2)
