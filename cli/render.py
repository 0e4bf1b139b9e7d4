"""The only place that writes to the terminal: data to stdout, messages to stderr."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer


class LangChoice(StrEnum):
    """Label languages."""

    zh = "zh"
    en = "en"


class OutputFormat(StrEnum):
    """Formats of listings."""

    table = "table"
    csv = "csv"
    json = "json"


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def to_json(data: Any) -> str:
    """JSON text with dates as ISO strings and Chinese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text with a header row of the snake_case field names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]],
    fmt: OutputFormat,
    *,
    output: Path | None = None,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> None:
    """Write rows as a table, CSV or JSON to stdout or ``output``."""
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt is OutputFormat.json:
        text = to_json([{c: r.get(c) for c in cols} for r in rows])
    elif fmt is OutputFormat.csv:
        text = to_csv(rows, cols)
    else:
        text = table_text(rows, cols, labels or {}, title, to_file=output is not None)
    write_out(text, output)


def emit_record(
    row: Mapping[str, Any], fmt: OutputFormat, *, output: Path | None, title: str
) -> None:
    """One record: a field/value table (one line per field reads better than one wide row),
    or a one-row CSV/JSON listing."""
    if fmt is OutputFormat.table:
        fields = [{"field": k, "value": "∅" if v is None else v} for k, v in row.items()]
        emit(fields, fmt, output=output, title=title)
    else:
        emit([row], fmt, output=output)


def write_out(text: str, output: Path | None) -> None:
    """Text to ``output`` (and a note on stderr) or to stdout."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from obs import safe_write

    safe_write.write_text(output, text)  # never through a symlink
    note(f"wrote {output}")


def table_text(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    labels: Mapping[str, str],
    title: str | None,
    *,
    to_file: bool = False,
) -> str:
    """A rich table rendered to text (plain when not at a terminal or writing a file)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(labels.get(col, col), overflow="fold")
    for row in rows:
        table.add_row(*["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
    if not rows:
        return (title + ": " if title else "") + "no records"
    console = Console(
        file=io.StringIO(),
        width=None if sys.stdout.isatty() else 200,
        force_terminal=False if to_file else None,
        color_system=None if to_file or not sys.stdout.isatty() else "auto",
    )
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


#: Control characters (but newline and tab) of a message: shown escaped, never sent to the
#: terminal (a hostile value could otherwise move the cursor or clear the screen).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _err(prefix: str, message: str, color: str) -> None:
    from obs.secrets import mask_secrets

    message = _CONTROL.sub(lambda m: repr(m.group())[1:-1], mask_secrets(message))
    tty = sys.stderr.isatty()
    head = typer.style(prefix, fg=color, bold=True) if tty else prefix
    sys.stderr.write(f"{head} {message}\n")


def error(message: str, hint: str | None = None) -> None:
    """``Error: …`` and ``Hint: …`` on stderr."""
    _err("Error:", message, "red")
    if hint:
        _err("Hint:", hint, "yellow")


def warning(message: str) -> None:
    """``Warning: …`` on stderr."""
    _err("Warning:", message, "yellow")


def note(message: str) -> None:
    """A plain message on stderr (secrets of database URLs masked)."""
    from obs.secrets import mask_secrets

    sys.stderr.write(mask_secrets(message) + "\n")
