"""Ask a person at a terminal for what is missing; refuse (exit 2) when nobody is there."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, MutableMapping

import typer

from cli import render
from obs.errors import UsageError
from schemas.kinds import FieldSpec, Kind
from schemas.terms import Lang, Term
from schemas.vocab_index import VOCABULARIES


def interactive() -> bool:
    """True when stdin is a terminal (``OBS_NO_PROMPT=1`` turns prompting off)."""
    return sys.stdin.isatty() and not os.environ.get("OBS_NO_PROMPT")


def fill_missing(
    kind: Kind,
    raw: MutableMapping[str, object],
    *,
    lang: Lang,
    option_name: Callable[[FieldSpec], str],
    ask: Callable[..., str] | None = None,
) -> None:
    """Prompt for each required field that is missing; without a terminal, a usage error."""
    for spec in kind.fields:
        if not spec.required or raw.get(spec.name) not in (None, ""):
            continue
        if ask is None and not interactive():
            raise UsageError(
                f"missing {option_name(spec)} ({spec.label(lang)})",
                hint="give it on the command line; there is no terminal to ask at",
            )
        raw[spec.name] = _ask(spec, lang, ask or _typer_prompt)


#: How many wrong answers to one question before giving up.
MAX_TRIES = 5


def _typer_prompt(text: str, default: str | None = None) -> str:
    return str(typer.prompt(text, err=True, default=default))


def _ask(spec: FieldSpec, lang: Lang, ask: Callable[..., str]) -> str:
    """Ask until the answer is valid for the field (a bad answer is explained, then asked again)."""
    from obs.clock import today_bt
    from obs.errors import InvalidValueError
    from obs.records.entry import check_field

    terms = _choices(spec)
    for number, term in enumerate(terms, 1):
        sys.stderr.write(f"  {number:>2}  {term.code:<12} {term.label(lang)}\n")
    question, default = _question(spec, lang, bool(terms))
    for _ in range(MAX_TRIES):
        answer = ask(question, today_bt().isoformat()) if default else ask(question)
        answer = answer.strip()
        if terms and answer.isdigit() and 1 <= int(answer) <= len(terms):
            answer = terms[int(answer) - 1].code
        try:
            check_field(spec, answer, today=today_bt())
        except InvalidValueError as err:
            render.error(err.message, err.hint)
            continue
        return answer
    raise UsageError(f"no valid {spec.label(lang)} after {MAX_TRIES} tries")


def _choices(spec: FieldSpec) -> list[Term]:
    """The vocabulary offered in a menu (stages that are derived, not observed, are left out)."""
    if spec.vocab is None:
        return []
    return [t for t in VOCABULARIES[spec.vocab] if getattr(t, "observed", True)]


def _question(spec: FieldSpec, lang: Lang, menu: bool) -> tuple[str, bool]:
    if menu:
        hint = "（序号、代码或名称）" if lang == "zh" else " (number, code or name)"
        return f"{spec.label(lang)}{hint}", False
    if spec.type == "date":
        return f"{spec.label(lang)} (YYYY-MM-DD)", spec.name == "obs_date"
    return spec.label(lang), False
