"""Read field sheets (CSV or XLSX) as text rows, and map their headers to a kind's fields.

The documented column layout of a kind is its field names (:mod:`schemas.kinds`); a header may
also be the field's Chinese or English label, its table column or its CLI option (``观测株``,
``观测日期``, ``发育期``, ``plant_id``, ``stage``). Case, spaces, ``_``/``-`` and a unit in
brackets do not matter (:func:`obs.imports.weather.normalize_header`), so ``观测株 [plant]`` (the
headers ``obs template`` writes) reads as ``观测株``. A row whose first cell starts with ``#``
is a comment, and an XLSX sheet whose name starts with ``#`` (an example sheet) is skipped.
So is the note an ``obs list --format xlsx`` workbook writes under its table
(:data:`LISTING_NOTES`, a first cell alone).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from obs.errors import InputFormatError
from obs.imports.weather import normalize_header
from obs.imports.weather.files import detect_delimiter, detect_encoding, file_format
from obs.records.entry import option_name
from schemas.ingest import SNIFF_BYTES
from schemas.kinds import KINDS, Kind
from schemas.messages import message

#: Headers of the optional column naming each row's kind.
KIND_COLUMN_ALIASES: tuple[str, ...] = ("kind", "record kind", "类型", "记录类型")
#: First character of a comment row (first cell) or of a skipped XLSX sheet's name.
COMMENT = "#"
#: The note rows a listing workbook ends with (:func:`obs.reports.xlsx.write_table`).
LISTING_NOTES: frozenset[str] = frozenset(
    message("xlsx.empty_cells", lang, text=message("xlsx.empty_means", lang))
    for lang in ("zh", "en")
)
#: Rows read from a sheet at a time.
SHEET_CHUNK_ROWS = 1000


@dataclass(frozen=True)
class Sheet:
    """One table of a field-sheet file: its name (XLSX sheet or file stem) and headers."""

    path: Path
    name: str
    headers: tuple[str, ...]
    format: str
    encoding: str | None = None
    delimiter: str | None = None


def _key(text: str) -> str:
    return normalize_header(text)[0]


def field_aliases(kind: Kind) -> dict[str, str]:
    """Normalised header -> field name, for every accepted header of ``kind``."""
    out: dict[str, str] = {}
    for spec in kind.fields:
        for alias in (spec.name, spec.target, spec.zh, spec.en, option_name(spec).lstrip("-")):
            out.setdefault(_key(alias), spec.name)
    return out


def kind_named(text: str) -> Kind | None:
    """The kind a sheet name or ``kind`` cell names (name, zh or en label), if any."""
    wanted = _key(text)
    for kind in KINDS.values():
        if wanted in {_key(kind.name), _key(kind.zh), _key(kind.en)}:
            return kind
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def open_sheets(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> list[Sheet]:
    """The tables of a field-sheet file: every sheet of an XLSX (or ``sheet``), or the CSV."""
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file")
    if file_format(path) == "xlsx":
        return _xlsx_sheets(path, sheet)
    with path.open("rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    enc = encoding or detect_encoding(sample)
    first = sample.decode(enc, errors="ignore").lstrip("\ufeff").splitlines()
    if not first or not first[0].strip():
        raise InputFormatError(f"{path.name}: line 1 is empty; a header line is needed")
    sep = delimiter or detect_delimiter(first[0])
    headers = tuple(h.strip() for h in first[0].split(sep))
    return [Sheet(path, path.stem, headers, "csv", enc, sep)]


def _xlsx_sheets(path: Path, only: str | None) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile/KeyError/… for damaged files
        raise InputFormatError(f"{path.name}: cannot open the workbook ({err})") from err
    try:
        names = book.sheetnames
        if only is not None and only not in names:
            raise InputFormatError(
                f"{path.name}: no sheet {only!r}", hint=f"sheets are: {', '.join(names)}"
            )
        out = []
        chosen = [only] if only is not None else [n for n in names if not n.startswith(COMMENT)]
        for name in chosen:
            first = next(book[name].iter_rows(values_only=True), None)
            headers = tuple(_text(c) for c in first or ())
            while headers and not headers[-1]:
                headers = headers[:-1]
            if headers:
                out.append(Sheet(path, name, headers, "xlsx"))
        return out
    finally:
        book.close()


def sheet_rows(sheet: Sheet) -> Iterator[tuple[int, list[str]]]:
    """(line, cells as text) of each non-empty data row; the header is line 1."""
    if sheet.format == "xlsx":
        yield from _xlsx_rows(sheet)
        return
    reader = pd.read_csv(
        sheet.path,
        sep=sheet.delimiter,
        encoding=sheet.encoding,
        dtype="str",
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        chunksize=SHEET_CHUNK_ROWS,
        index_col=False,
    )
    line = 2
    try:
        with reader:
            for chunk in reader:
                for cells in chunk.itertuples(index=False):
                    texts = [str(c).strip() for c in cells]
                    if _data(texts):
                        yield line, texts
                    line += 1
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise InputFormatError(
            f"{sheet.path.name}: cannot read after line {line - 1} ({err})",
            hint="check the encoding and delimiter",
        ) from err


def _xlsx_rows(sheet: Sheet) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    book = openpyxl.load_workbook(sheet.path, read_only=True, data_only=True)
    try:
        rows = book[sheet.name].iter_rows(values_only=True)
        for line, row in enumerate(itertools.islice(rows, 1, None), start=2):
            texts = [_text(c) for c in row][: len(sheet.headers)]
            texts += [""] * (len(sheet.headers) - len(texts))
            if _data(texts):
                yield line, texts
    finally:
        book.close()


def _data(texts: list[str]) -> bool:
    """A row to import: not empty, not a comment, not a listing's note."""
    if not any(texts) or texts[0].startswith(COMMENT):
        return False
    return not (texts[0] in LISTING_NOTES and not any(texts[1:]))
