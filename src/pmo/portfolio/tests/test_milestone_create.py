"""A milestone added from the project page, through the service the API uses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pmo.audit.models import AuditAction, AuditEvent
from pmo.core.errors import ConflictError
from pmo.portfolio import services
from pmo.portfolio.extensions import MilestoneDriver, registry
from pmo.portfolio.models import Milestone

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(project: Any) -> str:
    return f"/projects/{project.code}/milestones/new/"


def test_the_manager_adds_a_milestone_from_the_project_page(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given the project page of the PM's project, which offers to add a milestone
    project = make_project()
    client = _client(users["pm"])
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert f'href="{_url(project)}" data-testid="add-milestone">Add milestone</a>' in page

    # the form asks for the API's fields, with a way back
    html = client.get(_url(project)).content.decode()
    for name in ("name", "name_zh", "baseline_date", "forecast_date", "actual_date", "is_key"):
        assert f'name="{name}"' in html
    assert 'name="version"' not in html
    assert f'href="/projects/{project.code}/#milestones" data-testid="cancel">Cancel</a>' in html

    # when the PM adds a key milestone
    response = client.post(
        _url(project),
        {
            "name": "Go-live",
            "name_zh": "上线",
            "baseline_date": "2026-11-02",
            "forecast_date": "2026-11-16",
            "is_key": "on",
        },
    )

    # then it is saved and recorded, and the project page says so and lists it
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.code}/#milestones"
    m = Milestone.objects.get(project=project)
    assert (m.name, m.name_zh, m.baseline_date, m.forecast_date, m.actual_date, m.is_key) == (
        "Go-live",
        "上线",
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 16),
        None,
        True,
    )
    assert AuditEvent.objects.filter(object_id=str(m.pk), action=AuditAction.CREATE).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Saved." in page
    row = re.search(rf'<tr data-milestone="{m.pk}">(.*?)</tr>', page, re.S)
    assert row and "◆" in row.group(1) and "2026-11-16" in row.group(1)


def test_an_empty_forecast_takes_the_baseline(make_project: Any, users: dict[str, Any]) -> None:
    project = make_project()
    _client(users["pm"]).post(
        _url(project), {"name": "Design review", "baseline_date": "2026-05-04"}
    )
    m = Milestone.objects.get(project=project)
    assert (m.forecast_date, m.is_key) == (dt.date(2026, 5, 4), False)


@pytest.mark.parametrize("username", ["other_pm", "viewer", "exec"])
def test_who_may_only_read_the_project_cannot_add(
    make_project: Any, users: dict[str, Any], username: str
) -> None:
    # given people who see the PM's project but may not change it
    project = make_project()
    client = _client(users[username])
    page = client.get(f"/projects/{project.code}/")
    assert page.status_code == 200
    assert 'data-testid="add-milestone"' not in page.content.decode()

    # a post is a 403 and adds nothing
    response = client.post(_url(project), {"name": "Sneaky", "baseline_date": "2026-05-04"})
    assert response.status_code == 403
    assert not Milestone.objects.filter(project=project).exists()
    # opening the form sends them back to the project, saying why
    opened = client.get(_url(project), follow=True)
    assert opened.redirect_chain == [(f"/projects/{project.code}/", 302)]
    assert "You may read this project but not change it." in opened.content.decode()


def test_bad_input_is_refused_at_its_field_and_kept(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project()
    client = _client(users["pm"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    # an actual date after today: the service's refusal, at the field
    page = client.post(
        _url(project),
        {"name": "Go-live", "baseline_date": "2026-11-02", "actual_date": tomorrow.isoformat()},
    )
    html = page.content.decode()
    assert page.status_code == 422
    errors = dict(re.findall(r'<ul class="errorlist" id="id_(\w+)_error">(.*?)</ul>', html, re.S))
    assert set(errors) == {"actual_date"}, errors
    assert re.search(r"cannot be later than today \(\d{4}-\d\d-\d\d\)", errors["actual_date"])
    assert 'name="name" value="Go-live"' in html
    assert f'name="actual_date" value="{tomorrow.isoformat()}"' in html

    # a date outside the accepted range and no name: each at its field, the rest kept
    page = client.post(
        _url(project), {"name": "  ", "name_zh": "上线", "baseline_date": "1899-01-01"}
    )
    html = page.content.decode()
    assert page.status_code == 422
    errors = dict(re.findall(r'<ul class="errorlist" id="id_(\w+)_error">(.*?)</ul>', html, re.S))
    assert set(errors) == {"name", "baseline_date"}, errors
    assert "required" in errors["name"]
    assert 'name="name_zh" value="上线"' in html and 'value="1899-01-01"' in html
    assert not Milestone.objects.filter(project=project).exists()


def test_a_project_with_a_plan_takes_no_milestone_by_hand_and_links_to_its_plan(
    make_project: Any, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a project whose plan drives its "Release" milestone (as scheduling registers)
    project = make_project(code="PLN")
    release = Milestone.objects.create(project=project, name="Release", is_key=True)
    driver = MilestoneDriver(
        driven=lambda p: {release.pk} if p.pk == project.pk else set(),
        url=lambda p: f"/projects/{p.code}/plan/",
        owns_all=lambda p: p.pk == project.pk,
    )
    monkeypatch.setattr(registry, "milestone_drivers", [*registry.milestone_drivers, driver])
    client = _client(users["pm"])

    # the project page offers no form: it says the milestones come from the plan, and links it
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert 'data-testid="add-milestone"' not in page
    assert "This project's milestones come from its plan" in page
    assert 'href="/projects/PLN/plan/" data-testid="milestones-plan-link"' in page
    assert page.count('data-testid="from-plan"') == 1

    # the form's address sends the manager to the plan, saying why
    response = client.get(_url(project), follow=True)
    assert response.redirect_chain[0] == ("/projects/PLN/plan/", 302)
    # and a milestone posted anyway is not added (the next import would remove it)
    response = client.post(_url(project), {"name": "Contract signed"})
    assert response.status_code == 302 and response["Location"] == "/projects/PLN/plan/"
    assert not Milestone.objects.filter(project=project, name="Contract signed").exists()
    with pytest.raises(ConflictError, match="milestones come from its plan"):
        services.create_milestone(actor=users["pm"], project=project, data={"name": "X"})

    # a project without a plan still offers the form
    plain = make_project()
    assert client.get(_url(plain)).status_code == 200
    assert 'data-testid="add-milestone"' in client.get(f"/projects/{plain.code}/").content.decode()
