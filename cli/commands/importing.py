"""``obs import weather`` and ``obs import observations``: bulk import with a summary."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import render
from cli.commands.options import FormatOption, OutputOption
from cli.exit_codes import ExitCode
from cli.render import OutputFormat
from cli.state import state

if TYPE_CHECKING:
    from obs.imports import ImportSummary

import_app = typer.Typer(
    help="Import weather files, field sheets (CSV/XLSX) and obs export folders.",
    no_args_is_help=True,
)


class OnConflict(StrEnum):
    """What to do with a file row whose stored record has other values."""

    skip = "skip"
    update = "update"
    fail = "fail"


FileArgument = Annotated[
    Path, typer.Argument(help="CSV or XLSX file.", exists=True, dir_okay=False, readable=True)
]
SheetOption = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet to read.")]


def _encoding(value: str | None) -> str | None:
    from obs.textcheck import check_encoding

    return check_encoding(value)


def _delimiter(value: str | None) -> str | None:
    from obs.textcheck import check_delimiter

    return check_delimiter(value)


EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding", help="Text encoding of a CSV (default: detected).", callback=_encoding
    ),
]
DelimiterOption = Annotated[
    str | None,
    typer.Option(
        "--delimiter", help="CSV delimiter, one character (default: detected).", callback=_delimiter
    ),
]
RejectOption = Annotated[
    Path | None,
    typer.Option(
        "--reject-file",
        help="Where to write refused rows (default: <file stem>.rejects.csv here).",
        dir_okay=False,
    ),
]


@contextmanager
def _progress() -> Iterator[Callable[[int, int | None], None] | None]:
    """A rich progress bar on stderr at a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("importing rows", total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=max(total or 0, done) or None)

        yield update


def _mapping(items: list[str] | None) -> dict[str, str]:
    from obs.errors import UsageError

    out: dict[str, str] = {}
    for item in items or []:
        column, sep, element = item.rpartition("=")
        if not sep or not column.strip() or not element.strip():
            raise UsageError(f"--map {item!r} is not COLUMN=ELEMENT", hint="e.g. --map 'T(℃)=t'")
        out[column.strip()] = element.strip()
    return out


def _reject_path(path: Path) -> Path:
    """The reject file, refused before anything is read or written when it is a symlink."""
    from obs.safe_write import refuse_symlink

    refuse_symlink(path)
    return path


def _report(
    summary: ImportSummary, fmt: OutputFormat, output: Path | None, lang: str = "zh"
) -> None:
    """The summary; then exit 3 when rows were refused or QC found errors (a script can tell:
    the stored rows stay stored, the refused ones are in the reject file)."""
    from schemas.messages import has, message

    if fmt is OutputFormat.json:
        from dataclasses import asdict

        render.write_out(render.to_json(asdict(summary)), output)
    else:
        rows = summary.rows()
        if fmt is OutputFormat.table:  # csv keeps the snake_case counts for scripts
            rows = [
                {**r, "what": message(f"import.{r['what']}", lang)}
                if has(f"import.{r['what']}")
                else r
                for r in rows
            ]
        render.emit(
            rows,
            fmt,
            output=output,
            columns=["what", "count"],
            labels={"what": message("column.item", lang), "count": message("column.count", lang)},
            title=message("title.import", lang, file=summary.file_name, batch=summary.batch_id),
            lang=lang,
        )
    for line in summary.notes:
        render.note(line)
    if summary.reject_file:
        render.warning(
            f"{summary.refused + summary.kept} rows not stored: see {summary.reject_file}"
        )
    if summary.qc_errors or summary.qc_suspects:
        render.warning(
            f"QC: {summary.qc_errors} errors, {summary.qc_suspects} suspect values; "
            "see: obs validate"
        )
    if summary.refused or summary.qc_errors:
        render.warning(
            f"exit code 3: {summary.refused} rows refused, {summary.qc_errors} QC errors "
            "(the other rows are stored)"
        )
        raise typer.Exit(ExitCode.QC_FAILED)


