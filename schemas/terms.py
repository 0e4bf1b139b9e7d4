"""The shape every vocabulary entry shares: a stable code with Chinese and English labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a controlled vocabulary."""

    code: str
    zh: str
    en: str

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard limits (an error) and soft limits (suspicious) of a numeric value. ``None`` = open."""

    hard_min: float | None = None
    hard_max: float | None = None
    soft_min: float | None = None
    soft_max: float | None = None

    def hard_violation(self, value: float) -> bool:
        """True when ``value`` is outside the hard range."""
        return (self.hard_min is not None and value < self.hard_min) or (
            self.hard_max is not None and value > self.hard_max
        )

    def soft_violation(self, value: float) -> bool:
        """True when ``value`` is inside the hard range but outside the soft range."""
        return (self.soft_min is not None and value < self.soft_min) or (
            self.soft_max is not None and value > self.soft_max
        )

    def describe(self) -> str:
        """A short human form such as ``-55…55 (soft -5…36)``."""

        def rng(lo: float | None, hi: float | None) -> str:
            return f"{_fmt(lo)}…{_fmt(hi)}"

        text = rng(self.hard_min, self.hard_max)
        if self.soft_min is not None or self.soft_max is not None:
            text += f" (soft {rng(self.soft_min, self.soft_max)})"
        return text


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


T = TypeVar("T", bound=Term)


def index(terms: Iterable[T]) -> dict[str, T]:
    """Map code -> term, refusing duplicate codes (a programming error in the tables)."""
    out: dict[str, T] = {}
    for term in terms:
        if term.code in out:
            raise ValueError(f"duplicate vocabulary code {term.code!r}")
        out[term.code] = term
    return out
