"""Thresholds, defaults and model parameters of the agrometeorological indices (data only).

The functions that use them live in :mod:`obs.indices`. Section numbers refer to the domain
specification (wintersweet-standard.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from schemas.weather import DAY_END_HOUR_BT, MIN_HOURS_FOR_24H_MEAN

# --- Accumulated temperature (积温), §10.4 -------------------------------------------------

#: Biological lower limits B of the usual accumulated-temperature sums [°C].
ACCUMULATION_BASES: tuple[float, ...] = (0.0, 5.0, 10.0)

#: Base temperature of growing degree days in the monthly and period summaries [°C].
GDD_BASE = 10.0

# --- Day counts, §9.2 ---------------------------------------------------------------------

#: A frost day has t_min at or below this [°C].
FROST_DAY_TMIN = 0.0

#: A hot day has t_max at or above this [°C].
HOT_DAY_TMAX = 35.0

#: A rain day has daily precipitation (20–20 BT) at or above this [mm].
RAIN_DAY_PRECIP = 0.1

#: A dry day (for dry spells) has daily precipitation strictly below this [mm].
DRY_DAY_PRECIP = 1.0

# --- Indices compared with other programs (issue 13 point 8) ------------------------------

#: Heating and cooling degree days: HDD = Σ max(0, B_h − T), CDD = Σ max(0, T − B_c) over the
#: days' mean temperature T (the stored daily mean, as the accumulated temperatures) [°C].
#: Chinese practice uses 18 °C and 26 °C; US-style reports use 65 °F = 18.33 °C for both.
HEATING_DEGREE_BASE = 18.0
COOLING_DEGREE_BASE = 26.0
#: Element whose daily values enter the degree days.
DEGREE_DAY_ELEMENT = "t_mean"


@dataclass(frozen=True, slots=True)
class DayThreshold:
    """Days on which ``element`` compares with ``threshold`` (``">="`` or ``"<="``).

    ``key`` is the snake_case column of the reports and their JSON; ``zh`` and ``en`` label it.
    """

    key: str
    element: str
    comparison: Literal[">=", "<="]
    threshold: float
    zh: str
    en: str


#: Temperature day counts beside frost and hot days (§9.2 counts) [d].
TEMPERATURE_DAYS: tuple[DayThreshold, ...] = (
    DayThreshold("days_tmax_ge30", "t_max", ">=", 30.0, "最高≥30℃日数", "Tmax≥30 °C days"),
    DayThreshold("days_tmax_le0", "t_max", "<=", 0.0, "最高≤0℃日数", "Tmax≤0 °C days"),
    DayThreshold("days_tmin_le_m20", "t_min", "<=", -20.0, "最低≤−20℃日数", "Tmin≤−20 °C days"),
)

#: Rain days by the CMA daily-precipitation classes (GB/T 28592-2012 降水量等级: 小雨 0.1–9.9,
#: 中雨 10–24.9, 大雨 25–49.9, 暴雨 ≥ 50 mm per 24 h), counted as "class or heavier" [d].
RAIN_CLASS_DAYS: tuple[DayThreshold, ...] = (
    DayThreshold("rain_ge0_1", "precip", ">=", 0.1, "小雨以上日数(≥0.1mm)", "Days ≥ 0.1 mm"),
    DayThreshold("rain_ge10", "precip", ">=", 10.0, "中雨以上日数(≥10mm)", "Days ≥ 10 mm"),
    DayThreshold("rain_ge25", "precip", ">=", 25.0, "大雨以上日数(≥25mm)", "Days ≥ 25 mm"),
    DayThreshold("rain_ge50", "precip", ">=", 50.0, "暴雨日数(≥50mm)", "Days ≥ 50 mm"),
)

#: Resolution of stored daily precipitation [mm]: an unrounded day sum stands for the stored
#: daily value only when it rounds (half up) to it.
DAILY_PRECIP_RESOLUTION = 0.1

# --- Completeness, §11.1 ------------------------------------------------------------------

#: Share of days (or of days with enough hours) that must be present for a statistic to be
#: called complete, e.g. a month needs ≥ 80 % of its days. [1]
MIN_FRACTION_PRESENT = 0.8

#: Hourly values a day needs before its hourly statistics count as complete [h].
MIN_HOURS_PER_DAY = MIN_HOURS_FOR_24H_MEAN

#: Hour (BT) at which the climatological day ends; hourly values after it belong to the next day.
HOURLY_DAY_END_BT = DAY_END_HOUR_BT

#: Elements whose completeness decides whether a monthly or period summary is complete.
SUMMARY_ELEMENTS: tuple[str, ...] = ("t_mean", "t_max", "t_min", "precip", "sunshine")

# --- Chilling and forcing, §3.1 and §10.5 -------------------------------------------------

#: First (month, day) of chill accumulation (§10.5).
CHILL_START: tuple[int, int] = (10, 1)

#: Chilling-hours model: an hour with LOW ≤ T ≤ HIGH counts as one chilling hour [°C].
CHILLING_HOURS_LOW = 0.0
CHILLING_HOURS_HIGH = 7.2

#: Daily proxy when only daily data exist: a day with t_mean ≤ this is a chill day [°C] (§10.5).
CHILL_DAY_TMEAN = 7.0

#: Utah model (Richardson, Seeley & Walker 1974, HortScience 9: 331–332): (upper bound of the
#: temperature class, inclusive [°C], chill units per hour). A temperature belongs to the first
#: class whose bound it does not exceed: ≤1.4 → 0; 1.5–2.4 → 0.5; 2.5–9.1 → 1; 9.2–12.4 → 0.5;
#: 12.5–15.9 → 0; 16.0–18.0 → −0.5; >18.0 → −1 (same classes as chillR ``Utah_Model``).
UTAH_CLASSES: tuple[tuple[float, float], ...] = (
    (1.4, 0.0),
    (2.4, 0.5),
    (9.1, 1.0),
    (12.4, 0.5),
    (15.9, 0.0),
    (18.0, -0.5),
    (math.inf, -1.0),
)


@dataclass(frozen=True, slots=True)
class DynamicModelParameters:
    """Parameters of the Dynamic chill model (Fishman, Erez & Couvillon 1987).

    The values are the standard set used by Erez & Fishman's spreadsheet and by chillR's
    ``Dynamic_Model`` (Luedeling et al. 2009), including chillR's conversion T[K] = T[°C] + 273.
    """

    e0: float = 4153.5  # activation energy of intermediate formation / R [K]
    e1: float = 12888.8  # activation energy of intermediate destruction / R [K]
    a0: float = 139500.0  # pre-exponential factor of formation [1/h]
    a1: float = 2.567e18  # pre-exponential factor of destruction [1/h]
    slp: float = 1.6  # slope of the conversion sigmoid [1]
    tetmlt: float = 277.0  # temperature of the sigmoid midpoint [K]
    kelvin_offset: float = 273.0  # as in chillR; not 273.15

    @property
    def aa(self) -> float:
        """a0 / a1 [1]."""
        return self.a0 / self.a1

    @property
    def ee(self) -> float:
        """e1 − e0 [K]."""
        return self.e1 - self.e0


DYNAMIC_MODEL = DynamicModelParameters()


@dataclass(frozen=True, slots=True)
class GdhParameters:
    """Growing degree hours, ASYMCUR model (Anderson, Richardson & Kesner 1986).

    Base, optimum and critical temperature [°C]; ``stress`` is a dimensionless factor (1 =
    no stress), as in chillR's ``GDH``.
    """

    base: float = 4.0
    optimum: float = 25.0
    critical: float = 36.0
    stress: float = 1.0


GDH_MODEL = GdhParameters()

# --- Hourly temperatures synthesised from daily extremes ----------------------------------

#: Station used when hourly temperatures are synthesised from t_min/t_max (Beibei, approx.).
STATION_LATITUDE = 29.8  # [°N]
STATION_LONGITUDE = 106.4  # [°E]

#: Reference meridian of Beijing time [°E]; solar noon is at 12 + (120 − lon)/15 h BT.
BT_MERIDIAN = 120.0

#: Sun altitude at sunrise/sunset, allowing for refraction and the solar radius [°].
SUNRISE_ALTITUDE = -0.8333

#: Linvill (1990) daytime sine: T = Tmin + (Tmax − Tmin) sin(π (h − sunrise) / (L + this)) [h].
LINVILL_DAYLENGTH_PAD = 4.0

#: Largest |latitude| for which the day/night curve is used (regular day and night) [°].
MAX_ABS_LATITUDE = 60.0
