"""The PMO levels a scenario from its page, watches the run and sees what moved."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def _overbook(org: Any, projects: list[Any]) -> dt.date:
    """2 FTE of Java developers; each project wants 1.5 FTE next week. Returns that Monday."""
    from pmo.resources.models import Allocation, Resource

    java = Resource.objects.create(
        code="java-sh",
        name="Java developer, Shanghai",
        kind="pool",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal("2"),
        calendar="",  # Monday to Friday: the figures do not depend on this week's holidays
    )
    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    for project in projects:
        Allocation.objects.create(
            resource=java,
            project=project,
            first=monday,
            last=monday + dt.timedelta(days=4),
            fte=Decimal("1.5"),
        )
    return monday


def _level_new_scenario(page: Any, name: str, *, seconds: int) -> Any:
    """Create a scenario from the current plan and level it; the run is seen queued."""
    page.goto("/resources/scenarios/")
    page.fill("input[name=name]", name)
    page.click("[data-testid=create-scenario]")
    page.fill("input[name=time_limit]", str(seconds))
    page.click("[data-testid=level]")
    expect(page.locator("[data-testid=run-state]")).to_have_text("Queued")
    return page


def test_level_a_scenario_and_see_the_result(
    org: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any], settings: Any
) -> None:
    from pmo.resources.leveling import run_leveling
    from pmo.resources.models import Allocation, LevelingRun

    # the task is queued but not run by a worker: the test plays the worker below, so the
    # page is seen polling a queued run and reloading when it is done
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    urgent, later = make_project(name="Core", priority=1), make_project(name="Mobile", priority=5)
    monday = _overbook(org, [urgent, later])

    page = _level_new_scenario(sign_in("member"), "Level it", seconds=1)
    expect(page.locator("[data-testid=level]")).to_be_disabled()

    run_leveling(LevelingRun.objects.get().pk)

    expect(page.locator("[data-testid=run-state]")).to_have_text("Done")  # reloaded by htmx
    projects = page.locator("[data-testid=run-projects] tbody tr")
    expect(projects).to_have_count(1)  # the urgent project neither moved nor waits
    expect(page.locator("[data-testid=run-unaffected]")).to_contain_text("1 other project")
    # code and name, priority, weight 1
    expect(projects.first).to_contain_text(f"{later.code} Mobile51")
    expect(projects.first.locator("td").nth(3)).to_have_text("5")
    moved = page.locator("[data-testid=run-moved] tbody tr")
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text(f"{later.code} Mobile")
    expect(page.locator("[data-testid=compare]")).to_contain_text(
        "Scenario: 0 overloaded cells, 0.0 FTE above capacity"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Committed")
    assert Allocation.objects.get(scenario=None, project=later).first == monday + dt.timedelta(
        days=7
    )


def test_cancel_a_queued_run_and_level_again(
    org: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any], settings: Any
) -> None:
    from pmo.resources.leveling import run_leveling
    from pmo.resources.models import LevelingRun

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _overbook(org, [make_project(priority=2), make_project(priority=4)])

    page = _level_new_scenario(sign_in("member"), "Too long", seconds=600)
    page.click("[data-testid=cancel-run]")
    expect(page.locator("[data-testid=run-state]")).to_have_text("Cancelled")
    expect(page.locator("[data-testid=run-cancelled]")).to_be_visible()
    expect(page.locator("[data-testid=cancel-run]")).to_have_count(0)
    expect(page.locator("[data-testid=level]")).to_be_enabled()
    first = LevelingRun.objects.get()
    assert run_leveling(first.pk).state == "cancelled"  # a late worker leaves it alone

    page.fill("input[name=time_limit]", "1")
    page.click("[data-testid=level]")
    expect(page.locator("[data-testid=run-state]")).to_have_text("Queued")
    run_leveling(LevelingRun.objects.exclude(pk=first.pk).get().pk)
    expect(page.locator("[data-testid=run-state]")).to_have_text("Done")


def test_the_pm_moves_the_plan_to_a_committed_levelled_scenario(
    org: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any], settings: Any
) -> None:
    import dataclasses

    from pmo.resources.leveling import run_leveling
    from pmo.resources.models import Allocation, LevelingRun, Resource
    from pmo.scheduling import services
    from pmo.scheduling.models import Task
    from pmo.scheduling.planio import AssignmentData, ResourceData
    from pmo.scheduling.tests.factories import small_plan
    from pmo.scheduling.walltime import from_db

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    # given a 2-FTE pool that the urgent project needs 1.5 of next week, and a later
    # project whose plan has Design (3 days) then Code (5 days) on it from next Monday
    java = Resource.objects.create(
        code="java-sh",
        name="Java",
        kind="pool",
        role="Java",
        org_unit=org["sh"],
        fte=2,
        calendar="",
    )
    urgent, later = make_project(name="Core", priority=1), make_project(name="Mobile", priority=5)
    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    Allocation.objects.create(
        resource=java, project=urgent, first=monday, last=monday + dt.timedelta(days=4), fte=1.5
    )
    plan_data = dataclasses.replace(
        small_plan(),
        start=dt.datetime.combine(monday, dt.time(8)),
        resources=[ResourceData(uid=1, name="JAVA-SH")],
        assignments=[
            AssignmentData(task_uid=2, resource_uid=1, units=1.0),
            AssignmentData(task_uid=3, resource_uid=1, units=1.0),
        ],
    )
    plan = services.replace_plan(actor=later.manager.user, project=later, data=plan_data)

    # when the PMO levels and commits a scenario
    page = _level_new_scenario(sign_in("member"), "Level the plans", seconds=2)
    run_leveling(LevelingRun.objects.get().pk)
    expect(page.locator("[data-testid=run-state]")).to_have_text("Done")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Committed")
    expect(page.locator("[data-testid=plans-to-change]")).to_contain_text(later.code)
    expect(page.locator("[data-testid=apply-to-plan]")).to_have_count(1)  # the PMO may too
    scenario_url = page.url
    levelled = Allocation.objects.filter(project=later, task_uid=2).exclude(scenario=None).get()
    assert levelled.first > monday

    # then the project's manager applies it from the scenario page, after a question
    page.context.clear_cookies()  # signed out
    page = sign_in("pm")
    page.goto(scenario_url)
    button = page.locator(f"[data-testid=plans-to-change] li[data-code={later.code}] button")
    page.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    assert Task.objects.get(plan=plan, uid=2).constraint == "ASAP"  # dismissed: nothing
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page).to_have_url(re.compile(f"/projects/{later.code}/plan/$"))
    expect(page.locator(".flash").first).to_contain_text("now start")
    design = Task.objects.get(plan=plan, uid=2)
    start = from_db(design.start)
    assert design.constraint == "SNET" and start is not None
    assert start.date() == levelled.first
