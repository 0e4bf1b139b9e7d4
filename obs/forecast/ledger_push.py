"""Push issued forecasts to the central database with the rest (``obs push``).

Rows are matched by ``uid``: a row new centrally is inserted with its station and plot mapped to
the central ids; a row already there is left alone (issued forecasts never change, so there is
nothing to update). A second push changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, insert, select
from sqlmodel import Session

from schemas.forecast_issue_table import ForecastIssue

#: Rows handled per round trip.
CHUNK_ROWS = 1000


def push_issued(
    source: Session, target: Session, ids: Mapping[str, Mapping[int, int]]
) -> dict[str, int]:
    """Send the ``forecast_issue`` rows of ``source`` to ``target``.

    ``ids`` maps local to central ids of the pushed stations and plots (``ids["station"]``,
    ``ids["plot"]``). Returns the counts ``sent``, ``inserted`` and ``unchanged``.
    """
    table: Table = ForecastIssue.__table__  # type: ignore[attr-defined]
    counts = {"sent": 0, "inserted": 0, "unchanged": 0}
    query = select(table).order_by(table.c.id).execution_options(yield_per=CHUNK_ROWS)
    for part in source.execute(query).mappings().partitions(CHUNK_ROWS):
        rows = [dict(r) for r in part]
        uids = [r["uid"] for r in rows]
        central = set(target.execute(select(table.c.uid).where(table.c.uid.in_(uids))).scalars())
        new = [_mapped(r, ids) for r in rows if r["uid"] not in central]
        if new:
            target.execute(insert(table), new)
        counts["sent"] += len(rows)
        counts["inserted"] += len(new)
        counts["unchanged"] += len(rows) - len(new)
    return counts


def _mapped(row: Mapping[str, Any], ids: Mapping[str, Mapping[int, int]]) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k != "id"}
    values["station_id"] = ids["station"][row["station_id"]]
    values["plot_id"] = ids["plot"][row["plot_id"]]
    return values
