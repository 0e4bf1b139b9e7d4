"""Per-plant phenometrics (``obs stages --plants``) and plot-level dates restricted to plants
whose first date is bracketed by a "not reached" visit (``--max-gap N``).

For each plant, stage and season: the first and last visit with the stage reached and the
distance to the nearest "not reached" visits around them, as phenology networks report them
(USA-NPN "individual phenometrics": first yes, last yes, days since the prior no, days until
the next no). Every live plant observed in the season (any record) appears for every stage
asked for, also when it never reached the stage (dates None).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from obs.stagedates._model import Group, PlantStage
from obs.stagedates._query import PlantInfo, StageVisit
from schemas.stages import STAGES_BY_CODE

#: Which stages a group's season lists, from the stages recorded in it.
StageChoice = Callable[[set[str]], Sequence[str]]


def recorded_stages(present: set[str]) -> list[str]:
    """The stages recorded in a season, in the standard's order."""
    return sorted(present, key=lambda c: STAGES_BY_CODE[c].order)


def plant_stages(
    visits: Iterable[StageVisit], plants: dict[int, PlantInfo], choose: StageChoice
) -> list[PlantStage]:
    """One :class:`PlantStage` per observed plant, chosen stage and season, in plot, cultivar,
    season, stage order and plant tag order."""
    observed: dict[tuple[Group, int], set[int]] = defaultdict(set)
    present: dict[tuple[Group, int], set[str]] = defaultdict(set)
    seen: dict[tuple[int, int, str], list[tuple[dt.date, bool]]] = defaultdict(list)
    for v in visits:
        info = plants.get(v.plant_id)
        if info is None:
            continue
        observed[info.group, v.season].add(v.plant_id)
        present[info.group, v.season].add(v.stage_code)
        seen[v.plant_id, v.season, v.stage_code].append((v.day, v.reached))
    rows = []
    for (group, season), ids in sorted(observed.items(), key=_group_order):
        for code in choose(present[group, season]):
            for pid in sorted(ids, key=lambda i: plants[i].tag):
                metrics = phenometrics(seen.get((pid, season, code), []))
                rows.append(
                    PlantStage(
                        group.station, group.plot, group.cultivar, plants[pid].tag, code,
                        season, *metrics,
                    )
                )  # fmt: skip
    return rows


def phenometrics(
    visits: Sequence[tuple[dt.date, bool]],
) -> tuple[dt.date | None, dt.date | None, int | None, int | None]:
    """First and last reached date of one plant's visits of a stage, days since the last "not
    reached" visit before the first, days until the first "not reached" visit after the last."""
    reached = [day for day, yes in visits if yes]
    if not reached:
        return None, None, None, None
    first, last = min(reached), max(reached)
    before = max((day for day, yes in visits if not yes and day < first), default=None)
    after = min((day for day, yes in visits if not yes and day > last), default=None)
    return (
        first,
        last,
        (first - before).days if before is not None else None,
        (after - last).days if after is not None else None,
    )


def excluded_counts(rows: Iterable[PlantStage], max_gap: int) -> dict[tuple[object, ...], int]:
    """Per (station, plot, cultivar, season, stage): plants left out by ``--max-gap``."""
    out: dict[tuple[object, ...], int] = defaultdict(int)
    for r in rows:
        key = (r.station, r.plot, r.cultivar, r.season, r.stage_code)
        out[key] += int(r.first_date is not None and not r.bracketed(max_gap))
    return dict(out)


def _group_order(item: tuple[tuple[Group, int], set[int]]) -> tuple[str, str, str, int]:
    (group, season), _ = item
    return (group.station, group.plot, group.cultivar, season)
