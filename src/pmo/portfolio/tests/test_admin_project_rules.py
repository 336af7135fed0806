"""A project saved in the Django admin obeys the services' rules and gets their defaults:
a new code unlike any other (also by case), no finish before the start, the program of the
project's portfolio, and a new project's baseline and forecast finish from its planned finish."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from pmo.portfolio.models import Portfolio, Program, Project
from pmo.portfolio.tests.test_admin_audit import _project_form


def _errors(response: Any) -> str:
    return response.content.decode().split('class="errornote"')[-1][:4000]


def test_a_project_added_in_the_admin_starts_its_baseline_and_forecast_from_its_plan(
    admin_client: Client, make_project: Any
) -> None:
    template = make_project(code="TPL")
    form = _project_form(
        template,
        code="NEW1",
        state="active",
        start_date="2027-01-04",
        planned_finish="2027-06-30",
        baseline_finish="",
        forecast_finish="",
    )
    response = admin_client.post("/admin/portfolio/project/add/", form)
    assert response.status_code == 302, _errors(response)
    project = Project.objects.get(code="NEW1")
    assert (project.baseline_finish, project.forecast_finish) == (
        dt.date(2027, 6, 30),
        dt.date(2027, 6, 30),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "tpl"}, "project “TPL” exists already: codes may not differ by case only"),
        ({"code": "NEW2", "planned_finish": "2026-01-01"}, "2026-01-01 is before the start"),
    ],
)
def test_a_project_added_in_the_admin_is_refused_as_the_services_refuse_it(
    admin_client: Client, make_project: Any, changes: dict[str, Any], message: str
) -> None:
    template = make_project(code="TPL")
    Project.objects.filter(pk=template.pk).update(start_date=dt.date(2026, 3, 2))
    template.refresh_from_db()
    form = _project_form(template, state="active", **changes)
    response = admin_client.post("/admin/portfolio/project/add/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Project.objects.values_list("code", flat=True)) == ["TPL"]


def test_a_program_of_another_portfolio_is_refused_on_change(
    admin_client: Client, make_project: Any
) -> None:
    project = make_project(code="P1")
    before = project.program_id
    other = Portfolio.objects.create(code="OTHER", name="Other")
    program = Program.objects.create(code="PRG-X", name="Elsewhere", portfolio=other)
    url = f"/admin/portfolio/project/{project.pk}/change/"
    form = _project_form(project, state=project.state, program=program.pk)
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "belongs to another portfolio than the project" in response.content.decode()
    project.refresh_from_db()
    assert project.program_id == before != program.pk


def test_a_code_changed_in_the_admin_is_refused_when_another_project_has_it_by_case(
    admin_client: Client, make_project: Any
) -> None:
    make_project(code="DUP")
    project = make_project(code="mine")
    url = f"/admin/portfolio/project/{project.pk}/change/"

    refused = admin_client.post(url, _project_form(project, state=project.state, code="dup"))
    recased = admin_client.post(url, _project_form(project, state=project.state, code="MINE"))

    assert refused.status_code == 200
    assert "project “DUP” exists already: codes may not differ by case only" in _errors(refused)
    assert recased.status_code == 302, _errors(recased)
    assert sorted(Project.objects.values_list("code", flat=True)) == ["DUP", "MINE"]
