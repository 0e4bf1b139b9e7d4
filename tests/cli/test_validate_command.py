"""``obs validate``: exit 3 on errors, 0 with a warning on suspects, json shape, check list."""

from __future__ import annotations

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
