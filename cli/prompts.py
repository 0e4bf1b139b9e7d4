"""Ask a person at a terminal for what is missing; refuse (exit 2) when nobody is there."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, MutableMapping

import typer

from obs.errors import UsageError
from schemas.kinds import FieldSpec, Kind
from schemas.terms import Lang
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
    ask: Callable[[str], str] | None = None,
) -> None:
    """Prompt for each required field that is missing; without a terminal, a usage error."""
    for spec in kind.fields:
        if not spec.required or raw.get(spec.name) not in (None, ""):
            continue
        if ask is None and not interactive():
            raise UsageError(
                f"missing option {option_name(spec)} ({spec.label(lang)})",
                hint="give it on the command line; there is no terminal to ask at",
            )
        raw[spec.name] = _ask(spec, lang, ask or _typer_prompt)


def _typer_prompt(text: str) -> str:
    return str(typer.prompt(text, err=True))


def _ask(spec: FieldSpec, lang: Lang, ask: Callable[[str], str]) -> str:
    if spec.vocab is None:
        return ask(spec.label(lang))
    terms = VOCABULARIES[spec.vocab]
    for number, term in enumerate(terms, 1):
        sys.stderr.write(f"  {number:>2}  {term.code:<12} {term.label(lang)}\n")
    answer = ask(f"{spec.label(lang)} (number, code or name)").strip()
    if answer.isdigit() and 1 <= int(answer) <= len(terms):
        return terms[int(answer) - 1].code
    return answer
