"""The one error type the engine raises on purpose. Its message is shown to the user.

Every error reaches the user with a hint (``Hint:`` below ``Error:``): the raise site gives
one, or the error's class has a ``default_hint`` (tests/obs/test_errors.py checks every raise
site in obs/ and cli/).
"""

from __future__ import annotations


class ObsError(Exception):
    """An error with a message for the user and a hint on what to do about it."""

    exit_code = 1
    #: The hint when the raise site gives none (``None``: the raise site must give one).
    default_hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint


class InvalidValueError(ObsError):
    """A value was refused at entry: wrong type, outside its limits, or against a rule."""

    default_hint = "correct the value and run the command again (--help shows what it takes)"

    def __init__(self, field: str, value: object, problem: str, *, hint: str | None = None):
        shown = "" if value is None else f" {value!s}"
        super().__init__(f"{field}{shown}: {problem}", hint=hint)
        self.field = field
        self.value = value


class NotFoundError(ObsError):
    """A code or id that names nothing in the database or vocabulary."""

    default_hint = "list what exists with: obs list KIND, or obs station/plot/plant list"


class DuplicateError(ObsError):
    """The record already exists under its natural key."""

    default_hint = "the record exists already: correct it with obs amend instead"


class DatabaseNotReadyError(ObsError):
    """The database has no tables yet, or an older schema."""

    default_hint = "run: obs init"


class DatabaseError(ObsError):
    """The database cannot be opened or written (bad URL, unwritable path, disk full)."""

    default_hint = "check --db / OBS_DB, and that the file or server can be reached"


class InputFormatError(ObsError):
    """An input file cannot be read as a whole."""

    default_hint = (
        "check that it is a CSV or XLSX file of the expected layout (docs/import.md); for a "
        "CSV give --encoding and --delimiter when they are not detected"
    )


class UsageError(ObsError):
    """The command was called in a way that cannot work (maps to exit code 2)."""

    exit_code = 2
    default_hint = "see the command's --help"


class InterruptedImportError(ObsError):
    """An import stopped by the user (Ctrl-C) after some of its chunks were committed."""

    exit_code = 130
    default_hint = "run the same command again: it keeps what is stored and completes the import"
