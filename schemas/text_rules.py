"""Rules of the text a user or a file hands to obs: codes, free text, and the text options of
imports (``--encoding``, ``--delimiter``). Declarations only; :mod:`obs.textcheck` applies them,
identically for SQLite and PostgreSQL (SQLite itself would store any length and NUL bytes,
PostgreSQL refuses both, so a field database must refuse them too or it can never be pushed).
"""

from __future__ import annotations

import re

#: Fields whose value is a code naming a site: kind -> field. A code is 1 to the column's
#: length (station 5, plot 32, plant 32) of ASCII letters and digits, with ``.``, ``_`` and
#: ``-`` allowed between them (``JG-A``, ``A-01``, ``plot_2.b``); no blanks, quotes, slashes,
#: shell or SQL characters, no Chinese (codes go into file names, URLs and scripts; names
#: and positions take any text).
CODE_FIELDS: dict[str, str] = {"station": "code", "plot": "code", "plant": "tag"}
CODE_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
CODE_RULE = "ASCII letters and digits, with . _ - only between them (e.g. JG-A, A-01)"

#: Longest free text [characters] of a column that declares no length of its own (notes,
#: positions, symptoms …); columns with a ``max_length`` in schemas/ use theirs.
TEXT_MAX_CHARS = 2000
#: Characters no stored text may hold: NUL and the other control characters but tab and
#: newline (C0, DEL, C1), and lone surrogates. PostgreSQL refuses NUL in text outright.
FORBIDDEN_TEXT_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

#: Text codecs Python knows that are no encoding of a text file: refused for ``--encoding``
#: (besides every codec that is not a text encoding at all: rot13, base64, zip, hex, bz2, uu).
NOT_FILE_ENCODINGS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"}
)
#: ``--delimiter``: exactly one ASCII character that is not a letter, digit, quote, blank
#: other than tab, or line break. ``\t`` (backslash t) is read as a tab.
DELIMITER_REFUSED = frozenset('"\r\n\x00 ')
DELIMITER_ALIASES = {"\\t": "\t", "tab": "\t", "TAB": "\t"}
