"""The cases of issue 12 one by one: each refused cleanly (Error + Hint, its exit code, the
database unchanged), secrets masked, no write through a symlink, read-only files read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from obs.db import make_engine
from tests.cli.hostile_tools import check, dump, garbage
from tests.conftest import Invoker, seed_sites

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def site_db(request, tmp_path: Path, _migrated_template: Path, monkeypatch) -> Invoker:
    """Station 57511, plot JG-A, plants A-01…A-03 and one phenology record."""
    if request.param == "sqlite":
        path = tmp_path / "obs.db"
        shutil.copyfile(_migrated_template, path)
        url = str(path)
    else:
        url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    seed_sites(engine, plants=3)
    engine.dispose()
    invoke = Invoker(url)
    invoke("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    monkeypatch.chdir(tmp_path)
    return invoke


def refused(invoke: Invoker, *args: str, code: int = 1, says: str = "") -> str:
    """Run a command that must be refused: its exit code, Error + Hint, nothing changed."""
    before = dump(invoke.db)
    result = invoke(*args, expect=code)
    check(result)
    assert "Error:" in result.stderr and "Hint:" in result.stderr, result.stderr
    assert says in result.stderr, result.stderr
    assert dump(invoke.db) == before
    return str(result.stderr)


# --- point 2: --encoding and --delimiter -------------------------------------------------------

NOT_TEXT = ["rot13", "base64", "zip", "hex", "bz2", "uu", "idna", "punycode", "no-such-codec"]


@pytest.mark.parametrize("encoding", NOT_TEXT)
@pytest.mark.parametrize("command", ["observations", "weather"])
def test_encoding_that_is_no_text_encoding(seeded, tmp_path, command, encoding):
    sheet = tmp_path / "s.csv"
    sheet.write_text("观测株,观测日期,发育期\nA-02,2024-12-06,FLS\n", encoding="utf-8")
    station = ["--station", "57511"] if command == "weather" else []
    message = refused(
        seeded, "import", command, str(sheet), *station, "--encoding", encoding, code=2
    )
    assert "--encoding" in message


@pytest.mark.parametrize("delimiter", ["ab", ",,", "é", "", "\n", '"', "a", "\x00"])
@pytest.mark.parametrize("command", ["observations", "weather"])
def test_delimiter_of_more_than_one_ascii_character(seeded, tmp_path, command, delimiter):
    sheet = tmp_path / "s.csv"
    sheet.write_text("观测株,观测日期,发育期\nA-02,2024-12-06,FLS\n", encoding="utf-8")
    station = ["--station", "57511"] if command == "weather" else []
    refused(seeded, "import", command, str(sheet), *station, "--delimiter", delimiter, code=2)


def test_a_tab_delimiter_is_accepted_written_as_backslash_t(seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sheet = tmp_path / "s.csv"
    sheet.write_text("观测株\t观测日期\t发育期\nA-02\t2024-12-06\tFLS\n", encoding="utf-8")
    out = seeded.json("import", "observations", str(sheet), "--delimiter", "\\t")
    assert out["stored"] == 1


# --- point 3: options that are not UTF-8 -------------------------------------------------------

UNDECODABLE = [os.fsdecode(b"\xff\xfe"), os.fsdecode(b"A-\xff"), os.fsdecode(b"\xc3")]


@pytest.mark.parametrize("text", UNDECODABLE)
@pytest.mark.parametrize(
    "args",
    [
        ["record", "phenology", "--plant", "A-02", "--date", "2024-12-06", "--stage", "FLS"],
        ["station", "add", "57512", "--name", "x", "--latitude", "29", "--longitude", "106"],
        ["plant", "add", "A-09", "--plot", "JG-A"],
    ],
)
@pytest.mark.parametrize("option", ["--note", "--observer", "--name", "--position", "--plant"])
def test_text_that_is_not_utf8(seeded, args, option, text):
    refused(seeded, *args, option, text, says="is not valid UTF-8")


def test_a_setting_that_is_not_utf8(seeded):
    result = seeded("list", "phenology", expect=1, env={"OBS_USER": os.fsdecode(b"\xff")})
    assert "not valid UTF-8" in result.stderr and "Hint:" in result.stderr


# --- point 5: codes, text, duplicate headers ----------------------------------------------------

BAD_CODES = ["\\", "$(id)", "'; DROP TABLE x;--", "_", "始花期", "a b", "A/1", "A-", "A\x00"]


@pytest.mark.parametrize("code", BAD_CODES)
@pytest.mark.parametrize(
    "args",
    [
        ["station", "add", "CODE", "--name", "x", "--latitude", "29", "--longitude", "106"],
        ["plot", "add", "CODE", "--station", "57511", "--cultivar", "SUXIN"],
        ["plant", "add", "CODE", "--plot", "JG-A"],
    ],
    ids=["station", "plot", "plant"],
)
def test_site_codes_of_other_characters_refused(site_db, args, code):
    refused(site_db, *[code if a == "CODE" else a for a in args])


@pytest.mark.parametrize("code", ["JG-B", "plot_2.b", "B01"])
def test_ordinary_codes_accepted(site_db, code):
    site_db("plot", "add", code, "--station", "57511", "--cultivar", "SUXIN")
    site_db("plant", "add", f"{code}-1", "--plot", code)
    assert garbage(site_db.db) == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--note", "a\x00b"),
        ("--note", "x" * 2001),
        ("--observer", "x" * 65),
        ("--note", "bell\x07"),
        ("--observer", "\x1b[2J"),
    ],
)
def test_nul_control_characters_and_overlong_text_refused_on_both(site_db, option, value):
    args = ["record", "phenology", "--plant", "A-02", "--date", "2024-12-06", "--stage", "FLS"]
    refused(site_db, *args, option, value)


def test_the_longest_allowed_text_is_stored_on_both(site_db):
    args = ["record", "phenology", "--plant", "A-02", "--date", "2024-12-06", "--stage", "FLS"]
    site_db(*args, "--note", "长" * 2000, "--observer", "x" * 64)
    assert site_db.json("list", "phenology")[-1]["note"] == "长" * 2000


def test_a_nul_byte_in_an_imported_note_refuses_the_row_only(site_db, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_bytes(
        "观测株,观测日期,发育期,备注\nA-02,2024-12-06,FLS,a\x00b\nA-03,2024-12-06,FLS,ok\n".encode()
    )
    out = site_db.json("import", "observations", str(sheet), expect=3)
    assert (out["stored"], out["refused"]) == (1, 1)
    assert garbage(site_db.db) == []


@pytest.mark.parametrize(
    "header",
    [
        "观测株,plant,观测日期,发育期",
        "plant,plant,obs_date,stage_code",
        "观测株,观测日期,发育期,percent,Percent,百分率(%)",
    ],
)
def test_duplicate_field_columns_refused(seeded, tmp_path, header, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cells = ",".join(["A-02", "2024-12-06", "FLS", "1", "2", "3"][: header.count(",") + 1])
    if header.startswith("观测株,plant") or header.startswith("plant,plant"):
        cells = "A-02,A-03,2024-12-06,FLS"
    sheet = tmp_path / "s.csv"
    sheet.write_text(f"{header}\n{cells}\n", encoding="utf-8")
    refused(seeded, "import", "observations", str(sheet), "--kind", "phenology", says="columns")


# --- point 6: secrets in URLs --------------------------------------------------------------------

SECRET_URLS = [
    "postgresql+psycopg://obs@127.0.0.1:1/obs?password=s3cret",
    "postgresql+psycopg://obs:s3cret@127.0.0.1:1/obs",
    "postgresql+psycopg://obs@127.0.0.1:1/obs?sslmode=disable&sslpassword=s3cret",
]


@pytest.mark.parametrize("url", SECRET_URLS)
@pytest.mark.parametrize(
    "args",
    [["init"], ["list", "phenology"], ["station", "list"], ["validate"], ["backup", "b.db"]],
)
@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_secrets_of_a_url_never_shown(tmp_path, monkeypatch, url, args, debug):
    monkeypatch.chdir(tmp_path)
    result = Invoker(url).runner.invoke(
        __import__("cli.main", fromlist=["app"]).app, [*debug, "--db", url, *args]
    )
    text = result.stdout + result.stderr
    assert "s3cret" not in text and "***" in text, text
    assert result.exit_code == 1 and "Hint:" in result.stderr


def test_mask_secrets_of_connection_strings():
    from obs.db import safe_url
    from obs.secrets import mask_secrets

    assert safe_url("postgresql://u:pw@h/db?password=x&application_name=a") == (
        "postgresql://u:***@h/db?application_name=a&password=***"
    )
    assert mask_secrets("host=h password=pw dbname=d") == "host=h password=*** dbname=d"
    assert mask_secrets("no secret here: natural key") == "no secret here: natural key"


def test_backup_hint_of_postgresql_has_no_password(pg_url_with_password):
    result = Invoker(pg_url_with_password)("backup", "b.db", expect=1)
    assert "pg_dump" in result.stderr and "s3cret" not in result.stderr


@pytest.fixture
def pg_url_with_password(pg_url: str) -> str:
    return pg_url + "?password=s3cret"


# --- point 8: messages ---------------------------------------------------------------------------


@pytest.mark.postgres
def test_unknown_postgresql_role_named_as_such(pg_url):
    user_at = pg_url.split("://", 1)[1].split("@", 1)
    url = pg_url.split("://", 1)[0] + "://nouser_obs@" + user_at[1]
    result = Invoker(url)("list", "phenology", expect=1)
    assert 'role "nouser_obs" does not exist' in result.stderr
    assert "not initialised" not in result.stderr and "Hint:" in result.stderr


@pytest.mark.parametrize("folder_writable", [True, False], ids=["file-ro", "medium-ro"])
def test_read_only_database_is_read_and_writes_say_read_only(
    seeded, db_path, monkeypatch, folder_writable
):
    import obs.db

    def writable(path: Path) -> bool:
        return folder_writable and Path(path).is_dir()

    before = dump(str(db_path))
    monkeypatch.setattr(obs.db, "writable", writable)
    assert [s["code"] for s in seeded.json("station", "list")] == ["57511"]
    message = refused(seeded, "plant", "add", "A-99", "--plot", "JG-A")
    assert "read-only" in message
    monkeypatch.undo()
    assert dump(str(db_path)) == before


def test_read_only_medium_with_a_pending_wal_is_refused(seeded, db_path, monkeypatch):
    import obs.db

    wal = db_path.with_name(db_path.name + "-wal")
    wal.write_bytes(b"x" * 32)  # an unfinished WAL, without its -shm file
    db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
    monkeypatch.setattr(obs.db, "writable", lambda _path: False)
    result = seeded("list", "phenology", expect=1)
    assert "read-only medium" in result.stderr and "Hint:" in result.stderr


def test_an_unexpected_exception_is_an_error_with_a_hint(seeded, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("postgresql://u:pw@h/db?password=pw went wrong")

    monkeypatch.setattr("obs.records.listing.list_records", boom)
    result = seeded("list", "phenology", expect=1)
    assert "Traceback" not in result.stderr and "internal error (RuntimeError)" in result.stderr
    assert "Hint:" in result.stderr and "pw@" not in result.stderr
    debug = seeded.runner.invoke(
        __import__("cli.main", fromlist=["app"]).app,
        ["--debug", "--db", seeded.db, "list", "phenology"],
    )
    assert "Traceback" in debug.stderr and "password=pw" not in debug.stderr


# --- point 9: symlinks ---------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    return victim


@pytest.mark.parametrize("name", ["station.csv", "manifest.json", "history.csv"])
def test_export_never_writes_through_a_symlink(seeded, tmp_path, outside, name):
    out = tmp_path / "export"
    seeded("export", "--output", str(out))
    (out / name).unlink()
    (out / name).symlink_to(outside)
    refused(seeded, "export", "--output", str(out), "--force", says="symbolic link")
    assert outside.read_text(encoding="utf-8") == "precious"


def test_reject_file_that_is_a_symlink_refused(seeded, tmp_path, outside):
    sheet = tmp_path / "s.csv"
    sheet.write_text("观测株,观测日期,发育期\nA-02,2024-13-06,FLS\n", encoding="utf-8")
    link = tmp_path / "rejects.csv"
    link.symlink_to(outside)
    refused(seeded, "import", "observations", str(sheet), "--reject-file", str(link))
    assert outside.read_text(encoding="utf-8") == "precious"


def test_backup_over_a_symlink_refused(seeded, tmp_path, outside):
    link = tmp_path / "b.db"
    link.symlink_to(outside)
    refused(seeded, "backup", str(link), "--force", says="symbolic link")
    assert outside.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink()


def test_output_file_that_is_a_symlink_refused(seeded, tmp_path, outside):
    link = tmp_path / "list.csv"
    link.symlink_to(outside)
    refused(seeded, "list", "phenology", "--format", "csv", "--output", str(link))
    assert outside.read_text(encoding="utf-8") == "precious"


# --- point 10: exit codes and settings -------------------------------------------------------


def test_import_that_refused_rows_exits_3_and_says_so(seeded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default reject file is written here
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "观测株,观测日期,发育期\nA-02,2024-12-06,FLS\nA-03,2024-13-06,FLS\n", encoding="utf-8"
    )
    result = seeded("import", "observations", str(sheet), expect=3)
    assert "exit code 3: 1 rows refused" in result.stderr
    assert len(seeded.json("list", "phenology")) == 1  # the good row is stored


@pytest.mark.parametrize("how", ["--db", "OBS_DB"])
def test_demo_honours_db_and_obs_db(tmp_path, monkeypatch, how):
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.chdir(tmp_path)
    target = tmp_path / "mine.db"
    args = ["--db", str(target)] if how == "--db" else []
    env = {"OBS_DB": str(target)} if how == "OBS_DB" else {}
    result = CliRunner().invoke(app, [*args, "demo", "--seasons", "1"], env=env)
    assert result.exit_code == 0, result.stderr
    assert target.is_file() and not (tmp_path / "obs-demo.db").exists()


def test_demo_refuses_a_server_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = Invoker("postgresql+psycopg://u@127.0.0.1:1/x")("demo", expect=2)
    assert "SQLite file" in result.stderr and "Hint:" in result.stderr


def test_season_without_phenology_warns(seeded):
    seeded("record", "weather", "--station", "57511", "--date", "2024-12-05", "--tmax", "10")
    result = seeded("report", "season", "2024", "--format", "json")
    assert "季无物候观测记录" in result.stderr
    english = seeded("--lang", "en", "report", "season", "2024", "--format", "json")
    assert "no phenology recorded in season 2024/25" in english.stderr


# --- point 11: updated_at ------------------------------------------------------------------------


def _stamps(db: str) -> tuple[object, object]:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        row = conn.execute(text("SELECT updated_at, deleted_at FROM phenology WHERE id = 1")).one()
    engine.dispose()
    return row[0], row[1]


def test_delete_and_restore_set_updated_at(seeded):
    seeded("record", "phenology", "--plant", "A-01", "--date", "2024-12-05", "--stage", "FLS")
    first, _ = _stamps(seeded.db)
    seeded("delete", "phenology", "1", "--reason", "test")
    deleted, deleted_at = _stamps(seeded.db)
    assert deleted is not None and deleted != first and deleted == deleted_at
    seeded("restore", "phenology", "1", "--reason", "test")
    restored, gone = _stamps(seeded.db)
    assert gone is None and restored is not None and str(restored) > str(deleted)


def test_reject_file_name_too_long_refused_before_the_import(seeded, tmp_path):
    # found by test_import_observations_options (--reject-file 'é' * 1000): OSError
    sheet = tmp_path / "s.csv"
    sheet.write_text("观测株,观测日期,发育期\nA-02,2024-12-06,FLS\n", encoding="utf-8")
    long_name = str(tmp_path / ("é" * 1000))
    refused(seeded, "import", "observations", str(sheet), "--reject-file", long_name)


@pytest.mark.parametrize("db", ["\x00", "a\x00b.db", "é" * 300])
def test_db_path_with_nul_or_too_long_refused(tmp_path, monkeypatch, db):
    # found by test_global_options (--db '\x00'): ValueError: embedded null byte
    monkeypatch.chdir(tmp_path)
    result = Invoker(db)("list", "phenology", expect=1)
    check(result)
    assert "--db" in result.stderr + result.stdout or "cannot use" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("offset", ["-478110377", "1e9", "nan", "15"])
def test_weather_offset_outside_the_zones_of_the_earth(seeded, tmp_path, offset):
    # found by test_import_weather_options (--offset -478110377): the reader process failed
    sheet = tmp_path / "w.csv"
    sheet.write_text("时间,气温\n2024-03-01 21:00,10\n", encoding="utf-8")
    before = dump(seeded.db)
    result = seeded(
        "import", "weather", str(sheet), "--station", "57511", "--offset", offset, expect=2
    )
    check(result)
    assert dump(seeded.db) == before
