"""A plain read-ahead: the file's parsed chunks, produced by a second process one chunk ahead.

Reading and converting a chunk (CSV parsing, numbers, timestamps, repeated keys) needs no
database, so a forked child does it for the next chunk while this process stores the current
one; on two cores the reading then costs almost no wall time (docs/import.md, *Speed*). The
child sends each parsed chunk (:class:`~obs.imports.weather.rows.ChunkSplit`) through a pipe
and waits while the parent has not taken the one before: besides the chunk being stored, at
most one more is in memory. Nothing else is shared: the child only reads the file and never
touches the database. The results are the same as reading in this process, which is what
happens off Linux, in a daemonic process, and with ``OBS_READ_AHEAD=0``.

An :class:`~obs.errors.ObsError` raised while reading chunk *k* is raised here when chunk *k*
is asked for, after the chunks before it, with its class and hint.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
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
    off = os.environ.get(ENV_SWITCH, "1").strip().lower() in ("0", "false", "no", "off")
    return (
        sys.platform.startswith("linux")
        and not multiprocessing.current_process().daemon
        and not off
    )


def read_ahead(chunks: Callable[[], Iterator[T]]) -> Generator[T, None, None]:
    """The items of ``chunks()``, produced in a forked child one item ahead of the caller (the
    child is forked when the first item is asked for)."""
    if not enabled():
        yield from chunks()
        return
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_produce, args=(chunks, sender, receiver), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError):
                raise ObsError(
                    "the process reading the file stopped unexpectedly",
                    hint=f"run the import again; with {ENV_SWITCH}=0 it reads in one process",
                ) from None
            if kind == "end":
                return
            if kind == "error":
                raise _rebuilt(*payload)
            if kind == "crash":
                raise RuntimeError(f"reading the file failed in the reader process:\n{payload}")
            yield payload
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(chunks: Callable[[], Iterator[Any]], sender: Connection, parents: Connection) -> None:
    """(In the child) send every item, then "end"; an error instead where one is raised."""
    parents.close()  # so that a parent gone makes the next send fail, and the child leave
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the child
    gc.disable()  # collect nothing inherited from the parent (its connections among them)
    warnings.simplefilter("ignore")  # another thread may hold the terminal's lock at the fork
    message: tuple[str, Any] = ("end", None)
    try:
        for item in chunks():
            sender.send(("item", item))
    except BrokenPipeError:
        return  # the parent stopped reading (it failed or was interrupted)
    except ObsError as err:
        message = ("error", (type(err), err.args, dict(err.__dict__)))
    except Exception:  # a bug: its traceback goes to the parent
        message = ("crash", traceback.format_exc())
    try:
        sender.send(message)
    except OSError:
        pass  # the parent stopped reading
    finally:
        sender.close()


def _rebuilt(cls: type[ObsError], args: tuple[Any, ...], attributes: dict[str, Any]) -> ObsError:
    """The child's error as an instance of its class (without calling its ``__init__``)."""
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(attributes)
    return err
