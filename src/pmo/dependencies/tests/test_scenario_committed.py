"""A committed capacity scenario that moved schedule demand asks the plans' managers to act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

from pmo.dependencies.models import Notification
from pmo.resources import services
from pmo.resources.tests.factories import MON, pool


def test_the_managers_of_the_plans_to_change_are_told(
    org: Any, make_project: Any, users: Any
) -> None:
    # given two projects whose demand comes from their schedules, each with its own PM
    java = pool(org)
    mine = make_project()
    theirs = make_project(manager=users["other_pm"].person)
    users["pm"].language = "zh-hans"
    users["pm"].save()
    for project in (mine, theirs):
        row = services.DemandRow(java.code, MON, MON + dt.timedelta(days=4), 1.0)
        services.record_schedule_demand(project=project, rows=[row])
    scenario = services.create_scenario(actor=users["admin"], name="Later")
    services.shift_project(actor=users["admin"], scenario=scenario, project=mine, days=5)
    services.shift_project(actor=users["admin"], scenario=scenario, project=theirs, days=5)

    with translation.override("en"):
        result = services.commit_scenario(actor=users["admin"], scenario=scenario)

    assert result.plans_to_change == sorted([mine.code, theirs.code])
    told = {n.user.username: n for n in Notification.objects.select_related("user")}
    assert set(told) == {"pm", "other_pm"}
    assert told["pm"].url == f"/resources/scenarios/{scenario.pk}/"
    assert told["pm"].message == (
        f"情景“Later”已采用，并移动了 {mine.code} 计划中的工作：打开它即可将计划任务移到其日期"
    )
    assert told["other_pm"].message == (
        f"Scenario Later was committed and moved work of {theirs.code}'s plan: "
        "open it to move the plan's tasks to its dates"
    )


def test_a_scenario_that_changed_no_allocation_tells_nobody(
    org: Any, make_project: Any, users: Any
) -> None:
    java = pool(org)
    project = make_project()
    from pmo.resources.tests.factories import allocate

    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    scenario = services.create_scenario(actor=users["admin"], name="Hand")
    services.shift_project(actor=users["admin"], scenario=scenario, project=project, days=0)
    result = services.commit_scenario(actor=users["admin"], scenario=scenario)
    assert (result.plans_to_change, result.updated, result.created, result.deleted) == ([], 0, 0, 0)
    assert not Notification.objects.exists()


def test_the_managers_of_projects_whose_allocations_changed_are_told(
    org: Any, make_project: Any, users: Any
) -> None:
    from pmo.resources.tests.factories import allocate

    # given two projects with allocations of their own (no schedules), one finishing soon
    java = pool(org)
    soon = make_project(forecast_finish=MON + dt.timedelta(days=20))
    later = make_project(manager=users["other_pm"].person)
    allocate(java, soon, MON, MON + dt.timedelta(days=4), "1")
    allocate(java, soon, MON, MON + dt.timedelta(days=9), "1")
    allocate(java, later, MON, MON + dt.timedelta(days=4), "1")
    untouched = make_project()
    allocate(java, untouched, MON, MON + dt.timedelta(days=4), "1")
    # when a scenario moves both (one past its forecast finish) and is committed
    scenario = services.create_scenario(actor=users["admin"], name="Later")
    services.shift_project(actor=users["admin"], scenario=scenario, project=soon, days=14)
    services.shift_project(actor=users["admin"], scenario=scenario, project=later, days=7)
    with translation.override("en"):
        result = services.commit_scenario(actor=users["admin"], scenario=scenario)

    # then each manager is told once, with the count, and when the work now ends late
    assert result.plans_to_change == []
    told = {n.user.username: n for n in Notification.objects.select_related("user")}
    assert set(told) == {"pm", "other_pm"}
    last = MON + dt.timedelta(days=9 + 14)
    with translation.override("en"):
        assert told["pm"].text == (
            f"Scenario Later was committed and changed allocations of {soon.code} (2): they "
            f"now run to {last.isoformat()}, after its forecast finish "
            f"{soon.forecast_finish.isoformat()}"
        )
        assert told["other_pm"].text == (
            f"Scenario Later was committed and changed allocations of {later.code} (1)"
        )
    assert told["pm"].url == f"/projects/{soon.code}/staffing/"
