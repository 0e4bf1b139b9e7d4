"""Weather-file import, the pure half: read files in chunks, map columns, derive daily values.

Typical use by an importer::

    layout = open_weather_file(path)                      # sniff, map columns, or raise
    for split in read_weather_chunks(layout, refuse_rows=True):
        store(split.good); write_rejects(split.refused)

and, for sub-daily files, :func:`derive_daily_stream` over the good chunks.
"""

from __future__ import annotations

from obs.ingest.columns import ColumnMap, ElementColumn, normalize_header, resolve_columns
from obs.ingest.daily import derive_daily
from obs.ingest.daily_stream import derive_daily_stream
from obs.ingest.readers import FileLayout, iter_raw_chunks, open_weather_file
from obs.ingest.rows import ChunkSplit, parse_chunk, split_chunk
from obs.ingest.stream import check_duplicates, read_weather_chunks
from obs.ingest.times import Clock

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
