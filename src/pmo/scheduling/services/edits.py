"""Edits that reschedule: the status date, a task's fields, a link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.dates import date_out_of_range
from pmo.core.errors import FieldError, NotFoundError
from pmo.portfolio.access import require_edit
from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.adapters.calendars import AXIS_DAYS_AFTER, AXIS_DAYS_BEFORE, horizon_days
from pmo.scheduling.models import MAX_MINUTES, Link, LinkType, Plan, Task
from pmo.scheduling.services.common import scope_of, write_status_date
from pmo.scheduling.services.progress import (
    PROGRESS_FIELDS,
    apply_progress,
    status_date_for_progress,
)
from pmo.scheduling.services.recompute import Moved, request_recompute
from pmo.scheduling.walltime import from_db, to_db

__all__ = ["set_status_date", "update_link", "update_task"]


_DATETIMES = {"constraint_date", "actual_start", "actual_finish"}


@transaction.atomic
def set_status_date(
    *, actor: User | None, plan: Plan, status_date: dt.datetime | None, version: int | None
) -> list[Moved] | None:
    """Move the plan's status date (work not done cannot be scheduled before it); reschedule.

    ``None`` clears it. A date from 1984 to 2149 and, as in Microsoft Project, possibly after
    today, within the plan's horizon (:data:`AXIS_DAYS_BEFORE` days before its start to
    :data:`AXIS_DAYS_AFTER` after: the time the engine schedules on, about 10 years).
    """
    if actor is not None:
        require_edit(actor, plan.project)
    problem = date_out_of_range(status_date)
    if problem:
        raise FieldError("status_date", problem)
    locked = Plan.objects.select_for_update(of=("self",)).select_related("project").get(pk=plan.pk)
    locked.check_version(version)
    start = from_db(locked.start)
    if status_date is not None and start is not None:
        first = start.date() - dt.timedelta(days=AXIS_DAYS_BEFORE)
        last = start.date() + dt.timedelta(days=AXIS_DAYS_AFTER)
        if not first <= status_date.date() <= last:
            raise FieldError(
                "status_date",
                # one sentence after the field's label ("Status date: enter ... (the plan ...)")
                _(
                    "enter a date from %(first)s to %(last)s (the plan is scheduled from "
                    "%(before)s days before its start to %(after)s days after it)"
                )
                % {"first": first.isoformat(), "last": last.isoformat(), **horizon_days()},
            )
    write_status_date(locked, status_date, actor)
    return request_recompute(locked, actor=actor)


def _locked_task(task: Task, version: int | None) -> Task:
    locked = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    locked.check_version(version)
    return locked


@transaction.atomic
def update_task(
    *,
    actor: User,
    task: Task,
    data: dict[str, Any],
    version: int | None,
    today: dt.date | None = None,
) -> list[Moved] | None:
    """Change a task's name, duration (working minutes), constraint or progress; reschedule.

    Progress (``percent_complete``, ``actual_start``, ``actual_finish``) follows Microsoft
    Project's rules (:mod:`.progress`); a task put under way on a plan without a status date
    gives the plan today as status date. An actual date after ``today`` (default: the
    current date; the demo's is its own) is refused. Returns the tasks that moved (``None``
    when a large plan recomputes in the background).
    """
    plan = task.plan
    require_edit(actor, plan.project)
    locked = _locked_task(task, version)
    allowed = {
        "name",
        "duration",
        "percent_complete",
        "constraint",
        "constraint_date",
        "actual_start",
        "actual_finish",
        "remaining",
    }
    fields = sorted(allowed & set(data))
    for key in data:
        if key not in allowed:
            raise FieldError(key, _("is not a task field that can be set"))
    audited = sorted({*fields, *PROGRESS_FIELDS, "remaining"})  # progress fills in fields
    before = snapshot(locked, audited)
    if "duration" in data:
        if data["duration"] is None or not 0 <= data["duration"] <= MAX_MINUTES:
            raise FieldError(
                "duration",
                _("must be 0 to %(max)s working minutes (100 years)") % {"max": MAX_MINUTES},
            )
        if locked.summary:
            raise FieldError("duration", _("a summary task's duration comes from its subtasks"))
    if data.get("name") == "":
        raise FieldError("name", _("is required"))
    constraint = data.get("constraint", locked.constraint)
    dated = "constraint_date" in data and data["constraint_date"] is not None
    has_date = dated or ("constraint_date" not in data and locked.constraint_date is not None)
    if constraint not in ("ASAP", "ALAP") and not has_date:
        raise FieldError(
            "constraint_date",
            _("is required by constraint %(constraint)s") % {"constraint": constraint},
        )
    for key in fields:
        if key in PROGRESS_FIELDS:
            continue
        value = data[key]
        setattr(locked, key, to_db(value) if key in _DATETIMES else value)
    apply_progress(locked, data, today=today)
    if locked.actual_finish is not None and locked.actual_start is None:
        raise FieldError("actual_finish", _("needs an actual start"))
    if locked.actual_start and locked.actual_finish and locked.actual_finish < locked.actual_start:
        raise FieldError("actual_finish", _("is before the actual start"))
    if locked.remaining is not None and not 0 <= locked.remaining <= MAX_MINUTES:
        raise FieldError(
            "remaining",
            _("must be 0 to %(max)s working minutes (100 years)") % {"max": MAX_MINUTES},
        )
    if "duration" in data:
        locked.milestone = locked.duration == 0
    locked.version += 1
    locked.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=locked,
        scope=scope_of(plan.project),
        changes=diff(before, snapshot(locked, audited)),
    )
    status_date_for_progress(plan, locked, actor)
    try:
        return request_recompute(plan, actor=actor)
    except ScheduleError as exc:  # the edit made the plan unschedulable: say which field
        raise exc.blaming(*fields) from None


@transaction.atomic
def update_link(
    *, actor: User, plan: Plan, pred_uid: int, succ_uid: int, data: dict[str, Any] | None
) -> list[Moved] | None:
    """Add, change (``type``, ``lag`` minutes) or remove (``data`` ``None``) a link; reschedule."""
    require_edit(actor, plan.project)
    Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    tasks = {t.uid: t for t in plan.tasks.filter(uid__in=[pred_uid, succ_uid])}
    for field, uid in (("pred_uid", pred_uid), ("succ_uid", succ_uid)):
        if uid not in tasks:
            raise FieldError(field, _("no task with UID %(uid)s in this plan") % {"uid": uid})
    if pred_uid == succ_uid:
        raise FieldError("succ_uid", _("a task cannot depend on itself"))
    link = Link.objects.filter(plan=plan, pred=tasks[pred_uid], succ=tasks[succ_uid]).first()
    before = snapshot(link, ["type", "lag"]) if link else {}
    if data is None:
        if link is None:
            raise NotFoundError(
                _("no link from UID %(pred)s to UID %(succ)s")
                % {"pred": pred_uid, "succ": succ_uid}
            )
        instance = link
        link.delete()
        instance.pk = link.pk
        after: dict[str, Any] = {}
        action = AuditAction.DELETE
    else:
        kind = data.get("type", link.type if link else "FS")
        if kind not in LinkType.values:
            raise FieldError(
                "type", _("must be one of %(types)s") % {"types": ", ".join(LinkType.values)}
            )
        lag = int(data.get("lag", link.lag if link else 0))
        if abs(lag) > MAX_MINUTES:
            raise FieldError(
                "lag", _("must be -%(max)s to %(max)s minutes (100 years)") % {"max": MAX_MINUTES}
            )
        action = AuditAction.UPDATE if link else AuditAction.CREATE
        link = link or Link(plan=plan, pred=tasks[pred_uid], succ=tasks[succ_uid])
        if "lag" in data and link.lag_percent is not None:
            # a lag in time replaces a percentage of the predecessor's duration
            link.lag_percent = None
            link.lag_format = 8 if link.elapsed else 7
        link.type, link.lag = kind, lag
        link.save()
        instance = link
        after = snapshot(link, ["type", "lag"])
    record(
        actor=actor,
        action=action,
        instance=instance,
        scope=scope_of(plan.project),
        changes={f"link UID {pred_uid}->{succ_uid}": [before or None, after or None]},
    )
    try:
        return request_recompute(plan, actor=actor)
    except ScheduleError as exc:  # a new link closes a cycle, a lag pushes past the horizon
        raise exc.blaming(*(("type", "lag") if before else ("pred_uid", "succ_uid"))) from None
