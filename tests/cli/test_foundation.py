"""init, vocab, language, database selection and prompts, as a user runs them."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Invoker, row_counts


def test_init_twice_and_list_empty(tmp_path):
    invoke = Invoker(str(tmp_path / "new.db"))
    first = invoke("init")
    assert "database ready" in first.stderr
    invoke("init")
    assert invoke.json("station", "list") == []


def test_missing_database_file_is_not_created_by_a_read(tmp_path):
    path = tmp_path / "typo" / "fresh.db"
    result = Invoker(str(path))("station", "list", expect=1)
    assert f"Error: no database at {path}" in result.stderr
    assert f"Hint: create it with: obs --db {path} init" in result.stderr
    assert not path.parent.exists()


def test_empty_database_file_gets_init_hint(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    result = Invoker(str(path))("station", "list", expect=1)
    assert "Error: the database has no obs tables yet" in result.stderr
    assert "Hint: run: obs init" in result.stderr


def test_empty_db_option_is_refused_not_taken_as_default():
    result = Invoker("")("station", "list", expect=1)
    assert "Error: --db is empty" in result.stderr


def test_relative_sqlite_url_is_shown_resolved(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = Invoker("sqlite:///rel.db")("init")
    assert f"sqlite:///{tmp_path}/rel.db" in result.stderr


@pytest.mark.parametrize(
    ("db", "needle"),
    [
        ("mysql://root@localhost/x", "unknown database scheme 'mysql'"),
        ("/proc/obs-cannot-be-here/x.db", "cannot"),
        ("postgresql://obs:s3cret@127.0.0.1:1/obs", "cannot open"),
    ],
)
def test_bad_database_is_a_clear_error(db, needle):
    result = Invoker(db)("init", expect=1)
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_database_from_environment(tmp_path):
    path = tmp_path / "env.db"
    from typer.testing import CliRunner

    from cli.main import app

    result = CliRunner().invoke(app, ["init"], env={"OBS_DB": str(path)})
    assert result.exit_code == 0, result.stderr
    assert path.exists()


def test_vocab_lists_stages_bilingually(invoke):
    stages = json.loads(invoke("vocab", "stages", "--format", "json").stdout)
    assert len(stages) == 20
    fls = next(s for s in stages if s["code"] == "FLS")
    assert fls["zh"] == "始花期" and fls["en"] == "First flowering"
    assert fls["window"] == "10-15…02-15"
    names = {r["name"] for r in json.loads(invoke("vocab", "--format", "json").stdout)}
    assert {"stages", "disasters", "pests", "cultivars", "elements"} <= names


def test_vocab_unknown_name(invoke):
    result = invoke("vocab", "trees", expect=1)
    assert "no vocabulary 'trees'" in result.stderr


def test_lang_switches_table_labels(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLS")
    zh = seeded("--lang", "zh", "list", "phenology") if False else None
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    zh = runner.invoke(app, ["--db", seeded.db, "--lang", "zh", "list", "phenology"])
    en = runner.invoke(app, ["--db", seeded.db, "--lang", "en", "list", "phenology"])
    assert "观测日期" in zh.stdout and "发育期观测" in zh.stdout
    assert "Date" in en.stdout and "Phenology" in en.stdout
    env_en = runner.invoke(app, ["--db", seeded.db, "list", "phenology"], env={"OBS_LANG": "en"})
    assert "Phenology" in env_en.stdout


def test_interactive_prompt_fills_missing_values(seeded, monkeypatch):
    monkeypatch.setattr("cli.prompts.interactive", lambda: True)
    # stage chosen by its number in the shown list (FLS is number 10)
    result = seeded("record", "phenology", "--plant", "A-03", input="2024-12-06\n10\n")
    assert "始花期" in result.stderr  # the choices were shown in the user's language
    rows = seeded.json("list", "phenology", "--plant", "A-03")
    assert [(r["obs_date"], r["stage_code"]) for r in rows] == [("2024-12-06", "FLS")]


def test_interactive_prompt_accepts_label(seeded, monkeypatch):
    monkeypatch.setattr("cli.prompts.interactive", lambda: True)
    seeded("record", "status", "--plot", "JG-A", "--date", "2024-12-28", input="盛花期\n一类\n")
    rows = seeded.json("list", "status")
    assert (rows[0]["stage_code"], rows[0]["growth_class"]) == ("FLF", 1)


@pytest.mark.parametrize(
    "kind,args",
    [
        (
            "growth",
            ["--plant", "A-01", "--date", "2025-01-10", "--item", "plant_height", "--value", "235"],
        ),
        (
            "yield",
            [
                "--plot",
                "JG-A",
                "--date",
                "2025-01-05",
                "--item",
                "cut_branch_stems",
                "--value",
                "1800",
            ],
        ),
        (
            "pest",
            ["--plot", "JG-A", "--date", "2024-06-12", "--pest", "APHID", "--incidence-pct", "12"],
        ),
        (
            "fieldwork",
            ["--plot", "JG-A", "--item", "PRUNE_WINTER", "--start", "2025-02-20", "--quality", "3"],
        ),
        ("status", ["--plot", "JG-A", "--date", "2024-12-28", "--stage", "FLF", "--class", "2"]),
    ],
)
def test_every_kind_records_and_lists(seeded, kind, args):
    stored = seeded.json("record", kind, *args)[0]
    listed = seeded.json("list", kind)
    assert [r["id"] for r in listed] == [stored["id"]]


def test_pest_damage_level_and_kind_derived(seeded):
    row = seeded.json(
        "record",
        "pest",
        "--plot",
        "JG-A",
        "--date",
        "2024-06-12",
        "--pest",
        "APHID",
        "--incidence-pct",
        "12",
    )[0]
    assert (row["pest_kind"], row["damage_level"]) == ("insect", 2)


def test_growth_value_outside_item_limits_refused(seeded, counts):
    before = counts()
    result = seeded(
        "record",
        "growth",
        "--plant",
        "A-01",
        "--date",
        "2025-01-10",
        "--item",
        "plant_height",
        "--value",
        "2000",
        expect=1,
    )
    assert "--value 2000: is outside the limits 0…1300" in result.stderr
    assert counts() == before


# --- hypothesis: random bad values never write a row ---------------------------------------


def _not_number(text: str) -> bool:
    import unicodedata

    try:
        float(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        return True
    return False


BAD_TEXT = st.one_of(
    st.text(min_size=1, max_size=12).filter(lambda s: s.strip() and not s.strip().isdigit()),
    st.sampled_from(
        [
            "'; DROP TABLE phenology; --",
            "１２３abc",
            "nan",
            "inf",
            "-inf",
            "1e309",
            "2024-02-30",
            "0000-00-00",
            "13:99",
            " ",
            "null",
            "None",
            "∞",
        ]
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(["--date", "--percent", "--open", "--stage", "--time"]), value=BAD_TEXT
)
def test_random_bad_values_never_write(seeded, field, value):
    url = f"sqlite:///{seeded.db}"
    before = row_counts(url)
    args = {"--date": "2024-12-20", "--stage": "FLF"}
    args[field] = value
    flat = [x for kv in args.items() for x in kv]
    result = seeded("record", "phenology", "--plant", "A-01", *flat, expect=None)
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if result.exit_code != 0:
        assert row_counts(url) == before
        assert "Error:" in result.stderr or "Usage" in result.stderr
    else:  # a value that happened to be valid (e.g. a stage label): clean up for the next one
        rid = json.loads(seeded("list", "phenology", "--format", "json").stdout)[-1]["id"]
        from sqlalchemy import create_engine, text

        eng = create_engine(url)
        with eng.begin() as conn:
            conn.execute(text("DELETE FROM phenology WHERE id = :i"), {"i": rid})
        eng.dispose()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    element=st.sampled_from(
        ["--tmax", "--tmin", "--tmean", "--precip", "--rh", "--sunshine", "--wind", "--wind-gust"]
    ),
    value=st.one_of(
        st.floats(min_value=1000, max_value=1e12),
        st.floats(max_value=-81),
        BAD_TEXT.filter(_not_number),
    ),
)
def test_random_bad_weather_never_writes(seeded, element, value):
    url = f"sqlite:///{seeded.db}"
    before = row_counts(url)
    result = seeded(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2024-12-20",
        element,
        str(value),
        expect=1,
    )
    assert "Error:" in result.stderr and "Hint:" in result.stderr
    assert row_counts(url) == before


def test_station_add_takes_the_contract_names_and_the_long_aliases(invoke):
    invoke("init")
    invoke(
        "station", "add", "57511", "--name", "北碚", "--lat", "29.83", "--lon", "106.45",
        "--elevation", "240.8",
    )  # fmt: skip
    invoke("station", "add", "57512", "--name", "x", "--latitude", "29.9", "--longitude", "106.5")
    rows = {r["code"]: r for r in invoke.json("station", "list")}
    assert (rows["57511"]["latitude"], rows["57511"]["longitude"]) == (29.83, 106.45)
    assert rows["57511"]["elevation"] == 240.8
    assert (rows["57512"]["latitude"], rows["57512"]["longitude"]) == (29.9, 106.5)
    missing = invoke("station", "add", "57513", "--name", "y", "--lon", "106", expect=2)
    assert "--lat" in missing.stderr


# --- PostgreSQL through the same code --------------------------------------------------------


@pytest.mark.postgres
def test_same_flow_on_postgres(pg_url):
    invoke = Invoker(pg_url)
    invoke("init")
    invoke(
        "station", "add", "57511", "--name", "北碚", "--latitude", "29.83", "--longitude", "106.45"
    )
    invoke("plot", "add", "JG-A", "--station", "57511", "--cultivar", "SUXIN")
    invoke("plant", "add", "A-01", "--plot", "JG-A")
    invoke("record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLF")
    before = row_counts(pg_url)
    bad = invoke(
        "record", "phenology", "--plant", "A-01", "--date", "2024-12-25", "--stage", "FLS", expect=1
    )
    assert "contradicts" in bad.stderr
    dup = invoke(
        "record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLF", expect=1
    )
    assert "exists already" in dup.stderr
    assert row_counts(pg_url) == before
    rows = invoke.json("list", "phenology", "--station", "57511", "--season", "2024")
    assert [(r["plant"], r["stage_code"]) for r in rows] == [("A-01", "FLF")]


def test_table_shows_labels_but_json_keeps_codes(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-06", "--stage", "FLS")
    table = seeded("list", "phenology").stdout
    assert "FLS 始花期" in table and "9 未检查" in table and "是" in table
    assert seeded.json("list", "phenology")[0]["stage_code"] == "FLS"


def test_lang_after_the_command(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-06", "--stage", "FLS")
    assert "First flowering" in seeded("list", "phenology", "--lang", "en").stdout
    assert "始花期" in seeded("--lang", "en", "list", "phenology", "--lang", "zh").stdout
    assert "First flowering" in seeded("vocab", "stages", "--lang", "en").stdout


def test_listing_filters_that_do_not_apply_are_usage_errors(seeded):
    rows = seeded.json("list", "plant", "--plant", "A-03")
    assert [r["tag"] for r in rows] == ["A-03"]
    for kind in ("weather", "station", "status"):
        result = seeded("list", kind, "--plant", "A-01", expect=2)
        assert f"--plant does not apply to {kind} records" in result.stderr
    assert "--plot does not apply" in seeded("list", "weather", "--plot", "JG-A", expect=2).stderr
    assert (
        "not both"
        in seeded("list", "phenology", "--season", "2024", "--year", "2024", expect=2).stderr
    )


def test_plot_and_station_filters_together(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-06", "--stage", "FLS")
    rows = seeded.json("list", "phenology", "--plot", "JG-A", "--station", "57511")
    assert len(rows) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "0"],
        ["--year", "99999"],
        ["--season", "9999"],
        ["--season", ""],
        ["--season", "1850/51"],
    ],
)
def test_out_of_range_periods_are_clear_errors(seeded, args):
    result = seeded("list", "weather", *args, expect=1)
    assert "Error:" in result.stderr and "Traceback" not in result.stderr


def test_empty_csv_listing_has_a_header(seeded):
    out = seeded("list", "disaster", "--season", "1990", "--format", "csv").stdout
    assert out.splitlines()[0].startswith("id,plot,obs_date,disaster_code")


@pytest.mark.parametrize(
    ("args", "mean", "method"),
    [
        (
            [
                "--tmax",
                "12",
                "--tmin",
                "4",
                "--t02",
                "5",
                "--t08",
                "6",
                "--t14",
                "11",
                "--t20",
                "8",
            ],
            7.5,
            "4obs",
        ),
        (["--tmax", "12.3", "--tmin", "4.0"], 8.2, "maxmin"),  # 8.15 rounds half up
        (["--tmax", "15.2", "--tmin", "6.1"], 10.7, "maxmin"),  # 10.65, 21.2999… in binary
        (["--tmax", "12", "--tmin", "4", "--tmean", "7.9"], 7.9, "given"),
        (["--precip", "3"], None, ""),
    ],
)
def test_daily_mean_derived_at_entry(seeded, args, mean, method):
    row = seeded.json("record", "weather", "--station", "57511", "--date", "2025-01-20", *args)[0]
    stored = seeded.json("list", "weather")[0]
    assert (stored["t_mean"], stored["tmean_method"]) == (mean, method)
    assert row["id"] == stored["id"]


def test_sunshine_longer_than_the_day_warns(seeded):
    result = seeded(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2025-01-03",
        "--tmax",
        "12",
        "--tmin",
        "4",
        "--sunshine",
        "15",
    )
    assert "Warning: --sunshine 15 exceeds the day length 10.3 h" in result.stderr
    quiet = seeded(
        "record", "weather", "--station", "57511", "--date", "2025-01-04", "--sunshine", "9.5"
    )
    assert "sunshine" not in quiet.stderr  # (the empty observer is warned about)


def test_not_reached_after_reached_warns(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLF")
    result = seeded(
        "record",
        "phenology",
        "--plant",
        "A-01",
        "--date",
        "2024-12-24",
        "--stage",
        "FLF",
        "--reached",
        "no",
    )
    assert "reached FLF on 2024-12-20; recorded as not reached now" in result.stderr


def test_dates_before_1900_refused(seeded):
    result = seeded(
        "record", "phenology", "--plant", "A-01", "--date", "1800-12-13", "--stage", "FLS", expect=1
    )
    assert "--date 1800-12-13: is before 1900" in result.stderr


def test_usage_errors_for_bad_choices(seeded):
    assert "nope" in seeded("list", "nope", expect=2).stderr
    seeded("--lang", "fr", "list", "station", expect=2)
    seeded("list", "station", "--lang", "fr", expect=2)
    assert "Plot code" in seeded("plot", "list", "--lang", "en").stdout


def test_empty_positional_and_option_named_as_typed(seeded):
    assert (
        "CODE"
        in seeded(
            "station", "add", "", "--name", "x", "--latitude", "29", "--longitude", "106", expect=2
        ).stderr
    )
    result = seeded(
        "station", "add", "57512", "--name", "", "--latitude", "29", "--longitude", "106", expect=2
    )
    assert "missing --name" in result.stderr


def test_prompt_asks_again_after_a_wrong_answer(seeded, monkeypatch):
    monkeypatch.setattr("cli.prompts.interactive", lambda: True)
    result = seeded(
        "record", "phenology", "--plant", "A-04", input="2024-02-30\n2024-12-07\n99\nFLS\n"
    )
    assert "--date 2024-02-30: is not a real date" in result.stderr
    assert "'99' 不是序号 1～19" in result.stderr  # the menu's range is said
    assert "DRM" not in result.stderr  # derived stages are not offered
    rows = seeded.json("list", "phenology", "--plant", "A-04")
    assert [(r["obs_date"], r["stage_code"]) for r in rows] == [("2024-12-07", "FLS")]


def test_record_format_table_prints_the_stored_record(seeded):
    out = seeded(
        "record",
        "phenology",
        "--plant",
        "A-05",
        "--date",
        "2024-12-09",
        "--stage",
        "FLS",
        "--format",
        "table",
    ).stdout
    assert "stage_code" in out and "FLS" in out and "A-05" in out
