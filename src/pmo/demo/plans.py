"""Demo plans: a few demo projects get a schedule (China calendar, baseline, one slip).

A plan runs from the project's start through its go-live to its closure (two weeks of
hypercare and handover), its milestones on the project's gates: the plan's finish is the
project's forecast finish and the closure gate's date (ADR 0002).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pmo.accounts.models import User
from pmo.demo.language import ENGLISH, Text, text
from pmo.demo.resources import architect_of, pools_of
from pmo.demo.timeline import Timeline
from pmo.portfolio.models import Milestone, Project
from pmo.resources.calendars import working
from pmo.scheduling import services as plan_services
from pmo.scheduling.models import Plan
from pmo.scheduling.planio import (
    AssignmentData,
    CalendarData,
    LinkData,
    PlanData,
    ResourceData,
    TaskData,
)
from pmo.scheduling.walltime import from_db

__all__ = ["PLANNED_PROJECTS", "PlanDates", "add_demo_plans", "staff_demo_plans"]

PLANNED_PROJECTS = 3
DAY = 480
# the milestones whose dates the plan gives its project (:class:`PlanDates`), by template uid
MILESTONES = (3, 7, 16, 20)  # charter approved, design approved, go-live, project closed
HYPERCARE_DAYS = 10  # working days from go-live to closure (hypercare and handover)
CHINA_WEEK = [[(540, 720), (780, 1080)]] * 5 + [[], []]  # 09:00-12:00, 13:00-18:00

# (uid, outline level, name in English and Chinese, working days, predecessors "uid[type][+lag
# days]"). A plan's task names are single-language (the demo's); the project milestones its
# milestones drive are bilingual, and gates are tied to their names in either language (ADR
# 0002: "Design approved" / "设计评审通过", "Go-live" / "上线", as the built-in lifecycles say)
TEMPLATE: list[tuple[int, int, Text, float, list[tuple[int, str, int]]]] = [
    (1, 1, ("Initiation", "项目启动"), 0, []),
    (2, 2, ("Business case", "商业论证"), 5, []),
    (3, 2, ("Charter approved", "章程批准"), 0, [(2, "FS", 0)]),
    (4, 1, ("Design", "设计"), 0, []),
    (5, 2, ("Requirements", "需求分析"), 10, [(3, "FS", 0)]),
    (6, 2, ("Solution design", "方案设计"), 8, [(5, "SS", 4)]),
    (7, 2, ("Design approved", "设计评审通过"), 0, [(6, "FS", 0)]),
    (8, 1, ("Build", "开发"), 0, []),
    (9, 2, ("Development", "系统开发"), 25, [(7, "FS", 0)]),
    (10, 2, ("Data migration", "数据迁移"), 12, [(7, "FS", 5)]),
    (11, 2, ("Test environment", "测试环境搭建"), 6, [(7, "FS", 0)]),
    (12, 2, ("System test", "系统测试"), 10, [(9, "FS", 0), (11, "FS", 0)]),
    (17, 2, ("Build complete", "开发完成"), 0, [(12, "FS", 0)]),
    (13, 1, ("Deploy", "部署上线"), 0, []),
    (14, 2, ("User acceptance test", "用户验收测试"), 8, [(12, "FS", 0), (10, "FS", 0)]),
    (15, 2, ("Training", "用户培训"), 5, [(14, "SS", 3)]),
    (16, 2, ("Go-live", "上线"), 0, [(14, "FS", 0), (15, "FF", 0)]),
    (18, 1, ("Close", "项目收尾"), 0, []),
    (19, 2, ("Hypercare and handover", "上线保障与移交"), HYPERCARE_DAYS, [(16, "FS", 0)]),
    (20, 2, ("Project closed", "项目关闭"), 0, [(19, "FS", 0)]),
]
# the template's milestones: their names in both languages by uid
MILESTONE_NAMES: dict[int, Text] = {
    uid: label for uid, level, label, days, _preds in TEMPLATE if days == 0 and level > 1
}
CALENDAR: Text = ("China", "中国")
BASELINE: Text = ("Approved plan", "批准的基线计划")

# who does the work: task uid -> (the project's first or second role pool, units)
STAFF = {
    5: (0, 1.0),  # requirements
    6: (0, 1.0),  # solution design
    9: (0, 2.0),  # development
    10: (0, 1.0),  # data migration
    11: (1, 0.5),  # test environment
    12: (1, 2.0),  # system test
    14: (1, 1.0),  # user acceptance test
    15: (0, 0.5),  # training
    19: (0, 1.0),  # hypercare and handover: not started on the demo's day
}
# the first plan's hypercare also takes 60 % of its architect, who is booked half-time for
# the project's go-live support already (:func:`pmo.demo.resources.load_resources`)
ARCHITECT_TASK = 19
ARCHITECT_UNITS = 0.6

# the summary task each task belongs to, to stretch the template over a project's phases
# (build and deploy: 2; closing: 3, which keeps its days)
GROUP = {2: 0, 3: 0, 5: 1, 6: 1, 7: 1, 19: 3, 20: 3}
# working days of each group on the template's critical path (Build and Deploy together)
GROUP_DAYS = (5, 12, 43)


@dataclass(frozen=True, slots=True)
class PlanDates:
    """What a demo plan says about its project: start, milestones and progress on ``today``."""

    start: dt.date
    charter: dt.date
    signoff: dt.date
    go_live: tuple[dt.date, dt.date]  # baseline, forecast
    closed: tuple[dt.date, dt.date]  # baseline, forecast: the project's finish
    percent: int


def demo_plan(
    name: str,
    start: dt.date,
    spans: tuple[int, int, int] = GROUP_DAYS,
    pools: list[str] | None = None,
    architect: str = "",
    language: str = ENGLISH,
) -> PlanData:
    """The template plan from the first working morning at or after ``start``.

    ``spans`` are the working days of initiation, design and build-to-go-live: each task's
    duration and lag is stretched by its group's share (the template itself by default).
    ``pools`` (resource codes: the first does design and build, the last testing) staff
    the work as :data:`STAFF` says; the plan's resources are named by these codes, so
    their assignments become the project's demand on the pools. ``architect`` (a person's
    resource name) also works on :data:`ARCHITECT_TASK` (:data:`ARCHITECT_UNITS`). Task and
    calendar names are in ``language``.
    """
    factors = [span / days for span, days in zip(spans, GROUP_DAYS, strict=True)] + [1.0]
    tasks = [
        TaskData(
            uid=uid,
            name=text(label, language),
            outline_level=level,
            duration=round(days * factors[GROUP.get(uid, 2)]) * DAY,
            milestone=days == 0 and level > 1,
            predecessors=[
                LinkData(pred_uid=p, type=t, lag=round(lag * factors[GROUP.get(uid, 2)]) * DAY)
                for p, t, lag in preds
            ],
        )
        for uid, level, label, days, preds in TEMPLATE
    ]
    pools = pools or []
    staffed = [
        (uid, pools[min(side, len(pools) - 1)], units)
        for uid, (side, units) in STAFF.items()
        if pools
    ]
    if architect:
        staffed.append((ARCHITECT_TASK, architect, ARCHITECT_UNITS))
    codes = list(dict.fromkeys(code for _uid, code, _units in staffed))
    return PlanData(
        name=name,
        start=dt.datetime.combine(start, dt.time(9)),
        calendar_uid=1,
        calendars=[
            CalendarData(uid=1, name=text(CALENDAR, language), week=CHINA_WEEK, holidays="CN")
        ],
        tasks=tasks,
        resources=[ResourceData(uid=n, name=code) for n, code in enumerate(codes, start=1)],
        assignments=[
            AssignmentData(task_uid=uid, resource_uid=codes.index(code) + 1, units=units)
            for uid, code, units in staffed
        ],
    )


def _workdays(first: dt.date, last: dt.date) -> int:
    """Working days of the China calendar in ``[first, last)``."""
    return int(working("CN", first, last - dt.timedelta(days=1)).sum()) if last > first else 0


def add_demo_plans(
    projects: list[tuple[Project, Timeline]],
    admin: User,
    today: dt.date,
    language: str = ENGLISH,
) -> dict[int, PlanDates]:
    """Give projects in execution a plan from their start to their go-live, under way on ``today``.

    Each plan's initiation, design and build stretch over the project's phases up to its
    next gate (go-live), so the plan agrees with the gates passed. It is baselined, has its
    past work recorded as actuals (status date ``today``) and one slipped task (the n-th
    plan by n x 3 days), so the Gantt, the baseline variance and the status center show a
    slip. Returns the plan's dates by project id (the loader dates gates and reports by them).
    The plans are written in ``language``; the project milestones they drive are bilingual.
    """
    dates: dict[int, PlanDates] = {}
    for done, (project, timeline) in enumerate(projects):
        planning = next(j for j, p in enumerate(timeline.phases) if p.category == "planning")
        charter = timeline.actual[planning]
        spans = (
            _workdays(timeline.start, charter),
            _workdays(charter, timeline.entered),
            _workdays(timeline.entered, timeline.forecast[timeline.current + 1]),
        )
        plan = plan_services.replace_plan(
            actor=None,
            project=project,
            data=demo_plan(
                text((project.name, project.name_zh), language),
                timeline.start,
                spans,
                pools_of(project),
                architect_of(0) if done == 0 else "",
                language,
            ),
        )
        plan_services.set_baseline(actor=admin, plan=plan, number=0, name=text(BASELINE, language))
        now = dt.datetime.combine(today, dt.time(9))
        planned = [
            (task, from_db(task.start), from_db(task.finish))
            for task in plan.tasks.filter(summary=False).order_by("position")
        ]
        # work finished before today, then the status date, then work under way
        for task, start, finish in planned:
            if start is not None and finish is not None and finish <= now:
                plan_services.update_task(
                    actor=admin,
                    task=task,
                    data={"actual_start": start, "actual_finish": finish},
                    version=task.version,
                    today=today,
                )
        plan.refresh_from_db()
        plan_services.set_status_date(actor=admin, plan=plan, status_date=now, version=plan.version)
        under_way = [
            (task, start)
            for task, start, finish in planned
            if start is not None and finish is not None and start < now < finish
        ]
        # the task under way (else the next one) takes longer than planned: a slip. It is
        # lengthened before its progress is recorded, so that its % complete (worked up to
        # the status date) is of the longer duration and its progress bar ends there
        tasks = plan.tasks.filter(summary=False, actual_finish__isnull=True, duration__gt=0)
        late = next((task for task, _start in under_way), None) or tasks.order_by("start").first()
        assert late is not None
        late.refresh_from_db()
        plan_services.update_task(
            actor=admin,
            task=late,
            data={"duration": late.duration + (done + 1) * 3 * DAY},
            version=late.version,
        )
        for task, start in under_way:
            task.refresh_from_db()
            task.actual_start = start  # unsaved: for the % worked up to the status date
            percent = plan_services.worked_percent(task, now)
            plan_services.update_task(
                actor=admin,
                task=task,
                data={"actual_start": start, "percent_complete": percent},
                version=task.version,
                today=today,
            )
        dates[project.pk] = _dates(plan, language)
        _name_milestones([project], language)
    return dates


def _name_milestones(projects: list[Project], language: str, *, bilingual: bool = True) -> None:
    """Give the milestones the plans of ``projects`` drive both names (``bilingual``), or
    only the plan's (in ``language``) again, as the plan's recompute would have them.

    A recompute names a plan's milestone after its task; the demo's plan milestones have
    their English and Chinese names, so the rest of the demo finds them by the English one.
    """
    for en, zh in MILESTONE_NAMES.values():
        named = text((en, zh), language)
        was, now = (named, en) if bilingual else (en, named)
        Milestone.objects.filter(project__in=projects, name=was).update(name=now, name_zh=zh)


def staff_demo_plans(projects: list[Project], language: str = ENGLISH) -> None:
    """Recompute the plans of ``projects`` once the role pools exist: their task
    assignments become the projects' schedule demand on the pools (the heat map counts it,
    leveling moves it, and a committed scenario asks the project managers to follow)."""
    # the milestones as the plans name them, so that the recompute changes only what the
    # assignments change, in either language; then both names again
    _name_milestones(projects, language, bilingual=False)
    for plan in Plan.objects.filter(project__in=projects):
        plan_services.recompute_plan(plan)
    _name_milestones(projects, language)


def _dates(plan: Plan, language: str) -> PlanDates:
    """The plan's start, milestones and % complete (leaf tasks weighted by duration)."""
    plan.refresh_from_db()
    leaves = list(plan.tasks.filter(summary=False).select_related("portfolio_milestone"))
    by_name = {t.name: t.portfolio_milestone for t in leaves if t.portfolio_milestone}
    weight = sum(t.duration for t in leaves) or 1
    percent = round(sum(t.duration * float(t.percent_complete) for t in leaves) / weight)
    start = from_db(plan.start)
    charter, signoff, go_live, closed = (
        by_name[text(MILESTONE_NAMES[uid], language)] for uid in MILESTONES
    )
    assert start is not None and charter.actual_date and signoff.actual_date
    assert go_live.baseline_date and go_live.forecast_date
    assert closed.baseline_date and closed.forecast_date
    return PlanDates(
        start=start.date(),
        charter=charter.actual_date,
        signoff=signoff.actual_date,
        go_live=(go_live.baseline_date, go_live.forecast_date),
        closed=(closed.baseline_date, closed.forecast_date),
        percent=percent,
    )
