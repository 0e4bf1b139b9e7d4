"""SQLModel tables of the observation store: every table, from the modules that declare them.

Conventions:
- every record table has an integer ``id`` (what users type), a stable ``uid`` (a UUID hex used
  to push to a central server without collisions), audit columns and ``deleted_at`` (soft
  delete: nothing is ever hard-deleted);
- natural keys are partial unique indexes over rows that are not deleted, so a deleted record
  can be entered again;
- ``qc`` holds the worst QC flag of the row (9 = not checked); the flags themselves, with their
  reasons, live in ``qc_flag`` next to the raw values, which QC never changes;
- sub-daily weather is keyed by ``ts``, the UTC instant in epoch seconds, for compact storage and
  fast aggregation over tens of millions of rows.

Importing this module declares every table (Alembic's ``env.py`` does, so migrations see them
all). A command that needs only a few tables imports their own modules instead, which is
faster at start-up (see :mod:`schemas.table_base`).
"""

from schemas.forecast_issue_table import ForecastIssue
from schemas.observation_tables import (
    DisasterObservation,
    FieldWork,
    GrowthMeasurement,
    GrowthStatus,
    PestObservation,
    YieldItem,
)
from schemas.phenology_table import PhenologyObservation
from schemas.push_tables import PushChange, PushMark
from schemas.site_tables import Plant, Plot, Station
from schemas.system_tables import History, ImportBatch, QCFlag
from schemas.table_base import LIVE_CONDITION, NAMING_CONVENTION, Record, live_unique
from schemas.weather_tables import DailyWeather, SubDailyWeather

__all__ = [
    "LIVE_CONDITION",
    "NAMING_CONVENTION",
    "DailyWeather",
    "DisasterObservation",
    "FieldWork",
    "ForecastIssue",
    "GrowthMeasurement",
    "GrowthStatus",
    "History",
    "ImportBatch",
    "PestObservation",
    "PhenologyObservation",
    "Plant",
    "Plot",
    "PushChange",
    "PushMark",
    "QCFlag",
    "Record",
    "Station",
    "SubDailyWeather",
    "YieldItem",
    "live_unique",
]
