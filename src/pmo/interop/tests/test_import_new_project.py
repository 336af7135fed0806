"""``pmo import`` without ``--project`` creates a project and never replaces another's plan.

An import named after a file that matches an existing project (ERP2.xml beside project ERP2)
used to replace that project's plan and drop its hand-entered milestones; it is refused, and
``--project ERP2`` is how to replace it. A created project says what it was given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pmo.core.tests.test_cli_bad_input import run_pmo
from pmo.interop import services, xlsx
from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_write import write_mspdi
from pmo.portfolio.models import Milestone, Portfolio, Project
from pmo.scheduling import selectors as plan_selectors
from pmo.scheduling import services as plan_services
from pmo.scheduling.models import Plan
from pmo.scheduling.planio import PlanData
from pmo.scheduling.tests.factories import small_plan


def _other_plan() -> PlanData:
    """A plan unlike ``small_plan``: three tasks, no Release milestone."""
    plan = small_plan()
    return dataclasses.replace(plan, name="ERP2 rollout", tasks=plan.tasks[:3])


def _erp2(users: Any, make_project: Any) -> Project:
    """Project ERP2 with the small plan and a milestone entered by hand."""
    project = make_project(code="ERP2", name="ERP 2")
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    Milestone.objects.create(project=project, name="Go-live", forecast_date=dt.date(2026, 6, 1))
    return project


def _file(fmt: str, data: PlanData, users: Any, make_project: Any) -> bytes:
    """``data`` as an MS Project XML file, or as a workbook exported from a scratch project."""
    if fmt == "msproject":
        return write_mspdi(data)
    scratch = make_project(code="SCRATCH")
    plan = plan_services.replace_plan(actor=users["pm"], project=scratch, data=data)
    return xlsx.write_xlsx(plan)


def _state(project: Project) -> tuple[list[str], list[str]]:
    """The project's plan tasks and milestones, by name."""
    plan = Plan.objects.get(project=project)
    tasks = list(plan.tasks.order_by("uid").values_list("name", flat=True))
    milestones = sorted(Milestone.objects.filter(project=project).values_list("name", flat=True))
    return tasks, milestones


@pytest.mark.parametrize("name", ["ERP2.xml", "erp2.xml", "Erp2.xlsx"])
def test_an_import_without_project_refuses_a_project_that_exists(
    users: Any, make_project: Any, tmp_path: Path, name: str
) -> None:
    project = _erp2(users, make_project)
    before = _state(project)
    assert "Go-live" in before[1]
    fmt = "xlsx" if name.endswith(".xlsx") else "msproject"
    path = tmp_path / name
    path.write_bytes(_file(fmt, _other_plan(), users, make_project))
    codes = sorted(Project.objects.values_list("code", flat=True))
    with pytest.raises(CommandError) as refused:
        call_command("import", fmt, str(path))
    assert str(refused.value) == (
        "project ERP2 already exists; to replace its plan, give --project ERP2"
    )
    assert _state(project) == before
    assert sorted(Project.objects.values_list("code", flat=True)) == codes


def test_the_refusal_names_the_existing_code_when_it_differs_by_case(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    make_project(code="erp2")
    path = tmp_path / "ERP2.xml"
    path.write_bytes(write_mspdi(_other_plan()))
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(path))
    assert str(refused.value) == (
        "project erp2 already exists; to replace its plan, give --project erp2"
    )
    assert (Project.objects.count(), Plan.objects.count()) == (1, 0)


