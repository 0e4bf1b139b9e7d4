"""Open a CSV or XLSX weather file and stream its rows as text chunks.

Memory stays bounded by the chunk size: CSV files are read with ``pandas.read_csv(chunksize=…)``
and XLSX files with openpyxl's read-only mode, row by row. A raw chunk is a DataFrame of the
original cells as text (``""`` for empty), in the file's columns, plus ``line``: the 1-based line
of the row in the file, the header being line 1 (for XLSX, the sheet's row number). Line numbers
assume no quoted cell spans several lines. One exception, for speed: in a CSV chunk, an element
column whose cells are all numbers or missing-value texts comes as numbers (NaN for missing),
parsed by pandas' C parser; a column with any other cell comes as text, as usual.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import warnings
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from obs.errors import InputFormatError
from obs.imports.weather.columns import ColumnMap, resolve_columns
from schemas.ingest import (
    CANDIDATE_DELIMITERS,
    CANDIDATE_ENCODINGS,
    DEFAULT_CHUNK_ROWS,
    FIRST_CHUNK_ROWS,
    KIND_SAMPLE_ROWS,
    MISSING_TEXT,
    SNIFF_BYTES,
    XLSX_SUFFIXES,
    FileKind,
)

FileFormat = Literal["csv", "xlsx"]
_BOM = b"\xef\xbb\xbf"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class FileLayout:
    """Everything learnt about a file before its rows are read."""

    path: Path
    format: FileFormat
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    headers: tuple[str, ...]
    columns: ColumnMap


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` or ``gb18030`` (covers GBK), from the first bytes.

    A multi-byte character cut off at the end of the sample does not count against UTF-8.
    """
    if sample.startswith(_BOM):
        return "utf-8-sig"
    for encoding in CANDIDATE_ENCODINGS:
        try:
            sample.decode(encoding)
        except UnicodeDecodeError as err:
            if err.reason.startswith("unexpected end") or err.start >= len(sample) - 3:
                return encoding
            continue
        return encoding
    raise InputFormatError(
        "cannot tell the text encoding of the file",
        hint="give it explicitly, e.g. encoding 'gbk' or 'utf-8'",
    )


def detect_delimiter(header_line: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line."""
    counts = {sep: header_line.count(sep) for sep in CANDIDATE_DELIMITERS}
    best = max(counts, key=lambda sep: counts[sep])
    if counts[best] == 0:
        raise InputFormatError(
            "line 1: no comma, semicolon or tab between column names",
            hint="give the delimiter explicitly",
        )
    return best


def file_format(path: Path) -> FileFormat:
    """``xlsx`` by suffix or by the ZIP signature, else ``csv``; legacy .xls is refused."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputFormatError(
            f"{path.name}: old .xls workbooks cannot be read", hint="save it as .xlsx or .csv"
        )
    with path.open("rb") as handle:
        magic = handle.read(len(_ZIP_MAGIC))
    return "xlsx" if suffix in XLSX_SUFFIXES or magic == _ZIP_MAGIC else "csv"


def _cell_text(value: Any) -> str:
    """One spreadsheet cell as text; a datetime at midnight is written as a date only."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
    return str(value)


def _xlsx_rows(path: Path, sheet: str | None) -> Generator[list[str], None, None]:
    """Rows of a sheet as lists of text, read in openpyxl read-only mode."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile/KeyError/… for damaged files
        raise InputFormatError(f"{path.name}: cannot open the workbook ({err})") from err
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputFormatError(
                f"{path.name}: no sheet {sheet!r}", hint=f"sheets are: {', '.join(book.sheetnames)}"
            )
        for row in book[sheet or book.sheetnames[0]].iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        book.close()


def _frame(rows: Sequence[list[str]], headers: Sequence[str], first_line: int) -> pd.DataFrame:
    width = len(headers)
    cells = [(row + [""] * width)[:width] for row in rows]
    frame = pd.DataFrame(cells, columns=list(headers), dtype="str")
    frame["line"] = range(first_line, first_line + len(frame))
    return frame


