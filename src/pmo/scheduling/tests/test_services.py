"""Plans: store and schedule, edits that reschedule, baselines, sync with the status center."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.portfolio.models import Milestone
from pmo.scheduling import selectors, services
from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.planio import LinkData
from pmo.scheduling.tests.factories import DAY, small_plan
from pmo.scheduling.walltime import from_db


def _dates(plan: Plan) -> dict[int, tuple[dt.datetime | None, dt.datetime | None]]:
    return {t.uid: (from_db(t.start), from_db(t.finish)) for t in plan.tasks.all()}


def test_replace_plan_schedules_the_hand_checked_example(make_project: Any, users: Any) -> None:
    project = make_project()
    plan = services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    d = dt.datetime
    assert _dates(plan) == {
        1: (d(2026, 3, 2, 8), d(2026, 3, 11, 17)),
        2: (d(2026, 3, 2, 8), d(2026, 3, 4, 17)),
        3: (d(2026, 3, 5, 8), d(2026, 3, 11, 17)),
        4: (d(2026, 3, 2, 8), d(2026, 3, 3, 17)),
        5: (d(2026, 3, 11, 17), d(2026, 3, 11, 17)),
    }
    tasks = {t.uid: t for t in plan.tasks.all()}
    assert [u for u in sorted(tasks) if tasks[u].critical] == [2, 3, 5]
    assert tasks[4].total_float == 6 * DAY
    assert tasks[1].summary and tasks[2].parent_id == tasks[1].pk and tasks[5].parent_id is None
    project.refresh_from_db()
    assert project.forecast_finish == dt.date(2026, 3, 11)


def test_plan_milestones_become_status_center_milestones(make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    assert list(
        Milestone.objects.filter(project=project).values_list("name", "forecast_date", "is_key")
    ) == [("Release", dt.date(2026, 3, 11), True)]


def test_update_task_reschedules_and_returns_what_moved(make_project: Any, users: Any) -> None:
    project = make_project()
    plan = services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    code = plan.tasks.get(uid=3)
    moved = services.update_task(
        actor=users["pm"], task=code, data={"duration": 7 * DAY}, version=code.version
    )
    assert moved is not None
    assert [(m.uid, m.finish_days) for m in moved] == [(1, 2), (3, 2), (5, 2)]
    project.refresh_from_db()
    assert project.forecast_finish == dt.date(2026, 3, 13)
    assert (
        AuditEvent.objects.filter(
            scope=f"project:{project.pk}", object_type="scheduling.task"
        ).count()
        == 1
    )


def test_update_task_refuses_a_stale_version(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    task = plan.tasks.get(uid=3)
    services.update_task(actor=users["pm"], task=task, data={"duration": DAY}, version=1)
    with pytest.raises(ConflictError):
        services.update_task(actor=users["pm"], task=task, data={"duration": 2 * DAY}, version=1)


def test_update_task_needs_edit_permission(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    with pytest.raises(PermissionDeniedError):
        services.update_task(
            actor=users["other_pm"], task=plan.tasks.get(uid=3), data={"duration": 1}, version=1
        )


def test_summary_duration_cannot_be_set(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    with pytest.raises(FieldError) as err:
        services.update_task(
            actor=users["pm"], task=plan.tasks.get(uid=1), data={"duration": DAY}, version=1
        )
    assert err.value.field == "duration"


def test_baseline_then_edit_shows_slip_everywhere(make_project: Any, users: Any) -> None:
    project = make_project(baseline_finish=None)
    plan = services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    baseline = services.set_baseline(actor=users["pm"], plan=plan, number=0)
    assert str(baseline) == "Baseline"
    project.refresh_from_db()
    assert (project.baseline_finish, project.slip_days) == (dt.date(2026, 3, 11), 0)
    code = plan.tasks.get(uid=3)
    services.update_task(actor=users["pm"], task=code, data={"duration": 8 * DAY}, version=1)
    project.refresh_from_db()
    assert project.slip_days == 5  # Code ends Mon 03-16 instead of Wed 03-11
    rows = {r.task.uid: r for r in selectors.list_task_rows(plan)}
    assert (rows[3].finish_variance_days, rows[4].finish_variance_days) == (5, 0)
    milestone = Milestone.objects.get(project=project)
    assert (milestone.baseline_date, milestone.forecast_date, milestone.slip_days) == (
        dt.date(2026, 3, 11),
        dt.date(2026, 3, 16),
        5,
    )


def test_eleven_baselines_and_no_twelfth(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    for n in range(11):
        services.set_baseline(actor=users["pm"], plan=plan, number=n)
    assert [str(b) for b in selectors.list_baselines(plan)][:3] == [
        "Baseline",
        "Baseline 1",
        "Baseline 2",
    ]
    with pytest.raises(FieldError):
        services.set_baseline(actor=users["pm"], plan=plan, number=11)


def test_a_cycle_is_refused_and_nothing_is_written(make_project: Any, users: Any) -> None:
    project = make_project()
    data = small_plan()
    data.tasks[1].predecessors.append(LinkData(pred_uid=3))
    with pytest.raises(ScheduleError) as err:
        services.replace_plan(actor=users["pm"], project=project, data=data)
    assert err.value.message == "the links form a cycle: UID 2 -> UID 3"
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


def test_a_dangling_link_is_refused(make_project: Any, users: Any) -> None:
    data = small_plan()
    data.tasks[2].predecessors.append(LinkData(pred_uid=99))
    with pytest.raises(ScheduleError) as err:
        services.replace_plan(actor=users["pm"], project=make_project(), data=data)
    assert err.value.message == "Task UID 3: PredecessorLink to unknown UID 99"


def test_adding_a_link_creating_a_cycle_keeps_the_plan(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    with pytest.raises(ScheduleError):
        services.update_link(actor=users["pm"], plan=plan, pred_uid=3, succ_uid=2, data={})
    assert plan.links.count() == 4


def test_update_link_lag_moves_successors(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    moved = services.update_link(
        actor=users["pm"], plan=plan, pred_uid=2, succ_uid=3, data={"type": "FS", "lag": DAY}
    )
    assert moved is not None
    assert sorted(m.uid for m in moved) == [1, 3, 5]
    moved = services.update_link(actor=users["pm"], plan=plan, pred_uid=2, succ_uid=3, data=None)
    assert moved is not None and plan.links.count() == 3


def test_reimport_replaces_the_plan_and_its_milestones(make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    data = small_plan()
    data.tasks[4].name = "Go live"
    services.replace_plan(actor=users["pm"], project=project, data=data)
    assert list(Milestone.objects.filter(project=project).values_list("name", flat=True)) == [
        "Go live"
    ]
    assert Plan.objects.count() == 1


def test_large_plans_recompute_in_the_background(
    make_project: Any,
    users: Any,
    settings: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # patched where request_recompute reads it
    monkeypatch.setattr("pmo.scheduling.services.recompute.LARGE_PLAN_TASKS", 3)
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    task = plan.tasks.get(uid=3)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.update_task(
            actor=users["pm"], task=task, data={"duration": 6 * DAY}, version=1
        )
    assert moved is None
    plan.refresh_from_db()
    assert (plan.state, from_db(plan.tasks.get(uid=5).finish)) == (
        "current",
        dt.datetime(2026, 3, 12, 17),
    )


def test_engine_messages_name_tasks_and_links_by_uid(make_project: Any, users: Any) -> None:
    data = small_plan()
    data.tasks[4].predecessors = [LinkData(pred_uid=1, type="SF")]  # out of a summary's start
    with pytest.raises(ScheduleError) as err:
        services.replace_plan(actor=users["pm"], project=make_project(), data=data)
    assert err.value.message == "Link UID 1 -> UID 5: a SF link cannot start at a summary task"


def test_in_progress_task_needs_a_status_date(make_project: Any, users: Any) -> None:
    data = small_plan()
    data.tasks[1].actual_start = dt.datetime(2026, 3, 2, 8)
    with pytest.raises(ScheduleError) as err:
        services.replace_plan(actor=users["pm"], project=make_project(), data=data)
    assert err.value.message == (
        "Task UID 2: in progress (actual start, no actual finish), so the plan needs a status date"
    )
    data.status_date = dt.datetime(2026, 3, 3, 17)
    data.tasks[1].remaining = 2 * DAY
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=data)
    # two days worked by the status date, two remaining: Design ends Thursday
    assert _dates(plan)[2] == (dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 5, 17))


def test_completed_actuals_fix_the_task(make_project: Any, users: Any) -> None:
    data = small_plan()
    data.tasks[1].actual_start = dt.datetime(2026, 3, 2, 8)
    data.tasks[1].actual_finish = dt.datetime(2026, 3, 2, 17)
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=data)
    tasks = {t.uid: t for t in plan.tasks.all()}
    assert _dates(plan)[3][0] == dt.datetime(2026, 3, 3, 8)
    assert (tasks[2].critical, tasks[2].percent_complete) == (False, 100.0)


def test_a_timed_constraint_needs_its_date(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    task = plan.tasks.get(uid=4)
    with pytest.raises(FieldError) as err:
        services.update_task(actor=users["pm"], task=task, data={"constraint": "SNET"}, version=1)
    assert (err.value.field, err.value.message) == (
        "constraint_date",
        "is required by constraint SNET",
    )
    moved = services.update_task(
        actor=users["pm"],
        task=task,
        data={"constraint": "SNET", "constraint_date": dt.datetime(2026, 3, 9, 8)},
        version=1,
    )
    assert moved is not None and [m.uid for m in moved] == [4]


def test_holidays_entered_for_an_unknown_year_are_used(make_project: Any, users: Any) -> None:
    from pmo.scheduling.models import CalendarException
    from pmo.scheduling.planio import CalendarData

    data = small_plan()
    data.start = dt.datetime(2031, 3, 3, 8)  # a year chinesecalendar does not know
    data.calendars = [CalendarData(uid=1, name="China", week=data.calendars[0].week, holidays="CN")]
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=data)
    assert plan.assumed_years == "2031"
    calendar = plan.calendar
    assert calendar is not None
    CalendarException.objects.create(
        calendar=calendar, name="Holiday", first=dt.date(2031, 3, 4), last=dt.date(2031, 3, 4)
    )
    calendar.covered_years = [2031]
    calendar.save()
    assert services.recompute_plans(actor=users["admin"], plans=[plan]) == 1
    plan.refresh_from_db()
    assert plan.assumed_years == ""
    # Design (3 days) skips the entered holiday on Tuesday
    assert from_db(plan.tasks.get(uid=2).finish) == dt.datetime(2031, 3, 6, 17)


def test_a_summary_row_lasts_its_span_not_zero(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    rows = {r.task.name: r for r in selectors.list_task_rows(plan)}
    # Build = Design (3 days), then Code (5 days); Docs runs beside Code
    assert rows["Build"].task.summary and rows["Build"].task.duration == 0
    assert rows["Build"].duration_days == 8
    assert rows["Code"].duration_days == 5


def test_tasks_without_a_wbs_code_get_their_outline_number() -> None:
    assert services.outline_numbers([1, 2, 2, 3, 1, 2, 1]) == [
        "1",
        "1.1",
        "1.2",
        "1.2.1",
        "2",
        "2.1",
        "3",
    ]
    assert services.outline_numbers([2, 1, 3]) == ["0.1", "1", "1.0.1"]
