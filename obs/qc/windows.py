"""QC windows: which stored rows a check of some records needs, and their findings (pure).

The reach of the checks (:func:`obs.qc.registry.reach_of`, from what each check declares)
gives every window:

- a sub-daily :class:`Window` (lo, hi] of a station's records is read with ``context``
  seconds on both sides, so the step and persistence checks see the records around it; only
  the window's own records get findings. The import (chunk by chunk, on the rows it holds) and
  ``obs validate`` (span by span, on stored rows) check windows of this one type;
- a range of days is read with :func:`daily_reach_days` days before it, and a change of days
  is checked again that many days after them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from obs.qc.registry import Site, fields_read, reach_of, run_checks
from schemas.qc_rules import DEFAULT_QC_RULES, QCRules


def qc_context_seconds(rules: QCRules) -> int:
    """Context read on each side of a sub-daily window [s]: the reach of the sub-daily checks."""
    return int(reach_of("subdaily", rules).total_seconds())


def daily_reach_days(rules: QCRules) -> int:
    """Days before a day that its checks compare it with (and after it, that it affects)."""
    return int(reach_of("daily", rules) / dt.timedelta(days=1))


def daily_span(first: dt.date, last: dt.date, rules: QCRules) -> tuple[dt.date, dt.date]:
    """The days to check again when the days ``first``…``last`` changed: through the last day
    whose checks compare it with one of them."""
    return first, last + dt.timedelta(days=daily_reach_days(rules))


def subdaily_fields() -> tuple[str, ...]:
    """``ts`` and the fields the sub-daily checks read: the columns of a window's frame."""
    return ("ts", *fields_read("subdaily"))


@dataclass(frozen=True, slots=True)
class Window:
    """Sub-daily records ``lo < ts <= hi`` [UTC epoch s] of one station, checked with
    ``context`` seconds of records on each side (:func:`qc_context_seconds`)."""

    lo: int
    hi: int
    context: int

    @classmethod
    def of(cls, lo: int, hi: int, rules: QCRules) -> Window:
        """The window (lo, hi] with the context of ``rules``."""
        return cls(lo, hi, qc_context_seconds(rules))

    @property
    def read_lo(self) -> int:
        """First ``ts`` the window's checks read."""
        return self.lo - self.context

    @property
    def read_hi(self) -> int:
        """Last ``ts`` the window's checks read."""
        return self.hi + self.context

    def context_of(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` (in time order) the window's checks read."""
        ts = frame["ts"]
        return frame[(ts >= self.read_lo) & (ts <= self.read_hi)].reset_index(drop=True)

    def findings(
        self, frame: pd.DataFrame, site: Site, rules: QCRules = DEFAULT_QC_RULES
    ) -> tuple[int, pd.DataFrame]:
        """The findings of the window's rows in ``frame`` (``ts`` and values, with their
        context), the row's ``ts`` as ``record_id``; and how many rows that is."""
        inside = (frame["ts"] > self.lo) & (frame["ts"] <= self.hi)
        if not inside.any():
            return 0, pd.DataFrame()
        found = run_checks("subdaily", frame.assign(id=frame["ts"]), rules, site=site)
        found = found[(found["record_id"] > self.lo) & (found["record_id"] <= self.hi)]
        return int(inside.sum()), found.reset_index(drop=True)


def subdaily_findings(
    frame: pd.DataFrame, lo: int, hi: int, site: Site, rules: QCRules = DEFAULT_QC_RULES
) -> tuple[int, pd.DataFrame]:
    """:meth:`Window.findings` of the window (lo, hi]."""
    return Window.of(lo, hi, rules).findings(frame, site, rules)
