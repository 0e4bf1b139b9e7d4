"""Checks of user text against :mod:`schemas.text_rules`: one function per rule, used at entry
(:mod:`obs.records.entry`) and by the import options."""

from __future__ import annotations

import codecs

from obs.errors import InvalidValueError, UsageError
from schemas import text_rules as R

_ENCODING_HINT = "give a text encoding such as utf-8, gb18030, gbk or utf-16 (or leave it out)"


def check_encoding(name: str | None) -> str | None:
    """``--encoding``: the name when it is an encoding of text files, else a UsageError."""
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        raise UsageError(
            f"--encoding {name!r}: unknown text encoding", hint=_ENCODING_HINT
        ) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in R.NOT_FILE_ENCODINGS:
        raise UsageError(f"--encoding {name!r}: not an encoding of text files", hint=_ENCODING_HINT)
    return name


def check_delimiter(value: str | None) -> str | None:
    """``--delimiter``: one ASCII character (``\\t`` or ``tab`` for a tab), else a UsageError."""
    if value is None:
        return None
    value = R.DELIMITER_ALIASES.get(value, value)
    if (
        len(value) != 1
        or not value.isascii()
        or value.isalnum()
        or value in R.DELIMITER_REFUSED
        or (not value.isprintable() and value != "\t")
    ):
        raise UsageError(
            f"--delimiter {value!r}: not one ASCII separator character",
            hint="give one character such as , ; | or \\t (tab), or leave it out to detect it",
        )
    return value


def check_text(field: str, value: str, *, max_chars: int) -> str:
    """Free text: no control characters (tab and newline allowed), at most ``max_chars``."""
    bad = R.FORBIDDEN_TEXT_RE.search(value)
    if bad is not None:
        raise InvalidValueError(
            field,
            repr(value[:40]),
            f"holds the control character {bad.group()!r}",
            hint="remove control characters (NUL and the like) from the text",
        )
    if len(value) > max_chars:
        raise InvalidValueError(
            field,
            repr(value[:20] + "…"),
            f"is {len(value)} characters long, more than the {max_chars} allowed",
            hint=f"shorten it to {max_chars} characters",
        )
    return value


def check_code(field: str, value: str, *, max_chars: int) -> str:
    """A station, plot or plant code (:data:`schemas.text_rules.CODE_RE`), at most
    ``max_chars``."""
    check_text(field, value, max_chars=max_chars)
    if not R.CODE_RE.fullmatch(value):
        raise InvalidValueError(
            field, repr(value), "is not a code", hint=f"codes are {R.CODE_RULE}"
        )
    return value
