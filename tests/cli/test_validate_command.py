"""``obs validate``: exit 3 on errors, 0 with a warning on suspects, json shape, check list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from obs.db import make_engine
from tests.conftest import Invoker


def test_exit_codes_and_json(seeded: Invoker) -> None:
    seeded(
        "record",
        "weather",
        "--station",
        "57511",
        "--date",
        "2024-07-02",
        "--tmax",
        "47.5",
        "--tmin",
        "25",
        "--precip",
        "0",
    )
    out = seeded("validate", "--format", "json")  # suspects only: exit 0
    assert '"summary"' in out.stdout and "可疑值（标记1）" in out.stderr
    seeded(
        "record",
        "phenology",
        "--plant",
        "A-01",
        "--date",
        "2024-12-20",
        "--stage",
        "FLS",
        "--percent",
        "10",
    )
    eng = make_engine(seeded.db)
    with eng.begin() as c:
        c.execute(text("UPDATE phenology SET percent = 130"))
    eng.dispose()
    failed = seeded("validate", "--kind", "phenology", "--format", "json", expect=3)
    import json

    data = json.loads(failed.stdout)
    assert data["flags"][0]["check_name"] == "percent_out_of_range"
    assert data["flags"][0]["flag"] == 2 and data["flags"][0]["value"] == "130"
    assert "警告: 发现1个错误值（标记2）" in failed.stderr  # zh by default


def test_list_checks(invoke: Invoker) -> None:
    names = {r["name"] for r in invoke.json("validate", "--list-checks")}
    assert {"outside_hard_limits", "value_persistence", "stage_order"} <= names


def test_a_daily_file_without_phenomena_gives_no_phenomenon_alarms(
    seeded: Invoker, tmp_path
) -> None:
    # issue 13 point 3: 67 imported days (50 with rain) have no phenomena column; one day
    # entered by hand records fog with 2 mm of rain: that one is the only suspect (before: 51)
    lines = ["date,tmax,tmin,precip"]
    for i in range(67):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        lines.append(f"{day},{10 + i % 5},{2 + i % 3},{(i % 4) * 1.5}")
    sheet = tmp_path / "daily.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seeded("import", "weather", str(sheet), "--station", "57511")
    seeded(
        "record", "weather", "--station", "57511", "--date", "2024-03-20", "--tmax", "15",
        "--tmin", "8", "--precip", "2", "--phenomena", "fog",
    )  # fmt: skip
    data = seeded.json("validate", "--kind", "daily")
    assert data["checked"] == {"daily": 68}
    assert data["summary"] == [
        {"kind": "daily", "check_name": "precip_phenomenon_mismatch", "flag": 1, "count": 1}
    ]
    assert [f["when"] for f in data["flags"]] == ["2024-03-20"]
