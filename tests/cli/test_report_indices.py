"""The climate-index section of ``obs report year|season`` and its JSON (issue 13, point 8),
on an hourly file whose precipitation is 0.254 mm (0.01 in) per wet hour, like a NOAA file."""

from __future__ import annotations

import datetime as dt

import pytest

from obs.db import make_engine
from tests.conftest import Invoker, seed_sites


def with_hourly(invoke: Invoker, tmp_path) -> Invoker:
    """Three climatological days 2025-01-09…11: 3 wet hours of 0.254 mm each (0.762 mm a day,
    stored as 0.8); 9 Jan 14:00 is the warmest hour (12 °C), the mean near 6 °C."""
    lines = ["观测时间,气温(℃),相对湿度(%),降水量(mm)"]
    start = dt.datetime(2025, 1, 8, 21)
    for h in range(72):
        t = start + dt.timedelta(hours=h)
        temp = 12.0 if (t.day, t.hour) == (9, 14) else 6.0
        rain = 0.254 if t.hour in (2, 3, 4) else 0.0
        lines.append(f"{t:%Y-%m-%d %H:%M},{temp},80,{rain}")
    sheet = tmp_path / "hourly.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the flat 6 °C hours are QC errors (persistence): stored all the same, the import exits 3
    invoke("import", "weather", str(sheet), "--station", "57511", expect=3)
    return invoke


@pytest.fixture
def hourly(seeded: Invoker, tmp_path) -> Invoker:
    return with_hourly(seeded, tmp_path)


def section(doc: dict, section_id: str) -> dict[str, dict]:
    [found] = [s for s in doc["sections"] if s["id"] == section_id]
    return {row["month"]: row for row in found["rows"]} | {"_notes": found["notes"]}


def test_year_report_precipitation_sums_the_unrounded_hours(hourly: Invoker) -> None:
    check_unrounded(hourly)


def test_the_same_on_postgresql(pg_url: str, tmp_path) -> None:
    engine = make_engine(pg_url)
    seed_sites(engine)
    engine.dispose()
    check_unrounded(with_hourly(Invoker(pg_url), tmp_path))


def check_unrounded(hourly: Invoker) -> None:
    daily = hourly.json("list", "weather")
    assert [d["precip"] for d in daily] == [0.8, 0.8, 0.8]  # stored daily totals (rounded)
    doc = hourly.json("report", "year", "2025")
    climate, indices = section(doc, "climate"), section(doc, "indices")
    # 9 × 0.254 = 2.286 mm -> 2.3, where the rounded days would sum to 2.4
    assert climate["2025-01"]["precip"] == 2.3
    assert indices["2025-01"]["precip_total"] == 2.3
    assert indices["2025"]["precip_total"] == 2.3
    jan = indices["2025-01"]
    assert (jan["rain_ge0_1"], jan["rain_ge10"], jan["rain_ge25"], jan["rain_ge50"]) == (3, 0, 0, 0)
    # the wettest day: 0.8 mm on all three days, the first given and the tie said
    assert (jan["precip_max"], jan["precip_max_date"], jan["precip_max_days"]) == (
        0.8,
        "2025-01-09",
        3,
    )
    assert any("2025-01-09" in n and "3天（并列）" in n for n in indices["_notes"]["zh"])
    assert any("on 3 days (tied)" in n for n in indices["_notes"]["en"])
    assert jan["days_tmax_ge30"] == 0 and jan["days_tmax_le0"] == 0


def test_degree_day_bases_are_options(hourly: Invoker) -> None:
    mean = [d["t_mean"] for d in hourly.json("list", "weather")]
    chinese = section(hourly.json("report", "year", "2025"), "indices")["2025"]
    us = section(
        hourly.json("report", "year", "2025", "--hdd-base", "18.33", "--cdd-base", "18.33"),
        "indices",
    )["2025"]
    assert chinese["hdd"] == round(sum(18.0 - t for t in mean), 1)
    assert us["hdd"] == round(sum(18.33 - t for t in mean), 1)
    assert chinese["cdd"] == us["cdd"] == 0.0
    text = hourly("report", "season", "2024", "--format", "md", "--lang", "zh").stdout
    assert "气候指标" in text and "采暖度日HDD" in text and "暴雨日数(≥50mm)" in text
