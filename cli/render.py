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
    """Formats of command output."""

    table = "table"
    csv = "csv"
    json = "json"


class SheetFormat(StrEnum):
    """Formats of listings (``obs list``, ``obs stages``): also a workbook or a printable
    table (xlsx and pdf need --output)."""

    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    pdf = "pdf"


#: Columns that name a row: a folded table repeats them in every part.
KEY_COLUMNS: tuple[str, ...] = (
    "id", "kind", "record_id", "version", "plot", "plant", "month", "index", "element",
    "stage", "stage_code", "date", "obs_date", "season", "season_label", "code",
)  # fmt: skip
#: Width of a terminal table when stdout is not a terminal and COLUMNS is unset.
FILE_WIDTH = 200
#: Language of the messages this module words itself ("wrote FILE"); set with the settings.
_MESSAGE_LANG = {"lang": "zh"}


def set_lang(lang: str) -> None:
    """The language of the messages render words itself (the resolved ``--lang``)."""
    _MESSAGE_LANG["lang"] = lang


def wrote(path: Path, extra: str = "") -> None:
    """``已写入 FILE`` / ``wrote FILE`` on stderr."""
    from schemas.messages import message

    note(message("cli.wrote", _MESSAGE_LANG["lang"], path=path) + extra)


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
    fmt: OutputFormat | SheetFormat,
    *,
    output: Path | None = None,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    lang: str = "zh",
    bom: bool = False,
    wide: bool = False,
    hide_constant: bool = False,
) -> None:
    """Write rows as a table, CSV, JSON or XLSX to stdout or ``output``.

    ``hide_constant`` leaves out of a table the columns whose value is the same in every row
    (said under the table); ``wide`` shows every column unfolded.
    """
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt.value in ("xlsx", "pdf"):
        if output is None:
            from obs.errors import UsageError

            raise UsageError(
                f"--format {fmt.value} writes a file, not terminal text",
                hint=f"add --output list.{fmt.value}",
            )
        if fmt.value == "xlsx":
            from obs.reports.xlsx import table_xlsx

            data = table_xlsx(title or "", cols, labels or {}, rows, lang)  # type: ignore[arg-type]
        else:
            from obs.reports.pdf import table_pdf

            texts = [["" if r.get(c) is None else _cell(r.get(c)) for c in cols] for r in rows]
            data = table_pdf(title or "", cols, labels or {}, texts, lang)  # type: ignore[arg-type]
        write_bytes(data, output)
        return
    if fmt.value == "json":
        text = to_json([{c: r.get(c) for c in cols} for r in rows])
    elif fmt.value == "csv":
        text = to_csv(rows, cols)
    else:
        text = table_text(
            rows,
            cols,
            labels or {},
            title,
            to_file=output is not None,
            lang=lang,
            wide=wide,
            hide_constant=hide_constant,
        )
    write_out(text, output, bom=bom and fmt.value == "csv")


def wants_bom(flag: bool | None, output: Path | None, lang: str) -> bool:
    """The BOM rule of report CSV: the flag or config when set, else on for a file in zh."""
    if flag is not None:
        return flag
    return output is not None and lang == "zh"


def write_bytes(data: bytes, path: Path) -> None:
    """Bytes to ``path`` (and a note on stderr)."""
    from obs.errors import ObsError

    try:
        path.write_bytes(data)
    except OSError as err:
        raise ObsError(
            f"cannot write {path}: {err.strerror}", hint="choose a writable path with --output"
        ) from None
    wrote(path)


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


