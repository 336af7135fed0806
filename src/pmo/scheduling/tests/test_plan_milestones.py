"""Milestones a plan drives keep the plan's dates: the status center shows them read-only with
a link to the plan, and its service refuses to change them (the next recompute would undo it)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.services import create_token
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Milestone
from pmo.scheduling import services
from pmo.scheduling.tests.factories import small_plan

pytestmark = pytest.mark.django_db


def test_a_plan_milestone_is_read_only_in_the_browser_with_a_link_to_the_plan(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given a project whose plan drives its "Release" milestone, and a milestone of its own
    project = make_project(code="PL1")
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    release = Milestone.objects.get(project=project, name="Release")
    own = Milestone.objects.create(
        project=project, name="Contract", forecast_date=dt.date(2026, 2, 1)
    )
    client = Client()
    client.force_login(users["pm"])

    # the project page says which comes from the plan
    page = client.get("/projects/PL1/").content.decode()
    assert page.count('data-testid="from-plan"') == 1
    assert f'<tr data-milestone="{release.pk}">' in page.split('data-testid="from-plan"')[0]

    # its page shows the plan's dates read-only, with the plan to change them in
    html = client.get(f"/projects/PL1/milestones/{release.pk}/").content.decode()
    assert 'href="/projects/PL1/plan/" data-testid="plan-link"' in html
    assert 'name="forecast_date" value="2026-03-11"' in html and "disabled" in html
    assert 'data-testid="save"' not in html
    # a post changes nothing (disabled fields keep their values)
    client.post(
        f"/projects/PL1/milestones/{release.pk}/", {"version": 1, "forecast_date": "2026-04-01"}
    )
    release.refresh_from_db()
    assert release.forecast_date == dt.date(2026, 3, 11)

    # the milestone of its own stays editable
    other = client.get(f"/projects/PL1/milestones/{own.pk}/").content.decode()
    assert 'data-testid="save"' in other and 'data-testid="plan-link"' not in other


def test_the_api_refuses_to_change_what_the_plan_sets_naming_the_field(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project(code="PL2")
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    release = Milestone.objects.get(project=project, name="Release")
    token = create_token(username="pm")

    def patch(body: dict[str, Any]) -> Any:
        return Client().patch(
            f"/api/v1/projects/PL2/milestones/{release.pk}",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    refused = patch({"version": release.version, "forecast_date": "2026-04-01"})
    assert refused.status_code == 409
    assert refused.json()["errors"] == [
        {
            "field": "forecast_date",
            "message": "the project's plan sets this milestone's forecast: "
            "change the milestone in the plan",
        }
    ]
    # the same date again, and the Chinese name the plan does not set, are taken
    taken = patch({"version": release.version, "forecast_date": "2026-03-11", "name_zh": "发布"})
    assert taken.status_code == 200 and taken.json()["name_zh"] == "发布"
    assert portfolio_services.driven_milestones(project) == {release.pk: "/projects/PL2/plan/"}
