"""``obs import weather`` as the command runs it: the file's reader process starts first.

Loading the importer (pandas, SQLAlchemy, the tables) and opening the database take about half
a second. A reader process forked once pandas is loaded (so that the two processes share its
memory) loads the rest of what reading needs, on the other core, opens the file and reads its
first chunks while the importer loads SQLAlchemy and the tables and opens the database; once
the importer knows the station's clock it sends it, and the reader converts, checks and works
ahead from there
(:class:`obs.readahead.EarlyReader`, :mod:`obs.ingest.presumed`). The results are the same as
with a reader started later, or none (``OBS_READ_AHEAD=0``).

This module loads nothing heavy itself: the command calls it before the importer is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from obs import readahead
from obs.importing.options import ProgressFn, WeatherImportOptions, open_layout

if TYPE_CHECKING:
    from sqlmodel import Session

    from obs.importing.common import ImportSummary


def import_weather_file(
    path: Path,
    *,
    station: str,
    options: WeatherImportOptions,
    session: Callable[[], AbstractContextManager[Session]],
    progress: ProgressFn | None = None,
) -> ImportSummary:
    """Start the file's reader, load the importer, open ``session()`` and import the file
    (:func:`obs.importing.weather.import_weather`, one transaction per chunk)."""
    # pandas first: the reader process shares its pages (the reader needs it, the importer too)
    import pandas  # noqa: F401

    reader = start_weather_reader(path, options)
    try:
        from obs.importing.weather import import_weather

        with session() as s:
            return import_weather(
                path, station=station, session=s, options=options, progress=progress, reader=reader
            )
    finally:
        if reader is not None:
            reader.close()


def start_weather_reader(
    path: Path, options: WeatherImportOptions
) -> readahead.EarlyReader[Any] | None:
    """A reader process for ``path``, forked now (None where read-ahead is off)."""
    if not readahead.enabled():
        return None
    return readahead.EarlyReader(
        lambda ready: _open_and_read(path, options, ready),
        lambda opened, params: _items(opened, options, params),
    )


def _open_and_read(path: Path, options: WeatherImportOptions, ready: Callable[[], bool]) -> Any:
    """(In the reader) open the file and read its first chunks until the clock comes."""
    from obs.ingest.stream import RawPrefetch

    layout = open_layout(path, options)
    import obs.ingest.presumed  # noqa: F401  (loaded while the importer gets ready)

    return layout, RawPrefetch(layout, chunk_rows=options.chunk_rows, ready=ready)


def _items(opened: Any, options: WeatherImportOptions, params: Any) -> Iterator[Any]:
    """(In the reader) the file's splits, with the work done ahead (``params``: the clock and
    the presumption, :func:`obs.ingest.presumed.weather_items`)."""
    from obs.ingest.presumed import weather_items

    layout, prefetched = opened
    clock, presumption = params
    return weather_items(
        layout,
        clock=clock,
        chunk_rows=options.chunk_rows,
        presumption=presumption,
        raw_chunks=prefetched,
    )
