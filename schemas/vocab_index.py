"""Every vocabulary by name: what ``obs vocab NAME`` prints and ``code`` fields refer to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from schemas import qc, stages, vocabulary, weather
from schemas.terms import Term

TIME_SYSTEMS: tuple[Term, ...] = (
    Term("BT", "北京时", "Beijing time"),
    Term("UTC", "世界时", "UTC"),
)

VOCABULARIES: Mapping[str, Sequence[Term]] = {
    "stages": stages.STAGES,
    "cultivars": vocabulary.CULTIVARS,
    "disasters": vocabulary.DISASTERS,
    "pests": vocabulary.PESTS,
    "growth_classes": vocabulary.GROWTH_CLASSES,
    "severity": vocabulary.SEVERITY,
    "yield_impact": vocabulary.YIELD_IMPACT,
    "damage_level": vocabulary.DAMAGE_LEVEL,
    "work_quality": vocabulary.WORK_QUALITY,
    "fieldwork": vocabulary.FIELD_WORK_ITEMS,
    "growth_items": vocabulary.GROWTH_ITEMS,
    "yield_items": vocabulary.YIELD_ITEMS,
    "organs": vocabulary.ORGANS,
    "pest_kinds": vocabulary.PEST_KINDS,
    "plot_types": vocabulary.PLOT_TYPES,
    "field_levels": vocabulary.FIELD_LEVELS,
    "elements": weather.DAILY_ELEMENTS,
    "subdaily_elements": weather.SUBDAILY_ELEMENTS,
    "phenomena": weather.PHENOMENA,
    "tmean_methods": weather.TMEAN_METHODS,
    "weather_sources": weather.WEATHER_SOURCES,
    "qc_flags": qc.QC_FLAGS,
    "time_systems": TIME_SYSTEMS,
}

_CODES: dict[str, frozenset[str]] = {
    name: frozenset(t.code for t in terms) for name, terms in VOCABULARIES.items()
}


def codes(name: str) -> frozenset[str]:
    """The codes of vocabulary ``name``."""
    return _CODES[name]


def term(name: str, code: str) -> Term | None:
    """The entry ``code`` of vocabulary ``name``, or None."""
    for entry in VOCABULARIES[name]:
        if entry.code == code:
            return entry
    return None
