"""Quality control, in one place: the checks, their windows, the driver and the flags.

- :mod:`obs.qc.registry` — named pure checks over record frames that return findings as data
  (:func:`run_checks`); each declares the fields it reads and how far in time it looks.
  The checks live in :mod:`~obs.qc.daily_checks`, :mod:`~obs.qc.subdaily_checks` and
  :mod:`~obs.qc.phenology_checks` (range checks generated from one table, :mod:`obs.qc._limits`);
- :mod:`obs.qc.windows` — the windows derived from those declarations;
- :mod:`obs.qc.driver` — run the checks over stored rows (``obs validate``, the imports);
- :mod:`obs.qc.flags` — store findings as ``qc_flag`` rows and each record's ``qc`` column;
- :mod:`obs.qc.settings` — the thresholds a user sets in ``qc.toml``.

Names are loaded on first use, so that reading the settings loads no pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

#: The names of the package and the module each comes from.
_LAZY = {
    **dict.fromkeys(
        (
            "CHECKS",
            "FINDING_COLUMNS",
            "KINDS",
            "Check",
            "Site",
            "check",
            "checks_of",
            "describe_checks",
            "run_checks",
            "worst_flag_per_record",
        ),
        "obs.qc.registry",
    ),
    "day_length_hours": "obs.qc.daylength",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        if name == "CHECKS":
            module._registered()  # every check registered before the registry is read
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = sorted(_LAZY)
