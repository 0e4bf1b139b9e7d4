"""What every command shares: the global options, resolved lazily so ``--help`` stays fast."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from obs.config import Settings


#: Set by the console script, which starts with the garbage collector off (cli.main.main).
collect_after_startup = False


def end_startup() -> None:
    """The modules are loaded: freeze what they made and turn the collector back on (called
    where a command opens its database: State.engine, and commands that open one themselves)."""
    global collect_after_startup
    if collect_after_startup:
        collect_after_startup = False
        gc.freeze()
        gc.enable()


@dataclass
class State:
    """Global options of one run; settings and engine are built on first use."""

    db: str | None = None
    lang_option: str | None = None
    debug: bool = False
    _engine: Any = field(default=None, repr=False)

    @cached_property
    def settings(self) -> Settings:
        from cli.render import set_lang
        from obs.config import resolve_settings

        settings = resolve_settings(db=self.db, lang=self.lang_option)
        set_lang(settings.lang)
        return settings

    @property
    def lang(self) -> str:
        return self.settings.lang

    def bom(self, flag: bool | None) -> bool | None:
        """``--bom``/``--no-bom`` when given, else the config's ``csv_bom`` (None: unset)."""
        return flag if flag is not None else self.settings.csv_bom

    def use_lang(self, lang: str | None) -> None:
        """Let a command's own ``--lang`` override the global one."""
        if lang:
            self.lang_option = str(lang)
            self.__dict__.pop("settings", None)

    @property
    def engine(self) -> Engine:
        """The engine of an existing database (a missing SQLite file is refused)."""
        if self._engine is None:
            from obs.db import make_engine

            end_startup()
            self._engine = make_engine(self.settings.db, create=False)
        return self._engine

    def creating_engine(self) -> Engine:
        """The engine, creating the SQLite file if needed (for ``obs init``)."""
        if self._engine is None:
            from obs.db import make_engine

            end_startup()
            self._engine = make_engine(self.settings.db, create=True)
        return self._engine

    def close(self) -> None:
        """Release the engine's connections (called when the command ends)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def session(self, *, check_schema: bool = True) -> Iterator[Session]:
        """One transaction on the chosen database."""
        from obs.db import session_scope

        with session_scope(self.engine, check_schema=check_schema) as session:
            yield session


def state(ctx: typer.Context) -> State:
    """The State of this run (set by the app callback)."""
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj
