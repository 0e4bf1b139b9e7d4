"""The ``obs report`` group, shared by the modules that add reports to it.

Report modules import :data:`report_app` from here and attach their commands; only this
module adds the group to the app, so the order in which modules register does not matter.
"""

from __future__ import annotations

import typer

report_app = typer.Typer(
    help="Reports: season, year, region, completeness, observers.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add ``obs report`` to the app."""
    app.add_typer(report_app, name="report")
