"""Scheduling use-cases: replace a plan, recompute it, baselines, task and link edits.

Every write checks the permission (``require_edit``), the version, records an
audit event in the project's scope and runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, FieldError, NotFoundError
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Milestone, Project
from pmo.resources.services import DemandRow, record_schedule_demand
from pmo.scheduling import adapters
from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.hooks import PLAN_REPLACE_HOOKS
from pmo.scheduling.models import (
    LARGE_PLAN_TASKS,
    MAX_BASELINES,
    MAX_MINUTES,
    Assignment,
    Baseline,
    BaselineTask,
    Calendar,
    CalendarException,
    Link,
    LinkType,
    Plan,
    PlanState,
    Resource,
    Task,
)
from pmo.scheduling.planio import PlanData, percent_lag
from pmo.scheduling.walltime import from_db, to_db

__all__ = [
    "Moved",
    "ScheduleError",
    "recompute_plan",
    "recompute_plans",
    "replace_plan",
    "request_recompute",
    "set_baseline",
    "set_status_date",
    "update_link",
    "update_task",
]


def _write(tasks: list[Task], fields: list[str]) -> None:
    """``UPDATE ... WHERE id = %s`` for many tasks in one ``executemany``.

    ``bulk_update`` builds a ``CASE WHEN`` expression per row and field in Python, which
    takes seconds for thousands of tasks; the rows are already validated here.
    """
    if not tasks:
        return
    meta = Task._meta
    columns: list[Field] = []
    for name in fields:
        field = meta.get_field(name)
        assert isinstance(field, Field) and field.column
        columns.append(field)
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in columns),
        quote(str(meta.pk.column if meta.pk else "id")),
    )
    params = [
        [f.get_db_prep_save(getattr(t, f.attname), connection) for f in columns] + [t.pk]
        for t in tasks
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


_COMPUTED = (
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
    "percent_complete",
)


def scope_of(project: Project) -> str:
    return f"project:{project.pk}"


@dataclass(frozen=True, slots=True)
class Moved:
    """A task whose dates changed in a recomputation (wall-clock datetimes)."""

    task_id: int
    uid: int
    name: str
    old_start: dt.datetime | None
    old_finish: dt.datetime | None
    start: dt.datetime | None
    finish: dt.datetime | None

    @property
    def finish_days(self) -> int | None:
        """Calendar days the finish moved (positive: later)."""
        if self.old_finish is None or self.finish is None:
            return None
        return (self.finish.date() - self.old_finish.date()).days


MAX_UID = 2**31 - 1  # Microsoft Project's UIDs are 32-bit integers
MAX_OUTLINE_LEVEL = 1000


def _check_uid(kind: str, uid: int) -> None:
    if not 0 <= uid <= MAX_UID:
        raise ScheduleError(
            _("%(kind)s UID %(uid)s: not in 0..%(max)s")
            % {"kind": kind, "uid": uid, "max": MAX_UID}
        )


def _validate(data: PlanData) -> None:
    """Refuse dangling references and bad values, naming the element."""
    cal_uids = {c.uid for c in data.calendars}
    if len(cal_uids) != len(data.calendars):
        raise ScheduleError(_("Calendars: two calendars have the same UID"))
    for c in data.calendars:
        if c.base_uid is not None and c.base_uid not in cal_uids:
            raise ScheduleError(
                _("Calendar UID %(uid)s: BaseCalendarUID %(base)s is unknown")
                % {"uid": c.uid, "base": c.base_uid}
            )
        if c.week is None and c.base_uid is None:
            raise ScheduleError(
                _("Calendar UID %(uid)s: has neither week days nor a base calendar")
                % {"uid": c.uid}
            )
    if data.calendar_uid is not None and data.calendar_uid not in cal_uids:
        raise ScheduleError(
            _("Project: CalendarUID %(calendar)s is unknown") % {"calendar": data.calendar_uid}
        )
    for c in data.calendars:
        _check_uid("Calendar", c.uid)
    for r in data.resources:
        _check_uid("Resource", r.uid)
    uids = {t.uid for t in data.tasks}
    seen: set[int] = set()
    for t in data.tasks:
        _check_uid("Task", t.uid)
        if t.uid in seen:
            raise ScheduleError(_("Task UID %(uid)s: UID is used twice") % {"uid": t.uid})
        seen.add(t.uid)
        if t.duration < 0:
            raise ScheduleError(_("Task UID %(uid)s: Duration is negative") % {"uid": t.uid})
        for label, minutes in (("Duration", t.duration), ("RemainingDuration", t.remaining)):
            if minutes is not None and minutes > MAX_MINUTES:
                raise ScheduleError(
                    _("Task UID %(uid)s: %(element)s is longer than 100 years")
                    % {"uid": t.uid, "element": label}
                )
        if not 0 <= t.outline_level <= MAX_OUTLINE_LEVEL:
            raise ScheduleError(
                _("Task UID %(uid)s: OutlineLevel %(level)s not in 0..%(max)s")
                % {"uid": t.uid, "level": t.outline_level, "max": MAX_OUTLINE_LEVEL}
            )

        if t.calendar_uid is not None and t.calendar_uid not in cal_uids:
            raise ScheduleError(
                _("Task UID %(uid)s: CalendarUID %(calendar)s is unknown")
                % {"uid": t.uid, "calendar": t.calendar_uid}
            )
        for p in t.predecessors:
            if p.pred_uid not in uids:
                raise ScheduleError(
                    _("Task UID %(uid)s: PredecessorLink to unknown UID %(pred)s")
                    % {"uid": t.uid, "pred": p.pred_uid}
                )
            if p.pred_uid == t.uid:
                raise ScheduleError(
                    _("Task UID %(uid)s: PredecessorLink to itself") % {"uid": t.uid}
                )
            if p.type not in LinkType.values:
                raise ScheduleError(
                    _("Task UID %(uid)s: unknown link type %(type)s")
                    % {"uid": t.uid, "type": repr(p.type)}
                )
            if abs(p.lag) > MAX_MINUTES:
                raise ScheduleError(
                    _("Task UID %(uid)s: LinkLag to UID %(pred)s is longer than 100 years")
                    % {"uid": t.uid, "pred": p.pred_uid}
                )
        for b in t.baselines:
            if not 0 <= b.number < MAX_BASELINES:
                raise ScheduleError(
                    _("Task UID %(uid)s: Baseline Number %(number)s not in 0..10")
                    % {"uid": t.uid, "number": b.number}
                )
    res_uids = {r.uid for r in data.resources}
    for a in data.assignments:
        if a.task_uid not in seen:
            raise ScheduleError(_("Assignment: TaskUID %(uid)s is unknown") % {"uid": a.task_uid})
        if a.resource_uid not in res_uids:
            raise ScheduleError(
                _("Assignment: ResourceUID %(uid)s is unknown") % {"uid": a.resource_uid}
            )


def outline_numbers(levels: list[int]) -> list[str]:
    """``1``, ``1.1``, ``1.2``, ``2`` ... from outline levels, for tasks that bring no WBS code
    (MS Project's outline number; a level that jumps deeper counts from 1)."""
    counters: list[int] = []
    out = []
    for level in levels:
        depth = max(level, 1)
        del counters[depth:]
        counters.extend([0] * (depth - len(counters)))
        counters[depth - 1] += 1
        out.append(".".join(str(n) for n in counters))
    return out


def _store(project: Project, data: PlanData) -> Plan:
    plan = Plan.objects.create(
        project=project,
        name=data.name[:200],
        start=to_db(data.start) or data.start,
        status_date=to_db(data.status_date),
        minutes_per_day=data.minutes_per_day,
    )
    calendars: dict[int, Calendar] = {}
    for c in data.calendars:
        calendars[c.uid] = Calendar.objects.create(
            plan=plan,
            uid=c.uid,
            name=c.name[:200],
            week=None if c.week is None else [[list(p) for p in day] for day in c.week],
            holidays=c.holidays,
            work_weeks=[
                {
                    "first": w.first.isoformat(),
                    "last": w.last.isoformat(),
                    "name": w.name,
                    "week": [[list(p) for p in day] for day in w.week],
                }
                for w in c.work_weeks
            ],
        )
        CalendarException.objects.bulk_create(
            CalendarException(
                calendar=calendars[c.uid],
                name=e.name[:200],
                first=e.first,
                last=e.last,
                hours=[list(p) for p in e.hours],
            )
            for e in c.exceptions
        )
    for c in data.calendars:
        if c.base_uid is not None:
            calendars[c.uid].base = calendars[c.base_uid]
            calendars[c.uid].save(update_fields=["base"])
    if data.calendar_uid is not None:
        plan.calendar = calendars[data.calendar_uid]
        plan.save(update_fields=["calendar"])
    wbs_codes = outline_numbers([t.outline_level for t in data.tasks])
    rows = Task.objects.bulk_create(
        Task(
            plan=plan,
            uid=t.uid,
            position=k,
            wbs=(t.wbs or wbs_codes[k])[:60],
            outline_level=t.outline_level,
            name=t.name[:255] or f"Task {t.uid}",
            duration=t.duration,
            milestone=t.milestone,
            constraint=t.constraint,
            constraint_date=to_db(t.constraint_date),
            actual_start=to_db(t.actual_start),
            actual_finish=to_db(t.actual_finish),
            remaining=t.remaining,
            percent_complete=t.percent_complete,
            calendar=calendars.get(t.calendar_uid) if t.calendar_uid is not None else None,
            ignore_resource_calendar=t.ignore_resource_calendar,
            duration_format=t.duration_format,
        )
        for k, t in enumerate(data.tasks)
    )
    by_uid = {row.uid: row for row in rows}
    # The WBS: a task's summary is the last task seen one outline level up.
    outline: list[Task] = []
    for row in rows:
        level = max(row.outline_level, 1)
        del outline[level - 1 :]
        row.parent = outline[-1] if outline else None
        outline.append(row)
    parents = {row.parent.pk for row in rows if row.parent is not None}
    for row in rows:
        row.summary = row.pk in parents
    _write(rows, ["parent", "summary"])
    Link.objects.bulk_create(
        Link(
            plan=plan,
            pred=by_uid[p.pred_uid],
            succ=by_uid[t.uid],
            type=p.type,
            lag=p.lag,
            elapsed=p.elapsed,
            lag_format=p.lag_format,
            lag_percent=p.lag_percent,
        )
        for t in data.tasks
        for p in t.predecessors
    )
    numbers = sorted({b.number for t in data.tasks for b in t.baselines})
    baselines = {
        n: Baseline.objects.create(plan=plan, number=n, name=data.baseline_names.get(n, ""))
        for n in numbers
    }
    BaselineTask.objects.bulk_create(
        BaselineTask(
            baseline=baselines[b.number],
            task=by_uid[t.uid],
            start=to_db(b.start),
            finish=to_db(b.finish),
            duration=b.duration,
        )
        for t in data.tasks
        for b in t.baselines
    )
    resources = {
        r.uid: Resource.objects.create(
            plan=plan,
            uid=r.uid,
            name=r.name[:200] or f"Resource {r.uid}",
            calendar=calendars.get(r.calendar_uid) if r.calendar_uid is not None else None,
        )
        for r in data.resources
    }
    Assignment.objects.bulk_create(
        Assignment(
            task=by_uid[a.task_uid],
            resource=resources[a.resource_uid],
            units=a.units,
            work=a.work,
        )
        for a in data.assignments
    )
    return plan


def replace_plan(*, actor: User | None, project: Project, data: PlanData) -> Plan:
    """Replace the project's plan by ``data`` and schedule it: all or nothing.

    ``actor`` ``None`` is the command line (trusted, audited as "system").
    A cycle, a dangling link or a date outside the horizon raises
    :class:`ScheduleError` and nothing is written. The hooks of
    :data:`pmo.scheduling.hooks.PLAN_REPLACE_HOOKS` run inside the transaction
    (before the old plan goes, and with the new plan once it is scheduled); one
    that raises refuses the import.
    """
    if actor is not None:
        require_edit(actor, project)
    _validate(data)
    with transaction.atomic():
        Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
        old = Plan.objects.filter(project=project).first()
        replaced = old is not None
        # Apps above (dependencies) keep what points at the old tasks and milestones.
        afters = [hook(actor, project) for hook in PLAN_REPLACE_HOOKS]
        # With a plan, the project's milestones come from the schedule: the
        # ones entered by hand (and those of a replaced plan) give way.
        superseded = list(Milestone.objects.filter(project=project).order_by("id"))
        for milestone in superseded:
            record(
                actor=actor,
                action=AuditAction.DELETE,
                instance=milestone,
                scope=scope_of(project),
                changes={"milestone": [milestone.name, gettext_noop("replaced by the schedule")]},
            )
        Milestone.objects.filter(pk__in=[m.pk for m in superseded]).delete()
        if old is not None:
            old.delete()
        plan = _store(project, data)
        recompute_plan(plan, actor=actor)
        plan.refresh_from_db()
        for after in afters:
            after(plan)
        record(
            actor=actor,
            action=AuditAction.UPDATE if replaced else AuditAction.CREATE,
            instance=plan,
            scope=scope_of(project),
            changes={
                "plan": [gettext_noop("replaced") if replaced else None, f"{len(data.tasks)} tasks"]
            },
        )
    return plan


def _ordered(plan: Plan) -> tuple[list[Task], list[Link]]:
    tasks = list(plan.tasks.order_by("position"))
    links = list(plan.links.all())
    return tasks, links


def recompute_plan(plan: Plan, *, actor: User | None = None) -> list[Moved]:
    """Schedule the plan, store the computed dates and sync the project; return what moved.

    Raises :class:`ScheduleError` when the plan cannot be scheduled (the
    caller's transaction is then rolled back).
    """
    tasks, links = _ordered(plan)
    plan = Plan.objects.select_related("calendar", "project").get(pk=plan.pk)
    before = {t.pk: (from_db(t.start), from_db(t.finish)) for t in tasks}
    computed = adapters.compute(plan, tasks, links)
    moved: list[Moved] = []
    changed: list[Task] = []
    for task, values in zip(tasks, computed.fields, strict=True):
        if any(getattr(task, name) != value for name, value in values.items()):
            changed.append(task)
        for name, value in values.items():
            setattr(task, name, value)
        old_start, old_finish = before[task.pk]
        start, finish = from_db(task.start), from_db(task.finish)
        if (old_start, old_finish) != (start, finish):
            moved.append(Moved(task.pk, task.uid, task.name, old_start, old_finish, start, finish))
    _write(changed, list(_COMPUTED))
    _sync_percent_lags(plan, tasks, links)
    plan.finish = to_db(computed.finish)
    plan.state = PlanState.CURRENT
    plan.problem = ""
    plan.assumed_years = ", ".join(str(y) for y in computed.assumed_years)
    plan.computed_at = timezone.now()
    plan.save(update_fields=["finish", "state", "problem", "assumed_years", "computed_at"])
    _sync_project(plan, tasks, actor)
    _sync_demand(plan)
    return moved


def _sync_percent_lags(plan: Plan, tasks: list[Task], links: list[Link]) -> None:
    """A percentage lag's minutes follow its predecessor's duration (API, Gantt, XLSX show them)."""
    duration = {t.pk: t.duration for t in tasks}
    stale = []
    for link in links:
        if link.lag_percent is None:
            continue
        lag = percent_lag(
            link.lag_percent,
            duration[link.pred_id],
            elapsed=link.elapsed,
            minutes_per_day=plan.minutes_per_day,
        )
        if lag != link.lag:
            link.lag = lag
            stale.append(link)
    Link.objects.bulk_update(stale, ["lag"])


def _sync_demand(plan: Plan) -> None:
    """Task assignments become the project's schedule demand in ``pmo.resources``.

    Resources sits below scheduling: scheduling pushes, resources never reads plans.
    A plan resource counts when its name matches a resource's code or name.
    """
    rows = [
        DemandRow(name, from_db(start).date(), from_db(finish).date(), float(units), uid)  # type: ignore[union-attr]
        for name, start, finish, units, uid in Assignment.objects.filter(
            task__plan=plan, task__summary=False, task__start__isnull=False
        ).values_list("resource__name", "task__start", "task__finish", "units", "task__uid")
        if start is not None and finish is not None
    ]
    record_schedule_demand(project=plan.project, rows=rows)


def _sync_project(plan: Plan, tasks: list[Task], actor: User | None) -> None:
    """The project's forecast finish and schedule milestones follow the plan."""
    project = plan.project
    finish = from_db(plan.finish)
    fields = ["forecast_finish", "baseline_finish"]
    before = snapshot(project, fields)
    if finish is not None:
        project.forecast_finish = finish.date()
    base = BaselineTask.objects.filter(baseline__plan=plan, baseline__number=0)
    base_finish = {b.task_id: from_db(b.finish) for b in base}
    if base_finish:
        last = max((f for f in base_finish.values() if f is not None), default=None)
        if last is not None:
            project.baseline_finish = last.date()
    changes = diff(before, snapshot(project, fields))
    if changes:
        project.version += 1
        project.save(update_fields=[*fields, "version", "updated_at"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=project,
            scope=scope_of(project),
            changes=changes,
        )
    for task in tasks:
        if not task.milestone or task.summary:
            continue
        forecast = from_db(task.finish)
        baseline = base_finish.get(task.pk)
        actual = from_db(task.actual_finish)
        values = {
            "name": task.name[:200],
            "forecast_date": forecast.date() if forecast else None,
            "baseline_date": baseline.date() if baseline else None,
            "actual_date": actual.date() if actual else None,
            "is_key": True,
        }
        milestone = task.portfolio_milestone
        if milestone is None:
            milestone = Milestone.objects.create(project=project, **values)
            task.portfolio_milestone = milestone
            task.save(update_fields=["portfolio_milestone"])
        elif any(getattr(milestone, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(milestone, k, v)
            milestone.version += 1
            milestone.save()


def recompute_plans(*, actor: User, plans: list[Plan]) -> int:
    """Recompute plans after their calendars changed (e.g. a new year's holidays entered)."""
    for plan in plans:
        require_edit(actor, plan.project)
    for plan in plans:
        with transaction.atomic():
            recompute_plan(plan, actor=actor)
    return len(plans)


def request_recompute(plan: Plan, *, actor: User | None = None) -> list[Moved] | None:
    """Recompute now, or in the background for large plans (then ``None``)."""
    if plan.tasks.count() < LARGE_PLAN_TASKS:
        return recompute_plan(plan, actor=actor)
    from pmo.scheduling.tasks import recompute_plan_task

    Plan.objects.filter(pk=plan.pk).update(state=PlanState.PENDING)
    transaction.on_commit(lambda: recompute_plan_task.enqueue(plan.pk))
    return None


_DATETIMES = {"constraint_date", "actual_start", "actual_finish"}


@transaction.atomic
def set_status_date(
    *, actor: User | None, plan: Plan, status_date: dt.datetime | None, version: int | None
) -> list[Moved] | None:
    """Move the plan's status date (work not done cannot be scheduled before it); reschedule."""
    if actor is not None:
        require_edit(actor, plan.project)
    locked = Plan.objects.select_for_update(of=("self",)).select_related("project").get(pk=plan.pk)
    locked.check_version(version)
    before = snapshot(locked, ["status_date"])
    locked.status_date = to_db(status_date)
    locked.version += 1
    locked.save(update_fields=["status_date", "version", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=locked,
        scope=scope_of(locked.project),
        changes=diff(before, snapshot(locked, ["status_date"])),
    )
    return request_recompute(locked, actor=actor)


def _locked_task(task: Task, version: int | None) -> Task:
    locked = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    locked.check_version(version)
    return locked


@transaction.atomic
def update_task(
    *, actor: User, task: Task, data: dict[str, Any], version: int | None
) -> list[Moved] | None:
    """Change a task's name, duration (working minutes) or constraint; reschedule.

    Returns the tasks that moved (``None`` when a large plan recomputes in the background).
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
    before = snapshot(locked, fields)
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
        value = data[key]
        setattr(locked, key, to_db(value) if key in _DATETIMES else value)
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
        changes=diff(before, snapshot(locked, fields)),
    )
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


@transaction.atomic
def set_baseline(*, actor: User, plan: Plan, number: int = 0, name: str = "") -> Baseline:
    """Save the current dates of every task as baseline ``number`` (0..10), replacing it."""
    require_edit(actor, plan.project)
    if not 0 <= number < MAX_BASELINES:
        raise FieldError("number", _("must be within 0..10 (Baseline, Baseline1 .. Baseline10)"))
    plan = Plan.objects.select_for_update(of=("self",)).select_related("project").get(pk=plan.pk)
    if plan.state != PlanState.CURRENT:
        raise ConflictError(_("the plan is being recomputed; set the baseline when it is done"))
    baseline, created = Baseline.objects.update_or_create(
        plan=plan, number=number, defaults={"name": name[:100]}
    )
    baseline.tasks.all().delete()
    BaselineTask.objects.bulk_create(
        BaselineTask(baseline=baseline, task=t, start=t.start, finish=t.finish, duration=t.duration)
        for t in plan.tasks.all()
    )
    record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=baseline,
        scope=scope_of(plan.project),
        changes={"baseline": [None, str(baseline)]},
    )
    if number == 0:
        tasks, _links = _ordered(plan)
        _sync_project(plan, tasks, actor)
    return baseline
