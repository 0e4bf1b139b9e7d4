"""Sentences of the agromet condition appraisal in Chinese and English, as templates.

A field given to :func:`say` as a (zh, en) pair is language-specific (the subject, units,
words, coverage notes); any other value is the same in both languages (dates, numbers).
The statements on effects follow §3.3 ("more sunshine gives a longer bloom and a stronger
scent; more rain gives a shorter bloom", [S26]) and §7 (what each disaster harms).
"""

from __future__ import annotations

#: key -> (zh template, en template).
TEXT: dict[str, tuple[str, str]] = {
    "scope": (
        "鉴定{season}年度（{start}—{end}）：夏季花芽分化期与其后的花期。",
        "Appraisal of season {season} ({start}–{end}): the summer of flower-bud "
        "differentiation and the bloom that follows.",
    ),
    "fls_none": ("{who}：未记录始花期。", "{who}: no first-flowering date."),
    "fls_no_mean": (
        "{who}：始花期（普遍期）{day}；往年（不含本季）不足{k}个，无往年平均可比。",
        "{who}: first flowering (general date) on {day}; fewer than {k} earlier seasons, "
        "so no mean of earlier seasons to compare with.",
    ),
    "fls_same": (
        "{who}：始花期（普遍期）{day}，与往年平均（不含本季）同日。",
        "{who}: first flowering (general date) on {day}, on the mean date of earlier seasons.",
    ),
    "fls_anomaly": (
        "{who}：始花期（普遍期）{day}，较往年平均（不含本季）偏{word}{n}天。",
        "{who}: first flowering (general date) on {day}, {n} days {word} than the mean of "
        "earlier seasons.",
    ),
    "no_bloom": (
        "{who}：未同时记录始花期和末花期，不作花期长度和花期气象鉴定。",
        "{who}: FLS and FLE are not both dated, so bloom length and weather are not appraised.",
    ),
    "length_no_mean": (
        "{who}：花期（始花至末花）{days}天；早先年度不足{k}个，无平均可比。",
        "{who}: the bloom (FLS to FLE) lasted {days} days; fewer than {k} earlier seasons "
        "to compare with.",
    ),
    "length_same": (
        "{who}：花期（始花至末花）{days}天，与前{n}年平均（{mean}天）相同。",
        "{who}: the bloom (FLS to FLE) lasted {days} days, as long as the mean of the {n} "
        "earlier seasons ({mean} d).",
    ),
    "length_anomaly": (
        "{who}：花期（始花至末花）{days}天，较前{n}年平均（{mean}天）{word}{diff}天。",
        "{who}: the bloom (FLS to FLE) lasted {days} days, {diff} days {word} than the mean "
        "of the {n} earlier seasons ({mean} d).",
    ),
    "weather_none": (
        "{who}：花期（{start}—{end}，{days}天）{what}资料不足，未作鉴定。",
        "{who}: bloom ({start}–{end}, {days} d) {what}: too few data to appraise.",
    ),
    "weather_no_normal": (
        "{who}：花期（{start}—{end}，{days}天）{what}{value}{unit}{cov}；同期资料完整的早先年度"
        "不足{k}个，无常年值。",
        "{who}: bloom ({start}–{end}, {days} d) {what} {value}{unit}{cov}; fewer than {k} "
        "earlier seasons with complete data, no normal.",
    ),
    "weather_near": (
        "{who}：花期（{start}—{end}，{days}天）{what}{value}{unit}{cov}，与前{n}年同期平均"
        "（{mean}{unit}）接近（{diff}{unit}）。",
        "{who}: bloom ({start}–{end}, {days} d) {what} {value}{unit}{cov}, close to the mean "
        "of the same days in the {n} earlier seasons ({mean}{unit}; {diff}{unit}).",
    ),
    "weather_anomaly": (
        "{who}：花期（{start}—{end}，{days}天）{what}{value}{unit}{cov}，较前{n}年同期平均"
        "（{mean}{unit}）{word}{diff}{unit}{pct}{effect}。",
        "{who}: bloom ({start}–{end}, {days} d) {what} {value}{unit}{cov}, {diff}{unit}{pct} "
        "{word} than the mean of the same days in the {n} earlier seasons ({mean}{unit})"
        "{effect}.",
    ),
    "freeze_none": (
        "{who}：花期关注时段（{start}—{end}）无最低气温资料，未作冻害鉴定。",
        "{who}: bloom watch window ({start}–{end}): no t_min data, freeze not appraised.",
    ),
    "freeze_watch": (
        "{who}：花期关注时段（{start}—{end}）日最低气温≤{limit}℃有{days}天，最低{low}℃（{on}）"
        "{cov}，有低温冻害风险{damage}。",
        "{who}: bloom watch window ({start}–{end}): {days} day(s) with t_min ≤ {limit} °C, "
        "lowest {low} °C on {on}{cov}: risk of freeze injury{damage}.",
    ),
    "freeze_damage": (
        "，已达花朵受冻指标（≤{limit}℃）",
        ", down to the flower-damage level (≤ {limit} °C)",
    ),
    "freeze_clear": (
        "{who}：花期关注时段（{start}—{end}）最低气温{low}℃（{on}）{cov}，未出现≤{limit}℃的"
        "冻害性低温。",
        "{who}: bloom watch window ({start}–{end}): lowest t_min {low} °C on {on}{cov}, no "
        "day at or below {limit} °C.",
    ),
    "contrain_none": (
        "{who}：花期关注时段（{start}—{end}）无降水或日照资料，未作连阴雨鉴定。",
        "{who}: bloom watch window ({start}–{end}): no precipitation or sunshine data, "
        "continuous rain not appraised.",
    ),
    "contrain_spells": (
        "{who}：花期关注时段（{start}—{end}）出现连阴雨{spells}段，最长连续{days}天（{first}—"
        "{last}，日降水≥{precip}mm且日照<{sun}h）{cov}，不利于开花和香气，可使花期缩短。",
        "{who}: bloom watch window ({start}–{end}): {spells} continuous-rain spell(s), the "
        "longest {days} days ({first}–{last}; rain ≥ {precip} mm and sunshine < {sun} h)"
        "{cov}: bad for flowering and scent, may shorten the bloom.",
    ),
    "contrain_clear": (
        "{who}：花期关注时段（{start}—{end}）无连阴雨（日降水≥{precip}mm且日照<{sun}h最长连续"
        "{days}天，不足{min}天）{cov}。",
        "{who}: bloom watch window ({start}–{end}): no continuous rain (longest run of days "
        "with rain ≥ {precip} mm and sunshine < {sun} h: {days}, fewer than {min}){cov}.",
    ),
    "heat_none": (
        "夏季（{start}—{end}）无最高气温资料，未作高温鉴定。",
        "Summer ({start}–{end}): no t_max data, heat not appraised.",
    ),
    "heat_days": (
        "夏季（{start}—{end}）日最高气温≥{limit}℃有{days}天，最长连续{run}天，最高{high}℃"
        "（{on}）{cov}{wave}{severe}，不利于花芽分化，可能减少当季着花量。",
        "Summer ({start}–{end}): {days} day(s) with t_max ≥ {limit} °C, at most {run} in a "
        "row, highest {high} °C on {on}{cov}{wave}{severe}: bad for flower-bud "
        "differentiation, may reduce the flower set.",
    ),
    "heat_wave": ("，出现高温热浪（连续≥{n}天）", "; a heat wave (≥ {n} days in a row)"),
    "heat_severe": ("，达严重高温（≥{limit}℃）", "; severe heat (≥ {limit} °C)"),
    "heat_clear": (
        "夏季（{start}—{end}）无日最高气温≥{limit}℃的高温日（最高{high}℃，{on}）{cov}，高温对"
        "花芽分化影响小。",
        "Summer ({start}–{end}): no day with t_max ≥ {limit} °C (highest {high} °C on {on})"
        "{cov}; little heat stress on flower-bud differentiation.",
    ),
    "drought_none": (
        "夏秋（{start}—{end}）无降水资料，未作干旱鉴定。",
        "Summer ({start}–{end}): no precipitation data, drought not appraised.",
    ),
    "drought_spell": (
        "夏秋（{start}—{end}）最长连续无雨（日降水<{precip}mm）{days}天{span}{cov}，达伏旱{level}"
        "标准（≥{limit}天），不利于新梢生长和花芽形成，可能减少着花量。",
        "Summer ({start}–{end}): longest dry spell (precip < {precip} mm) {days} days{span}"
        "{cov}: summer drought {level} (≥ {limit} days), bad for shoot growth and bud set, "
        "may reduce the flower set.",
    ),
    "drought_clear": (
        "夏秋（{start}—{end}）最长连续无雨（日降水<{precip}mm）{days}天{span}{cov}，未达伏旱"
        "标准（{limit}天）。",
        "Summer ({start}–{end}): longest dry spell (precip < {precip} mm) {days} days{span}"
        "{cov}, below the summer-drought watch ({limit} days).",
    ),
    "disasters": (
        "本年度记录农业气象灾害{n}次：{items}。",
        "{n} agromet disaster(s) recorded in the season: {items}.",
    ),
    "disasters_none": (
        "本年度未记录农业气象灾害。",
        "No agromet disaster was recorded in the season.",
    ),
    "coverage": ("（有资料{present}/{n}天）", " (data on {present} of {n} days)"),
    "basis": ("鉴定指标（§7）：{rules}。", "Watch rules (§7): {rules}."),
    "normals": (
        "常年值为前若干年（至少{k}年、资料完整者）同期的平均；日照多利于花期延长、香气浓郁，"
        "降水多则花期缩短（§3.3）。",
        "Normals are means over the same calendar days of earlier seasons (at least {k} with "
        "complete data); more sunshine gives a longer bloom and a stronger scent, more rain a "
        "shorter one (§3.3).",
    ),
}

