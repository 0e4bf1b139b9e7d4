"""The one error type the engine raises on purpose. Its message is shown to the user."""

from __future__ import annotations


class ObsError(Exception):
    """An error with a message for the user and an optional hint on what to do about it."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InvalidValueError(ObsError):
    """A value was refused at entry: wrong type, outside its limits, or against a rule."""

    def __init__(self, field: str, value: object, problem: str, *, hint: str | None = None):
        shown = "" if value is None else f" {value!s}"
        super().__init__(f"{field}{shown}: {problem}", hint=hint)
        self.field = field
        self.value = value


class NotFoundError(ObsError):
    """A code or id that names nothing in the database or vocabulary."""


class DuplicateError(ObsError):
    """The record already exists under its natural key."""


class DatabaseNotReadyError(ObsError):
    """The database has no tables yet, or an older schema."""


class DatabaseError(ObsError):
    """The database cannot be opened or written (bad URL, unwritable path, disk full)."""


class InputFormatError(ObsError):
    """An input file cannot be read as a whole."""


class UsageError(ObsError):
    """The command was called in a way that cannot work (maps to exit code 2)."""

    exit_code = 2


class InterruptedImportError(ObsError):
    """An import stopped by the user (Ctrl-C) after some of its chunks were committed."""

    exit_code = 130
