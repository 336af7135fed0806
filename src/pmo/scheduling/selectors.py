"""Scheduling reads: a project's plan, its tasks with baseline variance, the Gantt rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from pmo.portfolio.models import Project
from pmo.scheduling.adapters import engine_calendar, working_time_between
from pmo.scheduling.models import Assignment, Baseline, BaselineTask, Link, Plan, Task
from pmo.scheduling.planio import (
    AssignmentData,
    BaselineData,
    CalendarData,
    ExceptionData,
    LinkData,
    PlanData,
    ResourceData,
    TaskData,
    WorkWeekData,
    percent_lag,
)
from pmo.scheduling.walltime import from_db

__all__ = [
    "TaskRow",
    "get_plan",
    "list_baselines",
    "list_links",
    "list_task_rows",
    "plan_data",
    "portfolio_milestones",
]


def get_plan(project: Project) -> Plan | None:
    """The project's plan, or ``None`` when it has none."""
    return Plan.objects.select_related("calendar", "project").filter(project=project).first()


def list_baselines(plan: Plan) -> QuerySet[Baseline]:
    return plan.baselines.order_by("number")


def list_links(plan: Plan) -> QuerySet[Link]:
    return plan.links.select_related("pred", "succ").order_by("succ__position", "pred__position")


@dataclass
class TaskRow:
    """A task with wall-clock dates and its variance against one baseline."""

    task: Task
    start: dt.datetime | None
    finish: dt.datetime | None
    baseline_start: dt.datetime | None = None
    baseline_finish: dt.datetime | None = None
    predecessors: list[int] = field(default_factory=list)
    span: int | None = None
    """A summary's working minutes from its start to its finish (its duration)."""
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None

    @property
    def start_variance_days(self) -> int | None:
        if self.start is None or self.baseline_start is None:
            return None
        return (self.start.date() - self.baseline_start.date()).days

    @property
    def finish_variance_days(self) -> int | None:
        """Current minus baseline finish in calendar days (positive: late)."""
        if self.finish is None or self.baseline_finish is None:
            return None
        return (self.finish.date() - self.baseline_finish.date()).days

    @property
    def duration_days(self) -> float:
        """Working days of 8 hours; a summary's is its span (as in MS Project), not 0."""
        minutes = self.span if self.task.summary and self.span is not None else self.task.duration
        return minutes / 480


def list_task_rows(plan: Plan, baseline: int = 0) -> list[TaskRow]:
    """Every task in WBS order with its dates and baseline ``baseline``'s dates."""
    base = {
        b.task_id: b
        for b in BaselineTask.objects.filter(baseline__plan=plan, baseline__number=baseline)
    }
    preds: dict[int, list[int]] = {}
    for link in plan.links.values("succ_id", "pred__uid"):
        preds.setdefault(link["succ_id"], []).append(link["pred__uid"])
    rows = []
    calendar = None
    for t in plan.tasks.order_by("position"):
        b = base.get(t.pk)
        start, finish = from_db(t.start), from_db(t.finish)
        span = None
        if t.summary and start is not None and finish is not None:
            if calendar is None:
                calendar = engine_calendar(plan.calendar)
            span = working_time_between(calendar, start, finish)
        rows.append(
            TaskRow(
                task=t,
                start=start,
                finish=finish,
                baseline_start=from_db(b.start) if b else None,
                baseline_finish=from_db(b.finish) if b else None,
                predecessors=sorted(preds.get(t.pk, [])),
                span=span,
                actual_start=from_db(t.actual_start),
                actual_finish=from_db(t.actual_finish),
            )
        )
    return rows


def portfolio_milestones(projects: QuerySet[Project]) -> QuerySet[Task]:
    """Schedule milestones of the given projects (for the portfolio milestone Gantt)."""
    return (
        Task.objects.filter(plan__project__in=projects, milestone=True, summary=False)
        .select_related("plan__project")
        .order_by("plan__project__code", "finish")
    )


