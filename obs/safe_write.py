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
    """Refuse ``path`` when it is a symbolic link (whether or not its target exists), or a name
    the system cannot take (too long, a NUL byte)."""
    try:
        link = path.is_symlink()
    except OSError as err:  # e.g. a file name too long
        raise _write_error(path, err) from None
    except ValueError:  # a NUL byte in the path
        raise _bad_name(path) from None
    if link:
        raise _symlink_error(path)


def open_text(path: Path, *, encoding: str = "utf-8", newline: str | None = None) -> TextIO:
    """``path`` opened for writing text (created or truncated), never through a link."""
    return os.fdopen(_open(path), "w", encoding=encoding, newline=newline)


def write_text(path: Path, content: str, *, encoding: str = "utf-8") -> None:
    """Write ``content`` to ``path`` (see :func:`open_text`)."""
    write_bytes(path, content.encode(encoding))


def write_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` (created or truncated), never through a link."""
    try:
        with os.fdopen(_open(path), "wb") as handle:
            handle.write(content)
    except OSError as err:
        raise _write_error(path, err) from None


def _open(path: Path) -> int:
    """A file descriptor of ``path`` opened for writing with ``O_NOFOLLOW``."""
    refuse_symlink(path)
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o666)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise _symlink_error(path) from None
        raise _write_error(path, err) from None
    except ValueError:  # a NUL byte in the path
        raise _bad_name(path) from None


def _bad_name(path: Path) -> ObsError:
    return ObsError(f"{str(path)!r} is not a possible file name", hint="choose another file name")


def _write_error(path: Path, err: OSError) -> ObsError:
    shown = str(path) if len(str(path)) <= 120 else str(path)[:120] + "…"
    return ObsError(
        f"cannot write {shown}: {err.strerror}",
        hint="choose another file name or folder; check that the folder exists, is writable "
        "and has free space",
    )


def _symlink_error(path: Path) -> ObsError:
    return ObsError(
        f"{path} is a symbolic link; obs does not write through links",
        hint="remove the link, or choose another file name (or folder)",
    )
