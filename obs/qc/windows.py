"""Sub-daily QC window by window: the context a window needs and its findings (pure).

A window (lo, hi] of a station's sub-daily rows is checked with a context of
:func:`qc_context_seconds` on both sides, so the step and persistence checks see the records
around it; only the window's own records get findings. The QC driver (:mod:`obs.validate`),
the importer and the import's reader process all check windows this way.
"""

from __future__ import annotations

import pandas as pd

from obs.qc.registry import Site, run_checks
from schemas.qc_rules import DEFAULT_QC_RULES, QCRules

_HOUR_S = 3600


def qc_context_seconds(rules: QCRules) -> int:
    """Context read on each side of a sub-daily window [s]: a persistence run or a step gap."""
    return int((max(rules.persistence_hours, rules.step_max_gap_hours) + 1) * _HOUR_S)


def subdaily_findings(
    frame: pd.DataFrame, lo: int, hi: int, site: Site, rules: QCRules = DEFAULT_QC_RULES
) -> tuple[int, pd.DataFrame]:
    """The findings of the rows ``lo < ts <= hi`` of ``frame`` (``ts`` and values, with their
    context on both sides), the row's ``ts`` as ``record_id``; and how many rows that is."""
    inside = (frame["ts"] > lo) & (frame["ts"] <= hi)
    if not inside.any():
        return 0, pd.DataFrame()
    found = run_checks("subdaily", frame.assign(id=frame["ts"]), rules, site=site)
    found = found[(found["record_id"] > lo) & (found["record_id"] <= hi)]
    return int(inside.sum()), found.reset_index(drop=True)
