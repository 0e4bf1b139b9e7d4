"""What every import shares: the summary, the batch record, the reject file, SQL helpers.

An import commits chunk by chunk (crash safety, :mod:`obs.imports.weather.run`), so the engine
functions here take the session of the command and call ``session.commit()`` themselves.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pandas as pd
from sqlmodel import Session

from obs import safe_write
from obs.clock import now_utc
from schemas.system_tables import ImportBatch

#: History action of a stored row changed by ``--on-conflict update``.
IMPORT_UPDATE = "import-update"
#: Bytes read to hash a file at a time.
_HASH_BLOCK = 1 << 20
#: Encoding of reject files: UTF-8 with a BOM, so that spreadsheet programs read Chinese.
REJECT_ENCODING = "utf-8-sig"


@dataclass
class ImportSummary:
    """What an import did with the rows of a file.

    ``rows_read`` = ``stored + updated + unchanged + kept + refused`` for the file's rows;
    ``kept`` counts rows that differ from a stored row and were left as stored (``skip``).
    ``days_*`` count daily rows derived from sub-daily records.
    """

    file_name: str
    sha256: str
    kind: str
    batch_id: int | None = None
    rows_read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0
    refused: int = 0
    days_stored: int = 0
    days_updated: int = 0
    days_unchanged: int = 0
    days_kept_manual: int = 0
    reject_file: str | None = None
    qc_errors: int = 0
    qc_suspects: int = 0
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """The counts as (what, count) rows for a table."""
        names: tuple[str, ...] = ("rows_read", "stored", "updated", "unchanged", "kept")
        names += ("refused", "days_stored", "days_updated", "days_unchanged", "days_kept_manual")
        names += ("qc_errors", "qc_suspects")
        return [{"what": n, "count": getattr(self, n)} for n in names]


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def start_batch(
    session: Session, summary: ImportSummary, *, station_id: int | None, actor: str
) -> ImportBatch:
    """Record the run as ``running`` and commit, so a killed run leaves its trace."""
    batch = ImportBatch(
        kind=summary.kind,
        file_name=summary.file_name,
        file_sha256=summary.sha256,
        station_id=station_id,
        actor=actor,
    )
    session.add(batch)
    session.commit()
    summary.batch_id = batch.id
    return batch


def commit_batch(
    session: Session, batch: ImportBatch, summary: ImportSummary, status: str | None = None
) -> None:
    """Copy the counters (and a final ``status``) into the batch row and commit: the batch
    always tells how far the committed part of an import got."""
    for name in ("rows_read", "stored", "updated", "unchanged", "refused"):
        setattr(batch, name, getattr(summary, name))
    if status is not None:
        batch.status = status
        batch.finished_at = now_utc()
    session.add(batch)
    session.commit()


def update_reason(summary: ImportSummary) -> str:
    """The reason written in the history of rows an import changed."""
    return f"import #{summary.batch_id} of {summary.file_name} (sha256 {summary.sha256[:16]})"


class RejectWriter:
    """Writes refused rows (line, reason, their cells) to a CSV file, opened on first use."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.count = 0
        self._handle: TextIO | None = None
        self._writer: Any = None
        self._columns: list[str] = []

    def write(self, rows: pd.DataFrame) -> None:
        """Append refused rows; ``rows`` has ``line``, ``reason`` and the row's cells."""
        if rows.empty:
            return
        self.count += len(rows)
        if self.path is None:
            return
        if self._writer is None:
            self._handle = safe_write.open_text(self.path, encoding=REJECT_ENCODING, newline="")
            self._writer = csv.writer(self._handle)
            self._columns = [str(c) for c in rows.columns]
            self._writer.writerow(self._columns)
        cells = rows.reindex(columns=self._columns).astype("object")
        self._writer.writerows(cells.where(cells.notna(), "").itertuples(index=False))

    def close(self) -> str | None:
        """Close the file; its path when rows were written."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            return str(self.path)
        return None