def _xlsx_chunks(layout: FileLayout, chunk_rows: int) -> Iterator[pd.DataFrame]:
    with closing(_xlsx_rows(layout.path, layout.sheet)) as rows:
        next(rows, None)
        line = 2
        sizes = chunk_sizes(chunk_rows)
        while batch := list(itertools.islice(rows, next(sizes))):
            yield _frame(batch, layout.headers, line)
            line += len(batch)


def chunk_sizes(chunk_rows: int) -> Iterator[int]:
    """Rows of each chunk: a small first one, so that storing starts early, then twice as many
    each time up to ``chunk_rows`` (a chunk is read in less time than the one before it takes
    to store, so a reader running ahead keeps up)."""
    size = min(chunk_rows, FIRST_CHUNK_ROWS)
    while size < chunk_rows:
        yield size
        size *= 2
    yield from itertools.repeat(chunk_rows)


def _csv_reader(
    layout: FileLayout, chunk_rows: int, nrows: int | None = None, numeric: Sequence[int] = ()
) -> Any:
    """A chunked reader of the data lines; columns are numbered by position. The ``numeric``
    positions are parsed as numbers by the C parser, the missing-value texts becoming NaN; all
    other columns are read as text."""
    width = len(layout.headers)
    missing = sorted({v for t in MISSING_TEXT for v in (t, t.lower(), t.title())})
    return pd.read_csv(
        layout.path,
        sep=layout.delimiter,
        encoding=layout.encoding,
        dtype={i: "str" for i in range(width) if i not in numeric},
        header=None,
        skiprows=1,
        names=list(range(width)),
        keep_default_na=False,
        na_values=dict.fromkeys(numeric, missing),
        na_filter=bool(numeric),
        skip_blank_lines=False,
        chunksize=chunk_rows,
        nrows=nrows,
        engine="c",
        index_col=False,
    )


def _ragged(path: Path) -> InputFormatError:
    return InputFormatError(
        f"{path.name}: a line has more fields than the header; nothing was stored",
        hint="give every line as many fields as the header (check the delimiter and quotes)",
    )


def _number_columns(layout: FileLayout) -> list[int]:
    """Positions of the element columns (read as numbers where the whole chunk is numbers)."""
    sources = {c.source for c in layout.columns.elements}
    return [i for i, h in enumerate(layout.headers) if h in sources]


def _csv_chunks(layout: FileLayout, chunk_rows: int) -> Iterator[pd.DataFrame]:
    line = 2
    try:
        with _csv_reader(layout, chunk_rows, numeric=_number_columns(layout)) as reader:
            for size in chunk_sizes(chunk_rows):
                try:
                    with warnings.catch_warnings():
                        # a column of numbers with text further down comes as text: expected
                        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                        # a line with more fields than the header would lose them: refused
                        warnings.simplefilter("error", pd.errors.ParserWarning)
                        chunk = reader.get_chunk(size)
                except StopIteration:
                    return
                except pd.errors.ParserWarning as err:
                    raise _ragged(layout.path) from err
                chunk.columns = list(layout.headers)
                for name, column in chunk.items():
                    if column.dtype.kind not in "fiu":
                        chunk[name] = column.fillna("").astype("str")
                chunk["line"] = range(line, line + len(chunk))
                line += len(chunk)
                yield chunk
    except UnicodeDecodeError as err:
        raise InputFormatError(
            f"{layout.path.name}: not valid {layout.encoding} text after line {line - 1}",
            hint="give the encoding explicitly",
        ) from err
    except pd.errors.ParserError as err:
        raise InputFormatError(f"{layout.path.name}: {err}".strip()) from err


