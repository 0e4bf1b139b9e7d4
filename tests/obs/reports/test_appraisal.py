"""Agromet condition appraisal: each rule on constructed daily data, numbers worked by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from obs import indices
from obs.reports import appraisal_rules as rules
from obs.reports import appraisal_weather as weather
from obs.reports.appraisal import (
    AppraisalInput,
    appraisal_section,
    disaster_finding,
    earlier_durations,
    watch_window,
)

D = dt.date
NAMES = rules.who("JG-A", "SUXIN")


def arrays(first: D, last: D, **values: float) -> pd.DataFrame:
    """Constant daily weather on [first, last]; defaults are mild, dry-ish and sunny."""
    days = pd.date_range(first, last, freq="D")
    base = {"t_mean": 8.0, "t_max": 12.0, "t_min": 4.0, "precip": 0.0, "sunshine": 5.0}
    return pd.DataFrame({**base, **values}, index=days)


def test_timing_states_the_anomaly_in_days() -> None:
    later = rules.timing_finding(NAMES, "JG-A", D(2024, 12, 8), 12)
    expected = "JG-A（素心蜡梅）：始花期（普遍期）2024-12-08，较往年平均（不含本季）偏晚12天。"
    assert later.zh == expected
    assert later.en.endswith("on 2024-12-08, 12 days later than the mean of earlier seasons.")
    assert later.anomaly == 12
    earlier = rules.timing_finding(NAMES, "JG-A", D(2024, 12, 8), -3)
    assert "偏早3天" in earlier.zh and "3 days earlier" in earlier.en
    assert "无往年平均可比" in rules.timing_finding(NAMES, "JG-A", D(2024, 12, 8), None).zh
    assert rules.timing_finding(NAMES, "JG-A", None, None).en == (
        "JG-A (Concolor wintersweet): no first-flowering date."
    )


def test_bloom_length_against_the_rounded_mean_of_earlier_seasons() -> None:
    # Earlier lengths 40 and 45 d: mean 42.5, rounded half-up to 43 (§9.4); 50 − 43 = +7.
    found = rules.length_finding(NAMES, "JG-A", D(2024, 12, 1), D(2025, 1, 20), [40, 45])
    assert (found.value, found.normal, found.anomaly, found.n_years) == (50, 43, 7, 2)
    assert "花期（始花至末花）50天，较前2年平均（43天）长7天" in found.zh
    assert "7 days longer than the mean of the 2 earlier seasons (43 d)" in found.en
    alone = rules.length_finding(NAMES, "JG-A", D(2024, 12, 1), D(2025, 1, 20), [40])
    assert alone.normal is None and "早先年度不足2个" in alone.zh


def test_earlier_durations_use_only_earlier_seasons_of_the_plot() -> None:
    bloom = pd.DataFrame(
        [
            ("JG-A", "SUXIN", 2022, "FLS", D(2022, 12, 1)),
            ("JG-A", "SUXIN", 2022, "FLE", D(2023, 1, 10)),  # 40 d
            ("JG-A", "SUXIN", 2023, "FLS", D(2023, 12, 5)),  # no FLE: left out
            ("JG-B", "SUXIN", 2022, "FLS", D(2022, 12, 1)),
            ("JG-B", "SUXIN", 2022, "FLE", D(2023, 2, 1)),  # another plot
            ("JG-A", "SUXIN", 2024, "FLS", D(2024, 12, 1)),
            ("JG-A", "SUXIN", 2024, "FLE", D(2025, 1, 1)),  # the season itself
        ],
        columns=["plot", "cultivar", "season", "stage", "date"],
    )
    assert earlier_durations(bloom, "JG-A", "SUXIN", 2024) == [40]


def test_bloom_weather_against_the_same_days_of_earlier_seasons() -> None:
    # Window 10–19 Dec (10 days). Earlier seasons: t_mean 5 °C, sunshine 2 h/d, precip 1 mm/d.
    # 2024: t_mean 6 °C (+1.0 > 0.5 band), sunshine 3 h/d = 30 h vs 20 h (+50 % > 10 %),
    # precip 1 mm/d = 10 mm vs 10 mm (near). Season 2021 lacks sunshine on 3 of 10 days
    # (70 % < 80 %, §11.1), so the sunshine mean uses 2 seasons and the others 3.
    frames = [arrays(D(y, 12, 1), D(y + 1, 1, 5), t_mean=5.0, sunshine=2.0, precip=1.0)
              for y in (2021, 2022, 2023)]  # fmt: skip
    frames.append(arrays(D(2024, 12, 1), D(2025, 1, 5), t_mean=6.0, sunshine=3.0, precip=1.0))
    frame = pd.concat(frames)
    frame.loc[pd.Timestamp("2021-12-12") : pd.Timestamp("2021-12-14"), "sunshine"] = np.nan
    found = weather.bloom_weather_findings(
        NAMES, "JG-A", indices.daily_arrays(frame), D(2024, 12, 10), D(2024, 12, 19)
    )
    t, sun, rain = found
    assert (t.value, t.normal, t.anomaly, t.n_years) == (6.0, 5.0, 1.0, 3)
    assert "平均气温6.0℃，较前3年同期平均（5.0℃）偏高1.0℃。" in t.zh
    assert (sun.value, sun.normal, sun.anomaly, sun.n_years) == (30.0, 20.0, 10.0, 2)
    assert "偏多10.0h（+50%），光照充足，利于花期延长、香气浓郁。" in sun.zh
    assert "10.0 h (+50 %) more than" in sun.en and "stronger scent" in sun.en
    assert (rain.value, rain.normal, rain.anomaly) == (10.0, 10.0, 0.0)
    assert "接近（+0.0mm）" in rain.zh


def test_more_rain_shortens_the_bloom_and_missing_normals_are_said() -> None:
    frame = pd.concat(
        [
            arrays(D(2023, 12, 1), D(2024, 1, 5), precip=1.0),
            arrays(D(2024, 12, 1), D(2025, 1, 5), precip=2.0),
        ]
    )
    found = weather.bloom_weather_findings(
        NAMES, "JG-A", indices.daily_arrays(frame), D(2024, 12, 10), D(2024, 12, 19)
    )
    # Only one earlier season: no normal (at least 2 are needed).
    assert all(f.normal is None and "无常年值" in f.zh for f in found)
    frame = pd.concat([arrays(D(y, 12, 1), D(y + 1, 1, 5), precip=1.0) for y in (2022, 2023)])
    frame = pd.concat([frame, arrays(D(2024, 12, 1), D(2025, 1, 5), precip=2.0)])
    rain = weather.bloom_weather_findings(
        NAMES, "JG-A", indices.daily_arrays(frame), D(2024, 12, 10), D(2024, 12, 19)
    )[2]
    assert "偏多10.0mm（+100%），降水偏多可使花期缩短。" in rain.zh


def test_freeze_counts_days_at_or_below_minus_three() -> None:
    frame = arrays(D(2024, 11, 20), D(2025, 2, 10))
    frame.loc["2025-01-09", "t_min"] = -3.0  # at the limit: counts
    frame.loc["2025-01-10", "t_min"] = -4.1
    frame.loc["2025-01-11", "t_min"] = -2.9
    found = weather.freeze_finding(
        NAMES, "JG-A", indices.daily_arrays(frame), D(2024, 11, 24), D(2025, 2, 4)
    )
    assert found.value == 2
    assert "日最低气温≤-3℃有2天，最低-4.1℃（2025-01-10），有低温冻害风险。" in found.zh
    frame.loc["2025-01-12", "t_min"] = -10.5
    severe = weather.freeze_finding(
        NAMES, "JG-A", indices.daily_arrays(frame), D(2024, 11, 24), D(2025, 2, 4)
    )
    assert severe.value == 3 and "已达花朵受冻指标（≤-10℃）" in severe.zh
    mild = weather.freeze_finding(
        NAMES, "JG-A", indices.daily_arrays(arrays(D(2024, 11, 1), D(2025, 3, 1))),
        D(2024, 11, 24), D(2025, 2, 4),
    )  # fmt: skip
    assert mild.value == 0 and "未出现≤-3℃的冻害性低温" in mild.zh


def test_continuous_rain_spells_of_five_wet_dull_days() -> None:
    # Wet and dull (rain ≥ 0.1 mm, sunshine < 2 h): 6 days, a sunny day, 5 days, a sunny day,
    # 4 days -> two spells, the longest 6 days (1–6 Jan). A day without sunshine data would
    # break a run, so the 4-day run is not lengthened by it.
    frame = arrays(D(2024, 12, 20), D(2025, 2, 10))
    for first, last in (("2025-01-01", "2025-01-06"), ("2025-01-08", "2025-01-12"),
                        ("2025-01-14", "2025-01-17")):  # fmt: skip
        frame.loc[first:last, ["precip", "sunshine"]] = [0.5, 1.0]
    frame.loc["2025-01-18", ["precip", "sunshine"]] = [0.5, np.nan]
    found = weather.contrain_finding(
        NAMES, "JG-A", indices.daily_arrays(frame), D(2024, 12, 25), D(2025, 2, 4)
    )
    assert found.value == 6
    assert "出现连阴雨2段，最长连续6天（2025-01-01—2025-01-06" in found.zh
    assert "(data on 41 of 42 days)" in found.en
    frame.loc["2025-01-03", "sunshine"] = 2.0  # 2 h is not dull: 2 + 3 + 5 + 4 days
    found = weather.contrain_finding(
        NAMES, "JG-A", indices.daily_arrays(frame), D(2024, 12, 25), D(2025, 2, 4)
    )
    assert found.value == 5 and "出现连阴雨1段" in found.zh


def test_summer_heat_days_waves_and_severe_heat() -> None:
    frame = arrays(D(2024, 5, 1), D(2024, 9, 30), t_max=30.0)
    frame.loc["2024-07-10":"2024-07-13", "t_max"] = 36.0  # 4 days in a row: a heat wave
    frame.loc["2024-08-02", "t_max"] = 41.0
    frame.loc["2024-09-05", "t_max"] = 39.0  # September: outside Jun–Aug
    found = weather.heat_finding(indices.daily_arrays(frame), 2024)
    assert (found.start, found.end, found.value) == (D(2024, 6, 1), D(2024, 8, 31), 5)
    assert "日最高气温≥35℃有5天，最长连续4天，最高41.0℃（2024-08-02）" in found.zh
    assert "出现高温热浪（连续≥3天），达严重高温（≥40℃），不利于花芽分化" in found.zh
    cool = weather.heat_finding(indices.daily_arrays(arrays(D(2024, 6, 1), D(2024, 8, 31))), 2024)
    assert cool.value == 0 and "无日最高气温≥35℃的高温日（最高12.0℃" in cool.zh
    assert "无最高气温资料" in weather.heat_finding(indices.daily_arrays(frame), 2030).zh


@pytest.mark.parametrize(
    ("dry_days", "level"), [(10, "未达伏旱标准（20天）"), (20, "关注"), (31, "警戒")]
)
def test_summer_drought_levels(dry_days: int, level: str) -> None:
    frame = arrays(D(2024, 6, 1), D(2024, 9, 30), precip=5.0)
    last = D(2024, 7, 1) + dt.timedelta(days=dry_days - 1)
    frame.loc[pd.Timestamp("2024-07-01") : pd.Timestamp(last), "precip"] = 0.5  # < 1 mm: dry
    found = weather.drought_finding(indices.daily_arrays(frame), 2024)
    assert found.value == dry_days
    assert f"最长连续无雨（日降水<1mm）{dry_days}天（2024-07-01—{last}）" in found.zh
    assert level in found.zh


def test_disasters_are_listed_with_dates_and_severity() -> None:
    frame = pd.DataFrame(
        [{"disaster": "FREEZE", "start": D(2025, 1, 9), "end": D(2025, 1, 11), "severity": "2"}]
    )
    found = disaster_finding(frame)
    assert found.value == 1
    assert found.zh == "本年度记录农业气象灾害1次：低温冻害（2025-01-09…2025-01-11，中）。"
    assert "Freeze injury (2025-01-09…2025-01-11, moderate)" in found.en
    assert disaster_finding(frame.iloc[0:0]).zh == "本年度未记录农业气象灾害。"


def test_watch_window_runs_from_fbc_or_fls_to_fle_or_season_end() -> None:
    end = D(2025, 3, 31)
    assert watch_window({"FBC": D(2024, 11, 24), "FLE": D(2025, 2, 4)}, end) == (
        D(2024, 11, 24),
        D(2025, 2, 4),
    )
    assert watch_window({"FLS": D(2024, 12, 8)}, end) == (D(2024, 12, 8), end)
    assert watch_window({"FBV": D(2024, 8, 5)}, end) is None


def test_section_of_a_season_without_stage_dates_keeps_the_summer_rules() -> None:
    data = AppraisalInput(
        season=2024,
        season_end=D(2025, 3, 31),
        arrays=indices.daily_arrays(arrays(D(2024, 4, 1), D(2025, 3, 31))),
        single=pd.DataFrame(
            columns=["plot", "cultivar", "season", "stage", "date", "anomaly_days"]
        ),
        bloom=pd.DataFrame(columns=["plot", "cultivar", "season", "stage", "date"]),
        disasters=pd.DataFrame(columns=["disaster", "start", "end", "severity"]),
    )
    section = appraisal_section(data)
    assert section.frame["index"].tolist() == ["heat_days", "dry_spell_days", "disasters"]
    assert section.notes_zh[0].startswith("鉴定2024/25年度（2024-04-01—2025-03-31）")
    assert len(section.notes_zh) == len(section.notes_en) == 6
