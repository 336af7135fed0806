"""Cancelled projects in the status center, its export and the API (ADR 0002)."""

import csv
import io

import pytest
from django.test import Client

from pmo.accounts.services import create_token
from pmo.portfolio import selectors
from pmo.portfolio.models import Project


@pytest.fixture
def ended(make_project):
    """One running, one completed and two cancelled projects, none with a report."""
    make_project(code="RUN1")
    make_project(code="DONE1", state="closed", phase="closed")
    make_project(code="KILL1", state="cancelled", phase="planning")
    make_project(code="KILL2", state="cancelled", phase="execution")


def _bearer(user):
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def test_the_status_center_filters_counts_and_marks_cancelled_projects(users, ended):
    client = Client()
    client.force_login(users["exec"])
    # when: filtering by state
    html = client.get("/", {"state": "cancelled"}).content.decode()
    # then: only the cancelled ones, each marked, and the filter offers the state
    assert html.count("<tr data-code=") == 2
    assert '<tr data-code="KILL1" class="ended">' in html
    assert '<tr data-code="KILL2" class="ended">' in html
    assert html.count('data-state="cancelled">Cancelled</span>') == 2
    assert '<option value="cancelled" selected>Cancelled</option>' in html
    # and unfiltered: completed and cancelled counted apart; no running badge
    page = client.get("/").content.decode()
    assert '<strong data-count="closed">1</strong>' in page
    assert '<strong data-count="cancelled">2</strong>' in page
    assert 'data-state="active"' not in page


def test_cancelled_and_closed_projects_never_miss_a_report(users, ended):
    summary = selectors.status_summary(Project.objects.all())
    # only the running project owes a report; the ended ones are counted by state
    assert (summary["missing"], summary["closed"], summary["cancelled"]) == (1, 1, 2)
    flagged = selectors.status_center(users["admin"], {"flag": "missing"})
    assert [p.code for p in flagged] == ["RUN1"]


def test_the_export_names_the_state(users, ended):
    client = Client()
    client.force_login(users["exec"])
    text = client.get("/projects/export.csv", {"state": "cancelled"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("State")
    assert [(r[0], r[column]) for r in rows[1:]] == [("KILL1", "Cancelled"), ("KILL2", "Cancelled")]


def test_the_api_filters_by_the_cancelled_state(client, users, ended):
    response = client.get(
        "/api/v1/projects", {"state": "cancelled"}, headers=_bearer(users["exec"])
    )
    assert response.status_code == 200
    assert [(p["code"], p["state"]) for p in response.json()["items"]] == [
        ("KILL1", "cancelled"),
        ("KILL2", "cancelled"),
    ]
    bad = client.get("/api/v1/projects", {"state": "killed"}, headers=_bearer(users["exec"]))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "state"


@pytest.mark.parametrize(("role", "status"), [("admin", 200), ("pm", 403)])
def test_only_the_pmo_cancels_a_project_by_hand(client, users, make_project, role, status):
    make_project(code="HAND1")
    response = client.patch(
        "/api/v1/projects/HAND1",
        {"version": 1, "state": "cancelled"},
        content_type="application/json",
        headers=_bearer(users[role]),
    )
    assert response.status_code == status
    expected = "cancelled" if status == 200 else "active"
    assert Project.objects.get(code="HAND1").state == expected
