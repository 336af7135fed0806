"""Applying an approved slip: the plans, milestones and finishes land where the impact said."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest
from pmo.dependencies.services import create_dependency
from pmo.governance.models import ProjectGate
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling import services as scheduling
from pmo.scheduling.models import Task
from pmo.scheduling.tests.factories import small_plan
from pmo.scheduling.walltime import from_db


def _planned(make_project: Any, users: Any) -> Project:
    """PLAN1 with the small plan: Design -> Code -> Release (Wed 2026-03-11 17:00)."""
    project = make_project(code="PLAN1")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    return project


def _apply(users: Any, **data: Any) -> ChangeRequest:
    """Raise, approve (the PMO: the PM review of the PM's own request is skipped) and apply a
    change request as ``pm``."""
    cr = changes.create_change_request(
        actor=users["pm"], data={"type": "schedule", "title": "Late", **data}
    )
    for actor, action in [("pm", "submit"), ("member", "approve")]:
        cr = changes.transition(actor=users[actor], cr=cr, action=action)
    assert cr.state == "approved"
    return changes.transition(actor=users["pm"], cr=cr, action="apply")


def _date_now(row: dict[str, Any]) -> dt.date | None:
    """The stored date of an impact row's item."""
    if row["kind"] == "task":
        finish = from_db(Task.objects.get(pk=row["id"]).finish)
        return finish.date() if finish else None
    if row["kind"] == "milestone":
        return Milestone.objects.get(pk=row["id"]).forecast_date
    if row["kind"] == "gate":
        return ProjectGate.objects.get(pk=row["id"]).forecast
    return Project.objects.get(pk=row["id"]).forecast_finish


def test_a_slipping_milestone_moves_and_stays_a_milestone(make_project: Any, users: Any) -> None:
    # given PLAN1's Release milestone (Wed 03-11 17:00), driven by its plan task
    project = _planned(make_project, users)
    release = Milestone.objects.get(project=project, name="Release")
    # when a 3-working-day slip of Release is applied
    cr = _apply(users, project="PLAN1", slip_milestone=release.pk, slip_days=3)
    # then the task moves to Mon 03-16 17:00 with a start constraint and no work added
    task = Task.objects.get(plan__project=project, uid=5)
    assert (task.duration, task.milestone, task.constraint) == (0, True, "SNET")
    assert from_db(task.start) == from_db(task.finish) == dt.datetime(2026, 3, 16, 17, 0)
    assert from_db(task.constraint_date) == dt.datetime(2026, 3, 16, 17, 0)
    # and the portfolio milestone and the project's finish follow
    assert Milestone.objects.get(pk=release.pk).forecast_date == dt.date(2026, 3, 16)
    assert Project.objects.get(pk=project.pk).forecast_finish == dt.date(2026, 3, 16)
    # every item of the impact is counted as updated, at the date the impact gave
    rows = cr.impact["items"]
    assert [(r["kind"], r["new_date"]) for r in rows] == [
        ("task", "2026-03-16"),
        ("milestone", "2026-03-16"),
        ("project", "2026-03-16"),
    ]
    assert len(cr.impact["applied"]) == 3
    assert cr.steps.get(action="apply").note == ""  # the page counts them in the reader's language


def test_applying_moves_the_plan_of_a_consumer_project(
    make_project: Any, users: Any, web: Any
) -> None:
    # given PLAN1's Release milestone (Wed 03-11) needs CORE1's build (Fri 03-06): 2 days room
    project = _planned(make_project, users)
    release = Milestone.objects.get(project=project, name="Release")
    create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": web["build"].pk,
            "consumer_project": "PLAN1",
            "consumer_milestone": release.pk,
        },
    )
    # when CORE1's build slips 5 working days and the change is applied
    cr = _apply(users, project="CORE1", slip_milestone=web["build"].pk, slip_days=5)
    # then the impact moved Release 3 days, and the plan did move it: Mon 03-16 17:00
    rows = cr.impact["items"]
    assert {
        (r["project"], r["kind"]): (r["delay"], r["new_date"])
        for r in rows
        if r["project"] == "PLAN1"
    } == {
        ("PLAN1", "task"): (3, "2026-03-16"),
        ("PLAN1", "milestone"): (3, "2026-03-16"),
        ("PLAN1", "project"): (3, "2026-03-16"),
    }
    task = Task.objects.get(plan__project=project, uid=5)
    assert (task.duration, task.milestone) == (0, True)
    assert from_db(task.finish) == dt.datetime(2026, 3, 16, 17, 0)
    assert Project.objects.get(pk=project.pk).forecast_finish == dt.date(2026, 3, 16)
    # and every item of the impact now has the date the impact promised
    assert {r["key"]: _date_now(r) for r in rows} == {
        r["key"]: dt.date.fromisoformat(r["new_date"]) for r in rows
    }
    assert len(cr.impact["applied"]) == len(rows)


def test_a_scope_change_adds_work_to_the_task(make_project: Any, users: Any) -> None:
    # given the small plan's Design (3 days, Mon 03-02 to Wed 03-04)
    project = _planned(make_project, users)
    design = Task.objects.get(plan__project=project, uid=2)
    # when 2 working days of work added to Design are applied
    cr = _apply(users, project="PLAN1", slip_task=design.pk, slip_days=2)
    # then Design takes 5 days, unconstrained, and Release moves to Fri 03-13
    design.refresh_from_db()
    assert (design.duration, design.constraint) == (5 * 480, "ASAP")
    release = Task.objects.get(plan__project=project, uid=5)
    assert from_db(release.finish) == dt.datetime(2026, 3, 13, 17, 0)
    moved = {(r["kind"], r["name"]): r["new_date"] for r in cr.impact["items"]}
    assert moved[("task", "Code")] == "2026-03-13"
    assert moved[("task", "Release")] == "2026-03-13"
    assert Project.objects.get(pk=project.pk).forecast_finish == dt.date(2026, 3, 13)


def test_the_what_if_page_dates_tasks_on_the_plan_s_wall_clock(
    client: Any, make_project: Any, users: Any, settings: Any
) -> None:
    # given a server east of UTC and Code and Release finishing Wed 03-11 17:00
    settings.TIME_ZONE = "Asia/Shanghai"
    _planned(make_project, users)
    client.force_login(users["pm"])
    # when the what-if page lists the plan's tasks
    page = client.get("/impact/?project=PLAN1").content.decode()
    # then they show the plan's finish day, not the day it is in Shanghai at 17:00 UTC
    assert "Code · 2026-03-11<" in page
    assert "Release · 2026-03-11<" in page
