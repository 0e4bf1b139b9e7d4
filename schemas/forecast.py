"""Bloom-forecast declarations: model vocabulary, parameter grids with bounds, and defaults.

Data only. The engine in :mod:`obs.forecast` fits every model by brute-force search over the
grids below, so a grid is both the search space and the documented range of a parameter; an
axis a model lists in ``solved`` (thermal time's ``f_crit``) is solved exactly within its bounds.

Days are *days of season*: 0 = the reference date (1 Oct of the season year by default, the
chilling start of the domain specification §10.5), counted across the new year.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.terms import Term, index

#: (month, day) of day-of-season 0 for forecasting; 1 Oct (specification §9.4 and §10.5).
FORECAST_REFERENCE: tuple[int, int] = (10, 1)

#: Length of the modelled window from the reference date [d]: 1 Oct … 31 May (30 May in leap
#: years). The forecast's ensemble members (past seasons) need daily mean temperature over the
#: whole window; a training season only up to its event plus ``TRAINING_MARGIN_DAYS``.
WINDOW_DAYS = 243

#: Days after a training season's observed event through which it needs daily mean temperature
#: [d]. A fitted model that predicts the season within this margin uses observed weather only;
#: later days of the window are taken from the station's daily normals (their only effect is on
#: grid points that miss the event by more than the margin). So a season whose data end on
#: 31 Mar can train as soon as its bloom is observed, not only from June.
TRAINING_MARGIN_DAYS = 7

#: Longest interior run of missing daily temperatures filled by linear interpolation [d].
MAX_INTERPOLATED_GAP_DAYS = 2

#: Fewest seasons a fit accepts; leave-one-season-out needs at least two left in.
MIN_TRAINING_SEASONS = 3

#: Slack when comparing an accumulated sum with its requirement, against float round-off
#: [°C·d or chill days].
SUM_TOLERANCE = 1e-6

#: Width of the circular moving average that smooths daily normals [d] (centred, odd).
NORMALS_SMOOTHING_DAYS = 15

#: Percentiles of the historical-weather ensemble reported as the uncertainty range [%].
ENSEMBLE_PERCENTILES: tuple[float, float] = (10.0, 90.0)

#: Key under which :func:`obs.forecast.external.fit_from_files` returns a pooled fit.
POOLED_SITE = "(pooled)"

#: Column names accepted in external files (lower-case, after stripping blanks).
EVENT_COLUMNS: tuple[str, str, str] = ("site", "year", "doy")
TEMPERATURE_COLUMNS: tuple[str, str] = ("site", "date")
TEMPERATURE_VALUE_ALIASES: tuple[str, ...] = ("t_mean", "tmean", "temperature", "temp")

#: Daily mean temperatures outside these bounds in an external file are refused [°C]
#: (the national hard limits of ``schemas.weather``).
TEMPERATURE_BOUNDS: tuple[float, float] = (-55.0, 55.0)


@dataclass(frozen=True, slots=True)
class ParameterAxis:
    """One fitted parameter: the grid searched, its unit and its admissible bounds."""

    name: str
    values: tuple[float, ...]
    unit: str
    lower: float
    upper: float
    description: str


@dataclass(frozen=True, slots=True)
class ForecastModel(Term):
    """One phenology model; ``axes`` is its parameter grid in the engine's argument order."""

    axes: tuple[ParameterAxis, ...] = ()
    source: str = ""
    #: Axes solved exactly by least squares instead of searched on their grid (the grid then
    #: gives only the bounds): thermal time's ``f_crit`` (:mod:`obs.forecast.exact`).
    solved: tuple[str, ...] = ()


