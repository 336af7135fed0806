"""The layout of the XLSX plan template (``docs/xlsx-plan-template.md``).

Sheet and column names, the computed columns written on export (and which of
them are read back), the weekdays of the ``Plan`` sheet and the standard week
used when a workbook names no working hours. Durations and lags are in working
days of :data:`DAY` minutes.
"""

from __future__ import annotations

__all__ = [
    "COLUMNS",
    "COMPUTED",
    "DAY",
    "EXCEPTIONS",
    "EXCEPTION_COLUMNS",
    "READ_BACK",
    "STANDARD_WEEK",
    "WEEKDAYS",
]

DAY = 480
COLUMNS = [
    "UID",
    "WBS",
    "Outline level",
    "Name",
    "Duration (days)",
    "Milestone",
    "Predecessors",
    "Constraint",
    "Constraint date",
    "Actual start",
    "Actual finish",
    "% complete",
]
COMPUTED = [
    "Start",
    "Finish",
    "Total float (days)",
    "Critical",
    "Baseline start",
    "Baseline finish",
    "Baseline duration (days)",
]
# Computed on export; the baseline columns are read back on import (baseline 0), so a plan
# exported, edited in Excel and imported again keeps the baseline it was measured against.
READ_BACK = ("Baseline start", "Baseline finish", "Baseline duration (days)")
STANDARD_WEEK = [[(480, 720), (780, 1020)]] * 5 + [[], []]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EXCEPTIONS = "Calendar exceptions"
EXCEPTION_COLUMNS = ["From", "To", "Working hours", "Name"]
