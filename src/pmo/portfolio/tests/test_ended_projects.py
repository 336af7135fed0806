"""Ended projects (closed, cancelled) read as ended: the project page says when, the status
center keeps them out of the running projects' RAG counts, and a cancelled project no longer
reports (UX audit 3, findings on P0006 / P0025)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pmo.accounts.models import Person
from pmo.core.errors import ConflictError
from pmo.portfolio import selectors, services
from pmo.portfolio.models import Milestone, Project, ReportState, StatusReport

DAY = dt.date(2026, 12, 4)


def _report(users: Any, project: Project, period: str = "2026-W48", **data: Any) -> StatusReport:
    body = {"overall": 1, "schedule": 1, "cost": 1, "scope": 1, "resources": 1, "quality": 1}
    body.update({"summary": "s", "percent_complete": 10, **data})
    return services.create_status_report(
        actor=users["admin"], project=project, period=period, data=body, today=DAY
    )


def _end(users: Any, project: Project, state: str) -> Project:
    """The PMO sets the state by hand (audited), as the API and the admin do."""
    return services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )


@pytest.fixture
def hale(users: Any, org: Any) -> Person:
    return Person.objects.create(
        name="Robert Hale", name_zh="罗伯特·黑尔", org_unit=org["sh"], user=users["admin"]
    )


def _page(users: Any, code: str, who: str = "admin") -> str:
    client = Client()
    client.force_login(users[who])
    return client.get(f"/projects/{code}/").content.decode()


def test_ended_projects_stay_out_of_the_running_projects_rag_counts(users, make_project):
    # given two green projects, one of which is then cancelled, and one closed red one
    run, kill, done = make_project(code="RUN"), make_project(code="KILL"), make_project(code="DONE")
    for project in (run, kill):
        _report(users, project)
    _report(users, done, overall=3, overall_reason="late")
    _end(users, Project.objects.get(code="KILL"), "cancelled")
    _end(users, Project.objects.get(code="DONE"), "closed")
    # when the status center counts them
    summary = selectors.status_summary(selectors.status_center(users["exec"], {}))
    # then only the running one is green, nothing is red, and the ended ones count apart
    assert (summary["total"], summary["running"]) == (3, 1)
    assert (summary["green"], summary["red"], summary["unrated"]) == (1, 0, 0)
    assert (summary["closed"], summary["cancelled"]) == (1, 1)
    # and the RAG filter agrees with the chips
    assert [p.code for p in selectors.status_center(users["exec"], {"rag": "green"})] == ["RUN"]
    assert list(selectors.status_center(users["exec"], {"rag": "red"})) == []


def test_a_cancelled_row_shows_its_slip_without_alarm(users, make_project):
    late = dict(baseline_finish=dt.date(2027, 8, 30), forecast_finish=dt.date(2027, 8, 31))
    make_project(code="LATE", **late)
    make_project(code="KILL", state="cancelled", **late)
    client = Client()
    client.force_login(users["exec"])
    # (the default list is the running projects: all states to see the cancelled one too)
    html = client.get("/", {"state": "all"}).content.decode()
    rows = dict(re.findall(r'<tr data-code="(\w+)"[^>]*>(.*?)</tr>', html, re.S))
    assert '<span class="nowrap late" data-testid="slip">(+1d)</span>' in rows["LATE"]
    assert '<span class="nowrap muted" data-testid="slip">(+1d)</span>' in rows["KILL"]
    assert '<tr data-code="KILL" class="ended">' in html
    assert '<strong data-count="green">0</strong>' in html


def test_a_cancelled_project_page_says_when_and_by_whom(users, make_project, hale):
    # given a project with a slipping open milestone and an achieved one, cancelled by the PMO
    project = make_project(code="P6", baseline_finish=dt.date(2027, 8, 30))
    Milestone.objects.create(
        project=project,
        name="Go-live",
        baseline_date=dt.date(2027, 6, 20),
        forecast_date=dt.date(2027, 6, 21),
    )
    Milestone.objects.create(
        project=project,
        name="Kick-off",
        baseline_date=dt.date(2026, 2, 1),
        forecast_date=dt.date(2026, 2, 3),
        actual_date=dt.date(2026, 2, 3),
    )
    _end(users, project, "cancelled")
    # when the PMO opens the page
    html = _page(users, "P6")
    today = timezone.localdate().isoformat()
    # then a banner says it ended, when and by whom; no report is offered
    banner = re.search(r'<div class="ended-banner[^"]*"[^>]*>(.*?)</div>', html, re.S)
    assert banner is not None
    assert f"<strong>Cancelled on {today}</strong> · by Robert Hale" in banner.group(1)
    assert 'id="new-report"' not in html and 'id="final-report"' not in html
    # and the open milestone is cancelled, not late; the achieved one keeps its (quiet) slip
    slips = re.findall(r'<td data-testid="milestone-slip">(.*?)</td>', html)
    assert slips == [
        '<span class="muted">+2d</span>',
        '<span class="badge state-cancelled">Cancelled</span>',
    ]
    assert 'class="late"' not in html.split('id="milestones"')[1].split("</section>")[0]


def test_a_project_cancelled_without_a_record_says_so_without_a_date(users, make_project):
    make_project(code="OLD", state="cancelled")  # e.g. the migration that added the state
    html = _page(users, "OLD")
    assert re.search(r'data-testid="ended-banner"[^>]*>\s*<strong>Cancelled</strong>', html)


def test_a_closed_project_offers_a_final_report_and_takes_it(users, make_project, hale):
    project = make_project(code="DONE")
    _end(users, project, "closed")
    html = _page(users, "DONE")
    today = timezone.localdate().isoformat()
    assert f"<strong>Closed on {today}</strong>" in html
    assert 'id="new-report"' not in html and 'id="final-report"' in html
    report = _report(users, Project.objects.get(code="DONE"))
    assert report.state == ReportState.SUBMITTED


def test_a_cancelled_project_takes_no_report(users, make_project, green):
    # given a draft written before the stop
    project = make_project(code="KILL")
    draft = services.create_status_report(
        actor=users["pm"], project=project, period="2026-W48", data=green(), submit=False, today=DAY
    )
    _end(users, project, "cancelled")
    project.refresh_from_db()
    # then neither a new report, nor editing or submitting the draft
    with pytest.raises(ConflictError, match="KILL is cancelled"):
        _report(users, project, period="2026-W47")
    with pytest.raises(ConflictError, match="KILL is cancelled"):
        services.update_status_report(
            actor=users["pm"], report=draft, data={"summary": "x"}, version=draft.version
        )
    with pytest.raises(ConflictError, match="KILL is cancelled"):
        services.submit_status_report(actor=users["pm"], report=draft, version=draft.version)
    # and the web form sends the PM back to the project with the reason
    client = Client()
    client.force_login(users["pm"])
    response = client.get("/projects/KILL/reports/new/", follow=True)
    assert response.redirect_chain[-1][0] == "/projects/KILL/"
    assert "KILL is cancelled: it no longer takes status reports" in response.content.decode()


def test_the_api_refuses_a_report_for_a_cancelled_project(client, users, make_project):
    from pmo.accounts.services import create_token

    make_project(code="KILL", state="cancelled")
    token = create_token(username="admin")
    response = client.post(
        "/api/v1/projects/KILL/status-reports",
        {
            "period": "2026-W48",
            **dict.fromkeys(("overall", "schedule", "cost", "scope", "resources"), "green"),
            "quality": "green",
            "summary": "s",
            "percent_complete": 10,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 409
    assert "no longer takes status reports" in response.json()["detail"]


def test_a_cancelled_projects_report_offers_neither_submit_nor_correction(
    users, make_project, green
):
    project = make_project(code="KILL")
    draft = services.create_status_report(
        actor=users["pm"], project=project, period="2026-W48", data=green(), submit=False, today=DAY
    )
    done = services.create_status_report(
        actor=users["pm"], project=project, period="2026-W47", data=green(), today=DAY
    )
    client = Client()
    client.force_login(users["pm"])
    before = client.get(f"/projects/KILL/reports/{draft.pk}/").content.decode()
    assert "statusreport_submit" not in before and f"/reports/{draft.pk}/submit/" in before
    _end(users, Project.objects.get(code="KILL"), "cancelled")
    for report in (draft, done):
        page = client.get(f"/projects/KILL/reports/{report.pk}/").content.decode()
        assert "/submit/" not in page and "new revision" not in page


def test_the_admin_does_not_end_a_project_behind_the_services_back(client, users, make_project):
    # its plain save would skip releasing allocations, withdrawing change requests, ...
    project = make_project(code="ADM1")
    client.force_login(users["admin"])
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    page = client.get(f"/admin/portfolio/project/{project.pk}/change/").content.decode()
    assert 'name="state"' not in page  # shown, not editable
    assert 'name="name"' in page
    added = client.get("/admin/portfolio/project/add/").content.decode()
    assert 'name="state"' in added
