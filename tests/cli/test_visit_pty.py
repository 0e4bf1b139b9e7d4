"""``obs visit`` and the entry prompts driven through a real pseudo-terminal (pexpect).

Every test answers as an observer would — right and wrong values, ``s``/``b``/``q``, Ctrl-C —
and then reads the database itself: what was stored, or that nothing was.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
from sqlalchemy import Engine, text

from obs.db import session_scope
from obs.records.create import create
from tests.conftest import seed_sites

DAY = "2024-12-20"
TIMEOUT = 20


@pytest.fixture
def site(engine: Engine) -> Engine:
    seed_sites(engine, plants=3)
    return engine


def spawn(db: Path, *args: str, observer: str | None = None) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("OBS_NO_PROMPT", "OBS_OBSERVER")}
    env.update(OBS_DB=str(db), OBS_CONFIG="/nonexistent/obs.toml", COLUMNS="160", NO_COLOR="1")
    if observer is not None:
        env["OBS_OBSERVER"] = observer
    child = pexpect.spawn(
        sys.executable,
        ["-c", "from cli.main import main; main()", *args],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 160),
    )
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def phenology(engine: Engine) -> list[tuple]:
    with engine.connect() as c:
        return list(
            c.execute(
                text(
                    "SELECT p.tag, o.obs_date, o.obs_time, o.stage_code, o.flowers_open, "
                    "o.buds_unopened, o.flowers_withered, o.percent, o.observer, o.note "
                    "FROM phenology o JOIN plant p ON p.id = o.plant_id ORDER BY p.tag, o.id"
                )
            ).all()
        )


def visit(db: Path, *extra: str, observer: str | None = None) -> pexpect.spawn:
    args = ("visit", "--plot", "JG-A", "--date", DAY, "--time", "14:30", *extra)
    return spawn(db, *args, observer=observer)


def test_a_whole_round_with_wrong_answers_is_stored_in_zh(site: Engine, db_path: Path) -> None:
    child = visit(db_path, "--observer", "王芳")
    child.expect(r"\[1/3\] 观测株 A-01")
    child.expect("上次：无记录")
    child.expect(r"发育期（序号、代码或名称）: ")
    child.sendline("99")  # a number outside the menu: the range is said, asked again
    child.expect("不是序号 1～19")
    child.sendline("始花期")  # the Chinese label picks FLS, which asks the flower counts
    child.expect("开放花数: ")
    child.sendline("x")
    child.expect("不是非负整数")
    child.sendline("12")
    child.expect("未开花蕾数: ")
    child.sendline("40")
    child.expect("凋谢花数: ")
    child.sendline("0")
    child.expect("备注")
    child.sendline("东侧枝")
    child.expect(r"\[2/3\] 观测株 A-02")
    child.expect(r"发育期")
    child.sendline("s")  # skipped
    child.expect(r"\[3/3\] 观测株 A-03")
    child.expect(r"发育期")
    child.sendline("8")  # FBV by its number: a percent stage
    child.expect(r"百分率")
    child.sendline("120")
    child.expect("不在 0～100 之间")
    child.sendline("30")
    child.expect("备注")
    child.sendline("")
    child.expect("跳过")  # the round table shows the skipped plant
    child.expect(r"保存本轮？\[y/n\]: ")
    child.sendline("maybe")
    child.expect("请回答 y 或 n")
    child.sendline("y")
    child.expect("已保存：地段 JG-A 2024-12-20，2 条发育期观测")
    assert finish(child) == 0
    rows = phenology(site)
    assert [(r[0], r[3], r[4], r[5], r[6], r[7], r[9]) for r in rows] == [
        ("A-01", "FLS", 12, 40, 0, None, "东侧枝"),
        ("A-03", "FBV", None, None, None, 30.0, ""),
    ]
    assert {(str(r[1]), str(r[2])[:5], r[8]) for r in rows} == {("2024-12-20", "14:30", "王芳")}


def test_enter_keeps_no_change_and_b_goes_back(site: Engine, db_path: Path) -> None:
    with session_scope(site) as s:
        create(
            "phenology",
            {
                "plant": "A-01",
                "obs_date": "2024-12-18",
                "stage_code": "FLS",
                "flowers_open": "5",
                "buds_unopened": "50",
            },
            session=s,
        )
    child = visit(db_path, "--observer", "李明", "--lang", "en")
    child.expect(r"\[1/3\] plant A-01")
    child.expect("last: 2024-12-18 FLS First flowering")
    child.expect("expected next: FLF Full bloom")
    child.expect(r"Enter = no change FLS\): ")
    child.sendline("")  # no change: FLS again, with today's counts
    for answer in ("9", "45", "1"):
        child.expect(r": ")
        child.sendline(answer)
    child.expect(r"note")
    child.sendline("")
    child.expect(r"\[2/3\] plant A-02")
    child.expect(r"stage")
    child.sendline("b")  # back to A-01: answer it again
    child.expect(r"\[1/3\] plant A-01")
    child.expect(r"Enter = no change FLS\): ")
    child.sendline("FLF")
    for answer in ("30", "20", "1"):
        child.expect(r": ")
        child.sendline(answer)
    child.expect(r"note")
    child.sendline("")
    child.expect(r"\[2/3\] plant A-02")
    child.expect(r"stage")
    child.sendline("q")  # stop: the round so far is shown and stored on confirmation
    child.expect(r"store the round\? \[y/n\]: ")
    child.sendline("y")
    child.expect("stored: plot JG-A 2024-12-20, 1 phenology records")
    assert finish(child) == 0
    rows = phenology(site)
    assert [(r[0], str(r[1]), r[3], r[4], r[8]) for r in rows] == [
        ("A-01", "2024-12-18", "FLS", 5, ""),
        ("A-01", "2024-12-20", "FLF", 30, "李明"),
    ]


def test_a_stage_against_the_order_names_the_record_and_is_asked_again(
    site: Engine, db_path: Path
) -> None:
    with session_scope(site) as s:
        first = create(
            "phenology", {"plant": "A-01", "obs_date": "2024-12-10", "stage_code": "FLF"}, session=s
        )
    child = visit(db_path, "--observer", "王芳")
    child.expect(r"\[1/3\] 观测株 A-01")
    child.expect(r"发育期（序号、代码或名称；回车＝无变化 FLF）: ")
    child.sendline("FLS")  # first flowering after full bloom on 12-10: contradicts that record
    child.expect(f"记录 #{first.row['id']} 的 FLF（盛花期）在 2024-12-10")
    child.expect(f"obs amend phenology {first.row['id']}")
    child.expect(r"发育期（序号、代码或名称；回车＝无变化 FLF）: ")
    child.sendline("FLE")
    for answer in ("2", "0", "60"):
        child.expect(r": ")
        child.sendline(answer)
    child.expect("备注")
    child.sendline("q")  # q at the note stops before this plant: nothing entered
    child.expect("本轮没有记录任何观测，未写入")
    assert finish(child) == 0
    assert len(phenology(site)) == 1


def test_ctrl_c_stores_nothing_and_exits_130(site: Engine, db_path: Path) -> None:
    child = visit(db_path, "--observer", "王芳")
    child.expect(r"发育期")
    child.sendline("FLS")
    for answer in ("1", "50", "0"):
        child.expect(r": ")
        child.sendline(answer)
    child.expect("备注")
    child.sendline("")
    child.expect(r"\[2/3\] 观测株 A-02")
    child.expect(r"发育期")
    child.sendintr()
    child.expect("已中断；本轮未写入任何记录")
    assert finish(child) == 130
    assert phenology(site) == []


def test_ctrl_c_at_the_confirmation_and_no_store_nothing(site: Engine, db_path: Path) -> None:
    for last in ("n", None):
        child = visit(db_path, "--observer", "王芳")
        child.expect(r"发育期")
        child.sendline("FBV")
        child.expect("百分率")
        child.sendline("10")
        child.expect("备注")
        child.sendline("q")
        child.expect("本轮没有记录")  # q on the note: nothing of this plant; start over
        assert finish(child) == 0
        child = visit(db_path, "--observer", "王芳")
        child.expect(r"发育期")
        child.sendline("FBV")
        child.expect("百分率")
        child.sendline("10")
        child.expect("备注")
        child.sendline("")
        child.expect(r"发育期")
        child.sendline("q")
        child.expect(r"保存本轮？\[y/n\]: ")
        if last is None:
            child.sendintr()
            child.expect("已中断")
            assert finish(child) == 130
        else:
            child.sendline(last)
            child.expect("未保存")
            assert finish(child) == 0
    assert phenology(site) == []


def test_no_observer_is_asked_and_an_empty_one_warned(site: Engine, db_path: Path) -> None:
    child = visit(db_path)
    child.expect(r"观测员: ")
    child.sendline("")
    child.expect("未给出观测员")
    child.expect(r"发育期")
    child.sendintr()
    assert finish(child) == 130
    child = visit(db_path, observer="赵六")  # OBS_OBSERVER is the default answer
    child.expect(r"观测员 \[赵六\]: ")
    child.sendline("")
    child.expect("观测员 赵六")
    child.sendintr()
    assert finish(child) == 130


def test_bad_plot_future_date_and_no_plants(site: Engine, db_path: Path) -> None:
    child = spawn(db_path, "visit", "--plot", "XX", "--observer", "王芳")
    child.expect("没有观测地段 'XX'")
    assert finish(child) == 1
    child = spawn(db_path, "visit", "--plot", "JG-A", "--date", "2999-01-01")
    child.expect("在将来")
    assert finish(child) == 1
    with session_scope(site) as s:
        create("plot", {"code": "JG-B", "station": "57511", "cultivar": "SUXIN"}, session=s)
    child = spawn(db_path, "visit", "--plot", "JG-B", "--observer", "王芳")
    child.expect("没有在用的观测株")
    child.expect("obs plant add")
    assert finish(child) == 1


def test_record_phenology_checks_the_plant_first_and_asks_counts_and_observer(
    site: Engine, db_path: Path
) -> None:
    with session_scope(site) as s:
        create(
            "phenology", {"plant": "A-02", "obs_date": "2024-12-10", "stage_code": "FLF"}, session=s
        )
    child = spawn(db_path, "record", "phenology", "--plant", "A-09", "--date", DAY)
    child.expect("'A-09' 不是在用的观测株")  # before any other question
    child.expect(r"观测株: ")
    child.sendline("A-02")
    child.expect(r"发育期（序号、代码或名称）: ")
    child.sendline("FLS")
    # 300 of 333 flowers withered: the FLE chosen after the refusal meets its ≥ 80 % criterion.
    for label, answer in (("开放花数", "3"), ("未开花蕾数", "30"), ("凋谢花数", "300")):
        child.expect(label)
        child.sendline(answer)
    child.expect(r"观测员: ")
    child.sendline("王芳")
    child.expect("与其发育期顺序矛盾：记录 #1 的 FLF")  # refused: the stage is asked again
    child.expect(r"发育期（序号、代码或名称）: ")
    child.sendline("FLE")
    child.expect("stored phenology")
    assert finish(child) == 0
    rows = phenology(site)
    assert [(r[0], r[3], r[4], r[5], r[6], r[8]) for r in rows] == [
        ("A-02", "FLF", None, None, None, ""),
        ("A-02", "FLE", 3, 30, 300, "王芳"),
    ]


def test_record_weather_asks_the_elements(site: Engine, db_path: Path) -> None:
    child = spawn(db_path, "record", "weather", "--station", "57511", "--date", DAY, "--lang", "en")
    child.expect(r"Daily maximum air temperature.*\(Enter = none\): ")
    child.sendline("12.5")
    for _ in range(6):
        child.expect(r"\(Enter = none\): ")
        child.sendline("")
    child.expect("stored weather")
    assert finish(child) == 0
    with site.connect() as c:
        assert c.execute(text("SELECT t_max, t_min FROM daily_weather")).one() == (12.5, None)


def test_ctrl_c_at_a_record_prompt_exits_130(site: Engine, db_path: Path) -> None:
    child = spawn(db_path, "record", "phenology", "--plant", "A-01", "--date", DAY)
    child.expect(r"发育期（序号、代码或名称）: ")
    child.sendintr()
    child.expect("已中断；未完成的命令没有写入任何内容")
    assert finish(child) == 130
    assert phenology(site) == []
