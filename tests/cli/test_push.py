"""obs push into a central SQLite database: an uninitialised target, and two field databases
that each entered the same station, plot and plant (adopted, or a conflict that says why)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import Invoker, row_counts


def _laptop(path, template, *, latitude="29.83", cultivar="SUXIN"):
    """A field database with station 57511, plot JG-A and plant A-01."""
    shutil.copyfile(template, path)
    inv = Invoker(str(path))
    inv(
        "station", "add", "57511", "--name", "北碚", "--latitude", latitude, "--longitude", "106.45"
    )
    inv("plot", "add", "JG-A", "--station", "57511", "--cultivar", cultivar)
    inv("plant", "add", "A-01", "--plot", "JG-A")
    return inv


@pytest.fixture
def central(tmp_path, _migrated_template):
    path = tmp_path / "central.db"
    shutil.copyfile(_migrated_template, path)
    return f"sqlite:///{path}"


def _counts(rows):
    return {r["table"]: r for r in rows}


def _scalar(url, sql):
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        eng.dispose()


def test_push_to_missing_sqlite_file_refuses_and_creates_nothing(seeded, tmp_path):
    target = tmp_path / "x" / "central.db"
    result = seeded("push", "--to", f"sqlite:///{target}", expect=1)
    assert f"no database at {target}" in result.stderr
    assert f"obs --db {target} init" in result.stderr
    assert not target.exists() and not target.parent.exists()


def test_push_to_uninitialised_database_names_it_in_message_and_hint(seeded, tmp_path):
    target = tmp_path / "empty.db"
    target.touch()
    result = seeded("push", "--to", f"sqlite:///{target}", expect=1)
    assert f"the central database sqlite:///{target} has no obs tables yet" in result.stderr
    assert f"Hint: run: obs --db sqlite:///{target} init" in result.stderr


def test_two_laptops_with_the_same_sites_push_into_one_database(
    tmp_path, _migrated_template, central
):
    one = _laptop(tmp_path / "one.db", _migrated_template)
    two = _laptop(tmp_path / "two.db", _migrated_template, latitude="29.835")  # within 0.01°
    one("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    two("record", "phenology", "--plant", "A-01", "--date", "2024-12-20", "--stage", "FLF")
    two("amend", "plant", "1", "--set", "position=N corner", "--reason", "seen on site")
    one("push", "--to", central)
    local = f"sqlite:///{tmp_path / 'two.db'}"
    uid_before = _scalar(local, "SELECT uid FROM station")
    pushed = _counts(two.json("push", "--to", central))
    assert [pushed[t]["adopted"] for t in ("station", "plot", "plant")] == [1, 1, 1]
    assert pushed["phenology"]["inserted"] == 1
    assert pushed["history"]["skipped"] == 1  # the local plant's amendment stays local
    hub = Invoker(central)
    assert len(hub.json("station", "list")) == 1 and len(hub.json("plant", "list")) == 1
    assert {(r["plant"], r["stage_code"]) for r in hub.json("list", "phenology")} == {
        ("A-01", "FLS"),
        ("A-01", "FLF"),
    }
    assert [v["action"] for v in hub.json("history", "station", "1")] == ["create", "adopt"]
    assert _scalar(local, "SELECT uid FROM station") == uid_before  # local uids stay
    before = row_counts(central)
    again = _counts(two.json("push", "--to", central))
    assert all(c["inserted"] == 0 and c["updated"] == 0 for c in again.values())
    # adopted once: a repeat push finds nothing new to adopt (issue 12: it said "adopted")
    assert all(c["adopted"] == 0 for c in again.values())
    assert [again[t]["unchanged"] for t in ("station", "plot", "plant")] == [1, 1, 1]
    assert "adopted" not in two("push", "--to", central).stderr
    assert row_counts(central) == before


def test_station_with_other_coordinates_is_a_conflict_with_a_hint_that_works(
    tmp_path, _migrated_template, central
):
    _laptop(tmp_path / "one.db", _migrated_template)("push", "--to", central)
    two = _laptop(tmp_path / "two.db", _migrated_template, latitude="29.93")
    before = row_counts(central)
    result = two("push", "--to", central, expect=1)
    assert "conflict: station 57511" in result.stderr
    assert "another latitude (central 29.83, here 29.93)" in result.stderr
    assert "obs amend station 1 --set latitude=29.83 --set longitude=106.45" in result.stderr
    assert row_counts(central) == before
    two("amend", "station", "1", "--set", "latitude=29.83", "--reason", "GPS typo")
    assert _counts(two.json("push", "--to", central))["station"]["adopted"] == 1


def test_plot_with_another_cultivar_is_a_conflict(tmp_path, _migrated_template, central):
    _laptop(tmp_path / "one.db", _migrated_template)("push", "--to", central)
    two = _laptop(tmp_path / "two.db", _migrated_template, cultivar="QINGKOU")
    result = two("push", "--to", central, expect=1)
    assert "conflict: plot JG-A" in result.stderr
    assert "another cultivar (central SUXIN, here QINGKOU)" in result.stderr
    assert "add the local plot again under a new code" in result.stderr


def test_the_same_observation_in_two_databases_is_a_conflict_naming_both(
    tmp_path, _migrated_template, central
):
    one = _laptop(tmp_path / "one.db", _migrated_template)
    two = _laptop(tmp_path / "two.db", _migrated_template)
    args = ("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    one(*args, "--percent", "10")
    one("push", "--to", central)
    two(*args, "--percent", "15")
    result = two("push", "--to", central, expect=1)
    assert "conflict: phenology plant=A-01" in result.stderr
    assert "percent: here 15.0, central 10.0" in result.stderr
    assert "obs amend phenology 1" in result.stderr
    two("amend", "phenology", "1", "--set", "percent=10", "--reason", "same visit")
    same = two("push", "--to", central, expect=1)
    assert "both have the same values" in same.stderr
    two("delete", "phenology", "1", "--reason", "entered centrally")
    two("push", "--to", central)
    assert _scalar(central, "SELECT count(*) FROM phenology") == 2  # one deleted
