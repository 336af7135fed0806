"""Progress: % complete, actual start and finish kept consistent as Microsoft Project does.

The small plan (``factories``): Design 2026-03-02..03-04, Code 03-05..03-11, Docs 03-02..03-03
(SS Design), Release at 03-11 17:00; standard calendar 08:00-12:00, 13:00-17:00.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import FieldError
from pmo.portfolio.models import Milestone
from pmo.scheduling import services
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.tests.factories import DAY, small_plan
from pmo.scheduling.walltime import from_db

d = dt.datetime


def _plan(make_project: Any, users: Any, *, status: dt.datetime | None = None) -> Plan:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    if status is not None:
        services.set_status_date(actor=users["pm"], plan=plan, status_date=status, version=None)
    return plan


def _edit(plan: Plan, uid: int, users: Any, **data: Any) -> Any:
    task = plan.tasks.get(uid=uid)
    return services.update_task(actor=users["pm"], task=task, data=data, version=task.version)


def _progress(plan: Plan, uid: int) -> tuple[float, dt.datetime | None, dt.datetime | None]:
    task = plan.tasks.get(uid=uid)
    return task.percent_complete, from_db(task.actual_start), from_db(task.actual_finish)


def test_percent_above_0_takes_the_scheduled_start_and_moves_nothing(
    make_project: Any, users: Any
) -> None:
    # given a plan with a status date before Code starts
    plan = _plan(make_project, users, status=d(2026, 3, 2, 8))
    # when Code is 40 % complete (no actual start entered)
    moved = _edit(plan, 3, users, percent_complete=40)
    # then it started at its scheduled start, keeps the 40 % through the recompute, and the
    # schedule did not move
    assert _progress(plan, 3) == (40.0, d(2026, 3, 5, 8), None)
    assert moved == []


def test_an_actual_finish_completes_the_task_and_moves_its_successors(
    make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    # when Design is recorded as started on time and finished a day late
    moved = _edit(plan, 2, users, actual_start=d(2026, 3, 2, 8), actual_finish=d(2026, 3, 5, 17))
    # then it is 100 % complete and Code, Build and Release move a day
    assert _progress(plan, 2) == (100.0, d(2026, 3, 2, 8), d(2026, 3, 5, 17))
    assert [(m.uid, m.finish_days) for m in moved or []] == [(1, 1), (2, 1), (3, 1), (5, 1)]
    # its duration is now the 4 working days it took (as in Microsoft Project), so Build,
    # the summary, is 4 of 11 working days done
    assert plan.tasks.get(uid=2).duration == 4 * DAY
    assert plan.tasks.get(uid=1).percent_complete == 36.4


def test_a_complete_tasks_duration_follows_its_actual_dates(make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    _edit(plan, 2, users, percent_complete=100)
    assert plan.tasks.get(uid=2).duration == 3 * DAY  # done as planned
    # an actual finish earlier shortens it
    _edit(plan, 2, users, actual_finish=d(2026, 3, 3, 12))
    assert plan.tasks.get(uid=2).duration == 1.5 * DAY
    # a duration that disagrees with the actual dates is refused, naming the duration
    with pytest.raises(FieldError) as err:
        _edit(plan, 2, users, duration=5 * DAY)
    assert err.value.field == "duration"
    _edit(plan, 2, users, duration=int(1.5 * DAY))  # the same is fine


def test_100_percent_takes_the_scheduled_dates_as_actuals(make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    _edit(plan, 4, users, percent_complete=100)
    assert _progress(plan, 4) == (100.0, d(2026, 3, 2, 8), d(2026, 3, 3, 17))


def test_below_100_reopens_and_0_leaves_the_task_not_started(make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users, status=d(2026, 3, 3, 12))
    _edit(plan, 2, users, actual_start=d(2026, 3, 2, 8), actual_finish=d(2026, 3, 4, 17))
    # when a complete task is set back to 50 %, its actual finish goes, its start stays
    _edit(plan, 2, users, percent_complete=50)
    assert _progress(plan, 2) == (50.0, d(2026, 3, 2, 8), None)
    # and at 0 % it has not started
    _edit(plan, 2, users, percent_complete=0)
    assert _progress(plan, 2) == (0.0, None, None)


def test_clearing_the_actual_finish_reopens_and_clearing_the_start_unstarts(
    make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    _edit(plan, 2, users, percent_complete=100)
    services.set_status_date(
        actor=users["pm"], plan=plan, status_date=d(2026, 3, 3, 12), version=None
    )
    _edit(plan, 2, users, actual_finish=None)
    # the % complete is then the engine's: worked up to the status date (1.5 of 3 days)
    assert _progress(plan, 2) == (50.0, d(2026, 3, 2, 8), None)
    _edit(plan, 2, users, actual_start=None)
    assert _progress(plan, 2) == (0.0, None, None)


def test_an_actual_start_alone_keeps_the_percent_complete(make_project: Any, users: Any) -> None:
    # given a status date halfway through Design's last day (2.5 of its 3 days worked)
    plan = _plan(make_project, users, status=d(2026, 3, 4, 12))
    # when only Design's actual start is typed, it has started but is 0 % complete, as in
    # Microsoft Project (updating "as of the status date" is a command of its own there);
    # the recompute used to derive 83.3 % from the status date
    _edit(plan, 2, users, actual_start=d(2026, 3, 2, 8))
    assert _progress(plan, 2) == (0.0, d(2026, 3, 2, 8), None)
    # a % typed with it is kept as typed
    _edit(plan, 4, users, actual_start=d(2026, 3, 2, 8), percent_complete=30)
    assert _progress(plan, 4) == (30.0, d(2026, 3, 2, 8), None)
    # and a later edit of the actual start alone leaves it
    _edit(plan, 4, users, actual_start=d(2026, 3, 2, 13))
    assert _progress(plan, 4) == (30.0, d(2026, 3, 2, 13), None)


def test_actual_dates_later_than_today_are_refused(make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    today = timezone.localdate()
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(8))
    # an actual start or finish after today records nothing that happened: refused by name
    for data, field in (
        ({"actual_start": tomorrow}, "actual_start"),
        ({"actual_start": d(2026, 3, 2, 8), "actual_finish": tomorrow}, "actual_finish"),
    ):
        with pytest.raises(FieldError) as err:
            _edit(plan, 2, users, **data)
        assert err.value.field == field
        assert f"cannot be later than today ({today.isoformat()})" in err.value.message
    assert _progress(plan, 2) == (0.0, None, None)
    # today itself is fine; "today" can be given (the demo's own date)
    _edit(plan, 2, users, actual_start=dt.datetime.combine(today, dt.time(8)))
    task = plan.tasks.get(uid=4)
    with pytest.raises(FieldError) as err:
        services.update_task(
            actor=users["pm"],
            task=task,
            data={"actual_start": d(2026, 3, 2, 8), "actual_finish": d(2026, 3, 4, 17)},
            version=task.version,
            today=dt.date(2026, 3, 3),
        )
    assert err.value.field == "actual_finish"


def test_a_milestone_is_done_at_one_date(make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    milestone = Milestone.objects.get(project=plan.project)
    # 100 %: done at its scheduled date, which the status center's milestone shows as actual
    _edit(plan, 5, users, percent_complete=100)
    assert _progress(plan, 5) == (100.0, d(2026, 3, 11, 17), d(2026, 3, 11, 17))
    milestone.refresh_from_db()
    assert milestone.actual_date == dt.date(2026, 3, 11)
    # an actual finish alone sets its actual start too
    _edit(plan, 5, users, actual_finish=d(2026, 3, 12, 17))
    assert _progress(plan, 5) == (100.0, d(2026, 3, 12, 17), d(2026, 3, 12, 17))
    # and 0 % takes it back
    _edit(plan, 5, users, percent_complete=0)
    assert _progress(plan, 5) == (0.0, None, None)
    milestone.refresh_from_db()
    assert milestone.actual_date is None


@pytest.mark.parametrize(
    ("uid", "data", "field", "message"),
    [
        (1, {"percent_complete": 30}, "percent_complete", "rolled up from its subtasks"),
        (1, {"actual_start": d(2026, 3, 2, 8)}, "actual_start", "rolled up from its subtasks"),
        (
            5,
            {"percent_complete": 50},
            "percent_complete",
            "a milestone is either not started (0%) or done (100%)",
        ),
        (
            5,
            {"actual_start": d(2026, 3, 11, 17), "actual_finish": d(2026, 3, 12, 17)},
            "actual_finish",
            "give one date",
        ),
        (5, {"percent_complete": 0, "actual_start": d(2026, 3, 11, 17)}, "percent_complete", ""),
        (3, {"percent_complete": 101}, "percent_complete", "from 0 to 100"),
        (3, {"percent_complete": -1}, "percent_complete", "from 0 to 100"),
        (3, {"percent_complete": float("nan")}, "percent_complete", "from 0 to 100"),
        (3, {"percent_complete": None}, "percent_complete", "from 0 to 100"),
        (3, {"percent_complete": "50"}, "percent_complete", "from 0 to 100"),
        (3, {"percent_complete": True}, "percent_complete", "from 0 to 100"),
        (
            3,
            {"percent_complete": 50, "actual_finish": d(2026, 3, 11, 17)},
            "percent_complete",
            "is 100 when the task has an actual finish",
        ),
        (3, {"percent_complete": 100, "actual_finish": None}, "actual_finish", "is needed"),
        (3, {"percent_complete": 20, "actual_start": None}, "actual_start", "is needed"),
        (3, {"actual_finish": d(2026, 3, 11, 17)}, "actual_finish", "needs an actual start"),
        (
            3,
            {"actual_start": d(2026, 3, 5, 8), "actual_finish": d(2026, 3, 4, 17)},
            "actual_finish",
            "is before the actual start",
        ),
    ],
)
def test_contradictions_and_bad_values_name_the_field_and_change_nothing(
    make_project: Any,
    users: Any,
    uid: int,
    data: dict[str, Any],
    field: str,
    message: str,
) -> None:
    plan = _plan(make_project, users, status=d(2026, 3, 2, 8))
    task = plan.tasks.get(uid=uid)
    before = (task.percent_complete, task.actual_start, task.actual_finish, task.version)
    with pytest.raises(FieldError) as err:
        services.update_task(actor=users["pm"], task=task, data=data, version=task.version)
    assert err.value.field == field and message in err.value.errors[0]["message"]
    task.refresh_from_db()
    assert (task.percent_complete, task.actual_start, task.actual_finish, task.version) == before


def test_clearing_the_start_of_a_complete_task_is_refused(make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    _edit(plan, 2, users, percent_complete=100)
    with pytest.raises(FieldError) as err:
        _edit(plan, 2, users, actual_start=None)
    assert err.value.field == "actual_start"


def test_a_task_put_under_way_gives_a_plan_without_status_date_today(
    make_project: Any, users: Any, monkeypatch: Any
) -> None:
    # given a plan without a status date, on Wednesday 2026-03-04
    from pmo.scheduling.services import progress

    monkeypatch.setattr(progress.timezone, "localdate", lambda: dt.date(2026, 3, 4))
    plan = _plan(make_project, users)
    _edit(plan, 2, users, percent_complete=100)  # Design done, as planned
    plan.refresh_from_db()
    assert plan.status_date is None  # a complete task needs none
    # when Code gets 20 % (so it is under way)
    moved = _edit(plan, 3, users, percent_complete=20)
    # then the plan's status date is today (its start: work up to the evening before), audited
    plan.refresh_from_db()
    assert from_db(plan.status_date) == d(2026, 3, 4, 0, 0)
    assert AuditEvent.objects.filter(
        object_type="scheduling.plan", changes__has_key="status_date"
    ).exists()
    # and Docs, planned Monday and Tuesday but not started, now runs from today
    assert [(m.uid, m.start) for m in moved or []] == [(4, d(2026, 3, 4, 8))]


def test_the_audit_names_the_fields_progress_filled_in(make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    _edit(plan, 4, users, percent_complete=100)
    event = AuditEvent.objects.filter(object_type="scheduling.task").latest("id")
    assert sorted(event.changes) == ["actual_finish", "actual_start", "percent_complete"]


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def test_api_patch_progress_follows_the_same_rules(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users, status=d(2026, 3, 2, 8))
    code = plan.project.code
    url, tasks = f"/api/v1/projects/{code}/plan/tasks", f"/api/v1/projects/{code}/plan/tasks"

    def patch(uid: int, body: dict[str, Any], user: str = "pm") -> Any:
        return client.patch(
            f"{url}/{uid}",
            json.dumps(body),
            content_type="application/json",
            headers=_auth(users[user]),
        )

    def row(uid: int) -> dict[str, Any]:
        items = client.get(tasks, headers=_auth(users["pm"])).json()["items"]
        return next(t for t in items if t["uid"] == uid)

    # % complete on a task not started: kept (it used to be reset to 0 by the recompute)
    assert patch(3, {"version": 1, "percent_complete": 50}).status_code == 200
    got = row(3)
    assert (got["percent_complete"], got["actual_start"], got["actual_finish"]) == (
        50.0,
        "2026-03-05T08:00:00",
        None,
    )
    # an actual finish: 100 %
    done = patch(3, {"version": got["version"], "actual_finish": "2026-03-12T17:00:00"})
    assert done.status_code == 200
    assert [m["uid"] for m in done.json()["moved"]] == [1, 3, 5]
    assert row(3)["percent_complete"] == 100.0
    # refusals name the field
    refusals: list[tuple[int, dict[str, Any], str]] = [
        (4, {"version": 1, "actual_finish": "2026-03-03T17:00:00"}, "actual_finish"),
        (1, {"version": 1, "percent_complete": 10}, "percent_complete"),
        (4, {"version": 1, "percent_complete": None}, "percent_complete"),
        (4, {"version": 1, "percent_complete": 101}, "percent_complete"),
        (4, {"version": 1, "actual_start": "0202-03-02T08:00:00"}, "actual_start"),
        (4, {"version": 1, "actual_start": "2999-03-02T08:00:00"}, "actual_start"),
    ]
    for uid, body, field in refusals:
        refused = patch(uid, body)
        assert refused.status_code == 422, (uid, body, refused.content)
        assert [e["field"] for e in refused.json()["errors"]] == [field], refused.json()
    # a viewer may not
    assert patch(4, {"version": 1, "percent_complete": 10}, "viewer").status_code == 403
    assert Task.objects.get(plan=plan, uid=4).percent_complete == 0
