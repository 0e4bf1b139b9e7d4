"""Ask a person at a terminal for what is missing; refuse (exit 2) when nobody is there.

Questions go to stderr and answers are read from stdin line by line, so Ctrl-C is a
``KeyboardInterrupt`` (exit 130, nothing stored) and end of input stops. A wrong answer is
explained in the chosen language and asked again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, MutableMapping

from obs.errors import UsageError
from schemas.kinds import FieldSpec, Kind
from schemas.rounds_text import say
from schemas.terms import Lang, Term
from schemas.vocab_index import VOCABULARIES

#: How many wrong answers to one question before giving up (obs record; obs visit asks on).
MAX_TRIES = 5


class Navigation(Exception):
    """The observer typed a round command instead of a value: ``s``, ``b`` or ``q``."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.command = command


NAVIGATION = frozenset({"s", "b", "q"})


def interactive() -> bool:
    """True when stdin is a terminal (``OBS_NO_PROMPT=1`` turns prompting off)."""
    return sys.stdin.isatty() and not os.environ.get("OBS_NO_PROMPT")


def show(text: str) -> None:
    """A line of the dialogue on stderr."""
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.flush()


def complain(message: str, hint: str | None = None) -> None:
    """A refused answer explained inside the dialogue (the question follows again)."""
    tty = sys.stderr.isatty()
    mark = "\x1b[31m✗\x1b[0m" if tty else "✗"
    show(f"  {mark} {message}" + (f"\n    {hint}" if hint else ""))


def ask_line(question: str, default: str | None = None) -> str:
    """One answer (stripped); Enter gives ``default`` (or ""). End of input is Ctrl-C."""
    shown = f"{question} [{default}]: " if default else f"{question}: "
    sys.stderr.write(shown)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        raise KeyboardInterrupt
    answer = line.strip()
    return answer if answer or default is None else default


def ask_until(
    question: str,
    parse: Callable[[str], object],
    *,
    lang: Lang,
    default: str | None = None,
    navigation: bool = False,
    tries: int | None = MAX_TRIES,
) -> object:
    """Ask until ``parse`` accepts the answer (it raises ValueError with the explanation)."""
    count = 0
    while tries is None or count < tries:
        count += 1
        answer = ask_line(question, default)
        if navigation and answer.lower() in NAVIGATION:
            raise Navigation(answer.lower())
        try:
            return parse(answer)
        except ValueError as err:
            complain(str(err), say("ask_again", lang))
    raise UsageError(say("too_many", lang, what=question, n=MAX_TRIES))


def count_parser(lang: Lang) -> Callable[[str], int | None]:
    """Enter = none; else a whole number >= 0."""

    def parse(text: str) -> int | None:
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(say("bad_int", lang, answer=text))
        return int(text)

    return parse


def number_parser(lang: Lang, low: float, high: float) -> Callable[[str], float | None]:
    """Enter = none; else a number within [low, high]."""

    def parse(text: str) -> float | None:
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not low <= value <= high:
            raise ValueError(say("bad_float", lang, answer=text, low=f"{low:g}", high=f"{high:g}"))
        return value

    return parse


def choice_parser(terms: list[Term], lang: Lang) -> Callable[[str], str]:
    """A menu number (1…n), a code, or a zh/en label -> the code."""
    from obs.errors import InvalidValueError
    from obs.records.parse import parse_code

    def parse(text: str) -> str:
        if text.isdigit():
            if 1 <= int(text) <= len(terms):
                return terms[int(text) - 1].code
            raise ValueError(say("bad_number", lang, answer=text, n=len(terms)))
        try:
            return parse_code("", text, terms, "")
        except InvalidValueError:
            raise ValueError(say("bad_choice", lang, answer=text, n=len(terms))) from None

    return parse


def show_menu(terms: list[Term], lang: Lang) -> None:
    """The numbered choices."""
    for number, term in enumerate(terms, 1):
        show(f"  {number:>2}  {term.code:<12} {term.label(lang)}")


def menu_terms(spec: FieldSpec) -> list[Term]:
    """The vocabulary offered in a menu (stages that are derived, not observed, are left out)."""
    if spec.vocab is None:
        return []
    return [t for t in VOCABULARIES[spec.vocab] if getattr(t, "observed", True)]


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
        require_terminal(spec, lang, option_name)
        raw[spec.name] = ask_field(spec, lang)


def require_terminal(spec: FieldSpec, lang: Lang, option_name: Callable[[FieldSpec], str]) -> None:
    """A usage error naming the missing option when nobody is at a terminal."""
    if not interactive():
        raise UsageError(
            f"missing {option_name(spec)} ({spec.label(lang)})",
            hint="give it on the command line; there is no terminal to ask at",
        )


def ask_field(spec: FieldSpec, lang: Lang, *, optional: bool = False) -> str:
    """Ask for one field until its value can be stored (a menu for coded fields)."""
    from obs.clock import today_bt
    from obs.errors import InvalidValueError
    from obs.records.entry import check_field

    terms = menu_terms(spec)
    show_menu(terms, lang)
    pick = choice_parser(terms, lang) if terms else None

    def parse(text: str) -> str:
        if not text and optional:
            return ""
        answer = pick(text) if pick is not None else text
        _check_number(spec, answer, lang)
        try:
            check_field(spec, answer, today=today_bt())
        except InvalidValueError as err:
            raise ValueError(err.message + (f" ({err.hint})" if err.hint else "")) from None
        return answer

    question, default = _question(spec, lang, bool(terms), optional)
    return str(ask_until(question, parse, lang=lang, default=default))


def _check_number(spec: FieldSpec, text: str, lang: Lang) -> None:
    """A numeric field's answer explained in ``lang``: not a number, or outside its limits."""
    if spec.type not in ("int", "float"):
        return
    try:
        value = int(text) if spec.type == "int" else float(text)
    except ValueError:
        key = "bad_int" if spec.type == "int" else "not_number"
        raise ValueError(say(key, lang, answer=text)) from None
    limits = spec.limits
    if limits is not None and limits.hard_violation(value):
        low = "" if limits.hard_min is None else f"{limits.hard_min:g}"
        high = "" if limits.hard_max is None else f"{limits.hard_max:g}"
        raise ValueError(say("bad_float", lang, answer=text, low=low or "−∞", high=high or "∞"))


def _question(spec: FieldSpec, lang: Lang, menu: bool, optional: bool) -> tuple[str, str | None]:
    if menu:
        return say("ask_menu", lang, label=spec.label(lang)), None
    if optional:
        return say("ask_element", lang, label=spec.label(lang)), None
    if spec.type == "date":
        from obs.clock import today_bt

        default = today_bt().isoformat() if spec.name == "obs_date" else None
        return f"{spec.label(lang)} (YYYY-MM-DD)", default
    return spec.label(lang), None
