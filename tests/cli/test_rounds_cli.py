"""The round commands without a terminal: obs visit refuses (exit 2), obs due, obs template,
obs plant add with ranges, the observer's sources, and --lang after every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Invoker


def test_visit_without_a_terminal_points_to_the_sheets(seeded: Invoker, counts) -> None:
    before = counts()
    result = seeded("visit", "--plot", "JG-A", expect=2)
    assert "obs visit 需要在终端中运行" in result.stderr
    assert "obs import observations" in result.stderr
    en = seeded("visit", "--plot", "JG-A", "--lang", "en", expect=2)
    assert "needs a terminal" in en.stderr and "obs template phenology --plot JG-A" in en.stderr
    assert counts() == before


def test_due_json_keys_and_order(seeded: Invoker) -> None:
    seeded(
        "record",
        "phenology",
        "--plant",
        "A-02",
        "--date",
        "2024-07-10",
        "--stage",
        "FBV",
        "--percent",
        "20",
        "--observer",
        "王芳",
    )
    rows = seeded.json("due", "--plot", "JG-A", "--date", "2024-07-15")
    assert list(rows[0]) == [
        "plot",
        "plant",
        "last_visit",
        "last_stage",
        "days_since",
        "interval_days",
        "rule",
        "due",
        "expected_stage",
    ]
    assert rows[-1]["plant"] == "A-02" and rows[-1]["due"] is False  # not overdue: last
    assert rows[-1]["days_since"] == 5 and rows[-1]["expected_stage"] == "FBC"
    table = seeded("due", "--date", "2024-07-15").stdout
    assert "夏季，每10天观测" in table and "应观测" in table
    assert "summer: every 10 days" in seeded("due", "--date", "2024-07-15", "--lang", "en").stdout
    short = seeded.json("due", "--date", "2024-07-15", "--interval", "summer=3")
    assert all(r["due"] for r in short)
    bad = seeded("due", "--interval", "summer=often", expect=1)
    assert "Error:" in bad.stderr and "Hint:" in bad.stderr


def test_due_interval_per_plot_from_the_config(seeded: Invoker, tmp_path: Path) -> None:
    config = tmp_path / "obs.toml"
    config.write_text("[due]\nsummer = 14\n[due.plots.JG-A]\nsummer = 4\n", encoding="utf-8")
    result = seeded("due", "--date", "2024-07-15", "-f", "json", env={"OBS_CONFIG": str(config)})
    rows = json.loads(result.stdout)
    assert {r["interval_days"] for r in rows} == {4}


def test_template_writes_a_sheet_that_imports(seeded: Invoker, tmp_path: Path) -> None:
    out = tmp_path / "round.csv"
    result = seeded(
        "template", "phenology", "--plot", "JG-A", "--date", "2024-12-20", "--output", str(out)
    )
    assert "已写入空白记录表" in result.stderr
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 + 10  # header, example comment, one row per plant
    lines[2] = lines[2].replace("2024-12-20,,,", "2024-12-20,,FLS,", 1)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = seeded.json("import", "observations", str(out), "--lang", "en")
    assert (summary["stored"], summary["refused"]) == (1, 0)
    xlsx = tmp_path / "s.xlsx"
    seeded("template", "status", "--plot", "JG-A", "-f", "xlsx", "-o", str(xlsx))
    assert xlsx.is_file()
    refused = seeded("template", "weather", "--plot", "JG-A", "-o", str(out), expect=1)
    assert "不是按株或按地段记录的观测类型" in refused.stderr
    missing = seeded("template", "phenology", "--plot", "NOPE", "-o", str(out), expect=1)
    assert "没有观测地段 'NOPE'" in missing.stderr


def test_plant_add_several_tags_and_ranges(seeded: Invoker, counts) -> None:
    result = seeded("plant", "add", "B-01..B-12", "C-1", "--plot", "JG-A")
    assert "已添加 13 株" in result.stderr
    tags = [p["tag"] for p in seeded.json("plant", "list")]
    assert tags[-13:] == [f"B-{n:02d}" for n in range(1, 13)] + ["C-1"]
    before = counts()
    clash = seeded("plant", "add", "D-01..D-03", "A-01", "--plot", "JG-A", expect=1)
    assert "exists already" in clash.stderr
    assert counts() == before  # one transaction: D-01…D-03 not stored either
    bad = seeded("plant", "add", "E-05..E-02", "--plot", "JG-A", expect=1)
    assert "A-01..A-20" in bad.stderr
    seeded("plant", "add", "F-01", "--plot", "JG-A")


def test_observer_from_option_env_config_and_a_warning_when_empty(
    seeded: Invoker, tmp_path: Path
) -> None:
    base = ("record", "phenology", "--plant", "A-01", "--stage", "FBV", "--percent", "5")
    empty = seeded(*base, "--date", "2024-07-01")
    assert "未给出观测员" in empty.stderr
    seeded(*base, "--date", "2024-07-02", env={"OBS_OBSERVER": "赵六"})
    config = tmp_path / "obs.toml"
    config.write_text('observer = "钱七"\n', encoding="utf-8")
    seeded(*base, "--date", "2024-07-03", env={"OBS_CONFIG": str(config)})
    seeded(*base, "--date", "2024-07-04", "--observer", "王芳", env={"OBS_OBSERVER": "赵六"})
    observers = [r["observer"] for r in seeded.json("list", "phenology")]
    assert observers == ["", "赵六", "钱七", "王芳"]


def test_lang_is_accepted_after_every_command(seeded: Invoker, tmp_path: Path) -> None:
    seeded(
        "record",
        "phenology",
        "--plant",
        "A-01",
        "--date",
        "2024-12-01",
        "--stage",
        "FLS",
        "--observer",
        "王芳",
        "--lang",
        "en",
    )
    seeded("validate", "--lang", "en")
    sheet = tmp_path / "s.csv"
    sheet.write_text("观测株,观测日期,发育期\nA-02,2024-12-05,FLS\n", encoding="utf-8")
    out = json.loads(
        seeded("import", "observations", str(sheet), "--lang=en", "--format", "json").stdout
    )
    assert out["stored"] == 1
    due = seeded("due", "--date", "2024-12-06", "--lang", "en").stdout
    assert "Plants due" in due


def test_imported_rows_take_the_observer_and_are_noted_without(
    seeded: Invoker, tmp_path: Path
) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text("观测株,观测日期,发育期\nA-01,2024-12-05,FLS\n", encoding="utf-8")
    seeded("import", "observations", str(sheet), env={"OBS_OBSERVER": "赵六"})
    again = seeded("import", "observations", str(sheet), "-f", "json", env={"OBS_OBSERVER": "钱七"})
    assert json.loads(again.stdout)["unchanged"] == 1  # the default observer is not compared
    assert [r["observer"] for r in seeded.json("list", "phenology")] == ["赵六"]
    other = tmp_path / "t.csv"
    other.write_text("观测株,观测日期,发育期\nA-02,2024-12-05,FLS\n", encoding="utf-8")
    noted = seeded("import", "observations", str(other))
    assert "1 条记录未写观测员" in noted.stderr


@pytest.mark.postgres
def test_rounds_on_postgres(pg_url: str, tmp_path: Path) -> None:
    from tests.conftest import row_counts

    invoke = Invoker(pg_url)
    invoke(
        "station", "add", "57511", "--name", "北碚", "--latitude", "29.8", "--longitude", "106.4"
    )
    invoke("plot", "add", "JG-A", "--station", "57511", "--cultivar", "SUXIN")
    invoke("plant", "add", "A-01..A-03", "--plot", "JG-A")
    invoke(
        "record",
        "phenology",
        "--plant",
        "A-01",
        "--date",
        "2024-12-10",
        "--stage",
        "FLS",
        "--open",
        "10",
        "--unopened",
        "90",
        "--observer",
        "王芳",
    )
    rows = invoke.json("due", "--date", "2024-12-12")
    assert [r["plant"] for r in rows][:2] == ["A-02", "A-03"]
    assert rows[2]["rule"] == "flower_ratio" and rows[2]["due"] is True
    sheet = tmp_path / "p.csv"
    listing = invoke("list", "phenology", "--format", "csv").stdout
    sheet.write_text(listing.replace(",10,90,", ",12,88,"), encoding="utf-8")
    before = row_counts(pg_url)
    invoke(
        "import",
        "observations",
        str(sheet),
        "--kind",
        "phenology",
        "--on-conflict",
        "fail",
        expect=1,
    )
    assert row_counts(pg_url) == before
    out = json.loads(
        invoke(
            "import",
            "observations",
            str(sheet),
            "--kind",
            "phenology",
            "--on-conflict",
            "update",
            "-f",
            "json",
        ).stdout
    )
    assert out["updated"] == 1
    assert invoke.json("list", "phenology")[0]["flowers_open"] == 12


def test_lang_after_the_command_is_taken_as_the_global_one() -> None:
    from cli.main import hoist_lang

    assert hoist_lang(["record", "weather", "--lang", "en", "--tmax", "3"]) == [
        "--lang",
        "en",
        "record",
        "weather",
        "--tmax",
        "3",
    ]
    assert hoist_lang(["list", "phenology", "--lang=zh"]) == ["--lang=zh", "list", "phenology"]
    assert hoist_lang(["record", "phenology", "--note", "x", "--", "--lang", "en"]) == [
        "record",
        "phenology",
        "--note",
        "x",
        "--",
        "--lang",
        "en",
    ]
    assert hoist_lang(["list", "--lang", "fr"]) == ["list", "--lang", "fr"]  # refused later
