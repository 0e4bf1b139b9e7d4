"""Bloom forecast (spec §3.1, §10.5): phenology models, grid-search fit, CV, season forecast.

Pure engine on plain data: events as a frame of ``season`` and ``doy`` (day of season from
1 Oct), temperatures as a daily ``pandas.Series`` indexed by date. Importing this package loads
numpy and pandas; ``import obs`` does not.
"""

from obs.forecast.data import (
    TrainingSet,
    build_training,
    combine_training,
    events_from_dates,
    from_day_of_season,
    to_day_of_season,
)
from obs.forecast.external import fit_from_files
from obs.forecast.fit import CrossValidation, FitResult, ModelFit, fit_models
from obs.forecast.models import event_day
from obs.forecast.predict import SeasonForecast, forecast_season

__all__ = [
    "CrossValidation",
    "FitResult",
    "ModelFit",
    "SeasonForecast",
    "TrainingSet",
    "build_training",
    "combine_training",
    "event_day",
    "events_from_dates",
    "fit_from_files",
    "fit_models",
    "forecast_season",
    "from_day_of_season",
    "to_day_of_season",
]
