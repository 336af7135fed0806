"""A refused New project or Edit project save names every problem at once (the services' date,
program and code rules beside each field's own checks), with a summary above the form linking
to each field; the edit form has the planned finish, and the project page shows it."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from typing import Any

import pytest

from pmo.audit.models import AuditAction, AuditEvent
from pmo.core.errors import FieldError
from pmo.portfolio.models import Portfolio, Project
from pmo.portfolio.services.projects import check_project, project_problems
from pmo.portfolio.tests.project_posts import client_of, edit_post, field_error, new_post

pytestmark = pytest.mark.django_db


def _summary(page: str) -> list[tuple[str, str]]:
    """(link target, text) of each line of the error summary above the form."""
    found = re.search(
        r'<div class="flash error"[^>]*data-testid="error-summary".*?</div>', page, re.S
    )
    assert found, "no error summary"
    links = re.findall(r'<li><a href="([^"]+)">(.*?)</a></li>', found.group(0), re.S)
    return [(href, html_lib.unescape(text)) for href, text in links]


def test_a_finish_before_the_start_and_a_too_long_budget_are_both_said(
    users: dict[str, Any], portfolio: Any, org: dict[str, Any]
) -> None:
    # the audit's case: before, only the budget was said, and the date on the next save
    response = client_of(users["admin"]).post(
        "/projects/new/",
        new_post(org, planned_finish="2026-12-01", budget="12345678901234567890"),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert field_error(page, "planned_finish") == "2026-12-01 is before the start 2027-01-04"
    assert field_error(page, "budget") == "Ensure that there are no more than 16 digits in total."
    assert _summary(page) == [
        ("#id_planned_finish", "Planned finish: 2026-12-01 is before the start 2027-01-04"),
        ("#id_budget", "Budget: Ensure that there are no more than 16 digits in total."),
    ]
    # the summary is read first: it is focused on load, and its links reach real fields
    assert re.search(r'<div class="flash error" role="alert" tabindex="-1" autofocus', page)
    assert 'id="id_planned_finish"' in page and 'id="id_budget"' in page
    assert not Project.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_taken_code_a_foreign_program_and_a_bad_finish_are_said_together(
    users: dict[str, Any], make_project: Any, org: dict[str, Any]
) -> None:
    make_project(code="DUP")
    other = Portfolio.objects.create(code="OPS", name="Operations")

    response = client_of(users["admin"]).post(
        "/projects/new/",
        new_post(org, code="dup", portfolio=str(other.pk), planned_finish="2026-12-01"),
    )

    assert response.status_code == 422
    assert [href for href, _ in _summary(response.content.decode())] == [
        "#id_code",
        "#id_program",
        "#id_planned_finish",
    ]
    assert list(Project.objects.values_list("code", flat=True)) == ["DUP"]


def test_a_form_without_errors_has_no_summary(
    users: dict[str, Any], portfolio: Any, org: dict[str, Any]
) -> None:
    page = client_of(users["admin"]).get("/projects/new/").content.decode()

    assert 'data-testid="error-summary"' not in page


def test_the_manager_changes_the_planned_finish_and_nothing_else_moves(
    users: dict[str, Any], make_project: Any
) -> None:
    # the service lets a PM change the planned finish (not PMO-only): the edit form has it
    project = make_project()
    client = client_of(users["pm"])
    form = client.get(f"/projects/{project.code}/edit/").content.decode()
    field = re.search(r'<input type="date" name="planned_finish"[^>]*>', form)
    assert field and 'value="2026-12-31"' in field.group(0) and "disabled" not in field.group(0)
    assert "Changing it moves neither the baseline nor the forecast finish." in form

    response = client.post(
        f"/projects/{project.code}/edit/", edit_post(project, planned_finish="2027-02-26")
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.planned_finish, project.baseline_finish, project.forecast_finish) == (
        dt.date(2027, 2, 26),
        dt.date(2026, 12, 31),
        dt.date(2026, 12, 31),
    )
    event = AuditEvent.objects.get(scope=f"project:{project.pk}", action=AuditAction.UPDATE)
    assert event.changes == {"planned_finish": ["2026-12-31", "2027-02-26"]}
    # and the project page shows it among the facts
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert '<div data-testid="planned-finish"><span>Planned finish</span>2027-02-26</div>' in page


def test_an_edit_with_two_finishes_before_the_start_says_both(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project()

    response = client_of(users["pm"]).post(
        f"/projects/{project.code}/edit/",
        edit_post(project, planned_finish="2025-11-30", forecast_finish="2025-12-31"),
    )

    assert response.status_code == 422
    assert _summary(response.content.decode()) == [
        ("#id_planned_finish", "Planned finish: 2025-11-30 is before the start 2026-01-05"),
        ("#id_forecast_finish", "Forecast finish: 2025-12-31 is before the start 2026-01-05"),
    ]
    project.refresh_from_db()
    assert (project.planned_finish, project.version) == (dt.date(2026, 12, 31), 1)


def test_a_stale_save_has_no_summary_of_field_errors(
    users: dict[str, Any], make_project: Any
) -> None:
    from pmo.portfolio import services

    project = make_project()
    opened = edit_post(project, name="Mine")
    services.update_project(actor=users["admin"], project=project, data={"priority": 1}, version=1)

    response = client_of(users["pm"]).post(f"/projects/{project.code}/edit/", opened)

    assert response.status_code == 409
    assert 'data-testid="error-summary"' not in response.content.decode()


def test_the_services_list_every_problem_and_check_project_raises_the_first() -> None:
    project = Project(
        start_date=dt.date(2027, 3, 1),
        planned_finish=dt.date(2027, 2, 1),
        forecast_finish=dt.date(2027, 1, 1),
    )

    problems = project_problems(project)

    assert [(p.field, p.message) for p in problems] == [
        ("planned_finish", "2027-02-01 is before the start 2027-03-01"),
        ("forecast_finish", "2027-01-01 is before the start 2027-03-01"),
    ]
    assert [p.field for p in project_problems(project, changed={"forecast_finish"})] == [
        "forecast_finish"
    ]
    with pytest.raises(FieldError) as raised:
        check_project(project)
    assert raised.value.field == "planned_finish"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("DUP", "a project with code “DUP” exists already"),
        ("dup", "project “DUP” exists already: codes may not differ by case only"),
    ],
)
def test_an_edit_to_a_taken_code_is_said_with_the_other_errors_on_the_first_save(
    code: str, message: str, users: dict[str, Any], make_project: Any
) -> None:
    # the audit's case: the taken code was said only on the next save, after the dates
    make_project(code="DUP")
    project = make_project(code="MINE")

    response = client_of(users["admin"]).post(
        "/projects/MINE/edit/", edit_post(project, code=code, forecast_finish="2025-12-31")
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert field_error(page, "code") == message
    assert _summary(page) == [
        ("#id_code", f"Code: {message}"),
        ("#id_forecast_finish", "Forecast finish: 2025-12-31 is before the start 2026-01-05"),
    ]
    project.refresh_from_db()
    assert (project.code, project.forecast_finish, project.version) == (
        "MINE",
        dt.date(2026, 12, 31),
        1,
    )


def test_an_edit_to_a_taken_code_alone_is_said_at_the_code(
    users: dict[str, Any], make_project: Any
) -> None:
    make_project(code="DUP")
    project = make_project(code="MINE")

    response = client_of(users["admin"]).post(
        "/projects/MINE/edit/", edit_post(project, code="Dup")
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert _summary(page) == [
        ("#id_code", "Code: project “DUP” exists already: codes may not differ by case only")
    ]
    assert list(Project.objects.order_by("code").values_list("code", flat=True)) == ["DUP", "MINE"]


def test_an_edit_may_change_the_case_of_the_projects_own_code(
    users: dict[str, Any], make_project: Any
) -> None:
    project = make_project(code="mine")

    response = client_of(users["admin"]).post(
        "/projects/mine/edit/", edit_post(project, code="MINE")
    )

    assert response.status_code == 302 and response["Location"] == "/projects/MINE/"
    project.refresh_from_db()
    assert (project.code, project.version) == ("MINE", 2)
