"""Vocabulary tables are consistent: unique codes, both labels, limits in order, refs resolve."""

from __future__ import annotations

import re

import pytest

from schemas import stages, vocabulary, weather
from schemas.kinds import KINDS
from schemas.terms import Limits
from schemas.vocab_index import VOCABULARIES

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_entry_has_unique_code_and_both_labels(name):
    terms = VOCABULARIES[name]
    codes = [t.code for t in terms]
    assert len(codes) == len(set(codes)), name
    for term in terms:
        assert term.code and term.en and term.zh
        if name not in {"qc_flags"}:
            assert CJK.search(term.zh), (name, term.code)


def _limits(obj):
    return (
        [v for v in vars(obj).values() if isinstance(v, Limits)]
        if hasattr(obj, "__dict__")
        else [getattr(obj, f) for f in obj.__slots__ if isinstance(getattr(obj, f), Limits)]
    )


def test_limits_are_ordered_and_soft_inside_hard():
    items = [
        *weather.DAILY_ELEMENTS,
        *weather.SUBDAILY_ELEMENTS,
        *vocabulary.GROWTH_ITEMS,
        *vocabulary.YIELD_ITEMS,
    ]
    for item in items:
        lim = item.limits
        if lim.hard_min is not None and lim.hard_max is not None:
            assert lim.hard_min < lim.hard_max, item.code
        if lim.soft_min is not None and lim.hard_min is not None:
            assert lim.soft_min >= lim.hard_min, item.code
        if lim.soft_max is not None and lim.hard_max is not None:
            assert lim.soft_max <= lim.hard_max, item.code


def test_stage_table_is_the_twenty_stage_table():
    assert [s.order for s in stages.STAGES] == list(range(1, 21))
    chains = {s.chain for s in stages.STAGES if s.chain}
    for chain in chains:
        members = [s for s in stages.STAGES if s.chain == chain]
        assert [s.order for s in members] == sorted(s.order for s in members)
    assert [s.code for s in stages.chain_of("FLF")] == ["FBV", "FBC", "FLS", "FLF", "FLE"]
    assert all(stages.STAGES_BY_CODE[c].flower_ratio for c in ("FLS", "FLF", "FLE"))


def test_kind_fields_refer_to_real_vocabularies_and_kinds():
    for kind in KINDS.values():
        names = [f.name for f in kind.fields]
        assert len(names) == len(set(names)), kind.name
        for spec in kind.fields:
            if spec.type in ("code", "codes"):
                assert spec.vocab in VOCABULARIES, (kind.name, spec.name)
            if spec.type == "ref":
                assert (spec.ref or spec.name) in KINDS, (kind.name, spec.name)
        for key in kind.key:
            kind.field(key)


def test_weather_kind_covers_every_daily_element():
    fields = {f.name for f in KINDS["weather"].fields}
    assert {e.code for e in weather.DAILY_ELEMENTS} <= fields


def test_kind_fields_are_table_columns():
    from obs.lookup import TABLES

    for kind in KINDS.values():
        columns = set(TABLES[kind.name].__table__.columns.keys())
        for spec in kind.fields:
            assert spec.target in columns, (kind.name, spec.target)
        assert set(kind.extra_columns) <= columns


def test_severity_mapping_table():
    assert [vocabulary.severity_for_pct(p) for p in (0, 9.9, 10, 29.9, 30, 60, 100)] == [
        "1",
        "1",
        "2",
        "2",
        "3",
        "4",
        "4",
    ]