def write_out(text: str, output: Path | None, *, bom: bool = False) -> None:
    """Text to ``output`` (and a note on stderr) or to stdout; ``bom`` starts a file with the
    UTF-8 BOM (stdout never gets one)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from obs import safe_write

    safe_write.write_text(output, ("\ufeff" if bom else "") + text)  # never through a symlink
    wrote(output)


def table_text(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    labels: Mapping[str, str],
    title: str | None,
    *,
    to_file: bool = False,
    lang: str = "zh",
    wide: bool = False,
    hide_constant: bool = False,
    texts: Sequence[Sequence[str]] | None = None,
) -> str:
    """Rows as rich tables rendered to text (plain when not at a terminal or writing a file).

    Dates, codes and numbers never wrap: when the columns do not fit the width, the table is
    folded into parts that each repeat the row's key columns (``KEY_COLUMNS``); only free
    text wraps. ``wide`` never folds. ``texts`` gives the cells already as text.
    """
    from schemas.messages import message

    if not rows:
        return message("empty.titled", lang, title=title) if title else message("empty", lang)
    cells = (
        [list(t) for t in texts]
        if texts is not None
        else [["" if row.get(c) is None else _cell(row.get(c)) for c in columns] for row in rows]
    )
    cols = list(columns)
    footer = []
    if hide_constant and len(rows) > 1:
        constant = [
            i
            for i, c in enumerate(cols)
            if c not in KEY_COLUMNS and len({r[i] for r in cells}) == 1
        ]
        if constant:
            footer.append(
                message(
                    "cli.constant_columns",
                    lang,
                    columns=", ".join(f"{labels.get(cols[i], cols[i])}={cells[0][i] or '∅'}"
                                      for i in constant),
                )
            )  # fmt: skip
            keep = [i for i in range(len(cols)) if i not in constant]
            cols = [cols[i] for i in keep]
            cells = [[r[i] for i in keep] for r in cells]
    width = console_width()
    parts = [list(range(len(cols)))] if wide else fold(cols, cells, labels, width)
    console = _console(to_file, None if wide else width)
    for n, part in enumerate(parts):
        table = _table(
            title if n == 0 else None, [cols[i] for i in part], labels,
            [[r[i] for i in part] for r in cells],
        )  # fmt: skip
        console.print(table)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return text + "".join(line + "\n" for line in footer)


def console_width() -> int:
    """The terminal's width; ``COLUMNS`` or ``FILE_WIDTH`` when stdout is not a terminal."""
    import os
    import shutil

    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    env = os.environ.get("COLUMNS", "")
    return int(env) if env.isdigit() else FILE_WIDTH


def _console(to_file: bool, width: int | None) -> Any:
    from rich.console import Console

    tty = sys.stdout.isatty() and not to_file
    return Console(
        file=io.StringIO(),
        width=width or 10_000,
        force_terminal=False if to_file else None,
        color_system="auto" if tty else None,
    )


def display_width(text: str) -> int:
    """Cells a text takes on a terminal (CJK characters take two)."""
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def _is_free_text(values: Sequence[str]) -> bool:
    """A column of free text (may wrap): some value has a space or is longer than 24 cells."""
    return any(display_width(v) > 24 for v in values)


def _needed(label: str, values: Sequence[str]) -> int:
    """Width a column needs with its borders: values unwrapped (free text up to 24), the label
    wrapped on spaces."""
    words = max((display_width(w) for w in label.split()), default=0)
    content = max((display_width(v) for v in values), default=0)
    if _is_free_text(values):
        content = min(content, 24)
    return max(content, words, 1) + 3


def fold(
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    labels: Mapping[str, str],
    width: int,
) -> list[list[int]]:
    """Column indexes of each part of a table folded to ``width`` (one part when it fits)."""
    need = [_needed(labels.get(c, c), [r[i] for r in cells]) for i, c in enumerate(columns)]
    if sum(need) + 1 <= width:
        return [list(range(len(columns)))]
    keys = [i for i, c in enumerate(columns) if c in KEY_COLUMNS][:3]
    room = width - 1 - sum(need[i] for i in keys)
    parts: list[list[int]] = []
    current: list[int] = []
    for i in range(len(columns)):
        if i in keys:
            continue
        if current and sum(need[j] for j in current) + need[i] > room:
            parts.append(current)
            current = []
        current.append(i)
    if current:
        parts.append(current)
    return [sorted(keys + part) for part in parts]


def _table(
    title: str | None, columns: Sequence[str], labels: Mapping[str, str], cells: list[list[str]]
) -> Any:
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for i, col in enumerate(columns):
        values = [r[i] for r in cells]
        free = _is_free_text(values)
        numeric = all(_numeric_text(v) for v in values if v not in ("", "—", "∅"))
        table.add_column(
            labels.get(col, col),
            overflow="fold",
            no_wrap=not free,
            min_width=None if free else max((display_width(v) for v in values), default=1),
            justify="right" if numeric and any(values) else "left",
        )
    for row in cells:
        table.add_row(*row)
    return table


def _numeric_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
    """``Error: …`` and ``Hint: …`` on stderr.

    The words stay ``Error:``/``Hint:`` while ObsError texts are English; with their
    translation they follow ``--lang`` (``错误:``/``提示:``, keys ``cli.error``/``cli.hint`` of
    the catalogue; docs/cli.md says so). Scripts should test the exit code, not the words.
    """
    _err("Error:", message, "red")
    if hint:
        _err("Hint:", hint, "yellow")


def warning(message: str, lang: str = "en") -> None:
    """``Warning: …`` on stderr (``警告: …`` when ``lang`` is zh and the text is translated)."""
    from schemas.messages import message as text

    _err(text("cli.warning", lang), message, "yellow")


def note(message: str) -> None:
    """A plain message on stderr (secrets of database URLs masked)."""
    from obs.secrets import mask_secrets

    sys.stderr.write(mask_secrets(message) + "\n")
