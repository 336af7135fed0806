"""New project and Edit project pages: thin over the services the API calls, so the same rows,
defaults, refusals and audit trail."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from pmo.accounts.models import Person
from pmo.audit.models import AuditAction, AuditEvent
from pmo.portfolio import services
from pmo.portfolio.models import Portfolio, Project
from pmo.portfolio.tests.project_posts import client_of, edit_post, field_error, new_post

pytestmark = pytest.mark.django_db


# --- New project ------------------------------------------------------------------------------


def test_the_pmo_creates_a_project_from_the_status_center(
    users: dict[str, Any], portfolio: Any, org: dict[str, Any]
) -> None:
    # given the status center of a PMO member, which offers New project
    client = client_of(users["member"])
    assert (
        'id="new-project" href="/projects/new/">New project</a>' in client.get("/").content.decode()
    )
    form = client.get("/projects/new/")
    assert form.status_code == 200
    html = form.content.decode()
    for name in ("code", "name", "name_zh", "portfolio", "org_unit", "manager", "planned_finish"):
        assert f'name="{name}"' in html
    assert 'name="baseline_finish"' not in html and 'name="version"' not in html

    # when the form is posted
    response = client.post("/projects/new/", new_post(org))

    # then the project exists as the API's service makes it: baseline and forecast finish
    # copied from the planned finish, the defaults of the API body
    assert response.status_code == 302 and response["Location"] == "/projects/NEW-1/"
    project = Project.objects.get(code="NEW-1")
    assert (project.name, project.name_zh, project.pmo_type) == (
        "New warehouse",
        "新仓库",
        "delivery",
    )
    assert (project.priority, project.strategic, project.manager.name) == (2, True, "Zhang Wei")
    assert project.planned_finish == dt.date(2027, 6, 30)
    assert project.baseline_finish == dt.date(2027, 6, 30)
    assert project.forecast_finish == dt.date(2027, 6, 30)
    assert (project.state, project.phase, project.version) == ("active", "idea", 1)
    assert str(project.budget) == "1200000.00" and project.currency == "CNY"
    # and the creation is in its history, by whom
    event = AuditEvent.objects.get(scope=f"project:{project.pk}", action=AuditAction.CREATE)
    assert event.actor == users["member"]
    assert event.changes["code"] == [None, "NEW-1"]
    assert event.changes["baseline_finish"] == [None, "2027-06-30"]


def test_the_page_makes_the_same_project_as_the_api(
    users: dict[str, Any], portfolio: Any, org: dict[str, Any]
) -> None:
    client = client_of(users["admin"])
    client.post("/projects/new/", new_post(org, code="WEB", program="", strategic=""))
    body = {
        "code": "API",
        "name": "New warehouse",
        "name_zh": "新仓库",
        "portfolio": "STRAT",
        "org_unit": "sh",
        "pmo_type": "delivery",
        "priority": 2,
        "manager": Person.objects.get(name="Zhang Wei").pk,
        "start_date": "2027-01-04",
        "planned_finish": "2027-06-30",
        "budget": "1200000",
    }
    api = client.post("/api/v1/projects", body, content_type="application/json")
    assert api.status_code == 201

    fields = [
        f.name
        for f in Project._meta.fields
        if f.name not in ("id", "code", "created_at", "updated_at")
    ]
    web, by_api = Project.objects.get(code="WEB"), Project.objects.get(code="API")
    assert {f: getattr(web, f) for f in fields} == {f: getattr(by_api, f) for f in fields}


@pytest.mark.parametrize("who", ["pm", "viewer", "exec"])
def test_only_the_pmo_creates_projects(
    who: str, users: dict[str, Any], portfolio: Any, org: dict[str, Any]
) -> None:
    client = client_of(users[who])
    assert 'id="new-project"' not in client.get("/").content.decode()
    # the API refuses them ...
    api = client.post(
        "/api/v1/projects",
        {"code": "X", "name": "X", "portfolio": "STRAT", "org_unit": "sh", "pmo_type": "rnd"},
        content_type="application/json",
    )
    assert api.status_code == 403
    # ... and so does the page: a visit goes back with a message, a post is a 403
    visit = client.get("/projects/new/", follow=True)
    assert visit.redirect_chain[0] == ("/", 302)
    assert "Only the PMO may create projects." in visit.content.decode()
    assert client.post("/projects/new/", new_post(org)).status_code == 403
    assert not Project.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_duplicate_code_is_said_at_the_code_and_writes_nothing(
    users: dict[str, Any], make_project: Any, org: dict[str, Any]
) -> None:
    make_project(code="DUP")
    client = client_of(users["admin"])

    response = client.post("/projects/new/", new_post(org, code="DUP"))

    assert response.status_code == 422
    html = response.content.decode()
    assert field_error(html, "code") == "a project with code “DUP” exists already"
    assert 'value="New warehouse"' in html  # what was typed is kept
    assert Project.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_a_code_differing_by_case_only_is_refused_by_the_page_and_the_api(
    users: dict[str, Any], make_project: Any, org: dict[str, Any]
) -> None:
    # exports, reports and ``pmo import`` name projects by code: "dup" beside "DUP" is refused
    make_project(code="DUP")
    client = client_of(users["admin"])
    body = {"code": "Dup", "name": "A", "portfolio": "STRAT", "org_unit": "sh", "pmo_type": "rnd"}
    api = client.post("/api/v1/projects", body, content_type="application/json")

    response = client.post("/projects/new/", new_post(org, code="dup"))

    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "code"
    assert response.status_code == 422
    message = "project “DUP” exists already: codes may not differ by case only"
    assert field_error(response.content.decode(), "code") == message
    assert list(Project.objects.values_list("code", flat=True)) == ["DUP"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"planned_finish": "2026-12-01"},
            "planned_finish",
            "2026-12-01 is before the start 2027-01-04",
        ),
        (
            {"code": "NEW 1"},
            "code",
            "use letters, digits, hyphens, underscores and dots only",
        ),
        ({"name": ""}, "name", "This field is required."),
        ({"currency": "XAU"}, "currency", None),
        ({"budget": "-5"}, "budget", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_input_is_said_at_its_field_and_writes_nothing(
    overrides: dict[str, Any],
    field: str,
    message: str | None,
    users: dict[str, Any],
    portfolio: Any,
    org: dict[str, Any],
) -> None:
    response = client_of(users["admin"]).post("/projects/new/", new_post(org, **overrides))

    assert response.status_code == 422
    error = field_error(response.content.decode(), field)
    assert error if message is None else error == message
    assert not Project.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_program_of_another_portfolio_is_refused_at_the_program(
    users: dict[str, Any], portfolio: Any, org: dict[str, Any]
) -> None:
    other = Portfolio.objects.create(code="OPS", name="Operations")
    response = client_of(users["admin"]).post(
        "/projects/new/", new_post(org, portfolio=str(other.pk))
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert field_error(html, "program") == "belongs to another portfolio than the project"
    assert not Project.objects.exists()


def test_a_new_organisation_is_told_to_add_a_portfolio_and_an_org_unit_first(
    django_user_model: Any,
) -> None:
    admin = django_user_model.objects.create_user(
        username="first", password="pw-12345", role="pmo_admin"
    )

    html = client_of(admin).get("/projects/new/").content.decode()

    assert 'data-testid="missing-references"' in html
    assert 'href="/admin/portfolio/portfolio/add/"' in html
    assert 'href="/admin/accounts/orgunit/add/"' in html


# --- Edit project -----------------------------------------------------------------------------


def test_the_pmo_edits_a_project_and_the_history_has_old_and_new(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project(name="Old name")
    client = client_of(users["admin"])
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert f'id="edit-project" href="/projects/{project.code}/edit/">Edit</a>' in page
    emma = Person.objects.get(name="Emma Clarke")

    response = client.post(
        f"/projects/{project.code}/edit/",
        edit_post(project, name="New name", priority=1, manager=emma.pk, strategic="on"),
    )

    assert response.status_code == 302 and response["Location"] == f"/projects/{project.code}/"
    project.refresh_from_db()
    assert (project.name, project.priority, project.manager, project.strategic) == (
        "New name",
        1,
        emma,
        True,
    )
    assert project.version == 2
    event = AuditEvent.objects.get(scope=f"project:{project.pk}", action=AuditAction.UPDATE)
    assert event.actor == users["admin"]
    assert event.changes["name"] == ["Old name", "New name"]
    assert event.changes["priority"] == [3, 1]
    assert event.changes["strategic"] == [False, True]
    assert set(event.changes) == {"name", "priority", "manager", "strategic"}


def test_the_pmo_changes_a_code_and_lands_on_the_new_address(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project(code="OLD")

    response = client_of(users["admin"]).post("/projects/OLD/edit/", edit_post(project, code="NEW"))

    assert response.status_code == 302 and response["Location"] == "/projects/NEW/"
    assert Project.objects.filter(pk=project.pk, code="NEW").exists()


def test_the_manager_edits_their_project_but_not_the_pmo_fields(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project()
    client = client_of(users["pm"])
    html = client.get(f"/projects/{project.code}/edit/").content.decode()
    # the PMO's fields are shown disabled, the PM's own editable
    assert re.search(r'<select name="manager"[^>]*disabled', html)
    assert re.search(r'<input type="text" name="code"[^>]*disabled', html)
    assert not re.search(r'<input type="text" name="name"[^>]*disabled', html)
    assert 'data-testid="pmo-fields"' in html

    # a post that tries to change a PMO field changes only what the PM may change
    emma = Person.objects.get(name="Emma Clarke")
    response = client.post(
        f"/projects/{project.code}/edit/",
        edit_post(project, name="PM's name", manager=emma.pk, priority=1),
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "PM's name"
    assert (project.manager.name, project.priority) == ("Zhang Wei", 3)


@pytest.mark.parametrize("who", ["viewer", "other_pm", "exec"])
def test_who_may_only_read_a_project_cannot_edit_it(
    who: str, users: dict[str, Any], make_project: Any
) -> None:
    project = make_project()
    client = client_of(users[who])
    assert 'id="edit-project"' not in client.get(f"/projects/{project.code}/").content.decode()
    api = client.patch(
        f"/api/v1/projects/{project.code}",
        {"version": 1, "name": "Hijacked"},
        content_type="application/json",
    )
    assert api.status_code == 403

    visit = client.get(f"/projects/{project.code}/edit/", follow=True)
    assert visit.redirect_chain[0][0] == f"/projects/{project.code}/"
    assert "You may read this project but not change it." in visit.content.decode()
    post = client.post(f"/projects/{project.code}/edit/", edit_post(project, name="Hijacked"))
    assert post.status_code == 403
    project.refresh_from_db()
    assert (project.name, project.version) == ("Test project 1", 1)
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_a_stale_save_is_refused_and_keeps_the_other_change(
    users: dict[str, Any], make_project: Any
) -> None:
    # given the form opened at version 1, and the PMO's save since (version 2)
    project = make_project()
    opened = edit_post(project, name="Mine")
    services.update_project(actor=users["admin"], project=project, data={"priority": 1}, version=1)
    client = client_of(users["pm"])

    # when the PM saves the stale form
    response = client.post(f"/projects/{project.code}/edit/", opened)

    # then nothing of theirs is saved, the page says so and hands on the saved version
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this project while you were editing it." in html
    assert 'name="version" value="2"' in html and 'value="Mine"' in html
    project.refresh_from_db()
    assert (project.name, project.priority, project.version) == ("Test project 1", 1, 2)


def test_a_finish_before_the_start_on_edit_is_said_at_the_finish(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project()

    response = client_of(users["pm"]).post(
        f"/projects/{project.code}/edit/", edit_post(project, forecast_finish="2025-12-31")
    )

    assert response.status_code == 422
    message = field_error(response.content.decode(), "forecast_finish")
    assert message == "2025-12-31 is before the start 2026-01-05"
    project.refresh_from_db()
    assert (project.forecast_finish, project.version) == (dt.date(2026, 12, 31), 1)