# Grids [I]: chosen for Beibei, where bloom falls in Dec–Jan (days 60–120) and the December mean
# is about 8 °C (specification §3.3, §10.6): t1 spans 1 Oct – 29 Jan; the chill-day ceiling
# starts at the §10.5 proxy of 7 °C and goes up to 13 °C because few days there fall below 7 °C.
_T1 = ParameterAxis(
    "t1",
    tuple(float(v) for v in range(0, 125, 5)),
    "d",
    0,
    WINDOW_DAYS - 1,
    "day of season after which forcing is summed",
)
_T_BASE = ParameterAxis(
    "t_base",
    tuple(float(v) for v in range(0, 15, 1)),
    "°C",
    -10,
    25,
    "base temperature subtracted from the daily mean",
)
_F_CRIT = ParameterAxis(
    "f_crit", tuple(float(v) for v in range(10, 1510, 10)), "°C·d", 0, 10000, "forcing requirement"
)
_CHILL_START = ParameterAxis(
    "chill_start",
    (0.0,),
    "d",
    0,
    WINDOW_DAYS - 1,
    "day of season after which chilling is summed (1 Oct)",
)
_CHILL_LOW = ParameterAxis(
    "chill_low", (-10.0,), "°C", -55, 55, "lowest daily mean that counts as a chill day"
)
_CHILL_HIGH = ParameterAxis(
    "chill_high", (7.0, 10.0, 13.0), "°C", -55, 55, "highest daily mean that counts as a chill day"
)
_C_CRIT = ParameterAxis(
    "c_crit",
    tuple(float(v) for v in range(5, 65, 5)),
    "chill d",
    0,
    WINDOW_DAYS,
    "chilling requirement",
)
_SEQ_T_BASE = ParameterAxis(
    "t_base",
    tuple(float(v) for v in range(0, 14, 2)),
    "°C",
    -10,
    25,
    "base temperature subtracted from the daily mean",
)
_SEQ_F_CRIT = ParameterAxis(
    "f_crit",
    tuple(float(v) for v in range(10, 610, 10)),
    "°C·d",
    0,
    10000,
    "forcing requirement after chilling is met",
)
_K_MIN = ParameterAxis(
    "k_min", (0.0, 0.25, 0.5, 0.75), "1", 0, 1, "forcing-rate multiplier with no chilling yet"
)
_PAR_F_CRIT = ParameterAxis(
    "f_crit",
    tuple(float(v) for v in range(10, 1210, 10)),
    "°C·d",
    0,
    10000,
    "forcing requirement (chilling-weighted)",
)

CLIMATOLOGY = ForecastModel(
    "climatology",
    "多年平均日期",
    "Multi-year mean date (baseline)",
    source="specification §9.4 [S21]: mean day count, rounded half-up",
)
THERMAL_TIME = ForecastModel(
    "thermal_time",
    "积温模型",
    "Thermal time (spring warming)",
    (_T1, _T_BASE, _F_CRIT),
    "Cannell & Smith 1983, J. Appl. Ecol. 20:951–963; Chuine 2000, J. Theor. Biol. 207:337–347",
    solved=("f_crit",),
)
SEQUENTIAL = ForecastModel(
    "sequential",
    "顺序冷激-热激模型",
    "Sequential chilling–forcing",
    (_CHILL_START, _CHILL_LOW, _CHILL_HIGH, _C_CRIT, _SEQ_T_BASE, _SEQ_F_CRIT),
    "Sarvas 1974; Hänninen 1990, Acta For. Fenn. 213; Kramer 1994, J. Appl. Ecol. 31:172–181",
)
PARALLEL = ForecastModel(
    "parallel",
    "平行冷激-热激模型",
    "Parallel chilling–forcing",
    (_CHILL_START, _CHILL_LOW, _CHILL_HIGH, _C_CRIT, _K_MIN, _SEQ_T_BASE, _PAR_F_CRIT),
    "Landsberg 1974, Ann. Bot. 38:1013–1023; Hänninen 1990; Chuine 2000 (unified model)",
)

#: All models, simplest first: on equal cross-validated RMSE the earlier one is selected.
FORECAST_MODELS: tuple[ForecastModel, ...] = (CLIMATOLOGY, THERMAL_TIME, SEQUENTIAL, PARALLEL)
FORECAST_MODELS_BY_CODE = index(FORECAST_MODELS)


# --- Issued forecasts and their verification (issue 17) ------------------------------------


@dataclass(frozen=True, slots=True)
class LeadClass:
    """Lead times (days from issue to the observed event) scored together; bounds inclusive."""

    code: str
    zh: str
    en: str
    low: int | None
    high: int | None

    def holds(self, lead: int) -> bool:
        """Whether a lead time [d] falls in this class."""
        return (self.low is None or lead >= self.low) and (self.high is None or lead <= self.high)


#: Lead-time classes of ``obs forecast verify`` (longest first).
LEAD_CLASSES: tuple[LeadClass, ...] = (
    LeadClass("30+", "提前30天及以上", "30 days or more ahead", 30, None),
    LeadClass("15-29", "提前15–29天", "15–29 days ahead", 15, 29),
    LeadClass("0-14", "提前不足15天", "less than 15 days ahead", None, 14),
)
