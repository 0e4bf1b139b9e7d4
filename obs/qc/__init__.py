"""Quality control: named pure checks over record frames that return findings as data.

Importing this package registers every check; use :func:`run_checks` to apply them.
"""

from obs.qc import daily_checks, phenology_checks, subdaily_checks
from obs.qc.daylength import day_length_hours
from obs.qc.registry import (
    CHECKS,
    FINDING_COLUMNS,
    KINDS,
    Check,
    Site,
    check,
    checks_of,
    describe_checks,
    run_checks,
    worst_flag_per_record,
)

__all__ = [
    "CHECKS",
    "FINDING_COLUMNS",
    "KINDS",
    "Check",
    "Site",
    "check",
    "checks_of",
    "daily_checks",
    "day_length_hours",
    "describe_checks",
    "phenology_checks",
    "run_checks",
    "subdaily_checks",
    "worst_flag_per_record",
]
