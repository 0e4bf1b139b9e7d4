"""Bulk import: weather files and field sheets into the database, chunk by chunk.

- :func:`import_weather` — a daily or sub-daily weather file (CSV/XLSX) of one station: the
  pipeline of :mod:`obs.imports.weather` (read, store, days, QC, one chunk loop);
- :func:`import_observations` — field sheets of any observation kind, row by row through
  :func:`obs.records.create`, so validation is the same as at the command line.

Both return an :class:`ImportSummary` and record the run in ``import_batch``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from obs.imports.options import (
    ON_CONFLICT_MODES,
    OnConflict,
    ProgressFn,
    WeatherImportOptions,
    default_reject_path,
)

if TYPE_CHECKING:
    from obs.imports.common import ImportSummary
    from obs.imports.observations import ObservationImportOptions, import_observations
    from obs.imports.weather.run import import_weather

#: Loaded on first use: this package loads no pandas and no database code by itself, and a
#: weather import does not load the field-sheet importer (and the tables of every observation
#: kind), nor the other way round.
_LAZY = {
    "ImportSummary": "obs.imports.common",
    "ObservationImportOptions": "obs.imports.observations",
    "import_observations": "obs.imports.observations",
    "import_weather": "obs.imports.weather.run",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
