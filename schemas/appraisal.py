"""Thresholds of the agromet condition appraisal (农业气象条件鉴定, §9.2 item 6, §9.3 item 9).

The watch rules are those of the disaster table (§7; their texts are
``schemas.vocabulary.DISASTERS`` ``watch_zh``/``watch_en``); the bands that call a value
"near normal" are defaults of this program [I] and may be re-aligned without touching code.
"""

from __future__ import annotations

from schemas.indices import DRY_DAY_PRECIP, HOT_DAY_TMAX, RAIN_DAY_PRECIP
from schemas.stages import ANOMALY_MIN_SEASONS

# --- Watch window of the bloom rules (§7: "during FBC–FLE") -------------------------------

#: First and last stage of the bloom watch window; FLS stands in for a missing FBC.
WATCH_STAGES: tuple[str, str] = ("FBC", "FLE")

# --- FREEZE 低温冻害 (§7) ------------------------------------------------------------------

#: A day of the watch window with t_min at or below this is a freeze-watch day [°C].
FREEZE_WATCH_TMIN = -3.0
#: At or below this, flowers are expected to be damaged [°C] (§7, [S30]).
FREEZE_DAMAGE_TMIN = -10.0

# --- CONTRAIN 连阴雨 (§7) ------------------------------------------------------------------

#: A wet, dull day has precip (20–20 BT) at or above this [mm] ...
CONTRAIN_PRECIP = RAIN_DAY_PRECIP
#: ... and sunshine strictly below this [h].
CONTRAIN_SUNSHINE = 2.0
#: Consecutive wet, dull days that make a continuous-rain spell [d].
CONTRAIN_MIN_DAYS = 5

# --- HEAT 高温热害 (§7): summer, when flower buds differentiate (§3.3) -------------------

#: First and last (month, day) of the summer window of the heat rule.
HEAT_WINDOW: tuple[tuple[int, int], tuple[int, int]] = ((6, 1), (8, 31))
#: A high-temperature day has t_max at or above this [°C].
HEAT_DAY_TMAX = HOT_DAY_TMAX
#: Consecutive high-temperature days that make a heat wave [d].
HEAT_WAVE_DAYS = 3
#: Severe heat at or above this [°C].
HEAT_SEVERE_TMAX = 40.0

# --- DROUGHT 干旱 / 伏旱 (§7) ----------------------------------------------------------------

#: First and last (month, day) of the summer-drought window.
DROUGHT_WINDOW: tuple[tuple[int, int], tuple[int, int]] = ((6, 1), (9, 30))
#: A dry day has precip strictly below this [mm] (as the dry spells of the summaries).
DROUGHT_DRY_PRECIP = DRY_DAY_PRECIP
#: Longest dry spell that is a summer-drought watch [d] ...
DROUGHT_WATCH_DAYS = 20
#: ... and a warning [d].
DROUGHT_WARNING_DAYS = 30

# --- Comparison with the multi-year mean of the same calendar days [I] -------------------

#: Earlier seasons (at most) whose same calendar window forms the multi-year mean.
NORMAL_MAX_SEASONS = 30
#: Fewest earlier seasons with complete data (§11.1) before a mean is given.
NORMAL_MIN_SEASONS = ANOMALY_MIN_SEASONS
#: A mean temperature within this of the multi-year mean is "near normal" [°C].
TEMPERATURE_NORMAL_BAND = 0.5
#: Sunshine within this share of the multi-year mean is "near normal" [1].
SUNSHINE_NORMAL_BAND = 0.10
#: Precipitation within this share of the multi-year mean is "near normal" [1].
PRECIP_NORMAL_BAND = 0.20