def iter_raw_chunks(
    layout: FileLayout, *, chunk_rows: int = DEFAULT_CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Stream the data rows as text chunks (see the module docstring); empty rows are dropped."""
    chunks = _xlsx_chunks if layout.format == "xlsx" else _csv_chunks
    for chunk in chunks(layout, chunk_rows):
        if chunk.empty:
            continue
        blank = np.ones(len(chunk), dtype=bool)
        for name in layout.headers:  # a row is blank when every cell is; most columns have none
            column = chunk[name]
            empty = column.isna().to_numpy(dtype=bool)
            if column.dtype.kind not in "fiu":
                empty = empty | (column == "").to_numpy(dtype=bool)
            blank &= empty
            if not blank.any():
                yield chunk.reset_index(drop=True)
                break
        else:
            if not blank.all():
                yield chunk[~blank].reset_index(drop=True)


def _csv_head(
    path: Path, encoding: str | None, delimiter: str | None
) -> tuple[str, str, list[str]]:
    """Encoding, delimiter and column names of a delimited text file."""
    with path.open("rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    encoding = encoding or detect_encoding(sample)
    if sample.startswith(_BOM) and encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        text = sample.decode(encoding, errors="ignore")
    except LookupError as err:
        raise InputFormatError(f"unknown text encoding {encoding!r}") from err
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        raise InputFormatError(f"{path.name}: line 1 is empty; a header line is needed")
    delimiter = delimiter or detect_delimiter(first)
    return encoding, delimiter, [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]


def _sample(partial: FileLayout) -> dict[str, list[str]]:
    """The first data values of each column (to tell daily from sub-daily files)."""
    if partial.format == "xlsx":
        with closing(_xlsx_rows(partial.path, partial.sheet)) as reader:
            rows = list(itertools.islice(reader, KIND_SAMPLE_ROWS + 1))
        return {
            h: [row[i] if i < len(row) else "" for row in rows[1:]]
            for i, h in enumerate(partial.headers)
        }
    try:
        with (
            warnings.catch_warnings(),
            _csv_reader(partial, KIND_SAMPLE_ROWS, KIND_SAMPLE_ROWS) as reader,
        ):
            warnings.simplefilter("error", pd.errors.ParserWarning)  # a line longer than the header
            sample = next(iter(reader))
    except pd.errors.ParserWarning as err:
        raise _ragged(partial.path) from err
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise InputFormatError(
            f"{partial.path.name}: cannot read the first lines ({err})",
            hint="check the encoding and delimiter",
        ) from err
    except StopIteration:
        return {h: [] for h in partial.headers}
    return {h: sample.iloc[:, i].astype("str").tolist() for i, h in enumerate(partial.headers)}


def _xlsx_headers(path: Path, sheet: str | None) -> list[str]:
    with closing(_xlsx_rows(path, sheet)) as reader:
        first = next(reader, None)
    if not first or not any(cell.strip() for cell in first):
        raise InputFormatError(f"{path.name}: row 1 is empty; a header row is needed")
    while first and not first[-1].strip():
        first = first[:-1]
    return [cell.strip() for cell in first]


def open_weather_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    kind: FileKind | None = None,
) -> FileLayout:
    """Sniff a weather file and decide what its columns mean, reading only its first rows.

    Raises :class:`~obs.errors.InputFormatError` for structural problems: unreadable file,
    unknown encoding or delimiter, no date/time column, no element column.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFormatError(f"{path}: no such file")
    fmt = file_format(path)
    if fmt == "xlsx":
        enc, sep, headers = None, None, _xlsx_headers(path, sheet)
    else:
        enc, sep, headers = _csv_head(path, encoding, delimiter)
    partial = FileLayout(path, fmt, enc, sep, sheet, tuple(headers), _PLACEHOLDER)
    columns = resolve_columns(headers, _sample(partial), mapping=mapping, units=units, kind=kind)
    return FileLayout(path, fmt, enc, sep, sheet, tuple(headers), columns)


_PLACEHOLDER = ColumnMap("daily", None, None, None, ())
