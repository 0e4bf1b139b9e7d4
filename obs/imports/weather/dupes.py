"""Find repeated timestamps (or dates) across the chunks of one file in little memory.

Keys already seen are kept as arithmetic runs ``(start, step, count, first_line)``: rows whose
key grows by a constant step on consecutive lines. A logger file in time order therefore costs
one run per gap, not one entry per row; a file in random order degrades to one run per row.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

#: A duplicate: the key and the two lines (earlier first) that carry it.
Duplicate = tuple[int, int, int]


def _first_duplicate_within(keys: Ints, lines: Ints) -> Duplicate | None:
    order = np.lexsort((lines, keys))
    same = np.flatnonzero(np.diff(keys[order]) == 0)
    if not len(same):
        return None
    later = order[same + 1]
    pick = int(np.argmin(lines[later]))
    return int(keys[later[pick]]), int(lines[order[same[pick]]]), int(lines[later[pick]])


def _runs(keys: Ints, lines: Ints) -> Ints:
    """Encode keys in line order as runs; returns an array of shape (n_runs, 4)."""
    step = np.diff(keys)
    breaks = (np.diff(lines) != 1) | (step <= 0)
    breaks[1:] |= step[1:] != step[:-1]
    first = np.flatnonzero(np.r_[True, breaks])
    counts = np.diff(np.r_[first, len(keys)])
    steps = np.ones_like(counts)
    multi = counts > 1
    steps[multi] = step[first[multi]]
    return np.column_stack([keys[first], steps, counts, lines[first]]).astype(np.int64)


class SeenKeys:
    """The keys of the rows read so far from one file."""

    def __init__(self) -> None:
        self._runs: Ints = np.empty((0, 4), dtype=np.int64)

    @property
    def run_count(self) -> int:
        """How many runs are held (a measure of the memory used)."""
        return len(self._runs)

    def _first_duplicate_before(self, keys: Ints, lines: Ints) -> Duplicate | None:
        start, step, count, first_line = self._runs.T
        end = start + step * (count - 1)
        near = np.flatnonzero((start <= keys.max()) & (end >= keys.min()))
        best: Duplicate | None = None
        for run in near:
            offset = keys - start[run]
            hit = (offset >= 0) & (keys <= end[run]) & (offset % step[run] == 0)
            if hit.any():
                i = int(np.flatnonzero(hit)[np.argmin(lines[hit])])
                dup = (int(keys[i]), int(first_line[run] + offset[i] // step[run]), int(lines[i]))
                best = dup if best is None or dup[2] < best[2] else best
        return best

    def add(self, keys: Ints, lines: Ints) -> Duplicate | None:
        """Record a chunk's keys; return the first duplicate found (and record nothing then)."""
        if not len(keys):
            return None
        dup = _first_duplicate_within(keys, lines)
        if dup is None and len(self._runs):
            dup = self._first_duplicate_before(keys, lines)
        if dup is None:
            order = np.argsort(lines, kind="stable")
            self._runs = np.vstack([self._runs, _runs(keys[order], lines[order])])
        return dup
