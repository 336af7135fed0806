"""A milestone's forecast and actual dates kept in the browser, and overdue milestones flagged on
the project page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.core.errors import FieldError
from pmo.portfolio import services
from pmo.portfolio.models import Milestone

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _milestone(project: Any, **fields: Any) -> Milestone:
    values = {"name": "Go-live", "baseline_date": dt.date(2026, 11, 2), **fields}
    return Milestone.objects.create(project=project, **values)


def _url(m: Milestone) -> str:
    return f"/projects/{m.project.code}/milestones/{m.pk}/"


def _row(html: str, m: Milestone) -> str:
    found = re.search(rf'<tr data-milestone="{m.pk}">(.*?)</tr>', html, re.S)
    assert found, f"no row of milestone {m.pk}"
    return found.group(1)


def test_the_manager_moves_a_forecast_and_records_an_actual(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given a milestone whose forecast has passed
    project = make_project()
    m = _milestone(project, forecast_date=dt.date(2026, 11, 5))
    client = _client(users["pm"])

    # the form shows its name, baseline and dates, with a version and a way back
    html = client.get(_url(m)).content.decode()
    assert "<strong>Go-live</strong>" in html and "Baseline date: 2026-11-02" in html
    assert 'name="forecast_date" value="2026-11-05"' in html
    assert 'name="version" value="1"' in html
    assert f'href="/projects/{project.code}/#milestones" data-testid="cancel">Cancel</a>' in html

    # when the PM moves the forecast
    response = client.post(_url(m), {"version": 1, "forecast_date": "2027-01-15"})

    # then it is saved, version-checked and recorded
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.code}/#milestones"
    m.refresh_from_db()
    assert (m.forecast_date, m.actual_date, m.version, m.slip_days) == (
        dt.date(2027, 1, 15),
        None,
        2,
        74,
    )

    # and an actual date of today is taken
    today = timezone.localdate()
    client.post(_url(m), {"version": 2, "forecast_date": "2027-01-15", "actual_date": today})
    m.refresh_from_db()
    assert (m.actual_date, m.version) == (today, 3)


def test_an_actual_date_after_today_is_refused_at_the_field(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project(code="MS1")
    m = _milestone(project, forecast_date=dt.date(2026, 11, 5))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    page = _client(users["pm"]).post(_url(m), {"version": 1, "actual_date": tomorrow})

    html = page.content.decode()
    assert page.status_code == 422
    assert re.search(r"cannot be later than today \(\d{4}-\d\d-\d\d\), as it is the day", html)
    assert f'name="actual_date" value="{tomorrow.isoformat()}"' in html  # kept as typed
    # the API refuses it the same way
    token = create_token(username="pm")
    api = Client().patch(
        f"/api/v1/projects/MS1/milestones/{m.pk}",
        json.dumps({"version": 1, "actual_date": tomorrow.isoformat()}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 422
    assert [e["field"] for e in api.json()["errors"]] == ["actual_date"]
    m.refresh_from_db()
    assert (m.actual_date, m.version) == (None, 1)


def test_the_service_checks_actual_dates_against_the_day_given(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project()
    day = dt.date(2026, 12, 6)
    m = services.create_milestone(
        actor=users["pm"],
        project=project,
        data={"name": "Done", "actual_date": day},
        today=day,
    )
    assert m.actual_date == day
    with pytest.raises(FieldError, match="cannot be later than today \\(2026-12-06\\)"):
        services.update_milestone(
            actor=users["pm"],
            milestone=m,
            data={"actual_date": dt.date(2026, 12, 7)},
            version=1,
            today=day,
        )


@pytest.mark.parametrize("username", ["other_pm", "exec"])
def test_readers_see_the_dates_read_only_and_cannot_post(
    make_project: Any, users: dict[str, Any], username: str
) -> None:
    m = _milestone(make_project(), forecast_date=dt.date(2026, 11, 5))
    client = _client(users[username])

    html = client.get(_url(m)).content.decode()
    assert 'data-testid="read-only"' in html and 'data-testid="save"' not in html
    assert re.search(r'name="forecast_date" value="2026-11-05"[^>]* disabled', html)

    assert client.post(_url(m), {"version": 1, "forecast_date": "2027-01-01"}).status_code == 403
    m.refresh_from_db()
    assert (m.forecast_date, m.version) == (dt.date(2026, 11, 5), 1)


def test_a_stale_version_keeps_the_typed_dates(make_project: Any, users: dict[str, Any]) -> None:
    m = _milestone(make_project(), forecast_date=dt.date(2026, 11, 5))
    services.update_milestone(
        actor=users["member"], milestone=m, data={"forecast_date": dt.date(2026, 12, 1)}, version=1
    )

    response = _client(users["pm"]).post(_url(m), {"version": 1, "forecast_date": "2027-02-01"})

    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this milestone while you were editing it." in html
    assert 'name="forecast_date" value="2027-02-01"' in html
    assert "<li>Forecast date: 2026-12-01</li>" in html
    assert 'name="version" value="2"' in html
    m.refresh_from_db()
    assert m.forecast_date == dt.date(2026, 12, 1)


def test_a_passed_forecast_without_an_actual_is_flagged_overdue_in_words(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given milestones: one whose forecast has passed, one reached, one ahead, one due today
    today = timezone.localdate()
    project = make_project()
    late = _milestone(project, name="Go-live", forecast_date=today - dt.timedelta(days=1))
    reached = _milestone(
        project, name="UAT", forecast_date=today - dt.timedelta(days=9), actual_date=today
    )
    ahead = _milestone(project, name="Close", forecast_date=today + dt.timedelta(days=30))
    due = _milestone(project, name="Cutover", forecast_date=today)

    html = _client(users["exec"]).get(f"/projects/{project.code}/").content.decode()

    # then only the passed one says "overdue", in red text
    assert '<strong class="late" data-testid="overdue">overdue</strong>' in _row(html, late)
    for m in (reached, ahead, due):
        assert "overdue" not in _row(html, m)
    # readers get no links into the form, editors do
    assert f"/milestones/{late.pk}/" not in html
    editor = _client(users["pm"]).get(f"/projects/{project.code}/").content.decode()
    assert f'<a href="/projects/{project.code}/milestones/{late.pk}/">Go-live</a>' in editor


def test_an_ended_project_flags_nothing_overdue(make_project: Any, users: dict[str, Any]) -> None:
    project = make_project(state="closed")
    m = _milestone(project, forecast_date=timezone.localdate() - dt.timedelta(days=5))

    html = _client(users["pm"]).get(f"/projects/{project.code}/").content.decode()

    assert "overdue" not in _row(html, m)


def test_a_stale_save_takes_the_other_persons_date_in_a_field_left_alone(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given a form opened with no actual date; someone moves the forecast meanwhile
    m = _milestone(make_project(), forecast_date=dt.date(2026, 11, 5))
    services.update_milestone(
        actor=users["member"], milestone=m, data={"forecast_date": dt.date(2026, 12, 1)}, version=1
    )
    today = timezone.localdate().isoformat()
    post = {
        "version": 1,
        "forecast_date": "2026-11-05",
        "actual_date": today,
        "initial-forecast_date": "2026-11-05",
        "initial-actual_date": "",
    }

    # when the stale form, which only set the actual date, is saved
    response = _client(users["pm"]).post(_url(m), post)

    # then the form shows the new forecast and the typed actual date, with no conflict
    html = response.content.decode()
    assert response.status_code == 409
    assert 'name="forecast_date" value="2026-12-01"' in html
    assert f'name="actual_date" value="{today}"' in html
    assert (
        "<li>Forecast date: 2026-12-01</li>" in html and 'data-testid="saved-meanwhile"' not in html
    )
