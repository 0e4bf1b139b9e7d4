"""Fields and record kinds as data: the shapes :mod:`schemas.kinds` declares with.

A field is described once, with its labels, type, vocabulary or reference and limits; CLI
flags, prompts, field-sheet columns, amendments and listing labels all come from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from schemas.terms import Lang, Limits

FieldType = Literal["date", "time", "float", "int", "text", "bool", "code", "codes", "ref"]
Scope = Literal["station", "plot", "plant"]

PCT = Limits(0, 100)
NONNEG = Limits(0, None)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One input field of a record kind.

    ``vocab`` names a vocabulary in :data:`schemas.vocab_index.VOCABULARIES` (for ``code`` and
    ``codes``); ``ref`` names the kind whose code/tag the value is (for ``ref``); ``column`` is
    the table column when it differs from ``name`` (a ``ref`` field ``plant`` -> ``plant_id``).
    """

    name: str
    zh: str
    en: str
    type: FieldType = "text"
    required: bool = False
    vocab: str | None = None
    ref: str | None = None
    limits: Limits | None = None
    amendable: bool = True
    column: str | None = None
    prompt: bool = False

    @property
    def target(self) -> str:
        """The column this field is stored in."""
        return self.column or (f"{self.name}_id" if self.type == "ref" else self.name)

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Kind:
    """A record kind: its table, fields, natural key and the date used by --season/--year."""

    name: str
    zh: str
    en: str
    table: str
    scope: Scope
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]
    date_field: str
    observation: bool = True
    extra_columns: tuple[str, ...] = field(default=())

    def field(self, name: str) -> FieldSpec:
        """The field called ``name`` (KeyError when there is none)."""
        for spec in self.fields:
            if spec.name == name or spec.target == name:
                return spec
        raise KeyError(name)

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


def field_spec(name: str, zh: str, en: str, type_: FieldType = "text", **kw: object) -> FieldSpec:
    return FieldSpec(name, zh, en, type_, **kw)  # type: ignore[arg-type]


OBSERVER = field_spec("observer", "观测员", "Observer")
NOTE = field_spec("note", "备注", "Note")
OBS_DATE = field_spec(
    "obs_date", "观测日期", "Date", "date", required=True, prompt=True, amendable=True
)


def ref_spec(name: str, zh: str, en: str, *, required: bool = True) -> FieldSpec:
    """A reference to a station, plot or plant by its code or tag (never amended)."""
    return FieldSpec(
        name, zh, en, "ref", required=required, ref=name, prompt=required, amendable=False
    )


STATION_REF = ref_spec("station", "观测站", "Station")
PLOT_REF = ref_spec("plot", "观测地段", "Plot")
PLANT_REF = ref_spec("plant", "观测株", "Plant")
