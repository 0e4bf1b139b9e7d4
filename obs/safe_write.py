"""Writing files safely: never through a symbolic link, never a half-written file in place.

Every file obs writes for the user (export files, the manifest, reject files, backups,
``--output`` files) is opened here. A path that is a symbolic link is refused with a hint, and
the open itself uses ``O_NOFOLLOW``, so a link made between the check and the open is refused
too: obs never overwrites a file the user did not name.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import TextIO

from obs.errors import ObsError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def refuse_symlink(path: Path) -> None:
    """Refuse ``path`` when it is a symbolic link (whether or not its target exists)."""
    if path.is_symlink():
        raise _symlink_error(path)


def open_text(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> TextIO:
    """``path`` opened for writing text (created or truncated), never through a link."""
    refuse_symlink(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o666)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _symlink_error(path) from None
        raise ObsError(
            f"cannot write {path}: {err.strerror}",
            hint="check that the folder exists, is writable and has free space",
        ) from None
    return os.fdopen(fd, "w", encoding=encoding, newline=newline)


def write_text(path: Path, content: str, *, encoding: str = "utf-8") -> None:
    """Write ``content`` to ``path`` (see :func:`open_text`)."""
    try:
        with open_text(path, encoding=encoding) as handle:
            handle.write(content)
    except OSError as err:
        raise ObsError(
            f"cannot write {path}: {err.strerror}",
            hint="check that the folder exists, is writable and has free space",
        ) from None


def _symlink_error(path: Path) -> ObsError:
    return ObsError(
        f"{path} is a symbolic link; obs does not write through links",
        hint="remove the link, or choose another file name (or folder)",
    )
