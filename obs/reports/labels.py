"""Column labels (zh/en), printed precision and code vocabularies of report tables, as data.

Labels and value texts come from the message catalogue (:mod:`schemas.messages`). Frames keep
codes (``FLS``, ``FREEZE``, ``2``, ``chilling_hours``); :func:`cell_text` shows them with their
label in the chosen language, so one frame serves every language and JSON keeps the codes.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from schemas.messages import CATALOGUE, COLUMNS, message
from schemas.terms import Lang
from schemas.vocab_index import term

#: Column -> (zh, en) label: the ``column.`` group of the message catalogue.
COLUMN_LABELS: dict[str, tuple[str, str]] = COLUMNS

#: Columns whose values are keys of a catalogue group (``index.chilling_hours``): shown by
#: their text in the report language, the code kept in frames and JSON.
CATALOGUE_COLUMNS: dict[str, str] = {"index": "index", "source": "source", "unit": "unit"}

#: Columns whose values are codes of a vocabulary (``schemas.vocab_index``); a tuple names
#: several vocabularies tried in turn.
CODE_COLUMNS: dict[str, str | tuple[str, ...]] = {
    "stage": "stages", "from_stage": "stages", "to_stage": "stages", "cultivar": "cultivars",
    "disaster": "disasters", "pest": "pests", "severity": "severity",
    "yield_impact": "yield_impact", "damage_level": "damage_level", "quality": "work_quality",
    "growth_class": "growth_classes", "work": "fieldwork", "pest_kind": "pest_kinds",
    "part": "organs", "plot_type": "plot_types", "field_level": "field_levels",
    "element": "elements", "incomplete_elements": "elements", "organs": "organs",
    "item": ("growth_items", "yield_items"),
}  # fmt: skip

#: Decimals printed per column; float columns not listed print with ``DEFAULT_DECIMALS``.
DECIMALS: dict[str, int] = {
    "start_pct": 0, "general_pct": 0, "end_pct": 0, "pct_present": 0,
    "plants_affected_pct": 0, "organ_damage_pct": 0, "incidence_pct": 0,
    "area_m2": 0, "distance_to_station_m": 0,
}  # fmt: skip
DEFAULT_DECIMALS = 1

_NA = pd.NA

#: Placeholder printed for a missing value in human formats.
MISSING_MARK = "—"


def column_label(column: str, lang: Lang = "zh") -> str:
    """Label of ``column`` in ``lang`` (the column name when it has none).

    A column named by a stage code in lower case (``fls``, the 农气表-3 table) is labelled
    with the code and the stage name (``FLS 始花期``).
    """
    pair = COLUMN_LABELS.get(column)
    if pair is None:
        stage = term("stages", column.upper())
        return column if stage is None else f"{column.upper()} {stage.label(lang)}"
    return pair[0] if lang == "zh" else pair[1]


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None or value is _NA:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def cell_text(column: str, value: Any, lang: Lang = "zh", missing: str = MISSING_MARK) -> str:
    """One cell for human formats: rounded numbers, ISO dates, codes with their label."""
    if is_missing(value):
        return missing
    if isinstance(value, bool):
        return message("yes" if value else "no", lang)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.{DECIMALS.get(column, DEFAULT_DECIMALS)}f}"
    group = CATALOGUE_COLUMNS.get(column)
    if group is not None:
        return value_text(group, str(value), lang)
    vocab = CODE_COLUMNS.get(column)
    if vocab is None:
        return str(value)
    sep = "、" if lang == "zh" else ", "
    return sep.join(_code_text(column, code, vocab, lang) for code in str(value).split(","))


def _code_text(column: str, code: str, vocab: str | tuple[str, ...], lang: Lang) -> str:
    for name in (vocab,) if isinstance(vocab, str) else vocab:
        entry = term(name, code)
        if entry is not None:
            return f"{code} {entry.label(lang)}" if column in _SHOW_CODE else entry.label(lang)
    return code


#: Code columns printed as "CODE label" rather than the label alone.
_SHOW_CODE = frozenset({"stage", "from_stage", "to_stage"})


def value_text(group: str, code: str, lang: Lang = "zh") -> str:
    """The catalogue text of ``group.code`` in ``lang``; the code itself when it has none."""
    pair = CATALOGUE.get(f"{group}.{code}")
    return code if pair is None else (pair[0] if lang == "zh" else pair[1])