@import_app.command("weather")
def weather(
    ctx: typer.Context,
    file: FileArgument,
    station: Annotated[str, typer.Option("--station", help="Station code of the records.")],
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    sheet: SheetOption = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="COLUMN=ELEMENT for a header obs does not know (repeat)."),
    ] = None,
    utc: Annotated[
        bool, typer.Option("--utc", help="Timestamps without a zone are UTC (default: BT).")
    ] = False,
    offset: Annotated[
        float | None,
        typer.Option(
            "--offset",
            help="Hours from UTC of zone-less timestamps, -14 to 14 (default: +8).",
            min=-14,
            max=14,
        ),
    ] = None,
    on_conflict: Annotated[
        OnConflict,
        typer.Option("--on-conflict", help="Rows stored with other values: skip, update, fail."),
    ] = OnConflict.skip,
    reject_file: RejectOption = None,
    precip_08_08: Annotated[
        bool, typer.Option("--precip-08-08", help="Also derive the 08–08 BT precipitation.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Import a daily or sub-daily weather file (CSV or XLSX) of one station.

    Sub-daily records are stored as they are and their days derived (20:00 BT day); daily
    files are stored as daily records. Re-importing a file stores nothing new.

    Example: obs import weather aws-2024.csv --station 57511 --on-conflict update
    """
    from obs.errors import UsageError
    from obs.imports.options import WeatherImportOptions, default_reject_path
    from obs.qc.settings import configured_rules

    if utc and offset is not None:
        raise UsageError("give --utc or --offset, not both")
    st = state(ctx)
    options = WeatherImportOptions(
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        mapping=_mapping(mapping) or None,
        utc_offset_hours=offset,
        assume_utc=utc,
        on_conflict=on_conflict.value,
        reject_path=_reject_path(reject_file or default_reject_path(file)),
        with_08_08=precip_08_08,
        rules=configured_rules(),
        actor=st.settings.actor,
    )
    from obs.imports.weather.run import import_weather

    with _progress() as progress, st.session() as session:
        summary = import_weather(
            file, station=station, session=session, options=options, progress=progress
        )
    _report(summary, fmt, output, st.lang)


@import_app.command("observations")
def observations(
    ctx: typer.Context,
    file: FileArgument,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Record kind of every row (default: kind column or sheet)."),
    ] = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    on_conflict: Annotated[
        OnConflict,
        typer.Option(
            "--on-conflict", help="Rows stored with other values: skip, update (amend), fail."
        ),
    ] = OnConflict.skip,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="History reason of updated rows (default: file name)."),
    ] = None,
    reject_file: RejectOption = None,
    fmt: FormatOption = OutputFormat.table,
    output: OutputOption = None,
) -> None:
    """Import field sheets of any observation kind, validated like obs record.

    Columns are the kind's field names or their labels (观测株, 观测日期, 发育期 …); see
    docs/import.md. Rows stored already with the same values are unchanged; an edited
    obs list output (its id column) updates its records with --on-conflict update.

    Example: obs import observations phenology-2025.xlsx
    """
    from obs.imports import ObservationImportOptions, default_reject_path, import_observations

    st = state(ctx)
    options = ObservationImportOptions(
        kind=kind,
        sheet=sheet,
        encoding=encoding,
        delimiter=delimiter,
        reject_path=_reject_path(reject_file or default_reject_path(file)),
        actor=st.settings.actor,
        on_conflict=on_conflict.value,
        reason=reason,
        observer=st.settings.observer,
        lang=st.lang,
    )
    with _progress() as progress, st.session() as session:
        summary = import_observations(file, session=session, options=options, progress=progress)
    _report(summary, fmt, output, st.lang)


@import_app.command("export")
def export_folder(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Argument(help="Folder written by obs export.", exists=True, file_okay=False)
    ],
) -> None:
    """Load a folder written by obs export into an empty database (same as obs restore-export).

    Ids, uids, history and QC flags are kept; checksums are verified; one transaction.

    Example: obs --db new.db init && obs --db new.db import export export-2025-03-31
    """
    from cli.commands.exchange import restore_export

    restore_export(ctx, directory)


def register(app: typer.Typer) -> None:
    """Add ``obs import`` to the app."""
    app.add_typer(import_app, name="import")
