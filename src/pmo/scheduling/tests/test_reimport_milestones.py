"""A re-imported plan keeps its milestones (same rows, Chinese names) and says which went."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pmo.audit.models import AuditEvent
from pmo.portfolio.models import Milestone
from pmo.scheduling import selectors, services
from pmo.scheduling.planio import TaskData
from pmo.scheduling.tests.factories import small_plan


def test_reimporting_the_plan_keeps_each_milestone_row_and_its_chinese_name(
    make_project: Any, users: Any
) -> None:
    # given a plan whose Release milestone was given a Chinese name on the project page
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    release = Milestone.objects.get(project=project)
    Milestone.objects.filter(pk=release.pk).update(name_zh="发布")
    # when the plan's own data is imported again (an export read back)
    plan = selectors.get_plan(project)
    assert plan is not None
    result = services.replace_plan_reporting(
        actor=users["pm"], project=project, data=selectors.plan_data(plan)
    )
    # then Release is the same row, still named in Chinese, driven by the new task UID 5
    kept = Milestone.objects.get(project=project)
    assert (kept.pk, kept.name, kept.name_zh) == (release.pk, "Release", "发布")
    assert kept.schedule_task.plan_id == result.plan.pk and kept.schedule_task.uid == 5
    assert kept.forecast_date == dt.date(2026, 3, 11)
    # and nothing is reported gone, nor deleted in the change log
    assert (result.tasks, result.by_hand, result.dropped) == (5, [], [])
    assert not AuditEvent.objects.filter(object_type="portfolio.milestone", action="delete")


def test_a_renamed_milestone_task_keeps_its_milestone_by_uid(make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    release = Milestone.objects.get(project=project)
    Milestone.objects.filter(pk=release.pk).update(name_zh="发布")
    data = small_plan()
    data.tasks[4] = dataclasses.replace(data.tasks[4], name="Go-live")
    services.replace_plan(actor=users["pm"], project=project, data=data)
    kept = Milestone.objects.get(project=project)
    assert (kept.pk, kept.name, kept.name_zh) == (release.pk, "Go-live", "发布")


def test_a_hand_milestone_the_plan_lacks_is_reported_and_one_it_has_is_taken_over(
    make_project: Any, users: Any
) -> None:
    # given a project with two milestones entered by hand, one named like the plan's
    project = make_project()
    audit = Milestone.objects.create(project=project, name="Audit", name_zh="审计")
    hand_release = Milestone.objects.create(
        project=project, name="Release", name_zh="发布", forecast_date=dt.date(2026, 4, 1)
    )
    # when the plan is imported
    result = services.replace_plan_reporting(actor=users["pm"], project=project, data=small_plan())
    # then "Release" became the plan's milestone (same row, Chinese name, the plan's date)
    release = Milestone.objects.get(project=project)
    assert (release.pk, release.name_zh, release.forecast_date) == (
        hand_release.pk,
        "发布",
        dt.date(2026, 3, 11),
    )
    assert release.schedule_task.uid == 5
    # and "Audit" is gone, reported in both languages and audited
    assert [(m.name, m.name_zh) for m in result.by_hand] == [("Audit", "审计")]
    assert result.dropped == []
    assert not Milestone.objects.filter(pk=audit.pk).exists()
    deleted = AuditEvent.objects.get(object_type="portfolio.milestone", action="delete")
    assert deleted.object_id == str(audit.pk)


def test_a_plan_milestone_the_new_plan_lacks_is_reported_as_dropped(
    make_project: Any, users: Any
) -> None:
    project = make_project()
    data = small_plan()
    data.tasks.append(TaskData(uid=6, name="Sign-off", outline_level=1, wbs="3", milestone=True))
    services.replace_plan(actor=users["pm"], project=project, data=data)
    Milestone.objects.filter(project=project, name="Sign-off").update(name_zh="签字")
    result = services.replace_plan_reporting(actor=users["pm"], project=project, data=small_plan())
    assert result.by_hand == []
    assert [(m.name, m.name_zh) for m in result.dropped] == [("Sign-off", "签字")]
    assert list(Milestone.objects.filter(project=project).values_list("name", flat=True)) == [
        "Release"
    ]


def test_two_hand_milestones_of_one_name_are_not_guessed_between(
    make_project: Any, users: Any
) -> None:
    project = make_project()
    first = Milestone.objects.create(project=project, name="Release")
    second = Milestone.objects.create(project=project, name="Release")
    result = services.replace_plan_reporting(actor=users["pm"], project=project, data=small_plan())
    assert [m.pk for m in result.by_hand] == [first.pk, second.pk]
    assert Milestone.objects.get(project=project).pk not in {first.pk, second.pk}
