"""Flower-ratio mode: FLS / FLF / FLE are the first visit dates on which the plot mean of the
sample-branch flower ratio reaches the stage's ``flower_ratio`` threshold (5 % open, 50 % open,
80 % withered; domain specification §5, thresholds in ``schemas.stages``).

Per plant and visit the open share is ``open_ratio`` (open / all flowers and buds counted,
§4.4), or the record's ``percent`` when it has no counts (percent of an FLS/FLF record = open,
of an FLE record = withered); the withered share is withered / all counted. On each visit date
of the plot the mean is taken over the plants that have a value on or before that date, each
with its latest value; plants not yet measured do not enter the mean.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import groupby

from obs.stagedates._model import Basis, Cell, Group, StageDate
from obs.stagedates._query import FlowerVisit, PlantInfo
from schemas.stages import FLOWER_RATIO_MEASURES, STAGES_BY_CODE

METHOD = "flower_ratio"
#: (visit date, plot mean [%] unrounded, the plants' latest visits that went into it)
Point = tuple[dt.date, float, Basis]


def flower_ratio_dates(
    visits: Iterable[FlowerVisit], plants: dict[int, PlantInfo], stages: Sequence[str] | None
) -> list[StageDate]:
    """FLS/FLF/FLE (or the requested subset) of every group and season with flower measures."""
    by_group: dict[tuple[Group, int], list[tuple[dt.date, str, FlowerVisit]]] = defaultdict(list)
    for v in visits:
        info = plants.get(v.plant_id)
        if info is not None:
            by_group[info.group, v.season].append((v.day, info.tag, v))
    wanted = list(stages) if stages is not None else list(FLOWER_RATIO_MEASURES)
    rows: list[StageDate] = []
    for (group, season), items in by_group.items():
        items.sort(key=lambda item: (item[0], item[1]))
        series = {m: plot_means(items, m) for m in set(FLOWER_RATIO_MEASURES.values())}
        for code in wanted:
            cell = Cell(group, season, code)
            rows.append(cell_date(cell, series[FLOWER_RATIO_MEASURES[code]]))
    return rows


def plot_means(items: Sequence[tuple[dt.date, str, FlowerVisit]], measure: str) -> list[Point]:
    """The plot-mean ``measure`` ("open" or "withered") on every visit date, in date order."""
    latest: dict[str, tuple[dt.date, float]] = {}
    points: list[Point] = []
    for day, group in groupby(items, key=lambda item: item[0]):
        for _, tag, visit in group:
            value = visit.open_pct if measure == "open" else visit.withered_pct
            if value is not None:
                # several stage records of one plant on one day: the largest share counts
                old = latest.get(tag)
                latest[tag] = (day, max(value, old[1]) if old and old[0] == day else value)
        if latest:
            mean = sum(v for _, v in latest.values()) / len(latest)
            basis = tuple(sorted((tag, d) for tag, (d, _) in latest.items()))
            points.append((day, mean, basis))
    return points


def cell_date(cell: Cell, points: Sequence[Point]) -> StageDate:
    """The first point reaching the stage's threshold, or a ``not_reached`` row."""
    threshold = STAGES_BY_CODE[cell.stage_code].flower_ratio
    assert threshold is not None  # FLOWER_RATIO_MEASURES lists stages with a flower_ratio
    for day, mean, basis in points:
        if mean >= threshold:
            return cell.row(
                "general", day, round(mean, 1), method=METHOD, n_plants=len(basis), basis=basis
            )
    top = max((round(mean, 1) for _, mean, _ in points), default=None)
    n_plants = len(points[-1][2]) if points else 0
    return cell.row("not_reached", None, top, method=METHOD, n_plants=n_plants)
