"""``obs export``, ``obs restore-export`` and ``obs backup``: take the data out, bring it back."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.state import state


class ExportFormat(StrEnum):
    """File formats of an export."""

    csv = "csv"
    json = "json"


ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite what is there.")]


def export(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Folder to write (created; must be empty unless --force).",
            file_okay=False,
        ),
    ],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="File format of the tables.")
    ] = ExportFormat.csv,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an earlier export in the folder: its table files (csv or json) and "
            "manifest.json; other files stay.",
        ),
    ] = False,
) -> None:
    """Write every table, history included, to a folder (CSV or JSON).

    QC flags and import batches too, plus manifest.json with the schema revision, row
    counts and the SHA-256 of each file.

    Example: obs export --format csv --output export-2025-03-31
    """
    from obs.exchange.export import export_database

    files = export_database(state(ctx).engine, output, fmt=fmt.value, force=force)
    rows = sum(f.rows for f in files)
    render.note(f"exported {len(files)} tables, {rows} rows to {output}")


def restore_export(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="Folder written by obs export.", exists=True, file_okay=False)
    ],
) -> None:
    """Load a folder written by obs export into an empty database.

    Ids and uids are kept; one transaction.

    Example: obs --db new.db init && obs --db new.db restore-export export-2025-03-31
    """
    from obs.exchange.restore import restore_export as restore

    files = restore(state(ctx).engine, directory)
    render.note(f"restored {len(files)} tables, {sum(f.rows for f in files)} rows from {directory}")


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The copy to write (a new file).", dir_okay=False)],
    force: ForceOption = False,
) -> None:
    """Copy the database consistently while others may be writing.

    For PostgreSQL use pg_dump (obs says how).

    Example: obs --db station.db backup station-2025-03-31.db
    """
    from obs.exchange.backup import backup_database

    size = backup_database(state(ctx).engine, file, force=force)
    render.note(f"backup written: {file} ({size} bytes)")


def register(app: typer.Typer) -> None:
    """Add ``obs export``, ``obs restore-export`` and ``obs backup`` to the app."""
    app.command("export")(export)
    app.command("restore-export")(restore_export)
    app.command("backup")(backup)
