"""Bulk import: weather files and field sheets into the database, chunk by chunk.

- :func:`import_weather` — a daily or sub-daily weather file (CSV/XLSX) of one station;
- :func:`import_observations` — field sheets of any observation kind, row by row through
  :func:`obs.records.create`, so validation is the same as at the command line.

Both return an :class:`ImportSummary` and record the run in ``import_batch``.
"""

from obs.importing.common import (
    ON_CONFLICT_MODES,
    ImportSummary,
    OnConflict,
    ProgressFn,
    default_reject_path,
)
from obs.importing.observations import ObservationImportOptions, import_observations
from obs.importing.weather import WeatherImportOptions, import_weather

__all__ = [
    "ON_CONFLICT_MODES",
    "ImportSummary",
    "ObservationImportOptions",
    "OnConflict",
    "ProgressFn",
    "WeatherImportOptions",
    "default_reject_path",
    "import_observations",
    "import_weather",
]
