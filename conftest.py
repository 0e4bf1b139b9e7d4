"""Repository-level pytest options (``pytest_addoption`` must live in a rootdir conftest)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites tests/obs/reports/expected/* from the current output."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files in tests/obs/reports/expected/ instead of comparing.",
    )
