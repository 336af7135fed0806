"""The plan page's task rows: % complete, actual start and finish typed in, errors at the field.

The small plan (``factories``): Design 2026-03-02..03-04, Code 03-05..03-11, Docs 03-02..03-03,
Release at 03-11 17:00, standard calendar 08:00-12:00, 13:00-17:00.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from pmo.scheduling import services
from pmo.scheduling.models import Plan
from pmo.scheduling.tests.factories import small_plan
from pmo.scheduling.walltime import from_db

HX = {"HX-Request": "true"}
TESTIDS = {
    "duration_days": "duration",
    "percent_complete": "percent",
    "actual_start": "actual-start",
    "actual_finish": "actual-finish",
}


def _plan(make_project: Any, users: Any) -> Plan:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    services.set_status_date(
        actor=users["pm"], plan=plan, status_date=dt.datetime(2026, 3, 2, 8), version=None
    )
    return plan


def _row(plan: Plan, uid: int) -> dict[str, str]:
    """What the row of task ``uid`` posts when saved as shown."""
    task = plan.tasks.get(uid=uid)

    def day(value: dt.datetime | None) -> str:
        wall = from_db(value)
        return wall.date().isoformat() if wall else ""

    row = {
        "version": str(task.version),
        "zoom": "week",
        "depth": "",
        "duration_days": f"{task.duration / 480:g}",
        "percent_complete": f"{task.percent_complete:g}",
        "actual_finish": day(task.actual_finish),
    }
    if task.duration:
        row["actual_start"] = day(task.actual_start)
    return row


def _post(client: Any, plan: Plan, uid: int, changes: dict[str, str], htmx: bool = True) -> Any:
    data = {**_row(plan, uid), **changes}
    url = f"/projects/{plan.project.code}/plan/tasks/{uid}/"
    return client.post(url, data, headers=HX if htmx else {})


def _input(page: str, testid: str) -> str:
    """The ``value`` of the input marked ``data-testid=testid``."""
    tag = re.search(rf'<input[^>]*data-testid="{testid}"[^>]*>', page)
    assert tag, testid
    value = re.search(r'value="([^"]*)"', tag[0])
    return value[1] if value else ""


def test_rows_show_progress_inputs_to_the_manager_and_values_to_a_viewer(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    services.update_task(
        actor=users["pm"], task=plan.tasks.get(uid=2), data={"percent_complete": 100}, version=1
    )
    client.force_login(users["pm"])
    page = client.get(f"/projects/{plan.project.code}/plan/").content.decode()
    assert _input(page, "percent-2") == "100"
    assert _input(page, "actual-start-2") == "2026-03-02"
    assert _input(page, "actual-finish-2") == "2026-03-04"
    assert _input(page, "percent-3") == "0" and _input(page, "actual-start-3") == ""
    # a milestone takes one date, a summary none (its progress is rolled up)
    assert 'data-testid="actual-start-5"' not in page and 'data-testid="actual-finish-5"' in page
    assert '<td data-testid="percent-1">30%</td>' in page and 'form="row-1"' not in page
    # the status date the engine schedules from is shown
    assert re.search(r'id="plan-status-date"><strong>Status date</strong> 2026-03-02<', page)
    client.force_login(users["viewer"])
    page = client.get(f"/projects/{plan.project.code}/plan/").content.decode()
    assert '<td data-testid="percent-2">100%</td><td>2026-03-02</td><td>2026-03-04</td>' in page
    assert "<input" not in page.split('id="tasks"')[1].split("</table>")[0]


def test_percent_complete_saved_from_the_row_fills_the_actual_start(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    response = _post(client, plan, 3, {"percent_complete": "40"})
    page = response.content.decode()
    assert response.status_code == 200
    assert _input(page, "percent-3") == "40"
    assert _input(page, "actual-start-3") == "2026-03-05"
    assert 'id="moved"' in page and "No task moved." in page
    # the bar shows 40 % done
    bar = re.search(r'<g class="row critical" data-uid="3">.*?</g>', page, re.S)
    assert bar is not None
    width = float(re.search(r'class="bar" x="[\d.]+" y="\d+" width="([\d.]+)"', bar[0])[1])  # type: ignore[index]
    done = float(re.search(r'class="progress" x="[\d.]+" y="\d+" width="([\d.]+)"', bar[0])[1])  # type: ignore[index]
    assert done == pytest.approx(width * 0.4, abs=0.1)
    task = plan.tasks.get(uid=3)
    assert (task.percent_complete, from_db(task.actual_start)) == (
        40.0,
        dt.datetime(2026, 3, 5, 8),
    )


def test_an_actual_finish_typed_as_a_date_ends_that_working_day_and_completes(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    # Design started as planned (the date of its scheduled start keeps its time), ended a day late
    page = _post(
        client, plan, 2, {"actual_start": "2026-03-02", "actual_finish": "2026-03-05"}
    ).content.decode()
    task = plan.tasks.get(uid=2)
    assert (task.percent_complete, from_db(task.actual_start), from_db(task.actual_finish)) == (
        100.0,
        dt.datetime(2026, 3, 2, 8),
        dt.datetime(2026, 3, 5, 17),
    )
    assert _input(page, "percent-2") == "100"
    assert _input(page, "duration-2") == "4"  # the working days it took
    # what moved: Code and the release a day later
    moved = page.split('id="moved"')[1].split("</section>")[0]
    assert "<td>Code</td>" in moved and "<td>Release</td>" in moved and "+1d" in moved
    # a milestone's one date: done that day
    _post(client, plan, 5, {"actual_finish": "2026-03-12"})
    release = plan.tasks.get(uid=5)
    assert (from_db(release.actual_start), from_db(release.actual_finish)) == (
        dt.datetime(2026, 3, 12, 17),
        dt.datetime(2026, 3, 12, 17),
    )


@pytest.mark.parametrize(
    ("uid", "field", "typed", "message"),
    [
        (3, "duration_days", "abc", "Enter a number."),
        (3, "duration_days", "1e400", "Enter a number."),
        (3, "duration_days", "-1", "greater than or equal to 0"),
        (3, "percent_complete", "abc", "Enter a number."),
        (3, "percent_complete", "150", "less than or equal to 100"),
        (3, "percent_complete", "1e400", "Enter a number."),
        (3, "percent_complete", "", "This field is required."),
        (5, "percent_complete", "50", "a milestone is either not started (0%) or done (100%)"),
        (3, "actual_start", "2026-13-45", "Enter a valid date."),
        (3, "actual_start", "0202-03-05", "enter a date from 1984-01-01 to 2149-12-31"),
        (3, "actual_finish", "2026-03-11", "needs an actual start"),
        (3, "actual_finish", "10000000000000000000000000", "Enter a valid date."),
    ],
)
def test_bad_input_is_a_422_with_the_error_at_the_field_and_the_typed_value_kept(
    client: Any, make_project: Any, users: Any, uid: int, field: str, typed: str, message: str
) -> None:
    plan = _plan(make_project, users)
    before = list(plan.tasks.order_by("uid").values_list("version", "percent_complete"))
    client.force_login(users["pm"])
    client.raise_request_exception = False
    response = _post(client, plan, uid, {field: typed})
    page = response.content.decode()
    assert response.status_code == 422, page[:300]
    error = re.search(rf'<span class="errors" id="error-{uid}-{field}">([^<]*)</span>', page)
    assert error is not None and message in error[1], page.split('id="tasks"')[1][:3000]
    assert f'aria-describedby="error-{uid}-{field}"' in page
    assert 'id="plan-error"' not in page  # the error is at the field, not above the plan
    assert _input(page, f"{TESTIDS[field]}-{uid}") == typed
    assert list(plan.tasks.order_by("uid").values_list("version", "percent_complete")) == before


def test_a_finish_before_the_start_is_refused_at_the_actual_finish(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    response = _post(client, plan, 3, {"actual_start": "2026-03-05", "actual_finish": "2026-03-04"})
    page = response.content.decode()
    assert response.status_code == 422
    assert (
        '<span class="errors" id="error-3-actual_finish">Actual finish: is before the actual '
        "start</span>"
    ) in page
    assert _input(page, "actual-start-3") == "2026-03-05"
    assert plan.tasks.get(uid=3).actual_start is None


def test_a_stale_row_is_a_409_in_the_row_keeping_what_was_typed(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    stale = _row(plan, 3)
    # given one tab saved 10 % on Code
    _post(client, plan, 3, {"percent_complete": "10"})
    # when another tab, still showing the older row, saves 60 %
    response = client.post(
        f"/projects/{plan.project.code}/plan/tasks/3/",
        {**stale, "percent_complete": "60"},
        headers=HX,
    )
    page = response.content.decode()
    # then it is refused in the row (not above the plan, off-screen) and the 60 typed stays
    assert response.status_code == 409
    assert 'id="plan-error"' not in page
    row = re.search(r'<tr id="task-3".*?</tr>', page, re.S)
    assert row
    assert re.search(
        r'<span class="errors" role="alert" id="error-3-row"[^>]*>task was changed by '
        r"someone else \(your version 1, current version 2\)",
        row[0],
    )
    assert _input(page, "percent-3") == "60"
    assert plan.tasks.get(uid=3).percent_complete == 10.0


def test_an_actual_finish_after_today_is_refused_at_its_input(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    today = timezone.localdate()
    later = (today + dt.timedelta(days=24)).isoformat()
    response = _post(client, plan, 2, {"actual_start": "2026-03-02", "actual_finish": later})
    page = response.content.decode()
    assert response.status_code == 422
    assert re.search(
        r'id="error-2-actual_finish">Actual finish: cannot be later than today '
        rf"\({today.isoformat()}\)",
        page,
    )
    assert _input(page, "actual-finish-2") == later
    assert plan.tasks.get(uid=2).percent_complete == 0


def test_a_viewer_cannot_post_progress(client: Any, make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["viewer"])
    response = _post(client, plan, 3, {"percent_complete": "40"})
    assert response.status_code == 403
    assert plan.tasks.get(uid=3).percent_complete == 0


def test_a_summary_takes_no_progress_from_a_post(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    response = client.post(
        f"/projects/{plan.project.code}/plan/tasks/1/",
        {"version": "1", "percent_complete": "50"},
        headers=HX,
    )
    assert response.status_code == 422
    assert "rolled up from its subtasks" in response.content.decode()
    assert plan.tasks.get(uid=1).percent_complete == 0


def test_without_htmx_the_row_posts_back_to_the_page(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    response = _post(client, plan, 4, {"percent_complete": "100"}, htmx=False)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page and "Rescheduled." in page
    assert _input(page, "actual-finish-4") == "2026-03-03"
