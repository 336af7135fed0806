"""Milestones are named in the reader's language on the milestone chart and the plan page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.portfolio.models import Milestone
from pmo.scheduling import services
from pmo.scheduling.tests.factories import small_plan


def test_milestone_chart_names_a_milestone_in_the_readers_language(
    client: Any, make_project: Any, users: Any
) -> None:
    project = make_project()
    Milestone.objects.create(
        project=project,
        name="Go-live",
        name_zh="上线",
        baseline_date=dt.date(2026, 6, 1),
        is_key=True,
    )
    client.force_login(users["exec"])
    english = client.get("/milestones/").content.decode()
    chinese = client.get("/milestones/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<title>Go-live</title>" in english and "上线" not in english
    assert "<title>上线</title>" in chinese and "Go-live" not in chinese


def test_plan_page_names_a_milestone_by_its_chinese_name(
    client: Any, make_project: Any, users: Any
) -> None:
    project = make_project()
    plan = services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    Milestone.objects.filter(schedule_task__plan=plan).update(name_zh="发布")
    client.force_login(users["pm"])
    english = client.get(f"/projects/{project.code}/plan/").content.decode()
    chinese = client.get(
        f"/projects/{project.code}/plan/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "<td>◆ Release</td>" in english
    assert "<td>◆ 发布</td>" in chinese
    assert "<title>Release：2026-03-11</title>" in chinese  # the label separator, no ": "


def test_a_milestone_the_schedule_replaced_keeps_its_chinese_name_in_the_change_log(
    make_project: Any, users: Any
) -> None:
    from django.utils import translation

    from pmo.audit.display import shown_events
    from pmo.audit.models import AuditEvent

    # given a hand-entered milestone with a Chinese name, replaced by an imported plan
    project = make_project()
    Milestone.objects.create(project=project, name="Pilot launch", name_zh="试点上线")
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    events = list(AuditEvent.objects.filter(object_type="portfolio.milestone", action="delete"))
    # then the change log still names it in the reader's language
    with translation.override("zh-hans"):
        assert [e.label for e in shown_events(events)] == ["试点上线"]
    with translation.override("en"):
        assert [e.label for e in shown_events(events)] == ["Pilot launch"]
