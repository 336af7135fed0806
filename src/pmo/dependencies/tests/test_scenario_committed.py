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
        f"情景 Later 已提交，并移动了 {mine.code} 计划中的工作：打开它即可将计划任务移到其日期"
    )
    assert told["other_pm"].message == (
        f"Scenario Later was committed and moved work of {theirs.code}'s plan: "
        "open it to move the plan's tasks to its dates"
    )


def test_a_scenario_that_moved_no_schedule_tells_nobody(
    org: Any, make_project: Any, users: Any
) -> None:
    java = pool(org)
    project = make_project()
    from pmo.resources.tests.factories import allocate

    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    scenario = services.create_scenario(actor=users["admin"], name="Hand")
    services.shift_project(actor=users["admin"], scenario=scenario, project=project, days=5)
    assert services.commit_scenario(actor=users["admin"], scenario=scenario).plans_to_change == []
    assert not Notification.objects.exists()
