"""Vocabularies as rows for listing (``obs vocab``)."""

from __future__ import annotations

import dataclasses
from typing import Any

from obs.errors import NotFoundError
from schemas.terms import Lang, Limits
from schemas.vocab_index import VOCABULARIES

#: Fields of the vocabulary dataclasses that are shown in both languages as one label column.
_HIDDEN = {"zh", "en"}


def vocabulary_names() -> list[dict[str, Any]]:
    """One row per vocabulary: its name and number of entries."""
    return [{"name": name, "entries": len(terms)} for name, terms in VOCABULARIES.items()]


def vocabulary_rows(name: str, lang: Lang = "zh") -> list[dict[str, Any]]:
    """The entries of vocabulary ``name`` as flat rows (code, zh, en, then its attributes)."""
    if name not in VOCABULARIES:
        raise NotFoundError(f"no vocabulary {name!r}", hint="one of " + ", ".join(VOCABULARIES))
    return [_row(term) for term in VOCABULARIES[name]]


def _row(term: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"code": term.code, "zh": term.zh, "en": term.en}
    for f in dataclasses.fields(term):
        if f.name in _HIDDEN or f.name == "code":
            continue
        value = getattr(term, f.name)
        if isinstance(value, Limits):
            value = value.describe()
        elif isinstance(value, tuple) and f.name == "window" and value:
            value = "{:02d}-{:02d}…{:02d}-{:02d}".format(*value[0], *value[1])
        row[f.name] = value
    return row
