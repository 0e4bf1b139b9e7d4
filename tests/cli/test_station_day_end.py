"""``obs station add … --day-end HOUR`` and ``obs amend station`` (issue 13, point 5: the
schema part; the daily derivation does not read it yet)."""

from __future__ import annotations

from tests.conftest import Invoker

ADD = ("station", "add", "57511", "--name", "北碚", "--latitude", "29.83", "--longitude", "106.45")


def test_day_end_defaults_to_20_and_is_validated(invoke: Invoker, counts) -> None:
    before = counts()
    refused = invoke(*ADD, "--day-end", "25", expect=1)
    assert "Error: --day-end 25: is outside the limits 1…24" in refused.stderr
    assert "Hint:" in refused.stderr
    assert counts() == before
    invoke(*ADD)
    assert invoke.json("station", "list")[0]["day_end_hour"] == 20


def test_day_end_24_is_stored_and_amended_with_history(invoke: Invoker, counts) -> None:
    invoke(*ADD, "--day-end", "24")
    assert invoke.json("station", "list")[0]["day_end_hour"] == 24
    before = counts()
    invoke("amend", "station", "1", "--set", "day_end_hour=25", "--reason", "typo", expect=1)
    assert counts() == before
    invoke("amend", "station", "1", "--set", "day_end_hour=20", "--reason", "CMA day")
    assert invoke.json("station", "list")[0]["day_end_hour"] == 20
    invoke("station", "add", "A1234", "--name", "x", "--latitude", "30", "--longitude", "106",
           "--day-end", "twenty", expect=1)  # fmt: skip
