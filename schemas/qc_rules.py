"""Thresholds of the quality-control checks, as data (domain specification §11, §5, §4.12).

:class:`QCRules` holds every number the checks in :mod:`obs.qc` use. The defaults come from
:mod:`schemas.weather` (per-element hard and soft limits), :mod:`schemas.stages` (bloom
duration) and §11 of the specification (steps, persistence, station climate extremes).

Limits can be overridden per station and per calendar month through
:attr:`QCRules.overrides`, keyed by ``(station_code, month)`` where ``None`` means "any".
:meth:`QCRules.override` merges them, least to most specific::

    defaults < (None, month) < (station, None) < (station, month)

An override replaces an element's whole :class:`~schemas.terms.Limits` (write every bound you
want kept); elements it does not name keep their limits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from schemas.qc import CORRECT, ERROR, MISSING, SUSPECT
from schemas.stages import BLOOM_DURATION_DAYS, FLOWER_RATIO_MEASURES, STAGES_BY_CODE
from schemas.terms import Limits
from schemas.weather import DAILY_ELEMENTS, SUBDAILY_ELEMENTS

LimitTable = Literal["daily", "subdaily", "extremes"]
OverrideKey = tuple[str | None, int | None]
FlowerMeasure = Literal["open", "withered"]

#: Flags from least to most severe, for the worst flag of a record. An error (a value present
#: but wrong) outranks a missing value, which outranks a suspicion.
FLAG_SEVERITY: tuple[int, ...] = (CORRECT, SUSPECT, MISSING, ERROR)


def _daily_limits() -> dict[str, Limits]:
    return {e.code: e.limits for e in DAILY_ELEMENTS}


def _subdaily_limits() -> dict[str, Limits]:
    return {e.code: e.limits for e in SUBDAILY_ELEMENTS}


def _stage_share_criteria() -> dict[str, tuple[FlowerMeasure, float]]:
    # §5: FLF "flower ratio ≥ 50 % on marked branches"; FLE "≥ 80 % of flowers withered".
    out: dict[str, tuple[FlowerMeasure, float]] = {}
    for code in ("FLF", "FLE"):
        threshold = STAGES_BY_CODE[code].flower_ratio
        if threshold is not None:
            out[code] = (FLOWER_RATIO_MEASURES[code], threshold)
    return out


def _climate_extremes() -> dict[str, Limits]:
    # §11.1 "Station limits (Beibei, monthly)": defaults Tmax > 46 °C or Tmin < −7 °C -> suspect.
    return {"t_max": Limits(soft_max=46.0), "t_min": Limits(soft_min=-7.0)}


@dataclass(frozen=True, slots=True)
class LimitOverride:
    """Limits that replace the defaults for one station and/or month.

    ``daily`` and ``subdaily`` replace entries of :attr:`QCRules.daily_limits` /
    :attr:`QCRules.subdaily_limits`; ``extremes`` replaces entries of
    :attr:`QCRules.climate_extremes` (e.g. a per-month climatology of the station).
    """

    daily: Mapping[str, Limits] = field(default_factory=dict)
    subdaily: Mapping[str, Limits] = field(default_factory=dict)
    extremes: Mapping[str, Limits] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QCRules:
    """Every threshold of the QC checks. Units in brackets.

    Attributes
    ----------
    daily_limits, subdaily_limits
        Hard (flag 2) and soft (flag 1) limits per element, from :mod:`schemas.weather`.
    climate_extremes
        Station climate extremes of daily elements; only the soft bounds are used (flag 1).
    daily_step
        Largest plausible change between consecutive days per element [°C] (§11.1).
    subdaily_step_per_hour
        Largest plausible change per hour per element [°C h⁻¹]; scaled linearly to the actual
        interval, so 6 °C h⁻¹ allows 1 °C between 10-minute records (§11.1).
    step_max_gap_hours
        Records further apart than this [h] are not compared by step or persistence checks.
    persistence_hours
        A ``persistence_elements`` value unchanged for this long [h] is an error (§11.1). A run
        of n records covers n intervals: 24 hourly values, or 144 ten-minute values, make 24 h.
        The CMA rule for minute data (unchanged for 60 min) is stricter; set it through this
        field when validating minute data.
    precip_sum_tolerance
        Allowed |precip_20_08 + precip_08_20 − precip| [mm].
    sunshine_tolerance
        Allowed excess of daily sunshine over the astronomical day length [h] (one daily
        reporting resolution).
    interval_sunshine_tolerance
        Allowed excess of sub-daily sunshine over the interval length [h] (one sub-daily
        reporting resolution).
    day_length_sun_angle
        Sun angle below the horizon at sunrise/sunset for the day length [°]; 0.8333 = top of the
        disc on the apparent horizon, with refraction (Forsythe et al. 1995).
    core_daily_elements
        Daily elements whose absence is flagged 8 (missing).
    precip_phenomena
        Phenomena that explain precipitation (§4.12).
    percent_range
        Valid range of ``percent`` and ``open_ratio`` [%].
    percent_drop_tolerance
        Observer noise allowed when a stage's percent falls between visits [percentage points].
    open_ratio_tolerance
        Allowed difference between ``open_ratio`` and the ratio of its counts [percentage points].
    bloom_duration_days
        Soft range of FLE − FLS [d] (:data:`schemas.stages.BLOOM_DURATION_DAYS`).
    bloom_start_stage, bloom_end_stage
        Stage codes whose first dates bound the bloom.
    leafout_chain
        Stage chain whose stages should follow ``bloom_start_stage`` (flowers before leaves;
        an earlier leaf stage is a warning, §5).
    correction_markers
        Words in a phenology note that mark a later "not reached" record as a correction.
    stage_share_criteria
        Stages whose plant-level criterion is a share of the flowers on the sample branches:
        stage code -> (measure, least share [%]); ``"open"`` = open / all counted, ``"withered"``
        = withered / all counted (§5: FLF ≥ 50 % open, FLE ≥ 80 % withered). A reached record
        whose own counts (or percent) give less contradicts its stage: error. FLS is not listed:
        its plant criterion is one open flower; its 5 % is the plot-mean flower-ratio rule.
    closing_stages
        (stage, closing stage, flag): a reached record of the stage dated after the plant's
        first date of the closing stage in the same season. Full bloom after the end of
        flowering cannot be (error); the end of flowering recorded again after fruit set is
        redundant (suspect). The stage's own first record is left to ``stage_order``.
    percent_counts_tolerance
        Allowed difference between a flower stage's ``percent`` and the share its flower
        counts give (open share for FLS/FLF, withered share for FLE) [percentage points].
    overrides
        Station- and month-specific limits, keyed by ``(station_code, month)``.
    """

    daily_limits: Mapping[str, Limits] = field(default_factory=_daily_limits)
    subdaily_limits: Mapping[str, Limits] = field(default_factory=_subdaily_limits)
    climate_extremes: Mapping[str, Limits] = field(default_factory=_climate_extremes)
    daily_step: Mapping[str, float] = field(default_factory=lambda: {"t_mean": 12.0, "t_max": 15.0})
    subdaily_step_per_hour: Mapping[str, float] = field(default_factory=lambda: {"t": 6.0})
    step_max_gap_hours: float = 3.0
    persistence_hours: float = 24.0
    persistence_elements: tuple[str, ...] = ("t", "rh")
    precip_sum_tolerance: float = 0.1
    sunshine_tolerance: float = 0.1
    interval_sunshine_tolerance: float = 0.01
    day_length_sun_angle: float = 0.8333
    core_daily_elements: tuple[str, ...] = ("t_max", "t_min", "precip")
    precip_phenomena: tuple[str, ...] = ("rain", "snow", "sleet", "hail")
    percent_range: tuple[float, float] = (0.0, 100.0)
    percent_drop_tolerance: float = 5.0
    open_ratio_tolerance: float = 1.0
    bloom_duration_days: tuple[int, int] = BLOOM_DURATION_DAYS
    bloom_start_stage: str = "FLS"
    bloom_end_stage: str = "FLE"
    leafout_chain: str = "leafout"
    correction_markers: tuple[str, ...] = ("更正", "纠正", "correct")
    stage_share_criteria: Mapping[str, tuple[FlowerMeasure, float]] = field(
        default_factory=_stage_share_criteria
    )
    closing_stages: tuple[tuple[str, str, int], ...] = (
        ("FLF", "FLE", ERROR),
        ("FLE", "FRS", SUSPECT),
    )
    percent_counts_tolerance: float = 1.0
    overrides: Mapping[OverrideKey, LimitOverride] = field(default_factory=dict)

    def override(self, station: str | None = None, month: int | None = None) -> QCRules:
        """These rules with the overrides for ``station`` and ``month`` merged in."""
        daily, subdaily, extremes = (
            dict(self.daily_limits),
            dict(self.subdaily_limits),
            dict(self.climate_extremes),
        )
        for key in override_keys(station, month):
            found = self.overrides.get(key)
            if found is not None:
                daily.update(found.daily)
                subdaily.update(found.subdaily)
                extremes.update(found.extremes)
        return dataclasses.replace(
            self, daily_limits=daily, subdaily_limits=subdaily, climate_extremes=extremes
        )


def override_keys(station: str | None, month: int | None) -> tuple[OverrideKey, ...]:
    """Override keys that apply to ``station`` and ``month``, least specific first."""
    keys: list[OverrideKey] = [(None, None)]
    if month is not None:
        keys.append((None, month))
    if station is not None:
        keys.append((station, None))
        if month is not None:
            keys.append((station, month))
    return tuple(keys)


def effective_limits(
    rules: QCRules, table: LimitTable, *, station: str | None = None, month: int | None = None
) -> Mapping[str, Limits]:
    """The limits per element of ``table`` in force at ``station`` in ``month``."""
    merged = rules.override(station=station, month=month)
    if table == "daily":
        return merged.daily_limits
    if table == "subdaily":
        return merged.subdaily_limits
    return merged.climate_extremes


#: The rules used when none are configured.
DEFAULT_QC_RULES = QCRules()
