"""Derived plot-level stage dates (发育期): 始期 / 普遍期 / 末期 per plot, cultivar and season.

Computed from live records on every call; nothing derived is stored, so every amendment or
deletion of a phenology record shows in the next result. Two methods (domain specification §2.2,
§5): the share of marked plants (10 / 50 / 80 %) and, for FLS / FLF / FLE, the plot-mean flower
ratio on the sample branches (5 % / 50 % open, 80 % withered). Anomalies and trends follow the
day-count method of §9.4 (see :mod:`obs.stagedates.climate`).

Public API (agreed with the report and forecast modules)::

    derive_stage_dates(*, session, station=None, plot=None, season=None, year=None,
                       method="plants", stages=None, max_gap=None) -> list[StageDate]
    plant_phenometrics(*, session, station=None, plot=None, season=None, year=None,
                       stages=None) -> list[PlantStage]
    stage_dates_frame(dates) -> pandas.DataFrame
    bloom_table(*, session, station=None, plot=None, method="plants", season=None, year=None,
                stages=None, with_summary=False) -> pandas.DataFrame
    stages_view(*, session, …, basis=False, bloom=False, lang="en") -> StagesView
"""

from __future__ import annotations

from obs.stagedates._derive import derive_stage_dates, plant_phenometrics
from obs.stagedates._model import PlantStage, StageDate
from obs.stagedates.bloom import basis_text, bloom_table, stage_dates_frame
from obs.stagedates.climate import (
    date_of_day_count,
    day_count,
    mean_day_count,
    trend_per_decade,
)
from obs.stagedates.view import StagesView, stages_view

__all__ = [
    "PlantStage",
    "StageDate",
    "StagesView",
    "basis_text",
    "bloom_table",
    "date_of_day_count",
    "day_count",
    "derive_stage_dates",
    "mean_day_count",
    "plant_phenometrics",
    "stage_dates_frame",
    "stages_view",
    "trend_per_decade",
]
