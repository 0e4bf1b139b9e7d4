"""Read a file's chunks in a second process while this one stores the chunk before.

Reading and converting a chunk (CSV parsing, numbers, timestamps, duplicate checks) needs no
database, so a forked child does it for the next chunk while the importer writes the current
one: on a machine with two cores the reading costs almost no wall time. The child inherits the
loaded modules (``fork``; nothing is imported again) and sends each chunk through a pipe; it
waits while the parent has not taken the chunk before, so besides the chunk being stored at
most one more is in memory (with its pickled copy). The child never touches the parent's
database connection (it only reads the file and leaves with ``os._exit``), collects no garbage
and writes nothing to the terminal (warnings are silenced in it).

Errors keep their meaning and their place: an :class:`~obs.errors.ObsError` raised by the
reader for chunk *k* is raised in the parent when it asks for chunk *k*, after the chunks
before it. The second process is used only on Linux (macOS and Windows do not fork safely),
never from a daemonic process (which may not have children), and not with
``OBS_READ_AHEAD=0`` (or ``false``, ``no``, ``off``); otherwise the chunks are read in this
process, with the same results.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Generator, Iterator
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from obs.errors import ObsError

T = TypeVar("T")

#: Environment switch: "0" (or "false", "no", "off") reads in this process.
ENV_SWITCH = "OBS_READ_AHEAD"


def enabled() -> bool:
    """Whether chunks are read in a second process here."""
    switched_off = os.environ.get(ENV_SWITCH, "1").strip().lower() in ("0", "false", "no", "off")
    return (
        sys.platform.startswith("linux")
        and not multiprocessing.current_process().daemon
        and not switched_off
    )


def read_ahead(chunks: Callable[[], Iterator[T]]) -> Generator[T, None, None]:
    """The items of ``chunks()``, produced in a forked child one item ahead of the caller."""
    if not enabled():
        yield from chunks()
        return
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_produce, args=(chunks, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                raise ObsError(
                    "the process reading the file stopped unexpectedly",
                    hint=f"run the import again; with {ENV_SWITCH}=0 it reads in one process",
                ) from None
            if kind == "item":
                yield payload
            elif kind == "end":
                return
            elif kind == "error":
                raise _rebuilt(*payload)
            else:
                raise RuntimeError(f"reading the file failed in the reader process:\n{payload}")
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(chunks: Callable[[], Iterator[Any]], sender: Connection) -> None:
    """(In the child) send every item, then "end"; an error instead, where one is raised."""
    gc.disable()  # collect nothing inherited from the parent (its connections among them)
    warnings.simplefilter("ignore")  # another thread may hold the terminal's lock at the fork
    try:
        for item in chunks():
            sender.send(("item", item))
        message: tuple[str, Any] = ("end", None)
    except ObsError as err:
        message = ("error", (type(err), err.args, dict(err.__dict__)))
    except Exception:  # a bug: its traceback goes to the parent
        message = ("crash", traceback.format_exc())
    try:
        sender.send(message)
    except OSError:
        pass  # the parent stopped reading (it failed or was interrupted)
    finally:
        sender.close()


def _rebuilt(cls: type[ObsError], args: tuple[Any, ...], attributes: dict[str, Any]) -> ObsError:
    """The child's error as an instance of its class (without calling its ``__init__``)."""
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(attributes)
    return err
