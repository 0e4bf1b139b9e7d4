"""The words of field rounds (``obs visit``, ``obs due``, ``obs template``, the entry prompts):
every message in Chinese first and English second, as data. ``say(key, lang, **values)``."""

from __future__ import annotations

from schemas.terms import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # errors and hints of the engine
    "no_plot": ("没有观测地段 {plot!r}", "no plot {plot!r}"),
    "no_plot_hint": (
        "查看地段：obs plot list（添加：obs plot add）",
        "list them with: obs plot list   (add one with: obs plot add)",
    ),
    "no_plants": ("观测地段 {plot} 没有在用的观测株", "plot {plot} has no live marked plants"),
    "no_plants_hint": (
        "添加观测株：obs plant add A-01..A-10 --plot {plot}",
        "add them with: obs plant add A-01..A-10 --plot {plot}",
    ),
    "future": (
        "日期 {day} 在将来（今天是 {today}）",
        "the date {day} is in the future (today is {today})",
    ),
    "future_hint": ("观测在观测当天或之后记录", "observations are recorded on or after the day"),
    "order": (
        "观测株 {plant} 在 {day} 记为 {stage}，与其发育期顺序矛盾："
        "记录 #{id} 的 {other}（{other_label}）在 {other_day}",
        "plant {plant}: {stage} on {day} contradicts its stage order: record #{id} has "
        "{other} ({other_label}) on {other_day}",
    ),
    "order_hint": (
        "发育期顺序为 {chain}；若那条记录有误，用 obs amend phenology {id} --set … --reason … 更正",
        "stages follow {chain}; if that record is wrong, correct it with: "
        "obs amend phenology {id} --set … --reason …",
    ),
    "no_tty": ("obs visit 需要在终端中运行", "obs visit needs a terminal"),
    "no_tty_hint": (
        "没有终端时，用 obs template phenology --plot {plot} 生成表格，填好后用 "
        "obs import observations FILE 导入",
        "without a terminal, write a sheet with obs template phenology --plot {plot} and "
        "import it filled in with: obs import observations FILE",
    ),
    "interrupted": ("已中断；本轮未写入任何记录", "interrupted; nothing of the round was stored"),
    "nothing_entered": ("本轮没有记录任何观测，未写入", "no plant was recorded; nothing stored"),
    "not_stored": ("未保存；本轮未写入任何记录", "not stored; nothing of the round was written"),
    "stored_round": (
        "已保存：地段 {plot} {day}，{count} 条发育期观测（#{first}…#{last}）",
        "stored: plot {plot} {day}, {count} phenology records (#{first}…#{last})",
    ),
    "no_observer": (
        "未给出观测员（--observer、OBS_OBSERVER 或配置文件的 observer），记录的观测员为空",
        "no observer given (--observer, OBS_OBSERVER or the config's observer); "
        "the records have an empty observer",
    ),
    "no_observer_rows": (
        "注意：{count} 条记录未写观测员（表中没有观测员，也未设 OBS_OBSERVER 或配置的 observer）",
        "note: {count} records stored without an observer (none in the sheet, no OBS_OBSERVER "
        "or config observer)",
    ),
    # the visit dialogue
    "round_head": (
        "地段 {plot}，{day} {time}，观测员 {observer}：{count} 株。"
        "回车＝无变化，s＝跳过，b＝上一株，q＝结束",
        "plot {plot}, {day} {time}, observer {observer}: {count} plants. "
        "Enter = no change, s = skip, b = back, q = stop",
    ),
    "time_hint": (
        "提示：建议在 {low}～{high}（北京时）观测，花和叶多在午后开放",
        "note: visits are recommended at {low}–{high} BT, when flowers and leaves have opened",
    ),
    "plant_head": ("[{n}/{total}] 观测株 {plant}", "[{n}/{total}] plant {plant}"),
    "last": ("  上次：{day} {stage}{measure}", "  last: {day} {stage}{measure}"),
    "last_none": ("  上次：无记录", "  last: no record"),
    "expected": ("  预计下一发育期：{stage}", "  expected next: {stage}"),
    "expected_none": ("  预计下一发育期：—", "  expected next: —"),
    "ask_stage": (
        "发育期（序号、代码或名称；回车＝{keep}）",
        "stage (number, code or name; Enter = {keep})",
    ),
    "ask_stage_first": ("发育期（序号、代码或名称）", "stage (number, code or name)"),
    "ask_menu": ("{label}（序号、代码或名称）", "{label} (number, code or name)"),
    "no_change": ("无变化", "no change"),
    "need_stage": (
        "此株没有以前的记录，请给出发育期（或 s 跳过）",
        "this plant has no earlier record: give a stage (or s to skip)",
    ),
    "ask_open": ("开放花数", "open flowers"),
    "ask_unopened": ("未开花蕾数", "unopened buds"),
    "ask_withered": ("凋谢花数", "withered flowers"),
    "ask_percent": ("百分率(%)（回车＝不填）", "percent (Enter = none)"),
    "ask_note": ("备注（可空）", "note (optional)"),
    "ask_observer": ("观测员", "observer"),
    "ask_store": ("保存本轮？[y/n]", "store the round? [y/n]"),
    "round_table": ("本轮：地段 {plot} {day}", "round: plot {plot} {day}"),
    "skipped": ("（跳过）", "(skipped)"),
    "at_first": ("已是第一株", "this is the first plant"),
    "bad_choice": (
        "{answer!r} 不是序号 1～{n}，也不是发育期代码或名称",
        "{answer!r} is neither a number 1–{n} nor a stage code or name",
    ),
    "bad_number": ("{answer!r} 不是序号 1～{n} 中的一个", "{answer!r} is not a number 1–{n}"),
    "not_number": ("{answer!r} 不是数字", "{answer!r} is not a number"),
    "bad_int": ("{answer!r} 不是非负整数", "{answer!r} is not a whole number ≥ 0"),
    "bad_float": (
        "{answer!r} 不在 {low}～{high} 之间",
        "{answer!r} is not between {low} and {high}",
    ),
    "bad_yes_no": ("请回答 y 或 n", "answer y or n"),
    "bad_plant": ("{answer!r} 不是在用的观测株", "{answer!r} is not a live marked plant"),
    "ask_again": ("请重新输入", "please answer again"),
    "too_many": ("{what}：{n} 次回答都无效", "{what}: no valid answer after {n} tries"),
    "ask_element": ("{label}（回车＝不填）", "{label} (Enter = none)"),
    "need_element": ("至少填一个要素", "give at least one element"),
    # obs plant add
    "tag_twice": ("株号重复", "is given twice"),
    "bad_range": ("不是株号范围", "is not a range of tags"),
    "range_hint": (
        "范围写作 A-01..A-20（同一前缀，前小后大）",
        "write a range as A-01..A-20 (one prefix, the smaller number first)",
    ),
    "long_range": ("范围超过 {n} 株", "gives more than {n} tags"),
    "stored_plants": ("已添加 {count} 株（观测株）：{tags}", "stored {count} plants: {tags}"),
    # obs due / obs template
    "bad_interval": (
        "--interval {item!r} 不是 规则=天数",
        "--interval {item!r} is not RULE=DAYS",
    ),
    "bad_interval_hint": ("规则为 {rules}", "rules are {rules}"),
    "template_kind": (
        "{kind} 不是按株或按地段记录的观测类型",
        "{kind} is not a per-plant or per-plot kind",
    ),
    "template_kind_hint": ("可选：{kinds}", "one of {kinds}"),
}


def say(key: str, lang: Lang = "zh", /, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    zh, en = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)
