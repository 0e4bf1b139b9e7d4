"""Plain contradictions in phenology records (issue 13, point 2): entry refuses what
``obs validate`` flags as an error and warns about what it flags as suspect."""

from __future__ import annotations

import json

from sqlalchemy import text

from obs.db import make_engine
from tests.conftest import Invoker


def rec(invoke: Invoker, day: str, stage: str, *extra: str, plant: str = "A-01", expect: int = 0):
    return invoke(
        "record", "phenology", "--plant", plant, "--date", day, "--stage", stage, *extra,
        expect=expect,
    )  # fmt: skip


def flags(invoke: Invoker, expect: int) -> list[dict]:
    out = invoke("validate", "--kind", "phenology", "--format", "json", expect=expect)
    return json.loads(out.stdout)["flags"]


def test_full_bloom_below_criterion_is_refused_at_entry_and_an_error_in_validate(
    seeded: Invoker, counts
) -> None:
    before = counts()
    refused = rec(seeded, "2024-12-20", "FLF", "--open", "1", "--unopened", "6", expect=1)
    assert "open share is 14.3 % (1 open of 7 counted)" in refused.stderr
    assert "criterion ≥ 50 %" in refused.stderr and "Hint:" in refused.stderr
    assert counts() == before
    # the same record stored some other way (an older database, a direct write) is flagged
    rec(seeded, "2024-12-20", "FLF", "--open", "4", "--unopened", "3")
    eng = make_engine(seeded.db)
    with eng.begin() as c:
        c.execute(
            text("UPDATE phenology SET flowers_open = 1, buds_unopened = 6, open_ratio = 14.3")
        )
    eng.dispose()
    found = [f for f in flags(seeded, expect=3) if f["check_name"] == "below_stage_criterion"]
    assert [(f["flag"], f["element"]) for f in found] == [(2, "stage_code,flowers_open")]


def test_full_bloom_after_the_end_of_flowering_is_refused(seeded: Invoker, counts) -> None:
    rec(seeded, "2024-12-28", "FLF", "--open", "30", "--unopened", "20")
    rec(seeded, "2025-02-10", "FLE", "--open", "1", "--withered", "9")
    before = counts()
    refused = rec(seeded, "2025-02-15", "FLF", "--open", "30", "--unopened", "20", expect=1)
    assert "FLF on 2025-02-15 after this plant's FLE on 2025-02-10 (record #2)" in refused.stderr
    assert counts() == before
    assert flags(seeded, expect=0) == []


def test_second_end_of_flowering_after_fruit_set_warns_and_is_suspect(seeded: Invoker) -> None:
    rec(seeded, "2025-02-10", "FLE")
    rec(seeded, "2025-03-01", "FRS")
    stored = rec(seeded, "2025-03-05", "FLE")
    assert "FLE on 2025-03-05 after this plant's FRS on 2025-03-01 (record #2)" in stored.stderr
    found = {(f["check_name"], f["flag"], f["record_id"]) for f in flags(seeded, expect=0)}
    assert found == {("stage_after_closing", 1, 3), ("stage_recorded_twice", 1, 3)}


def test_percent_against_the_counts_warns_and_is_suspect(seeded: Invoker) -> None:
    stored = rec(seeded, "2024-12-28", "FLF", "--percent", "30", "--open", "10", "--unopened", "7")
    assert "percent 30 but the counts give 58.8 % open (10 of 17)" in stored.stderr
    [flag] = flags(seeded, expect=0)
    assert (flag["check_name"], flag["flag"], flag["element"]) == (
        "percent_counts_mismatch",
        1,
        "percent",
    )


def test_same_stage_twice_warns_naming_the_first_record(seeded: Invoker) -> None:
    rec(seeded, "2024-12-05", "FLS")
    stored = rec(seeded, "2024-12-09", "FLS")
    assert "first recorded on 2024-12-05 (record #1)" in stored.stderr
    rec(seeded, "2024-12-12", "FLS", "--percent", "40")  # a progress visit: no warning
    [flag] = flags(seeded, expect=0)
    assert (flag["check_name"], flag["record_id"]) == ("stage_recorded_twice", 2)


def test_import_refuses_the_contradiction_like_entry(seeded: Invoker, counts, tmp_path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "plant,obs_date,stage_code,flowers_open,buds_unopened\nA-01,2024-12-20,FLF,1,6\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    before = counts()
    out = seeded(
        "import",
        "observations",
        str(sheet),
        "--kind",
        "phenology",
        "--reject-file",
        str(rejects),
        expect=3,  # a refused row: data failed validation
    )
    assert "1 rows not stored" in out.stderr
    assert "open share is 14.3 %" in rejects.read_text(encoding="utf-8-sig")
    assert counts()["phenology"] == before["phenology"] == 0


def test_an_end_of_flowering_before_a_stored_full_bloom_visit_is_refused(
    seeded: Invoker, counts
) -> None:
    rec(seeded, "2024-12-28", "FLF", "--open", "30", "--unopened", "20")
    rec(seeded, "2025-02-15", "FLF", "--open", "30", "--unopened", "10")
    before = counts()
    refused = rec(seeded, "2025-02-10", "FLE", expect=1)
    assert (
        "FLF on 2025-02-15 after this plant's FLE on 2025-02-10 (this record) "
        "(on record #2)" in refused.stderr
    )
    assert counts() == before


def test_amendments_are_checked_like_entry(seeded: Invoker, counts) -> None:
    rec(seeded, "2024-12-28", "FLF", "--open", "30", "--unopened", "20")
    before = counts()
    refused = seeded(
        "amend", "phenology", "1", "--set", "flowers_open=1", "--reason", "recount", expect=1
    )
    assert "below the stage's criterion ≥ 50 %" in refused.stderr
    assert counts() == before
    # the record's own stored version is not "another record": no warning about itself
    moved = seeded("amend", "phenology", "1", "--set", "obs_date=2024-12-29", "--reason", "date")
    assert "again" not in moved.stderr
