"""Progress of a task: % complete, actual start and actual finish kept consistent.

Part of :func:`~pmo.scheduling.services.edits.update_task` (API, plan page, demo). The rules
are Microsoft Project's, so a plan edited here and in Microsoft Project means the same thing
(ADR 0003, "Progress"):

- an actual finish makes the task 100 % complete; 100 % complete without an actual finish
  gives it its scheduled finish as actual finish; below 100 % it has none (a finish not given
  in the same edit is cleared: the task is reopened);
- above 0 % without an actual start the task gets its scheduled start as actual start; 0 %
  clears the actuals (not started) unless the same edit gives an actual start;
- a milestone (no duration) is 0 % or 100 %, and its actual start is its actual finish: one
  date given sets the other;
- a summary task's progress is rolled up from its subtasks and cannot be set;
- a complete task's duration is the working time from its actual start to its actual finish
  (on its own calendar, else the plan's);
- an actual start given alone keeps the task's % complete (0 %: started, nothing done yet);
  only a task reopened (its actual finish cleared) gets the % worked up to the status date;
- an actual date records what has happened: it cannot be later than today.

A value given together with one it contradicts (``percent_complete`` 50 with an
``actual_finish``) is refused naming the field rather than one of them silently winning.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.core.errors import FieldError
from pmo.scheduling.adapters import engine_calendar, working_time_between
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.services.common import write_status_date
from pmo.scheduling.walltime import from_db, to_db

__all__ = ["PROGRESS_FIELDS", "apply_progress", "status_date_for_progress", "worked_percent"]

PROGRESS_FIELDS = ("percent_complete", "actual_start", "actual_finish")


def _percent(value: Any, *, milestone: bool) -> float:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(value) or not 0 <= value <= 100:
        raise FieldError("percent_complete", _("must be a number from 0 to 100"))
    if milestone and value not in (0, 100):
        raise FieldError(
            "percent_complete", _("a milestone is either not started (0%) or done (100%)")
        )
    return float(value)


def _scheduled(value: dt.datetime | None, field: str) -> dt.datetime:
    if value is None:  # never computed (a plan whose recompute failed)
        raise FieldError(field, _("is needed, as the task has no scheduled date to take"))
    return value


def worked_percent(task: Task, until: dt.datetime) -> float:
    """The % of ``task`` worked from its actual start to ``until`` (wall clock), on its
    calendar (else the plan's): below 100, as the task is under way."""
    start = from_db(task.actual_start)
    if start is None or not task.duration:
        return 0.0
    calendar = engine_calendar(task.calendar or task.plan.calendar)
    worked = working_time_between(calendar, start, until) if until > start else 0
    return min(round(100 * worked / task.duration, 1), 99.9)


def _check_not_future(task: Task, data: dict[str, Any], today: dt.date) -> None:
    """An actual date records what has happened: it cannot lie after today (as a
    milestone's actual date on the project page)."""
    messages = {
        # one sentence after the field's label ("Actual start: cannot be ...")
        "actual_start": _(
            "cannot be later than today (%(today)s), as it is the day the task started"
        ),
        "actual_finish": _(
            "cannot be later than today (%(today)s), as it is the day the task finished"
        ),
    }
    for key, message in messages.items():
        value = data.get(key)
        if not isinstance(value, dt.datetime) or to_db(value) == getattr(task, key):
            continue  # none, or unchanged (a date stored before this rule stays)
        if value.date() > today:
            raise FieldError(key, message % {"today": today.isoformat()})


def apply_progress(task: Task, data: dict[str, Any], *, today: dt.date | None = None) -> None:
    """Set the progress fields ``data`` gives on ``task`` and fill in what they imply.

    ``data`` holds wall-clock datetimes (as the API and the page send them); ``task`` is
    locked and already has its new duration. Raises :class:`FieldError` naming the field
    for a value out of range, an actual date after ``today`` (default: the current date) or
    a value contradicting another one of the same edit.
    """
    given = [key for key in PROGRESS_FIELDS if key in data]
    if given:
        _check_not_future(task, data, today or timezone.localdate())
        _reconcile(task, data, given)
    if (given or "duration" in data) and not task.summary:
        _actual_duration(task, data)


def _actual_duration(task: Task, data: dict[str, Any]) -> None:
    """A complete task's duration is the working time of its actuals (as in Microsoft
    Project: finishing a day late makes a 5-day task a 6-day one; the baseline keeps 5)."""
    start, finish = from_db(task.actual_start), from_db(task.actual_finish)
    if start is None or finish is None or finish < start or task.elapsed:
        return
    calendar = engine_calendar(task.calendar or task.plan.calendar)
    actual = working_time_between(calendar, start, finish)
    if "duration" in data and data["duration"] != actual:
        raise FieldError(
            "duration",
            _("is set by the actual start and finish of a complete task; change those instead"),
        )
    task.duration = actual


def _reconcile(task: Task, data: dict[str, Any], given: list[str]) -> None:
    new = {key: to_db(data[key]) if key != "percent_complete" else data[key] for key in given}
    if task.summary:
        for key in given:
            if new[key] != getattr(task, key):
                raise FieldError(key, _("a summary task's progress is rolled up from its subtasks"))
        return
    milestone = task.duration == 0
    start = new.get("actual_start", task.actual_start)
    finish = new.get("actual_finish", task.actual_finish)
    percent = task.percent_complete
    reopened = False
    if "percent_complete" in new:
        percent = _percent(new["percent_complete"], milestone=milestone)
        if percent == 100 and finish is None:
            if "actual_finish" in new:
                raise FieldError("actual_finish", _("is needed when the task is complete (100%)"))
            finish = _scheduled(task.finish, "actual_finish")
        elif percent < 100 and finish is not None:
            if "actual_finish" in new:
                raise FieldError("percent_complete", _("is 100 when the task has an actual finish"))
            finish = None  # reopened
        if percent > 0 and start is None:
            if "actual_start" in new:
                raise FieldError(
                    "actual_start", _("is needed when the task has started (more than 0%)")
                )
            start = _scheduled(task.start, "actual_start")
        elif percent == 0 and "actual_start" not in new:
            start = None  # not started
    elif "actual_finish" in new:
        # finished: 100 %; reopened: the % worked up to the status date (below)
        percent = 100.0 if finish is not None else 0.0
        reopened = finish is None and task.actual_finish is not None and start is not None
    elif "actual_start" in new and start is None:
        percent = 0.0
    if milestone:  # one date: the one given sets the other
        if "actual_start" in new and "actual_finish" not in new:
            finish = start
        elif ("actual_finish" in new and "actual_start" not in new) or "actual_start" not in new:
            start = finish
        elif start != finish:
            raise FieldError(
                "actual_finish",
                _("must be the same as the actual start for a milestone (give one date)"),
            )
        if "percent_complete" in new and percent != (100 if finish else 0):
            raise FieldError(
                "percent_complete", _("a milestone with an actual date is done (100%)")
            )
    elif "actual_start" in new and start is None and finish is not None:
        raise FieldError("actual_start", _("is needed while the task has an actual finish"))
    if finish is not None:
        percent = 100.0
    task.actual_start, task.actual_finish, task.percent_complete = start, finish, percent
    if reopened and not milestone:
        status = from_db(task.plan.status_date)
        task.percent_complete = worked_percent(
            task, status or dt.datetime.combine(timezone.localdate(), dt.time.min)
        )
    if start is None:
        task.remaining = None  # left from when it was under way


def status_date_for_progress(plan: Plan, task: Task, actor: User | None) -> None:
    """Give the plan today as status date when ``task`` is now under way and it has none.

    The engine schedules the rest of a task under way from the status date (ADR
    engine-cpm, decision 5); Microsoft Project takes the current date when no status date is
    set. The change is audited; work not started moves after today as the engine then says.
    """
    if task.actual_start is None or task.actual_finish is not None:
        return
    locked = Plan.objects.select_for_update(of=("self",)).select_related("project").get(pk=plan.pk)
    if locked.status_date is not None:
        return
    write_status_date(locked, dt.datetime.combine(timezone.localdate(), dt.time.min), actor)
