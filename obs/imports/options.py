"""The options of the imports and the names they share: light to load (no pandas, no database
driver), so that a command can say what to import before the importer itself is loaded."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from schemas.ingest import DEFAULT_CHUNK_ROWS, FileKind
from schemas.qc_rules import DEFAULT_QC_RULES, QCRules

if TYPE_CHECKING:
    from obs.imports.weather.files import FileLayout

OnConflict = Literal["skip", "update", "fail"]
ON_CONFLICT_MODES: tuple[OnConflict, ...] = ("skip", "update", "fail")
#: Progress callback: rows read so far and the estimated total (None when unknown).
ProgressFn = Callable[[int, int | None], None]
#: Suffix of the default reject file, written in the current directory: ``<stem>.rejects.csv``.
REJECT_SUFFIX = ".rejects.csv"


def default_reject_path(path: Path, cwd: Path | None = None) -> Path:
    """``<file stem>.rejects.csv`` in the current directory (not next to the file)."""
    return (cwd or Path.cwd()) / f"{path.stem}{REJECT_SUFFIX}"


@dataclass(frozen=True)
class WeatherImportOptions:
    """How to read and store a weather file (the options of ``obs import weather``).

    ``utc_offset_hours`` is the time zone of timestamps without one [h]; None = the station's
    (Beijing time, UTC+8, unless the station says otherwise). ``assume_utc`` reads them as UTC.
    """

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    mapping: Mapping[str, str] | None = None
    units: Mapping[str, str] | None = None
    kind: FileKind | None = None
    utc_offset_hours: float | None = None
    assume_utc: bool = False
    on_conflict: OnConflict = "skip"
    reject_path: Path | None = None
    with_08_08: bool = False
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    rules: QCRules = DEFAULT_QC_RULES
    actor: str = ""


def open_layout(path: str | Path, options: WeatherImportOptions) -> FileLayout:
    """Sniff the weather file as ``options`` say (:func:`obs.imports.weather.open_weather_file`)."""
    from obs.imports.weather.files import open_weather_file

    return open_weather_file(
        path,
        encoding=options.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
        mapping=options.mapping,
        units=options.units,
        kind=options.kind,
    )
