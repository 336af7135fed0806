"""Every project edit page answers someone who may only read the project the same way: a
visit goes back to the project with a message, a post is a 403 and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pmo.portfolio.models import Milestone, Project, Risk

PAGES = [
    ("/projects/{code}/edit/", {"name": "Renamed"}),
    ("/projects/{code}/milestones/new/", {"name": "Go-live", "forecast_date": "2026-06-01"}),
    ("/projects/{code}/raid/risks/new/", {"title": "A risk", "probability": 3, "impact": 3}),
]


@pytest.mark.parametrize(("url", "body"), PAGES)
def test_a_reader_is_sent_back_on_a_visit_and_refused_on_a_post(
    users: dict[str, Any], make_project: Any, url: str, body: dict[str, Any]
) -> None:
    project = make_project(code="P1", name="Kept")
    client = Client()
    client.force_login(users["viewer"])
    page = url.format(code=project.code)

    visit = client.get(page, follow=True)
    assert visit.redirect_chain == [(f"/projects/{project.code}/", 302)]
    assert "You may read this project but not change it." in visit.content.decode()

    assert client.post(page, body).status_code == 403
    project.refresh_from_db()
    assert project.name == "Kept"
    assert not Milestone.objects.filter(project=project).exists()
    assert not Risk.objects.filter(project=project).exists()
    assert Project.objects.count() == 1
