"""The weather-file import, one pipeline in one process.

Reading (no database):

- :mod:`~obs.imports.weather.files` — sniff a CSV/XLSX file (encoding, delimiter, headers) and
  stream its rows as chunks; numbers parsed by pandas' C parser with explicit dtypes, the text
  path only for the cells that need it (:mod:`~obs.imports.weather.values`);
- :mod:`~obs.imports.weather.columns` — what each column means; :mod:`~obs.imports.weather.times`
  — timestamps to UTC epoch seconds;
- :mod:`~obs.imports.weather.rows` — typed rows, refused rows with their reasons;
- :mod:`~obs.imports.weather.read` — the file's chunks, repeated timestamps refused
  in little memory.

Days (pure): :mod:`~obs.imports.weather.derive` (one station's records to days, fixed times
and means) and :mod:`~obs.imports.weather.days` (over a stream of chunks).

Storing: :mod:`~obs.imports.weather.store_rows` (sub-daily rows) and
:mod:`~obs.imports.weather.store_days` (days), through the gateways of :mod:`obs.store`.

The run: :mod:`~obs.imports.weather.run` (:func:`import_weather`, the one chunk loop) and
:mod:`~obs.imports.weather.state` (counters, QC windows, commits).

Typical use of the reading half::

    layout = open_weather_file(path)                      # sniff, map columns, or raise
    for split in read_weather_chunks(layout, refuse_rows=True):
        store(split.good); write_rejects(split.refused)

and, for sub-daily files, :func:`derive_daily_stream` over the good chunks.
"""

from __future__ import annotations

from obs.imports.weather.columns import ColumnMap, ElementColumn, normalize_header, resolve_columns
from obs.imports.weather.days import derive_daily_stream
from obs.imports.weather.derive import derive_daily
from obs.imports.weather.files import FileLayout, iter_raw_chunks, open_weather_file
from obs.imports.weather.read import check_duplicates, read_weather_chunks
from obs.imports.weather.rows import ChunkSplit, parse_chunk, split_chunk
from obs.imports.weather.times import Clock

__all__ = [
    "ChunkSplit",
    "Clock",
    "ColumnMap",
    "ElementColumn",
    "FileLayout",
    "check_duplicates",
    "derive_daily",
    "derive_daily_stream",
    "iter_raw_chunks",
    "normalize_header",
    "open_weather_file",
    "parse_chunk",
    "read_weather_chunks",
    "resolve_columns",
    "split_chunk",
]
