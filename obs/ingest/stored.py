"""The stored state of sub-daily rows as the importer and the reader hold it in memory: ``ts``
and every value column of ``subdaily_weather``, in time order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas.weather import SUBDAILY_VALUES


def new_rows_state(good: pd.DataFrame) -> pd.DataFrame:
    """The stored state of a range that held no rows once the chunk ``good`` is stored: its
    rows (``ts`` and every value column), in time order."""
    state = pd.DataFrame({"ts": good["ts"].to_numpy()})
    for name in SUBDAILY_VALUES:
        state[name] = good[name].to_numpy() if name in good else np.nan
    trace = good["precip_trace"].to_numpy() if "precip_trace" in good else False
    state["precip_trace"] = pd.Series(trace, index=state.index).astype(bool)
    ts = state["ts"].to_numpy()
    if len(ts) > 1 and not (ts[1:] > ts[:-1]).all():
        state = state.sort_values("ts", kind="stable").reset_index(drop=True)
    return state
