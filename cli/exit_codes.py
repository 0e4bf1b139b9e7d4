"""Exit codes of ``obs`` (documented in the README and ``obs --help``)."""

from enum import IntEnum, unique


@unique
class ExitCode(IntEnum):
    """What the shell sees when ``obs`` ends."""

    OK = 0
    ERROR = 1
    USAGE = 2  # raised by typer/click for bad arguments; never reused
    QC_FAILED = 3
    INTERRUPTED = 130
