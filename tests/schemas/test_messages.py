"""The message catalogue: every entry has Chinese, and both languages take the same
parameters (so that a zh text can never lose a value the en text shows)."""

from __future__ import annotations

import re
import string

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: zh texts that are rightly the same as en: units and symbols without words.
_SAME = re.compile(r"^[A-Za-z]{1,3}$|^UTC\{offset\}$")


def test_every_message_has_chinese_and_the_same_parameters() -> None:
    from schemas.messages import CATALOGUE

    fields = string.Formatter()
    for key, (zh, en) in CATALOGUE.items():
        assert zh and en, key
        assert _CJK.search(zh) or _SAME.match(zh), (key, zh)
        assert not _CJK.search(en) or key.startswith("fix."), (key, en)
        names_zh = {f for _, f, _, _ in fields.parse(zh) if f}
        names_en = {f for _, f, _, _ in fields.parse(en) if f}
        assert names_zh == names_en, key


def test_message_fills_parameters() -> None:
    from schemas.messages import message

    assert message("pdf.page", "zh", page=2, pages=5) == "第 2 页 共 5 页"
    assert message("pdf.page", "en", page=2, pages=5) == "Page 2 of 5"