def plan_data(plan: Plan) -> PlanData:
    """The stored plan as plain data (for the exporters), computed dates included."""
    calendars = []
    for c in plan.calendars.prefetch_related("exceptions").order_by("uid"):
        calendars.append(
            CalendarData(
                uid=c.uid,
                name=c.name,
                base_uid=c.base.uid if c.base is not None else None,
                week=None if c.week is None else [[tuple(p) for p in day] for day in c.week],
                holidays=c.holidays,
                exceptions=[
                    ExceptionData(
                        first=e.first,
                        last=e.last,
                        name=e.name,
                        hours=[tuple(p) for p in e.hours],
                    )
                    for e in c.exceptions.all()
                ],
                work_weeks=[
                    WorkWeekData(
                        first=dt.date.fromisoformat(w["first"]),
                        last=dt.date.fromisoformat(w["last"]),
                        name=w.get("name", ""),
                        week=[[tuple(p) for p in day] for day in w["week"]],
                    )
                    for w in c.work_weeks or []
                ],
            )
        )
    links: dict[int, list[LinkData]] = {}
    for link in plan.links.select_related("pred").order_by("pred__position"):
        links.setdefault(link.succ_id, []).append(
            LinkData(
                pred_uid=link.pred.uid,
                type=link.type,
                lag=link.lag
                if link.lag_percent is None
                else percent_lag(
                    link.lag_percent,
                    link.pred.duration,
                    elapsed=link.elapsed,
                    minutes_per_day=plan.minutes_per_day,
                ),
                elapsed=link.elapsed,
                lag_format=link.lag_format,
                lag_percent=link.lag_percent,
            )
        )
    baselines: dict[int, list[BaselineData]] = {}
    for b in (
        BaselineTask.objects.filter(baseline__plan=plan)
        .select_related("baseline")
        .order_by("baseline__number")
    ):
        baselines.setdefault(b.task_id, []).append(
            BaselineData(
                number=b.baseline.number,
                start=from_db(b.start),
                finish=from_db(b.finish),
                duration=b.duration,
            )
        )
    tasks = [
        TaskData(
            uid=t.uid,
            name=t.name,
            outline_level=t.outline_level,
            wbs=t.wbs,
            duration=t.duration,
            milestone=t.milestone,
            summary=t.summary,
            constraint=t.constraint,
            constraint_date=from_db(t.constraint_date),
            actual_start=from_db(t.actual_start),
            actual_finish=from_db(t.actual_finish),
            remaining=t.remaining,
            percent_complete=t.percent_complete,
            calendar_uid=t.calendar.uid if t.calendar is not None else None,
            ignore_resource_calendar=t.ignore_resource_calendar,
            duration_format=t.duration_format,
            predecessors=links.get(t.pk, []),
            baselines=baselines.get(t.pk, []),
            start=from_db(t.start),
            finish=from_db(t.finish),
            early_start=from_db(t.early_start),
            early_finish=from_db(t.early_finish),
            late_start=from_db(t.late_start),
            late_finish=from_db(t.late_finish),
            total_float=t.total_float,
            free_float=t.free_float,
            critical=t.critical,
        )
        for t in plan.tasks.select_related("calendar").order_by("position")
    ]
    start = from_db(plan.start)
    assert start is not None
    return PlanData(
        name=plan.name or plan.project.name,
        start=start,
        status_date=from_db(plan.status_date),
        calendar_uid=plan.calendar.uid if plan.calendar is not None else None,
        minutes_per_day=plan.minutes_per_day,
        calendars=calendars,
        tasks=tasks,
        resources=[
            ResourceData(
                uid=r.uid,
                name=r.name,
                calendar_uid=r.calendar.uid if r.calendar is not None else None,
            )
            for r in plan.resources.select_related("calendar").order_by("uid")
        ],
        assignments=[
            AssignmentData(
                task_uid=a.task.uid, resource_uid=a.resource.uid, units=a.units, work=a.work
            )
            for a in _assignments(plan)
        ],
        baseline_names={b.number: b.name for b in plan.baselines.all() if b.name},
    )


def _assignments(plan: Plan) -> QuerySet[Assignment]:

    return (
        Assignment.objects.filter(task__plan=plan)
        .select_related("task", "resource")
        .order_by("task__position", "resource__uid")
    )
