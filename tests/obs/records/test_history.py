"""Engine: amendments validated like new entries, every version kept, soft delete and restore."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from obs.db import session_scope
from obs.errors import DuplicateError, InvalidValueError, NotFoundError, ObsError
from obs.records.amend import amend, parse_assignments, revert
from obs.records.create import create
from obs.records.deletion import delete_record, restore_record
from obs.records.history import apply_change, history_chain
from obs.records.listing import Filters, list_records
from schemas import tables as T
from schemas.kinds import KINDS
from tests.conftest import seed_sites

TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def db(engine):
    seed_sites(engine, plants=2)
    with session_scope(engine) as s:
        create(
            "phenology",
            {"plant": "A-01", "obs_date": "2024-12-05", "stage_code": "FLS"},
            session=s,
            actor="wang",
        )
        create(
            "phenology",
            {
                "plant": "A-01",
                "obs_date": "2024-12-20",
                "stage_code": "FLF",
                "flowers_open": "30",
                "buds_unopened": "9",
                "flowers_withered": "1",
            },
            session=s,
            actor="wang",
        )
        create(
            "weather",
            {
                "station": "57511",
                "obs_date": "2024-12-20",
                "t_max": "12.4",
                "t_min": "3.1",
                "t_mean": "7.0",
            },
            session=s,
            actor="wang",
        )
    return engine


def test_amend_stores_old_and_new_value_and_resets_qc(db):
    with session_scope(db) as s:
        s.get(T.PhenologyObservation, 2).qc = 0
        done = amend(
            "phenology",
            2,
            {"flowers_open": "60"},
            reason="miscounted",
            session=s,
            actor="li",
            today=TODAY,
        )
    # open ratio recomputed: 60 / (60 + 9 + 1) = 85.7 %
    assert done.changes == {"flowers_open": [30, 60], "open_ratio": [75.0, 85.7]}
    assert done.version == 2
    with session_scope(db) as s:
        row = s.get(T.PhenologyObservation, 2)
        entry = s.exec(select(T.History)).one()
    assert row.qc == 9 and row.updated_at is not None
    assert entry.action == "amend" and entry.actor == "li" and entry.reason == "miscounted"
    assert entry.before["flowers_open"] == 30 and entry.record_uid == row.uid


def test_history_chain_and_revert(db):
    with session_scope(db) as s:
        amend("weather", 1, {"t_max": "13.0"}, reason="typo", session=s, today=TODAY)
        amend("weather", 1, {"t_max": "14.0"}, reason="typo again", session=s, today=TODAY)
        done = revert("weather", 1, 1, reason="wrong fixes", session=s, today=TODAY)
        chain = history_chain("weather", 1, session=s)
    assert done.changes == {"t_max": [14.0, 12.4]}
    assert [v["version"] for v in chain] == [1, 2, 3, 4]
    assert [v["action"] for v in chain] == ["create", "amend", "amend", "revert"]
    assert [v["values"]["t_max"] for v in chain] == [12.4, 13.0, 14.0, 12.4]
    assert chain[3]["reason"] == "wrong fixes (revert to version 1)"


@pytest.mark.parametrize(
    ("changes", "error", "needle"),
    [
        ({"plant": "A-02"}, InvalidValueError, "cannot be amended"),
        ({"t_max": "1.0"}, InvalidValueError, "is above --tmax"),  # t_mean 7.0 > t_max 1.0
        ({"obs_date": "2999-01-01"}, InvalidValueError, "in the future"),
        ({"stage_code": ""}, InvalidValueError, "cannot be cleared"),
    ],
)
def test_amend_refusals(db, changes, error, needle):
    kind = "phenology" if "plant" in changes or "stage_code" in changes else "weather"
    with pytest.raises(error, match=needle), session_scope(db) as s:
        amend(kind, 2 if kind == "phenology" else 1, changes, reason="x", session=s, today=TODAY)
    with session_scope(db) as s:
        assert s.exec(select(T.History)).all() == []


def test_amend_rechecks_stage_order_excluding_itself(db):
    # moving first flowering after full bloom (2024-12-20) contradicts the stage order
    with pytest.raises(InvalidValueError, match="stage order"), session_scope(db) as s:
        amend("phenology", 1, {"obs_date": "2024-12-25"}, reason="x", session=s, today=TODAY)
    with session_scope(db) as s:  # moving it within its own slot is fine
        amend("phenology", 1, {"obs_date": "2024-12-06"}, reason="x", session=s, today=TODAY)


def test_amend_refuses_duplicate_key(db):
    with session_scope(db) as s:
        create("weather", {"station": "57511", "obs_date": "2024-12-21", "t_max": "9"}, session=s)
    with pytest.raises(DuplicateError, match="same key"), session_scope(db) as s:
        amend("weather", 1, {"obs_date": "2024-12-21"}, reason="x", session=s, today=TODAY)


def test_blank_reason_and_no_change_refused(db):
    with pytest.raises(InvalidValueError, match="--reason"), session_scope(db) as s:
        amend("weather", 1, {"t_max": "13"}, reason="  ", session=s, today=TODAY)
    with pytest.raises(ObsError, match="nothing to change"), session_scope(db) as s:
        amend("weather", 1, {"t_max": "12.4"}, reason="x", session=s, today=TODAY)


def test_parse_assignments_accepts_option_names():
    assert parse_assignments("weather", ["tmax=12", "date=2024-12-01", "note="]) == {
        "t_max": "12",
        "obs_date": "2024-12-01",
        "note": "",
    }
    with pytest.raises(InvalidValueError, match="not FIELD=VALUE"):
        parse_assignments("weather", ["tmax"])
    with pytest.raises(InvalidValueError, match="not a field"):
        parse_assignments("weather", ["colour=red"])


def test_delete_hides_and_restore_brings_back(db):
    with session_scope(db) as s:
        delete_record("phenology", 2, reason="entered twice", session=s, actor="li")
        assert [r["id"] for r in list_records("phenology", session=s)] == [1]
        assert len(list_records("phenology", Filters(include_deleted=True), session=s)) == 2
        restore_record("phenology", 2, reason="was right", session=s)
        chain = history_chain("phenology", 2, session=s)
    assert [v["action"] for v in chain] == ["create", "delete", "restore"]
    assert chain[0]["values"]["deleted_at"] is None
    assert chain[1]["values"]["deleted_at"] is not None  # version 2: as deleted
    assert chain[2]["values"]["deleted_at"] is None


def test_restore_refused_when_key_taken_meanwhile(db):
    with session_scope(db) as s:
        delete_record("weather", 1, reason="x", session=s)
        create("weather", {"station": "57511", "obs_date": "2024-12-20", "t_max": "9"}, session=s)
    with pytest.raises(DuplicateError, match="same key"), session_scope(db) as s:
        restore_record("weather", 1, reason="x", session=s)


def test_delete_parent_with_live_children_refused(db):
    with pytest.raises(ObsError, match="still has live records"), session_scope(db) as s:
        delete_record("plant", 1, reason="x", session=s)
    with session_scope(db) as s:  # a plant without records can go
        delete_record("plant", 2, reason="died", session=s)
        with pytest.raises(ObsError, match="deleted"):
            amend("plant", 2, {"position": "N"}, reason="x", session=s)
        with pytest.raises(NotFoundError):
            history_chain("plant", 99, session=s)


def test_apply_change_sets_values_resets_qc_and_logs_one_version(db):
    at = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
    with session_scope(db) as s:
        record = s.get(T.DailyWeather, 1)
        record.qc = 0
        logged = apply_change(
            s,
            KINDS["weather"],
            record,
            {"t_max": 13.0},
            action="amend",
            reason="re-read the sheet",
            actor="li",
            at=at,
        )
        assert logged == {"t_max": [12.4, 13.0]}
        assert (record.t_max, record.qc) == (13.0, 9)
        chain = history_chain("weather", 1, session=s)
    assert [(v["action"], v["actor"], v["reason"]) for v in chain[1:]] == [
        ("amend", "li", "re-read the sheet")
    ]
    assert [v["values"]["t_max"] for v in chain] == [12.4, 13.0]
    assert chain[1]["at"].startswith("2025-03-01T08:00")
    assert chain[1]["values"]["updated_at"].startswith("2025-03-01T08:00")


@pytest.mark.parametrize(
    ("kind", "record_id", "changes", "wanted", "not_wanted"),
    [
        # plot JG-A has plants: it cannot be deleted, so "delete and enter again" is no way out
        (
            "plot",
            1,
            {"cultivar": "QINGKOU"},
            "add a new plot with the right cultivar",
            "delete the",
        ),
        (
            "plant",
            1,
            {"cultivar": "QINGKOU"},
            "add a new plant with the right cultivar",
            "delete the",
        ),
        # plant A-02 has no records below it, an observation never has: delete and re-enter
        ("plant", 2, {"cultivar": "QINGKOU"}, "obs delete plant 2", "add a new"),
        ("phenology", 1, {"plant": "A-02"}, "obs delete phenology 1", "add a new"),
    ],
)
def test_fixed_field_hint_can_be_followed(db, kind, record_id, changes, wanted, not_wanted):
    with pytest.raises(InvalidValueError, match="cannot be amended") as err, session_scope(db) as s:
        amend(kind, record_id, changes, reason="x", session=s, today=TODAY)
    assert wanted in (err.value.hint or "") and not_wanted not in (err.value.hint or "")
