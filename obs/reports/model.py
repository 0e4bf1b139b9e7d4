"""The shape of a report: a title, header fields and ordered sections of tables.

A report is data. The engine builds it (:mod:`obs.reports.season`, :mod:`obs.reports.year`);
writers (:mod:`obs.reports.writers`) and the CLI turn it into text, files or terminal tables.
Column labels and printed precision come from :mod:`obs.reports.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from obs.reports.labels import column_label
from schemas.terms import Lang


def whole_numbers(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Columns of counts as Python ints with None for missing (not floats such as 2.0)."""
    for col in columns:
        if col in frame.columns:
            values = pd.to_numeric(frame[col], errors="coerce").round().astype("Int64")
            frame[col] = pd.Series(
                [None if v is pd.NA else int(v) for v in values], index=frame.index, dtype=object
            )
    return frame


@dataclass(frozen=True)
class HeaderField:
    """One header line: a snake_case key, its zh/en label and its value.

    ``value`` is the value as data (JSON keeps it); ``value_en``, when given, is how an
    English report shows it (e.g. cultivar names), else ``value`` serves both languages.
    """

    key: str
    zh: str
    en: str
    value: Any
    value_en: Any = None

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def shown(self, lang: Lang = "zh") -> Any:
        """The value as a report in ``lang`` shows it."""
        return self.value_en if lang == "en" and self.value_en is not None else self.value


@dataclass(frozen=True)
class Section:
    """One table of a report, with optional notes in both languages.

    ``frame`` has snake_case column names and a default RangeIndex; dates are
    ``datetime.date`` objects and missing values None or NaN.
    """

    id: str
    zh: str
    en: str
    frame: pd.DataFrame
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    def title(self, lang: Lang = "zh") -> str:
        """The section title in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def notes(self, lang: Lang = "zh") -> tuple[str, ...]:
        """The notes in ``lang``."""
        return self.notes_zh if lang == "zh" else self.notes_en

    def labels(self, lang: Lang = "zh") -> list[str]:
        """Column labels in ``lang``, in column order."""
        return [column_label(str(c), lang) for c in self.frame.columns]


@dataclass(frozen=True)
class Report:
    """A season or year report.

    ``series`` holds data behind the charts (not printed as tables): ``daily`` (daily weather
    of the period, indexed by date), ``stages`` (one row per plot, cultivar and stage with
    its general date) and ``bloom`` (bloom dates of every season).
    """

    kind: str
    zh: str
    en: str
    header: tuple[HeaderField, ...]
    sections: tuple[Section, ...]
    series: dict[str, pd.DataFrame] = field(default_factory=dict)

    def title(self, lang: Lang = "zh") -> str:
        """The report title in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def section(self, section_id: str) -> Section:
        """The section called ``section_id`` (KeyError when there is none)."""
        for sec in self.sections:
            if sec.id == section_id:
                return sec
        raise KeyError(section_id)
