"""Observation frequency (观测频次) as data: which interval applies to a plant on a day.

Domain specification §2.4, default for ``obs``: every 2 days from late October (bud colour) to
the end of flowering, daily while the flower-opening ratio is between 5 % and 60 %, weekly in
spring and autumn, every 10 days in summer, and a follow-up visit after any disaster. Winter
outside flowering (after the end of flowering, before leaf-out) is not named there; ``obs``
visits weekly then, because leaf-bud swelling (LBS) starts in February.

The rules are tried in :data:`RULE_ORDER`; the first that applies gives the interval. A user
may override any interval per plot or in general (config ``[due]`` or ``obs due --interval``).
Recommended time of day 13:00–16:00 BT (§2.4), kept as data for the visit prompt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from schemas.terms import Lang


@dataclass(frozen=True, slots=True)
class FrequencyRule:
    """One observation-frequency rule: its code, labels and default interval [days]."""

    code: str
    zh: str
    en: str
    interval_days: int

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


FREQUENCY_RULES: tuple[FrequencyRule, ...] = (
    FrequencyRule("disaster", "灾后补充观测", "follow-up after a disaster", 0),
    FrequencyRule("flower_ratio", "开放率5%～60%，逐日观测", "open ratio 5–60 %: daily", 1),
    FrequencyRule("flowering", "露色至末花，隔日观测", "bud colour to end of flowering", 2),
    FrequencyRule("spring", "春季，每周观测", "spring: weekly", 7),
    FrequencyRule("summer", "夏季，每10天观测", "summer: every 10 days", 10),
    FrequencyRule("autumn", "秋季，每周观测", "autumn: weekly", 7),
    FrequencyRule("winter", "冬季（花期外），每周观测", "winter outside flowering: weekly", 7),
)
FREQUENCY_RULES_BY_CODE: dict[str, FrequencyRule] = {r.code: r for r in FREQUENCY_RULES}

#: Order in which the rules are tried (the calendar seasons last: one of them always applies).
RULE_ORDER: tuple[str, ...] = ("disaster", "flower_ratio", "flowering")

#: The open ratio [%] band of daily visits: low <= ratio < high.
DAILY_OPEN_RATIO: tuple[float, float] = (5.0, 60.0)

#: Stages from bud colour to full bloom: a plant last seen in one of them is in its flowering
#: period (every 2 days) until it reaches FLE.
FLOWERING_STAGES: frozenset[str] = frozenset({"FBC", "FLS", "FLF"})
#: Stage that ends the flowering period.
FLOWERING_END_STAGE = "FLE"
#: Calendar window (month, day) from late October to the end of February in which a plant that
#: has not reached FLE this season is in its flowering period even before bud colour is seen.
FLOWERING_WINDOW: tuple[tuple[int, int], tuple[int, int]] = ((10, 20), (2, 28))

#: Calendar seasons (meteorological: months) -> rule code.
CALENDAR_SEASONS: dict[int, str] = {
    **dict.fromkeys((3, 4, 5), "spring"),
    **dict.fromkeys((6, 7, 8), "summer"),
    **dict.fromkeys((9, 10, 11), "autumn"),
    **dict.fromkeys((12, 1, 2), "winter"),
}

#: Recommended time of day for a visit (§2.4), BT.
RECOMMENDED_TIME: tuple[dt.time, dt.time] = (dt.time(13, 0), dt.time(16, 0))


def season_rule(day: dt.date) -> str:
    """The calendar-season rule of ``day``."""
    return CALENDAR_SEASONS[day.month]


def in_flowering_window(day: dt.date) -> bool:
    """True when ``day`` lies in :data:`FLOWERING_WINDOW` (it wraps the new year)."""
    start, end = FLOWERING_WINDOW
    md = (day.month, day.day)
    return md >= start or md <= end


#: Stages whose visit asks for the flower counts on the sample branches (open / unopened /
#: withered, §4.4); every other stage asks for the percent of the plant in the stage.
FLOWER_COUNT_STAGES: frozenset[str] = frozenset({"FBC", "FLS", "FLF", "FLE", "FLS2"})