#: Language-specific words: key -> (zh, en).
WORDS: dict[str, tuple[str, str]] = {
    "later": ("晚", "later"), "earlier": ("早", "earlier"),
    "longer": ("长", "longer"), "shorter": ("短", "shorter"),
    "t_mean+": ("偏高", "warmer"), "t_mean-": ("偏低", "cooler"),
    "sunshine+": ("偏多", "more"), "sunshine-": ("偏少", "less"),
    "precip+": ("偏多", "more"), "precip-": ("偏少", "less"),
    "t_mean": ("平均气温", "mean temperature"), "sunshine": ("日照", "sunshine"),
    "precip": ("降水量", "precipitation"),
    "°C": ("℃", " °C"), "h": ("h", " h"), "mm": ("mm", " mm"),
    "watch": ("关注", "watch"), "warning": ("警戒", "warning"),
    "sunshine+effect": ("，光照充足，利于花期延长、香气浓郁",
                        ": ample light favours a longer bloom and a stronger scent"),
    "sunshine-effect": ("，光照不足，不利于花期延长和香气",
                        ": little light works against a long bloom and a strong scent"),
    "precip+effect": ("，降水偏多可使花期缩短", ": more rain tends to shorten the bloom"),
}  # fmt: skip


def word(key: str) -> tuple[str, str]:
    """The (zh, en) pair of ``key``; ("", "") when there is none (e.g. no effect to state)."""
    return WORDS.get(key, ("", ""))


def say(key: str, **fields: object) -> tuple[str, str]:
    """The (zh, en) sentences of ``key`` with ``fields`` filled in (pairs per language)."""
    out = []
    for lang, template in enumerate(TEXT[key]):
        values = {
            name: value[lang] if isinstance(value, tuple) else value
            for name, value in fields.items()
        }
        out.append(template.format(**values))
    return out[0], out[1]
