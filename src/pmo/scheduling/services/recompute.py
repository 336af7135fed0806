"""Recompute a plan: schedule it, store the dates, and sync the project, milestones and demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Milestone
from pmo.resources.services import DemandRow, record_schedule_demand
from pmo.scheduling import adapters
from pmo.scheduling.models import (
    LARGE_PLAN_TASKS,
    Assignment,
    BaselineTask,
    Link,
    Plan,
    PlanState,
    Task,
)
from pmo.scheduling.planio import percent_lag
from pmo.scheduling.services.common import _write, scope_of
from pmo.scheduling.walltime import from_db, to_db

__all__ = ["Moved", "recompute_plan", "recompute_plans", "request_recompute"]


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
