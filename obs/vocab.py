"""Vocabularies as rows for listing (``obs vocab``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from obs.errors import NotFoundError
from schemas.kinds import Kind
from schemas.terms import Lang, Limits
from schemas.vocab_index import VOCABULARIES, term

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


_YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}


def humanize_rows(kind: Kind, rows: list[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """Rows for people: codes followed by their label, yes/no, QC flag names.

    Machine formats (CSV, JSON) keep the raw codes; this is for the terminal table only.
    """
    vocab_of = {s.name: s.vocab for s in kind.fields if s.vocab}
    bools = {s.name for s in kind.fields if s.type == "bool"}
    return [_humanize(row, vocab_of, bools, lang) for row in rows]


def _humanize(
    row: dict[str, Any], vocab_of: Mapping[str, str | None], bools: set[str], lang: Lang
) -> dict[str, Any]:
    out = dict(row)
    for name, vocab in vocab_of.items():
        value = out.get(name)
        if value not in (None, "") and vocab:
            out[name] = ", ".join(_label(vocab, str(code), lang) for code in str(value).split(","))
    for name in bools:
        if isinstance(out.get(name), bool):
            out[name] = _YES_NO[lang][0 if out[name] else 1]
    if out.get("qc") is not None:
        out["qc"] = _label("qc_flags", str(out["qc"]), lang)
    return out


def _label(vocab: str, code: str, lang: Lang) -> str:
    found = term(vocab, code)
    if found is None:
        return code
    label = found.label(lang)
    return label if label.lower() == code.lower() else f"{code} {label}"


def code_shown(vocab: str, text: str) -> str | None:
    """The code of a cell as :func:`humanize_rows` shows it (``FBC 花蕾露色期`` or ``FBC Bud
    colour``): the code followed by its own label in either language; None for anything else
    (a bare code or label is left to the parser, a wrong label to its refusal)."""
    code, _, label = text.strip().partition(" ")
    found = term(vocab, code)
    if found is None or label.strip() not in (found.zh, found.en):
        return None
    return found.code
