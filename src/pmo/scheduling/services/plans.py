"""Replace a project's plan by an imported one: validate, store, schedule, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_noop

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling.hooks import PLAN_REPLACE_HOOKS
from pmo.scheduling.models import (
    Assignment,
    Baseline,
    BaselineTask,
    Calendar,
    CalendarException,
    Link,
    Plan,
    Resource,
    Task,
)
from pmo.scheduling.planio import PlanData
from pmo.scheduling.services.common import _write, scope_of
from pmo.scheduling.services.plan_fit import plan_date_warnings
from pmo.scheduling.services.recompute import recompute_plan
from pmo.scheduling.services.validation import _validate
from pmo.scheduling.walltime import to_db

__all__ = ["PlanReplaced", "outline_numbers", "replace_plan", "replace_plan_reporting"]


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


@dataclass(frozen=True, slots=True)
class PlanReplaced:
    """What :func:`replace_plan_reporting` did: the new ``plan``, its number of ``tasks``, and
    the project's milestones that are gone because the new plan has no milestone like them:
    those ``by_hand`` (entered on the project page) and those ``dropped`` from the replaced plan.
    The milestones the new plan matched are kept (same row, Chinese name and all).
    ``warnings``: the plan's dates far from the project's (:mod:`.plan_fit`), in the active
    language; the plan is stored all the same."""

    plan: Plan
    tasks: int
    by_hand: list[Milestone] = field(default_factory=list)
    dropped: list[Milestone] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def replace_plan(*, actor: User | None, project: Project, data: PlanData) -> Plan:
    """Replace the project's plan by ``data`` and schedule it: all or nothing (see
    :func:`replace_plan_reporting`, which also says which milestones went)."""
    return replace_plan_reporting(actor=actor, project=project, data=data).plan


def _match_milestones(
    old: list[Milestone], driving_uid: dict[int, int], tasks: list[Task]
) -> dict[int, Milestone]:
    """The project's milestones the new plan's milestone ``tasks`` take over, by task pk: the
    one its task of the same UID drove, else the one of the same name (never a guess between
    two milestones, or two tasks, of one name)."""
    by_uid = {uid: m for m in old if (uid := driving_uid.get(m.pk)) is not None}
    taken: dict[int, Milestone] = {}
    claimed: set[int] = set()
    for task in tasks:
        milestone = by_uid.get(task.uid)
        if milestone is not None:
            taken[task.pk] = milestone
            claimed.add(milestone.pk)
    left = [t for t in tasks if t.pk not in taken]
    for task in left:
        name = task.name[:200]
        same = [m for m in old if m.pk not in claimed and m.name == name]
        if len(same) == 1 and sum(t.name[:200] == name for t in left) == 1:
            taken[task.pk] = same[0]
            claimed.add(same[0].pk)
    return taken


def replace_plan_reporting(*, actor: User | None, project: Project, data: PlanData) -> PlanReplaced:
    """Replace the project's plan by ``data`` and schedule it: all or nothing.

    ``actor`` ``None`` is the command line (trusted, audited as "system").
    A cycle, a dangling link or a date outside the horizon raises
    :class:`ScheduleError` and nothing is written. The hooks of
    :data:`pmo.scheduling.hooks.PLAN_REPLACE_HOOKS` run inside the transaction
    (before the old plan goes, and with the new plan once it is scheduled); one
    that raises refuses the import.

    With a plan, the project's milestones come from the schedule (ADR 0003). A milestone task
    of the new plan keeps the milestone it stands for, the same row with its Chinese name:
    the one the task of the same UID drove in the replaced plan, else the one of the same
    name (a re-imported export, a plan made from the milestones entered by hand). The other
    milestones are deleted (audited) and reported.
    """
    if actor is not None:
        require_edit(actor, project)
    _validate(data)
    with transaction.atomic():
        locked = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
        old = Plan.objects.filter(project=project).first()
        replaced = old is not None
        # Apps above (dependencies) keep what points at the old tasks and milestones.
        afters = [hook(actor, project) for hook in PLAN_REPLACE_HOOKS]
        existing = list(Milestone.objects.filter(project=project).order_by("id"))
        driving_uid: dict[int, int] = dict(
            Task.objects.filter(
                plan__project=project, portfolio_milestone__isnull=False
            ).values_list("portfolio_milestone_id", "uid")
        )
        if old is not None:
            old.delete()  # its tasks let go of the milestones (SET_NULL); the rows stay for now
        plan = _store(project, data)
        tasks = list(plan.tasks.filter(milestone=True, summary=False).order_by("position"))
        taken = _match_milestones(existing, driving_uid, tasks)
        for task in tasks:
            if task.pk in taken:
                task.portfolio_milestone = taken[task.pk]
        _write([t for t in tasks if t.pk in taken], ["portfolio_milestone"])
        kept = {m.pk for m in taken.values()}
        superseded = [m for m in existing if m.pk not in kept]
        for milestone in superseded:
            record(
                actor=actor,
                action=AuditAction.DELETE,
                instance=milestone,
                scope=scope_of(project),
                changes={
                    "milestone": [milestone.name, gettext_noop("replaced by the schedule")],
                    # the change log names the milestone in Chinese after the row is gone
                    **({"name_zh": [milestone.name_zh, None]} if milestone.name_zh else {}),
                },
            )
        Milestone.objects.filter(pk__in=[m.pk for m in superseded]).delete()
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
    return PlanReplaced(
        plan=plan,
        tasks=len(data.tasks),
        by_hand=[m for m in superseded if m.pk not in driving_uid],
        dropped=[m for m in superseded if m.pk in driving_uid],
        warnings=plan_date_warnings(plan, locked.start_date, locked.planned_finish),
    )
