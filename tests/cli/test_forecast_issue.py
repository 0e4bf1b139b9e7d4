"""Issue 17: issued forecasts (``--issue``), the ledger, verification and the bulletin.

A generated store of 10 seasons (2011/12–2020/21) with known bloom dates
(:mod:`obs.forecast.synthetic`: FLS at 300 °C·d above 5 °C from 31 Oct). It is filled as the
bureau would live through it: the first three seasons' visits are there from the start; for each
later season the FLS forecast is issued on 25 Oct, 10 Nov and 25 Nov (plus FLF on 25 Nov) with
the weather up to the issue date, and only then are the season's visits stored. The last season
(2020/21) is issued but its visits are never stored: its forecasts are "not yet" verified.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from obs.db import make_engine, session_scope, upgrade
from obs.forecast.synthetic import (
    PLANT_FACTORS,
    PLOT,
    STATION,
    insert_weather,
    plant_dates,
    true_dates,
    weather,
)
from obs.records.create import create
from tests.conftest import Invoker

SEASONS = range(2011, 2021)
TRAINING_ONLY = range(2011, 2014)
ISSUE_DAYS = ((10, 25), (11, 10), (11, 25))
GOLDEN = Path(__file__).parent / "expected"


def _visits(path: Path, daily: Any, season: int) -> None:
    engine = make_engine(str(path))
    with session_scope(engine) as session:
        for tag, stages in plant_dates(daily, season).items():
            for stage, day in sorted(stages.items(), key=lambda item: item[1]):
                raw = {"plant": tag, "obs_date": day.isoformat(), "stage_code": stage}
                create("phenology", raw, session=session, actor="synthetic")
    engine.dispose()


def _issue(invoke: Invoker, season: int, day: dt.date, stage: str = "FLS") -> Any:
    return invoke(
        "forecast", "bloom", "--plot", "JG-A", "--season", str(season), "--stage", stage,
        "--model", "thermal_time", "--issue", "--issued-on", day.isoformat(), "--note", "例行",
        "--format", "json",
    )  # fmt: skip


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Invoker, Any, Path]:
    path = tmp_path_factory.mktemp("forecast-issue") / "obs.db"
    engine = make_engine(str(path))
    upgrade(engine)
    daily = weather(SEASONS[0], SEASONS[-1], seed=7)
    with session_scope(engine) as session:
        station = create("station", STATION, session=session, actor="synthetic")
        create("plot", PLOT, session=session, actor="synthetic")
        for n in range(1, len(PLANT_FACTORS) + 1):
            create("plant", {"tag": f"A-{n:02d}", "plot": PLOT["code"]}, session=session)
        insert_weather(session, int(station.row["id"]), daily, 7)
    engine.dispose()
    invoke = Invoker(str(path))
    for season in SEASONS:
        if season not in TRAINING_ONLY:
            for month, day in ISSUE_DAYS:
                _issue(invoke, season, dt.date(season, month, day))
            _issue(invoke, season, dt.date(season, 11, 25), "FLF")
        if season != SEASONS[-1]:
            _visits(path, daily, season)
    return invoke, daily, path


def _rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM forecast_issue ORDER BY id").fetchall()


# --- issuing and the ledger ----------------------------------------------------------------


def test_every_issue_is_a_row_with_what_was_issued(ledger: tuple[Invoker, Any, Path]) -> None:
    invoke, _, _ = ledger
    rows = invoke.json("forecast", "issued", "--lang", "en")
    assert len(rows) == 7 * 4
    first = rows[0]
    assert (first["season"], first["station"], first["plot"], first["stage"]) == (
        "2014/15", "57511", "JG-A", "FLS",
    )  # fmt: skip
    assert first["issue_date"] == "2014-10-25" and first["as_of"] == "2014-10-25"
    assert first["model"] == "thermal_time" and set(first["params"]) == {"t1", "t_base", "f_crit"}
    assert first["low"] <= first["predicted"] <= first["high"]
    assert first["baseline_predicted"] is not None and first["note"] == "例行"
    assert first["training_seasons"] == ["2011/12", "2012/13", "2013/14"]
    assert "2014-10-25" in first["assumption"]
    # a later issue for the same season is a new row, the earlier one kept as it was
    same = [r for r in rows if r["season"] == "2014/15" and r["stage"] == "FLS"]
    assert [r["issue_date"] for r in same] == ["2014-10-25", "2014-11-10", "2014-11-25"]
    assert len({r["uid"] for r in rows}) == len(rows)
    season = invoke.json("forecast", "issued", "--season", "2020/21")
    assert len(season) == 4 and {r["season"] for r in season} == {"2020/21"}


def test_issued_table_is_chinese_by_default(ledger: tuple[Invoker, Any, Path]) -> None:
    invoke, _, _ = ledger
    out = invoke("forecast", "issued", "--season", "2020").stdout
    assert "已发布的花期预报" in out and "发布日期" in out and "预报日期" in out


def test_issuing_a_stage_already_observed_is_refused_and_writes_nothing(
    ledger: tuple[Invoker, Any, Path],
) -> None:
    invoke, daily, path = ledger
    before = _rows(path)
    result = invoke(
        "forecast", "bloom", "--plot", "JG-A", "--season", "2019", "--issue",
        "--issued-on", "2019-11-01", expect=1,
    )  # fmt: skip
    truth = true_dates(daily, 2019)["FLS"]
    assert f"已于{truth}观测到" in result.stderr and "Hint:" in result.stderr
    assert result.stdout == ""
    en = invoke(
        "--lang", "en", "forecast", "bloom", "--plot", "JG-A", "--season", "2019", "--issue",
        "--issued-on", "2019-11-01", expect=1,
    )  # fmt: skip
    assert f"was already observed on {truth}" in en.stderr
    assert _rows(path) == before


def test_issue_with_weather_after_the_issue_date_is_refused(
    ledger: tuple[Invoker, Any, Path],
) -> None:
    invoke, _, path = ledger
    before = _rows(path)
    result = invoke(
        "forecast", "bloom", "--plot", "JG-A", "--season", "2020", "--issue",
        "--issued-on", "2020-11-01", "--as-of", "2020-11-05", expect=2,
    )  # fmt: skip
    assert "晚于发布日期" in result.stderr and "Hint:" in result.stderr
    note = invoke("forecast", "bloom", "--plot", "JG-A", "--note", "x", expect=2)
    assert "--issue" in note.stderr
    assert _rows(path) == before


@pytest.mark.parametrize(
    "args",
    [
        ("amend", "forecast_issue", "1", "--set", "note=改", "--reason", "试"),
        ("amend", "forecast", "1", "--set", "predicted=2014-12-01", "--reason", "试"),
        ("delete", "forecast_issue", "1", "--reason", "试"),
        ("delete", "forecast", "1", "--reason", "试"),
    ],
)
def test_issued_rows_cannot_be_amended_or_deleted(
    ledger: tuple[Invoker, Any, Path], args: tuple[str, ...]
) -> None:
    invoke, _, path = ledger
    before = _rows(path)
    result = invoke(*args, expect=None)
    assert result.exit_code != 0 and "Error" in result.stderr + result.stdout
    assert _rows(path) == before


# --- verification --------------------------------------------------------------------------


def _hand_scores(issued: list[dict[str, Any]], daily: Any) -> dict[str, Any]:
    """Errors, hits and leads computed by hand from the ledger and the known dates."""
    out: dict[str, list[tuple[int, int, bool, int, bool]]] = {"30+": [], "15-29": [], "0-14": []}
    for row in issued:
        season = int(row["season"][:4])
        if season == SEASONS[-1]:
            continue
        observed = true_dates(daily, season)[row["stage"]]
        day = dt.date.fromisoformat
        lead = (observed - day(row["issue_date"])).days
        error = (day(row["predicted"]) - observed).days
        hit = day(row["low"]) <= observed <= day(row["high"])
        base = (day(row["baseline_predicted"]) - observed).days
        base_hit = day(row["baseline_low"]) <= observed <= day(row["baseline_high"])
        key = "30+" if lead >= 30 else "15-29" if lead >= 15 else "0-14"
        out[key].append((lead, error, hit, base, base_hit))
    return out


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def test_verify_all_matches_hand_computed_scores(ledger: tuple[Invoker, Any, Path]) -> None:
    invoke, daily, _ = ledger
    issued = invoke.json("forecast", "issued", "--lang", "en")
    result = invoke.json("forecast", "verify", "--all", "--lang", "en")
    hand = _hand_scores(issued, daily)
    verified = [f for f in result["forecasts"] if f["state"] == "verified"]
    assert len(verified) == 6 * 4 and sum(len(v) for v in hand.values()) == 24
    pending = [f for f in result["forecasts"] if f["state"] == "not yet"]
    assert len(pending) == 4 and {f["season"] for f in pending} == {"2020/21"}
    assert all(f["error_days"] is None and f["observed"] is None for f in pending)
    summary = {row["lead_class"]: row for row in result["summary"]}
    assert list(summary) == [
        "30 days or more ahead", "15–29 days ahead", "less than 15 days ahead", "all",
    ]  # fmt: skip
    every = [case for group in hand.values() for case in group]
    for key, label in zip(("30+", "15-29", "0-14", None), summary, strict=True):
        group = every if key is None else hand[key]
        row = summary[label]
        assert row["n"] == len(group)
        assert row["mae_days"] == _mean([abs(c[1]) for c in group])
        assert row["bias_days"] == _mean([float(c[1]) for c in group])
        assert row["hit_rate"] == _mean([1.0 if c[2] else 0.0 for c in group])
        assert row["baseline_mae_days"] == _mean([abs(c[3]) for c in group])
        assert row["baseline_hit_rate"] == _mean([1.0 if c[4] else 0.0 for c in group])
    # every lead class is populated by the fixed issue dates
    assert all(summary[label]["n"] > 0 for label in summary)
    # the issued forecasts beat the naive mean date issued at the same dates (MAE over all)
    assert summary["all"]["mae_days"] < summary["all"]["baseline_mae_days"]


def test_verify_one_season_and_its_chart(ledger: tuple[Invoker, Any, Path], tmp_path) -> None:
    invoke, daily, _ = ledger
    chart = tmp_path / "verify.png"
    result = invoke(
        "forecast", "verify", "--season", "2016/17", "--format", "json", "--chart", str(chart)
    )
    data = json.loads(result.stdout)
    truth = true_dates(daily, 2016)
    assert {f["season"] for f in data["forecasts"]} == {"2016/17"}
    for f in data["forecasts"]:
        assert f["observed"] == truth[f["stage"]].isoformat()
        assert f["lead_days"] == (truth[f["stage"]] - dt.date.fromisoformat(f["issue_date"])).days
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_verify_a_season_not_observed_yet_says_not_yet(ledger: tuple[Invoker, Any, Path]) -> None:
    invoke, _, path = ledger
    before = _rows(path)
    result = invoke("forecast", "verify", "--season", "2020/21")
    assert "尚未检验" in result.stderr and "2020/21" in result.stderr
    assert "尚未观测" in result.stdout
    data = invoke.json("forecast", "verify", "--season", "2020/21", "--lang", "en")
    assert all(row["n"] == 0 and row["mae_days"] is None for row in data["summary"])
    assert _rows(path) == before


def test_verify_without_issued_forecasts_is_refused(ledger: tuple[Invoker, Any, Path]) -> None:
    invoke, _, _ = ledger
    result = invoke("forecast", "verify", "--season", "2012", expect=1)
    assert "2012/13年度没有已发布的预报" in result.stderr and "Hint:" in result.stderr
    both = invoke("forecast", "verify", "--season", "2016", "--all", expect=2)
    assert "--all" in both.stderr


# --- the bulletin --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bulletin_matches_golden(
    ledger: tuple[Invoker, Any, Path], lang: str, request: pytest.FixtureRequest
) -> None:
    invoke, _, _ = ledger
    text = invoke("forecast", "bulletin", "--season", "2020/21", "--lang", lang).stdout
    golden = GOLDEN / f"forecast_bulletin_{lang}.md"
    if request.config.getoption("--update-golden", default=False):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_bulletin_content_and_html(ledger: tuple[Invoker, Any, Path], tmp_path: Path) -> None:
    invoke, daily, _ = ledger
    text = invoke("forecast", "bulletin", "--season", "2020/21").stdout
    assert text.startswith("# 花期预报\n")
    assert "北碚区气象局" in text and "2020年11月25日" in text and "第3期" in text
    assert "始花期" in text and "盛花期" in text and "上年度（2019/20）共检验4次预报" in text
    assert "赏花：" in text and "生产：" in text
    out = tmp_path / "b.html"
    invoke("forecast", "bulletin", "--season", "2020", "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h1>花期预报</h1>" in page
    # a season whose stage is observed shows the observed date instead of a forecast
    past = invoke("forecast", "bulletin", "--season", "2019/20", "--lang", "en").stdout
    observed = true_dates(daily, 2019)["FLS"]
    assert f"first flowering: reached on {observed.day} " in past


def test_bulletin_without_issued_forecast_is_refused(ledger: tuple[Invoker, Any, Path]) -> None:
    invoke, _, path = ledger
    before = _rows(path)
    result = invoke("forecast", "bulletin", "--season", "2012", expect=1)
    assert "没有已发布的预报" in result.stderr and "Hint:" in result.stderr
    assert result.stdout == ""
    pdf = invoke("forecast", "bulletin", "--season", "2020", "--format", "pdf", expect=2)
    assert "--format pdf 输出的是文件" in pdf.stderr and "Hint: 加上 --output" in pdf.stderr
    assert pdf.stdout == ""
    assert _rows(path) == before


_PDF_NEEDS = {
    # heading, issuing unit and date, predicted dates in words and in the table
    "zh": ("花期预报", "发布单位：北碚区气象局", "发布日期：2020年11月25日", "12月8日前后",
           "1月3日前后", "2020-12-08", "2021-01-03", "2020-12-05–2020-12-14"),
    "en": ("Bloomforecast", "IssuedbyBeibeiDistrictMeteorologicalBureauon25November2020",
           "around8December", "around3January", "2020-12-08", "2021-01-03"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bulletin_pdf_is_a4_portrait_text_with_the_cjk_font(
    ledger: tuple[Invoker, Any, Path], tmp_path: Path, lang: str
) -> None:
    import re

    from pypdf import PdfReader

    invoke, _, path = ledger
    before = _rows(path)
    out = tmp_path / f"bulletin_{lang}.pdf"
    result = invoke(
        "forecast", "bulletin", "--season", "2020/21", "--format", "pdf", "--output", str(out),
        "--lang", lang,
    )  # fmt: skip
    assert result.stdout == "" and str(out) in result.stderr
    reader = PdfReader(out)
    for page in reader.pages:  # A4 portrait: 210 × 297 mm
        box = page.mediabox
        assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
            210,
            297,
        )
    text = "".join(re.sub(r"[\s\x00]+", "", page.extract_text()) for page in reader.pages)
    for needed in _PDF_NEEDS[lang]:
        assert needed in text, needed
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, "not embedded"
            fonts.add(str(font["/BaseFont"]))
    assert fonts and all("NotoSansCJK" in f.replace(" ", "") for f in fonts), fonts
    assert out.stat().st_size < 1_500_000  # a subset, not the 19 MB collection
    assert _rows(path) == before


# --- push ----------------------------------------------------------------------------------


def test_issued_forecasts_are_pushed_once(
    ledger: tuple[Invoker, Any, Path], tmp_path: Path, _migrated_template: Path
) -> None:
    invoke, _, _ = ledger
    central = tmp_path / "central.db"
    central.write_bytes(_migrated_template.read_bytes())
    # the central database already has another station first, so the ids differ
    hub = Invoker(str(central))
    hub("station", "add", "50001", "--name", "其他", "--latitude", "30", "--longitude", "110")
    first = {r["table"]: r for r in invoke.json("push", "--to", f"sqlite:///{central}")}
    assert first["forecast_issue"]["sent"] == 28 and first["forecast_issue"]["inserted"] == 28
    again = {r["table"]: r for r in invoke.json("push", "--to", f"sqlite:///{central}")}
    assert again["forecast_issue"]["inserted"] == 0 and again["forecast_issue"]["unchanged"] == 28
    pushed = hub.json("forecast", "issued", "--lang", "en")
    local = invoke.json("forecast", "issued", "--lang", "en")
    assert pushed == local  # same codes, dates, ids of the ledger rows and uids
    with sqlite3.connect(central) as conn:
        station_ids = {r[0] for r in conn.execute("SELECT DISTINCT station_id FROM forecast_issue")}
        mapped = conn.execute("SELECT id FROM station WHERE code = '57511'").fetchone()[0]
    assert station_ids == {mapped} and mapped != 1


def test_bulletin_wording_comes_from_an_edited_template(
    ledger: tuple[Invoker, Any, Path], tmp_path: Path
) -> None:
    invoke, _, _ = ledger
    from obs.forecast.bulletin import TEMPLATE_PATH

    edited = TEMPLATE_PATH.read_text(encoding="utf-8")
    edited = edited.replace('zh = "北碚区气象局"', 'zh = "缙云山气象服务站"')
    edited = edited.replace("赏花可适当推后。", "赏花可推迟到{anomaly}天以后。")
    path = tmp_path / "bulletin.toml"
    path.write_text(edited, encoding="utf-8")
    text = invoke("forecast", "bulletin", "--season", "2020", "--template", str(path)).stdout
    assert "发布单位：缙云山气象服务站" in text and "赏花可推迟到4天以后。" in text
    broken = tmp_path / "broken.toml"
    broken.write_text(edited.replace("{plot}地段", "{field}地段"), encoding="utf-8")
    result = invoke("forecast", "bulletin", "--season", "2020", "--template", str(broken), expect=1)
    assert "{field}" in result.stderr and "Hint:" in result.stderr


def test_migration_0002_downgrades_and_upgrades(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    import obs.db

    engine = make_engine(str(tmp_path / "m.db"))
    upgrade(engine)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(obs.db.__file__).parent / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0001")
    assert "forecast_issue" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "forecast_issue" in inspect(engine).get_table_names()
    engine.dispose()
