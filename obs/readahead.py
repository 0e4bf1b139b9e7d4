"""Read a file's chunks in a second process while this one stores the chunk before.

Reading and converting a chunk (CSV parsing, numbers, timestamps, duplicate checks) needs no
database, so a forked child does it for the next chunk while the importer writes the current
one: on a machine with two cores the reading costs almost no wall time. The child sends each
chunk through a pipe; it waits while the parent has not taken the chunk before, so besides the
chunk being stored at most one more is in memory (with its pickled copy). The child never
touches the parent's database connection (it only reads the file and leaves with
``os._exit``), collects no garbage and writes nothing to the terminal (warnings are silenced
in it).

:func:`read_ahead` forks when the caller is ready to read (the child inherits the loaded
modules). An :class:`EarlyReader` is forked sooner, before the caller has loaded its own
modules or opened its database: the child loads what it needs itself, on the other core, and
starts on the file while the caller gets ready, then waits for the rest of what it needs.

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
from typing import Any, Generic, TypeVar

from obs.errors import ObsError

T = TypeVar("T")
P = TypeVar("P")

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
    reader: EarlyReader[T] = EarlyReader(lambda _ready: None, lambda _prepared, _params: chunks())
    yield from reader.items(None)


class EarlyReader(Generic[T]):
    """A reader process started before the caller knows all that the reading needs.

    The child first runs ``prepare(ready)``, the work it can do alone (such as opening the file
    and reading its first chunks; ``ready()`` tells whether the caller has sent the rest), then
    waits for ``params`` from :meth:`items` and sends the items of ``produce(prepared,
    params)``. An error of ``prepare`` is raised in the caller when it asks for the items.
    :meth:`close` stops a child whose items are not wanted (the caller failed before). Use it
    only where :func:`enabled`.
    """

    def __init__(
        self, prepare: Callable[[Callable[[], bool]], P], produce: Callable[[P, Any], Iterator[T]]
    ) -> None:
        ctx = multiprocessing.get_context("fork")
        self._receiver, sender = ctx.Pipe(duplex=False)
        params_in, self._params = ctx.Pipe(duplex=False)
        self._child = ctx.Process(
            target=_produce,
            args=(prepare, produce, params_in, sender, (self._receiver, self._params)),
            daemon=True,
        )
        self._child.start()
        sender.close()
        params_in.close()

    def items(self, params: Any) -> Generator[T, None, None]:
        """Send ``params`` now; the items, one ahead of the caller, as the child produces them."""
        try:
            self._params.send(params)
        except OSError:  # the child is gone already (killed while it read ahead)
            self.close()
            raise ObsError(
                "the process reading the file stopped unexpectedly",
                hint=f"run the import again; with {ENV_SWITCH}=0 it reads in one process",
            ) from None
        return self._received()

    def _received(self) -> Generator[T, None, None]:
        try:
            while True:
                try:
                    kind, payload = self._receiver.recv()
                except (EOFError, OSError):
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
            self.close()

    def close(self) -> None:
        """Stop the child (if it still runs) and release the pipes."""
        self._params.close()
        self._receiver.close()
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()


def _produce(
    prepare: Callable[[Callable[[], bool]], Any],
    produce: Callable[[Any, Any], Iterator[Any]],
    params_in: Connection,
    sender: Connection,
    parents_ends: tuple[Connection, Connection],
) -> None:
    """(In the child) prepare, wait for the parameters, then send every item and "end"; an
    error instead, where one is raised.

    The parent's ends of the two pipes, inherited by the fork, are closed first: so when the
    parent dies (killed, say) the child's next send or receive fails, and it leaves.
    """
    for end in parents_ends:
        end.close()
    gc.disable()  # collect nothing inherited from the parent (its connections among them)
    warnings.simplefilter("ignore")  # another thread may hold the terminal's lock at the fork
    try:
        prepared, early = prepare(params_in.poll), None
    except Exception as err:  # raised to the caller once it asks for the items
        prepared, early = None, err
    try:
        params = params_in.recv()
    except (EOFError, OSError):
        return  # the caller gave up before it wanted the items
    try:
        if early is not None:
            raise early
        for item in produce(prepared, params):
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
