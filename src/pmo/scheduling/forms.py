"""The plan page's editable task row: duration and progress as typed, checked, made an edit.

A row posts its duration in working days, its % complete and its actual start and finish as
dates. Only the values the user changed go to ``services.update_task`` (so a row saved with
a new % complete does not also "set" the actual dates it shows): the service then fills in
what Microsoft Project fills in (:mod:`pmo.scheduling.services.progress`). A date becomes a
time of the task's calendar: the scheduled start or finish when it is that day, else the
start (actual start) or end (actual finish) of that day's working hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.core import forms as core_forms
from pmo.core.errors import ValidationFailed
from pmo.scheduling.adapters import engine_calendar
from pmo.scheduling.models import MAX_MINUTES, Task
from pmo.scheduling.selectors import TaskRow
from pmo.scheduling.walltime import from_db

__all__ = [
    "INPUTS",
    "RowInputs",
    "TaskRowForm",
    "input_of",
    "row_inputs",
    "task_changes",
    "typed_inputs",
]

DAY = 480  # working minutes of a day in the table (8 hours, as Microsoft Project's default)

INPUTS = {
    "duration_days": gettext_lazy("Duration (days)"),
    "percent_complete": gettext_lazy("% complete"),
    "actual_start": gettext_lazy("Actual start"),
    "actual_finish": gettext_lazy("Actual finish"),
}
"""The row's inputs and their labels (the table's column headings)."""


def input_of(service_field: str) -> str | None:
    """The row input showing a field the service names in an error, if the row has one."""
    name = "duration_days" if service_field == "duration" else service_field
    return name if name in INPUTS else None


@dataclass
class RowInputs:
    """What an editable row's inputs show (as text) and the error at each, if any."""

    duration_days: str
    percent_complete: str
    actual_start: str
    actual_finish: str
    errors: dict[str, str] = field(default_factory=dict)
    typed: bool = False
    """The values are what the user typed (the edit was refused), not the stored ones."""
    message: str = ""
    """Why the row's edit was refused when no input is at fault (a stale version)."""


def _day(value: dt.datetime | None) -> str:
    wall = from_db(value)
    return wall.date().isoformat() if wall else ""


def _number(value: float, places: int) -> str:
    """``2.5``, ``5``: at most ``places`` decimals, no trailing zeros."""
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def row_inputs(row: TaskRow) -> RowInputs:
    """The stored values of a task as its row's inputs show them."""
    t = row.task
    return RowInputs(
        duration_days=_number(t.duration / DAY, 3),
        percent_complete=_number(t.percent_complete, 1),
        actual_start=_day(t.actual_start),
        actual_finish=_day(t.actual_finish),
    )


def typed_inputs(data: QueryDict, errors: dict[str, str], message: str = "") -> RowInputs:
    """The values a refused row was posted with, to show them again with the errors (or
    the ``message`` about the whole row)."""
    values = {name: str(data.get(name, ""))[:40] for name in INPUTS}
    return RowInputs(**values, errors=errors, typed=True, message=message)


class PercentField(forms.FloatField):
    """A percentage: ``50``, ``50 %`` or ``50％`` (full-width, as a Chinese keyboard types)."""

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().rstrip("%％").strip()
        return super().to_python(value)


class TaskRowForm(forms.Form):
    """The inputs of one task row; those not posted are left as they are."""

    duration_days = forms.FloatField(min_value=0, max_value=MAX_MINUTES / DAY)
    percent_complete = PercentField(min_value=0, max_value=100)
    actual_start = core_forms.DateField(required=False)
    actual_finish = core_forms.DateField(required=False)

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        for name in list(self.fields):
            if name not in data:
                del self.fields[name]


def _hours(task: Task, day: dt.date) -> tuple[int, int]:
    """First and last working minute of ``day`` on the task's calendar (else the plan's);
    a day off counts with the calendar's usual working day's hours."""
    calendar = engine_calendar(task.calendar or task.plan.calendar)
    periods = calendar.day_hours(day)
    if not periods:
        periods = next((h for h in (calendar.weekly_hours(d) for d in range(7)) if h), ((0, 1440),))
    return periods[0][0], periods[-1][1]


def _when(task: Task, day: dt.date, *, finish: bool) -> dt.datetime:
    scheduled = from_db(task.finish if finish else task.start)
    if scheduled is not None and scheduled.date() == day:
        return scheduled
    first, last = _hours(task, day)
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=last if finish else first)


def task_changes(task: Task, data: QueryDict) -> dict[str, Any]:
    """The edit a posted row asks for: the changed values, as ``update_task`` takes them.

    Raises :class:`ValidationFailed` naming each input that is not a valid value.
    """
    form = TaskRowForm(data)
    if not form.is_valid():
        errors = [
            {"field": name, "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        summary = "; ".join(
            _("%(field)s: %(message)s") % {"field": INPUTS[e["field"]], "message": e["message"]}
            for e in errors
        )
        raise ValidationFailed(summary, errors=errors)
    got = form.cleaned_data
    changes: dict[str, Any] = {}
    if "duration_days" in got and round(got["duration_days"] * DAY) != task.duration:
        changes["duration"] = round(got["duration_days"] * DAY)
    if "percent_complete" in got and got["percent_complete"] != round(task.percent_complete, 1):
        changes["percent_complete"] = got["percent_complete"]
    for name, finish in (("actual_start", False), ("actual_finish", True)):
        if name not in got:
            continue
        day, stored = got[name], from_db(getattr(task, name))
        if day != (stored.date() if stored else None):
            changes[name] = None if day is None else _when(task, day, finish=finish)
    return changes
