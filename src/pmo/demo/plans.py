"""Demo plans: a few demo projects get a schedule (China calendar, baseline, one slip)."""

from __future__ import annotations

import datetime as dt

from pmo.accounts.models import User
from pmo.portfolio.models import Project
from pmo.scheduling import services as plan_services
from pmo.scheduling.planio import CalendarData, LinkData, PlanData, TaskData
from pmo.scheduling.walltime import from_db

__all__ = ["PLANNED_PROJECTS", "add_demo_plans"]

PLANNED_PROJECTS = 3
DAY = 480
CHINA_WEEK = [[(540, 720), (780, 1080)]] * 5 + [[], []]  # 09:00-12:00, 13:00-18:00

# (uid, outline level, name, working days, predecessors "uid[type][+lag days]")
TEMPLATE: list[tuple[int, int, str, float, list[tuple[int, str, int]]]] = [
    (1, 1, "Initiation", 0, []),
    (2, 2, "Business case", 5, []),
    (3, 2, "Charter approved", 0, [(2, "FS", 0)]),
    (4, 1, "Design", 0, []),
    (5, 2, "Requirements", 10, [(3, "FS", 0)]),
    (6, 2, "Solution design", 8, [(5, "SS", 4)]),
    (7, 2, "Design sign-off", 0, [(6, "FS", 0)]),
    (8, 1, "Build", 0, []),
    (9, 2, "Development", 25, [(7, "FS", 0)]),
    (10, 2, "Data migration", 12, [(7, "FS", 5)]),
    (11, 2, "Test environment", 6, [(7, "FS", 0)]),
    (12, 2, "System test", 10, [(9, "FS", 0), (11, "FS", 0)]),
    (13, 1, "Deploy", 0, []),
    (14, 2, "User acceptance test", 8, [(12, "FS", 0), (10, "FS", 0)]),
    (15, 2, "Training", 5, [(14, "SS", 3)]),
    (16, 2, "Go-live", 0, [(14, "FS", 0), (15, "FF", 0)]),
]


def demo_plan(name: str, start: dt.date) -> PlanData:
    """The template plan starting on the first working morning at or after ``start``."""
    tasks = [
        TaskData(
            uid=uid,
            name=label,
            outline_level=level,
            duration=round(days * DAY),
            milestone=days == 0 and level > 1,
            predecessors=[LinkData(pred_uid=p, type=t, lag=lag * DAY) for p, t, lag in preds],
        )
        for uid, level, label, days, preds in TEMPLATE
    ]
    return PlanData(
        name=name,
        start=dt.datetime.combine(start, dt.time(9)),
        calendar_uid=1,
        calendars=[CalendarData(uid=1, name="China", week=CHINA_WEEK, holidays="CN")],
        tasks=tasks,
    )


def add_demo_plans(projects: list[Project], admin: User, today: dt.date) -> int:
    """Give the first demo projects a plan that is under way on ``today``; returns how many.

    Each plan starts nine weeks before ``today`` on the China calendar, is baselined,
    has its past work recorded as actuals (status date ``today``) and one slipped task,
    so the Gantt, the baseline variance and the status center show a slip.
    """
    monday = today - dt.timedelta(days=today.weekday() + 63)
    done = 0
    for project in projects[:PLANNED_PROJECTS]:
        plan = plan_services.replace_plan(
            actor=None, project=project, data=demo_plan(project.name, monday)
        )
        plan_services.set_baseline(actor=admin, plan=plan, number=0, name="Approved plan")
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
                )
        plan.refresh_from_db()
        plan_services.set_status_date(actor=admin, plan=plan, status_date=now, version=plan.version)
        for task, start, finish in planned:
            if start is not None and finish is not None and start < now < finish:
                plan_services.update_task(
                    actor=admin, task=task, data={"actual_start": start}, version=task.version
                )
        # the task under way (else the next one) takes longer than planned: a slip
        tasks = plan.tasks.filter(summary=False, actual_finish__isnull=True, duration__gt=0)
        late = tasks.filter(actual_start__isnull=False).first() or tasks.order_by("start").first()
        assert late is not None
        plan_services.update_task(
            actor=admin,
            task=late,
            data={"duration": late.duration + (done + 1) * 3 * DAY},
            version=late.version,
        )
        done += 1
    return done
