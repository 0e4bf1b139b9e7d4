"""Plant-share mode: a stage's 始期 / 普遍期 / 末期 is the first date on which the share of the
plot's marked plants (of one cultivar) that have reached it crosses 10 / 50 / 80 %.

Source: the crop stage-percentage rule, domain specification §2.2 (thresholds in
``schemas.stages.PLANT_SHARE_THRESHOLDS``). The share on a date = plants whose first "reached"
record of the stage is on or before that date / live marked plants of the plot and cultivar
observed in the season (any live record of any stage). Plants never visited in a season do not
count: they were not observed (newly marked, lost, or not yet visited), not "not in the stage".
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

from obs.stagedates._model import Cell, Group, PlantStage, StageDate, share
from obs.stagedates._query import FirstDate, PlantInfo
from schemas.stages import BLOOM_STAGES, PLANT_SHARE_THRESHOLDS, STAGES_BY_CODE

METHOD = "plants"


def plant_share_dates(
    firsts: Iterable[FirstDate], plants: dict[int, PlantInfo], stages: Sequence[str] | None
) -> list[StageDate]:
    """Stage dates of every group and season with records (see the module docstring).

    Without ``stages``, a season reports the stages that have records in it plus the bloom
    stages (``BLOOM_STAGES``); with it, exactly those stages.
    """
    observed: dict[tuple[Group, int], set[int]] = defaultdict(set)
    present: dict[tuple[Group, int], set[str]] = defaultdict(set)
    reached: dict[Cell, list[tuple[dt.date, str]]] = defaultdict(list)
    for f in firsts:
        info = plants.get(f.plant_id)
        if info is None:
            continue
        observed[info.group, f.season].add(f.plant_id)
        present[info.group, f.season].add(f.stage_code)
        if f.first is not None:
            reached[Cell(info.group, f.season, f.stage_code)].append((f.first, info.tag))
    rows: list[StageDate] = []
    for (group, season), ids in observed.items():
        wanted = stages if stages is not None else _default_stages(present[group, season])
        for code in wanted:
            cell = Cell(group, season, code)
            rows += cell_dates(cell, reached.get(cell, []), len(ids))
    return rows


def bracketed_share_dates(rows: Iterable[PlantStage], max_gap: int) -> list[StageDate]:
    """Plant-share stage dates counting only the plants whose first date in the stage follows
    a "not reached" visit at most ``max_gap`` days before (``obs stages --max-gap``).

    Per cell, the plants left out are those with a first date that is not so bracketed: they
    leave the numerator and the denominator. Plants that never reached the stage stay (their
    "not yet" is known); ``n_plants`` is the plants kept. ``rows`` come from
    :func:`obs.stagedates.phenometrics.plant_stages` (every observed plant of every cell).
    """
    cells: dict[Cell, list[PlantStage]] = defaultdict(list)
    for r in rows:
        cells[Cell(Group(r.station, r.plot, r.cultivar), r.season, r.stage_code)].append(r)
    out: list[StageDate] = []
    for cell, items in cells.items():
        kept = [r for r in items if r.first_date is None or r.bracketed(max_gap)]
        firsts = [(r.first_date, r.plant) for r in kept if r.first_date is not None]
        out += cell_dates(cell, firsts, len(kept))
    return out


def default_stages(present: set[str]) -> list[str]:
    """The stages a season reports by default: those recorded plus the bloom stages."""
    return _default_stages(present)


def _default_stages(present: set[str]) -> list[str]:
    codes = present | set(BLOOM_STAGES)
    return sorted(codes, key=lambda c: STAGES_BY_CODE[c].order)


def cell_dates(cell: Cell, firsts: Sequence[tuple[dt.date, str]], n_plants: int) -> list[StageDate]:
    """The status rows of one cell from its plants' first dates and the denominator.

    A threshold that is never crossed gives no row; when not even the first (始期) is
    crossed, the stage gets one ``not_reached`` (未进) row with the share it got to.
    """
    ordered = sorted(firsts)
    days = [day for day, _ in ordered]
    rows = []
    for status, threshold in PLANT_SHARE_THRESHOLDS.items():
        count = _crossing(days, n_plants, threshold)
        if count is not None:
            day = days[count - 1]
            basis = tuple((tag, d) for d, tag in ordered[:count])
            rows.append(
                cell.row(
                    status,
                    day,
                    share(count, n_plants),
                    method=METHOD,
                    n_plants=n_plants,
                    basis=basis,
                )
            )
    if not rows:
        rows.append(
            cell.row(
                "not_reached", None, share(len(days), n_plants), method=METHOD, n_plants=n_plants
            )
        )
    return rows


def _crossing(days: Sequence[dt.date], total: int, threshold: float) -> int | None:
    """How many plants are counted on the first date the share reaches ``threshold`` [%]."""
    for day in days:
        count = bisect_right(days, day)
        if 100 * count >= threshold * total:
            return count
    return None
