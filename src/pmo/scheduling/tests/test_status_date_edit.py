"""Setting the plan's status date by hand: on the plan page (htmx) and ``PUT .../status-date``.

The small plan (``factories``): Design 2026-03-02..03-04, Code 03-05..03-11, Docs 03-02..03-03,
Release at 03-11 17:00, standard calendar. Work not done cannot be scheduled before the status
date, so a status date of Monday 03-09 moves the whole (unstarted) plan a week later.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.scheduling import services
from pmo.scheduling.models import Plan
from pmo.scheduling.tests.factories import small_plan
from pmo.scheduling.walltime import from_db

HX = {"HX-Request": "true"}


def _plan(make_project: Any, users: Any) -> Plan:
    return services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())


def _post(client: Any, plan: Plan, data: dict[str, str], version: int | None = None) -> Any:
    plan.refresh_from_db()
    body = {"version": str(version or plan.version), "zoom": "week", "depth": "", **data}
    return client.post(f"/projects/{plan.project.code}/plan/status-date/", body, headers=HX)


def _start(plan: Plan, uid: int) -> dt.datetime | None:
    return from_db(plan.tasks.get(uid=uid).start)


def _input_value(page: str) -> str:
    tag = re.search(r'<input[^>]*data-testid="status-date"[^>]*>', page)
    assert tag
    value = re.search(r'value="([^"]*)"', tag[0])
    return value[1] if value else ""


def test_the_manager_sets_and_clears_the_status_date_and_tasks_move(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    page = client.get(f"/projects/{plan.project.code}/plan/").content.decode()
    assert 'data-testid="set-status-date"' in page and 'id="plan-status-date"' not in page
    assert 'data-testid="clear-status-date"' not in page  # nothing to clear yet

    response = _post(client, plan, {"status_date": "2026-03-09"})
    page = response.content.decode()
    assert response.status_code == 200
    plan.refresh_from_db()
    assert from_db(plan.status_date) == dt.datetime(2026, 3, 9)
    assert _start(plan, 2) == dt.datetime(2026, 3, 9, 8)
    assert re.search(r'id="plan-status-date"><strong>Status date</strong> 2026-03-09<', page)
    assert _input_value(page) == "2026-03-09"
    moved = page.split('id="moved"')[1].split("</section>")[0]
    assert "<td>Design</td>" in moved and "<td>Release</td>" in moved and "+7d" in moved

    response = _post(client, plan, {"status_date": "2026-03-09", "clear": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.status_date is None
    assert _start(plan, 2) == dt.datetime(2026, 3, 2, 8)
    assert 'id="plan-status-date"' not in page and _input_value(page) == ""
    assert "+7d" not in page.split('id="moved"')[1].split("</section>")[0]


def test_a_stale_version_keeps_what_was_typed_and_says_so(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    plan.refresh_from_db()
    stale = plan.version
    services.set_status_date(
        actor=users["pm"], plan=plan, status_date=dt.datetime(2026, 3, 3), version=stale
    )
    response = _post(client, plan, {"status_date": "2026-03-09"}, version=stale)
    page = response.content.decode()
    assert response.status_code == 409
    assert re.search(r'<span class="errors" id="status-date-error"[^>]*role="alert"[^>]*>', page)
    assert "changed by someone else" in page and _input_value(page) == "2026-03-09"
    plan.refresh_from_db()
    assert from_db(plan.status_date) == dt.datetime(2026, 3, 3)
    # the form now carries the current version: setting again overwrites on purpose
    assert f'name="version" value="{plan.version}"' in page.split('id="status-date-form"')[1]
    assert _post(client, plan, {"status_date": "2026-03-09"}).status_code == 200
    plan.refresh_from_db()
    assert from_db(plan.status_date) == dt.datetime(2026, 3, 9)


def test_a_bad_date_is_refused_at_the_input(client: Any, make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    client.force_login(users["pm"])
    for typed, words in [
        ("2026-02-30", "Enter a valid date."),
        ("", "Enter a date, or clear the status date."),
        ("0202-03-09", "enter a date from 1984-01-01 to 2149-12-31"),
        # within the plan's horizon: what the engine schedules on
        ("2036-03-10", "enter a date from 2025-03-01 to 2036-03-09"),
        ("2025-02-28", "enter a date from 2025-03-01 to 2036-03-09"),
    ]:
        response = _post(client, plan, {"status_date": typed})
        page = response.content.decode()
        assert response.status_code == 422, typed
        error = re.search(r'<span class="errors" id="status-date-error"[^>]*>([^<]*)<', page)
        assert error and error[1].startswith("Status date: ") and words in error[1], typed
        assert 'aria-invalid="true" aria-describedby="status-date-error"' in page
        assert _input_value(page) == typed
    plan.refresh_from_db()
    assert plan.status_date is None
    # after today is allowed, as in Microsoft Project (a date beyond the tests' clock); more
    # than a month after it once confirmed (test_plan_forms)
    later = (timezone.localdate() + dt.timedelta(days=31)).isoformat()
    assert _post(client, plan, {"status_date": later}).status_code == 200
    plan.refresh_from_db()
    assert from_db(plan.status_date) == dt.datetime.fromisoformat(later)


def test_a_viewer_sees_the_date_as_text_and_cannot_set_it(
    client: Any, make_project: Any, users: Any
) -> None:
    plan = _plan(make_project, users)
    services.set_status_date(
        actor=users["pm"], plan=plan, status_date=dt.datetime(2026, 3, 3), version=None
    )
    client.force_login(users["viewer"])
    page = client.get(f"/projects/{plan.project.code}/plan/").content.decode()
    assert re.search(r'id="plan-status-date"><strong>Status date</strong> 2026-03-03<', page)
    assert 'id="status-date-form"' not in page and 'data-testid="status-date"' not in page
    response = _post(client, plan, {"status_date": "2026-03-09"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert from_db(plan.status_date) == dt.datetime(2026, 3, 3)


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def test_api_sets_and_clears_the_status_date(client: Any, make_project: Any, users: Any) -> None:
    plan = _plan(make_project, users)
    url = f"/api/v1/projects/{plan.project.code}/plan/status-date"
    version = client.get(
        f"/api/v1/projects/{plan.project.code}/plan", headers=_auth(users["pm"])
    ).json()["version"]

    def put(body: dict[str, Any], user: str = "pm") -> Any:
        return client.put(
            url, json.dumps(body), content_type="application/json", headers=_auth(users[user])
        )

    response = put({"status_date": "2026-03-09", "version": version})
    assert response.status_code == 200
    body = response.json()
    assert body["finish"] == "2026-03-18T17:00:00"
    assert [(m["uid"], m["finish_days"]) for m in body["moved"] if m["uid"] in (2, 5)] == [
        (2, 7),
        (5, 7),
    ]
    got = client.get(f"/api/v1/projects/{plan.project.code}/plan", headers=_auth(users["pm"]))
    assert got.json()["status_date"] == "2026-03-09T00:00:00"
    version = got.json()["version"]

    # stale version
    response = put({"status_date": "2026-03-10", "version": version - 1})
    assert response.status_code == 409
    # bad dates name the field
    for bad in ["2026-02-30", "2150-01-01", "2036-03-10"]:
        response = put({"status_date": bad, "version": version})
        assert response.status_code == 422, bad
        assert "status_date" in json.dumps(response.json()), bad
    response = put({"version": version})  # status_date is required (null clears it)
    assert response.status_code == 422 and "status_date" in response.content.decode()
    # a viewer is refused
    assert put({"status_date": None, "version": version}, "viewer").status_code == 403

    response = put({"status_date": None, "version": version})
    assert response.status_code == 200
    assert response.json()["finish"] == "2026-03-11T17:00:00"
    plan.refresh_from_db()
    assert plan.status_date is None
