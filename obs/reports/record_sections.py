"""Record sections of the reports: disasters, pests, growth, yield, field work, plots.

Pure functions of the rows :func:`obs.reports.reads.load` read (live rows of the period,
by date) and of the report's plots, which give the plot codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from obs.reports.model import Section, whole_numbers
from schemas import tables as T
from schemas.vocabulary import GROWTH_ITEMS_BY_CODE, YIELD_ITEMS_BY_CODE

_DISASTER_COLUMNS = [
    "plot",
    "disaster",
    "start",
    "end",
    "stage",
    "organs",
    "plants_affected_pct",
    "organ_damage_pct",
    "severity",
    "yield_impact",
    "yield_loss_tenths",
    "symptoms",
]
_PEST_COLUMNS = [
    "plot",
    "date",
    "pest",
    "pest_kind",
    "stage",
    "part",
    "incidence_pct",
    "severity_grade",
    "disease_index",
    "pest_density",
    "damage_level",
    "control",
]
_STATUS_COLUMNS = ["plot", "date", "stage", "growth_class", "basis"]
_MEASURE_COLUMNS = ["plot", "date", "item", "unit", "n", "mean", "min", "max"]
_WORK_COLUMNS = ["plot", "work", "start", "end", "quality", "method"]
PLOT_COLUMNS = [
    "code",
    "name",
    "cultivar",
    "plants",
    "plot_type",
    "field_level",
    "area_m2",
    "planting_year",
    "terrain",
    "slope_aspect",
    "soil_type",
    "management",
    "distance_to_station_m",
]


def _codes(plots: Sequence[T.Plot]) -> dict[int, str]:
    return {int(p.id or 0): p.code for p in plots}


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def disaster_section(rows: Sequence[Any], plots: Sequence[T.Plot]) -> Section:
    """Agromet disasters of ``rows`` (§4.9), severity as its code."""
    code = _codes(plots)
    table = [
        {
            "plot": code[r.plot_id],
            "disaster": r.disaster_code,
            "start": r.start_date,
            "end": r.end_date,
            "stage": r.stage_code,
            "organs": r.affected_organs,
            "plants_affected_pct": r.plants_affected_pct,
            "organ_damage_pct": r.organ_damage_pct,
            "severity": _str(r.severity),
            "yield_impact": _str(r.yield_impact),
            "yield_loss_tenths": r.yield_loss_tenths,
            "symptoms": r.symptoms,
        }
        for r in rows
    ]
    return Section(
        "disasters",
        "农业气象灾害",
        "Agromet disasters",
        pd.DataFrame(table, columns=_DISASTER_COLUMNS),
    )


def pest_section(rows: Sequence[Any], plots: Sequence[T.Plot]) -> Section:
    """Diseases and pests of ``rows`` (§4.10)."""
    code = _codes(plots)
    table = [
        {
            "plot": code[r.plot_id],
            "date": r.obs_date,
            "pest": r.pest_code,
            "pest_kind": r.pest_kind or None,
            "stage": r.stage_code,
            "part": r.affected_part or None,
            "incidence_pct": r.incidence_pct,
            "severity_grade": r.severity_grade,
            "disease_index": r.disease_index,
            "pest_density": r.pest_density,
            "damage_level": _str(r.damage_level),
            "control": r.control_measure or None,
        }
        for r in rows
    ]
    return Section(
        "pests", "病虫害", "Diseases and pests", pd.DataFrame(table, columns=_PEST_COLUMNS)
    )


def status_rows(rows: Sequence[Any], plots: Sequence[T.Plot]) -> pd.DataFrame:
    """Growth-status assessments of ``rows`` (§6)."""
    code = _codes(plots)
    table = [
        {
            "plot": code[r.plot_id],
            "date": r.obs_date,
            "stage": r.stage_code,
            "growth_class": str(r.growth_class),
            "basis": r.basis or None,
        }
        for r in rows
    ]
    return pd.DataFrame(table, columns=_STATUS_COLUMNS)


def status_section(frame: pd.DataFrame) -> Section:
    """Growth-status classes (生长状况评定)."""
    return Section("growth_status", "生长状况评定", "Growth status", frame)


def _summarise(rows: list[dict[str, Any]], units: dict[str, str]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=_MEASURE_COLUMNS)
    frame = pd.DataFrame(rows)
    stats = (
        frame.groupby(["plot", "date", "item"], sort=True)["value"]
        .agg(n="count", mean="mean", min="min", max="max")
        .reset_index()
    )
    stats["unit"] = [units.get(i, "") for i in stats["item"]]
    stats[["mean", "min", "max"]] = stats[["mean", "min", "max"]].round(1)
    return whole_numbers(stats[_MEASURE_COLUMNS].copy(), ("n",))


def _measured(
    titles: tuple[str, str, str],
    values: list[dict[str, Any]],
    items: Mapping[str, Any],
    note: tuple[str, str],
) -> Section:
    """A section of measured items (id, zh, en titles): per date and item, n, mean, min, max."""
    units = {c: i.unit for c, i in items.items()}
    return Section(*titles, _summarise(values, units), (note[0],), (note[1],))


def growth_section(rows: Sequence[tuple[Any, str, str]]) -> Section:
    """Growth measurements (生长量, §4.6): per date and item, n plants, mean, min, max."""
    values = [
        {"plot": plot, "date": r.obs_date, "item": r.item_code, "value": r.value}
        for r, plot, _tag in rows
    ]
    return _measured(
        ("growth", "生长量测定", "Growth measurements"),
        values,
        GROWTH_ITEMS_BY_CODE,
        ("项目名称见 obs vocab growth_items。", "Item names: obs vocab growth_items."),
    )


def yield_section(rows: Sequence[Any], plots: Sequence[T.Plot]) -> Section:
    """Yield structure (产量结构, §4.8): per date and item, n, mean, min, max."""
    code = _codes(plots)
    table = [
        {"plot": code[r.plot_id], "date": r.obs_date, "item": r.item_code, "value": r.value}
        for r in rows
    ]
    return _measured(
        ("yield", "产量结构", "Yield structure"),
        table,
        YIELD_ITEMS_BY_CODE,
        (
            "n 为测定株数（地段值 n=1）；项目名称见 obs vocab yield_items。",
            "n = plants measured (1 for a plot value); item names: obs vocab yield_items.",
        ),
    )


def fieldwork_section(rows: Sequence[Any], plots: Sequence[T.Plot]) -> Section:
    """Field work (田间工作, §4.11) with its quality."""
    code = _codes(plots)
    table = [
        {
            "plot": code[r.plot_id],
            "work": r.item_code,
            "start": r.start_date,
            "end": r.end_date,
            "quality": _str(r.quality),
            "method": r.method or None,
        }
        for r in rows
    ]
    return Section(
        "fieldwork", "田间工作", "Field work", pd.DataFrame(table, columns=_WORK_COLUMNS)
    )


def plot_section(plots: Sequence[T.Plot], plant_counts: dict[int, int]) -> Section:
    """Plot description (地段说明, §4.2), one row per plot."""
    rows = [
        {
            **{c: getattr(p, c, None) for c in PLOT_COLUMNS if c != "plants"},
            "plants": plant_counts.get(p.id or 0, 0),
        }
        for p in plots
    ]
    frame = whole_numbers(pd.DataFrame(rows, columns=PLOT_COLUMNS), ("plants", "planting_year"))
    for col in ("name", "terrain", "slope_aspect", "soil_type", "management"):
        frame[col] = frame[col].replace("", None)
    return Section("plot", "地段说明", "Plot description", frame)
