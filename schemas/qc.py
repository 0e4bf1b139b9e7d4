"""Quality-control flag codes (CMA style) and their labels."""

from __future__ import annotations

from schemas.terms import Term, index

CORRECT = 0
SUSPECT = 1
ERROR = 2
MISSING = 8
NOT_CHECKED = 9

QC_FLAGS: tuple[Term, ...] = (
    Term("0", "正确", "correct"),
    Term("1", "可疑", "suspect"),
    Term("2", "错误", "error"),
    Term("8", "缺测", "missing"),
    Term("9", "未检查", "not checked"),
)

QC_FLAGS_BY_CODE = index(QC_FLAGS)
