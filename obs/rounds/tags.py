"""Plant tags typed in bulk: ``A-01 A-02`` and ranges ``A-01..A-20`` (zero padding kept)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from obs.errors import InvalidValueError
from schemas.rounds_text import say
from schemas.terms import Lang

#: Most tags one range may give.
MAX_RANGE = 1000
_END_NUMBER = re.compile(r"^(.*?)(\d+)$")


def expand_tags(items: Iterable[str], *, lang: Lang = "zh") -> list[str]:
    """The tags of ``items`` in order, each range expanded; a tag given twice is refused."""
    out: list[str] = []
    for item in items:
        text = item.strip()
        out += _range(text, lang) if ".." in text else [text]
    twice = sorted({t for t in out if out.count(t) > 1})
    if twice:
        raise InvalidValueError("TAG", twice[0], say("tag_twice", lang))
    return out


def _range(text: str, lang: Lang) -> list[str]:
    first, _, last = text.partition("..")
    a, b = _END_NUMBER.match(first.strip()), _END_NUMBER.match(last.strip())
    if a is None or b is None or a.group(1) != b.group(1) or int(a.group(2)) > int(b.group(2)):
        raise InvalidValueError("TAG", text, say("bad_range", lang), hint=say("range_hint", lang))
    start, end = int(a.group(2)), int(b.group(2))
    if end - start + 1 > MAX_RANGE:
        raise InvalidValueError("TAG", text, say("long_range", lang, n=MAX_RANGE))
    width = len(a.group(2))
    return [f"{a.group(1)}{n:0{width}d}" for n in range(start, end + 1)]