def test_with_project_the_plan_is_replaced_and_nothing_is_created(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    project = _erp2(users, make_project)
    path = tmp_path / "ERP2.xml"
    path.write_bytes(write_mspdi(_other_plan()))
    out = StringIO()
    call_command("import", "msproject", str(path), "--project", "ERP2", stdout=out)
    assert _state(project)[0] == ["Build", "Design", "Code"]
    assert out.getvalue() == "imported 3 tasks into project ERP2 (finish 2026-03-11 17:00)\n"


def test_replacing_a_plan_far_from_the_project_dates_warns_on_stderr(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    project = _erp2(users, make_project)
    Project.objects.filter(pk=project.pk).update(start_date=dt.date(2027, 1, 4))
    path = tmp_path / "ERP2.xml"
    path.write_bytes(write_mspdi(_other_plan()))  # starts 2026-03-02, ten months early
    out, err = StringIO(), StringIO()
    call_command("import", "msproject", str(path), "--project", "ERP2", stdout=out, stderr=err)
    assert out.getvalue() == "imported 3 tasks into project ERP2 (finish 2026-03-11 17:00)\n"
    assert err.getvalue().startswith("warning: The plan starts on 2026-03-02, more than 90 days")
    assert err.getvalue().count("\n") == 1


def test_the_service_refuses_an_existing_code_when_asked_for_a_new_project(
    users: Any, make_project: Any
) -> None:
    # the command checks first; the service checks again inside its transaction
    project = _erp2(users, make_project)
    before = _state(project)
    with pytest.raises(ImportFileError) as refused:
        services.import_msproject(
            actor=None, content=write_mspdi(_other_plan()), code="erp2", new=True
        )
    assert str(refused.value) == "project ERP2 already exists"
    assert _state(project) == before


@pytest.mark.parametrize("fmt", ["msproject", "xlsx"])
def test_a_created_project_says_what_it_was_given(
    users: Any, make_project: Any, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / ("web portal.xlsx" if fmt == "xlsx" else "web portal.xml")
    data = dataclasses.replace(small_plan(), name="Web portal")
    path.write_bytes(_file(fmt, data, users, make_project))
    out = StringIO()
    call_command("import", fmt, str(path), stdout=out)
    project = Project.objects.get(code="WEB-PORTAL")
    assert (project.portfolio.code, project.org_unit.code, project.pmo_type, project.manager) == (
        "STRAT",
        "grp",
        "rnd",
        None,
    )
    assert out.getvalue().splitlines() == [
        'created project WEB-PORTAL "Web portal" in portfolio STRAT (Strategic), org unit grp '
        "(Group), type R&D, no manager; change them at "
        "/projects/WEB-PORTAL/edit/ or with PATCH /api/v1/projects/WEB-PORTAL",
        "imported 5 tasks into project WEB-PORTAL (finish 2026-03-11 17:00)",
    ]
    plan = Plan.objects.get(project=project)
    assert [t.name for t in plan_selectors.plan_data(plan).tasks][-1] == "Release"


def test_a_new_code_given_with_project_is_created_and_says_so(
    users: Any, portfolio: Any, tmp_path: Path
) -> None:
    path = tmp_path / "plan.xml"
    path.write_bytes(write_mspdi(small_plan()))
    out = StringIO()
    call_command("import", "msproject", str(path), "--project", "NEW-1", stdout=out)
    assert out.getvalue().startswith('created project NEW-1 "Small plan" in portfolio STRAT')


def test_without_a_portfolio_the_error_says_to_create_one(users: Any, tmp_path: Path) -> None:
    path = tmp_path / "web.xml"
    path.write_bytes(write_mspdi(small_plan()))
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(path))
    assert str(refused.value) == (
        "web.xml: project WEB: does not exist and there is no portfolio to create it in; "
        "create a portfolio first (admin page /admin/portfolio/portfolio/add/); "
        "nothing was imported"
    )
    assert (Project.objects.count(), Plan.objects.count()) == (0, 0)


def test_without_an_org_unit_the_error_says_to_create_one(db: Any, tmp_path: Path) -> None:
    Portfolio.objects.create(code="STRAT", name="Strategic")
    path = tmp_path / "web.xml"
    path.write_bytes(write_mspdi(small_plan()))
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(path))
    assert str(refused.value) == (
        "web.xml: project WEB: does not exist and there is no org unit to create it in; "
        "create one first (admin page /admin/accounts/orgunit/add/ or POST /api/v1/org-units); "
        "nothing was imported"
    )
    assert (Project.objects.count(), Plan.objects.count()) == (0, 0)


def _child_database_url(tmp_path: Path) -> str:
    """A URL at which a ``pmo`` child process sees this test's (committed) database."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":  # in memory: hand the child a copy in a file
        copy = tmp_path / "child.sqlite3"
        with sqlite3.connect(copy) as target:
            connection.ensure_connection()
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_the_console_script_creates_once_then_refuses_in_one_line(
    users: Any, portfolio: Any, tmp_path: Path
) -> None:
    # the audit's steps with the real ``pmo``: ERP2.xml makes ERP2; the same file again is
    # refused with one line and exit code 1, instead of replacing ERP2's plan
    env = {"PMO_DATABASE_URL": _child_database_url(tmp_path)}
    path = tmp_path / "ERP2.xml"
    path.write_bytes(write_mspdi(_other_plan()))
    code, stderr = run_pmo("import", "msproject", str(path), env=env)
    assert (code, stderr) == (0, "")
    code, stderr = run_pmo("import", "msproject", str(path), env=env)
    assert (code, stderr) == (
        1,
        "pmo import: error: project ERP2 already exists; to replace its plan, "
        "give --project ERP2\n",
    )
