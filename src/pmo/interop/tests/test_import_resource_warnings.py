"""An import warns, once, about the plan's resources that match no resource of the capacity plan
(their work is not demand); page, API and command line all say it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from pmo.accounts.services import create_token
from pmo.interop.tests.test_xlsx_resources import _book
from pmo.portfolio.models import Project
from pmo.resources.models import Allocation, AllocationSource
from pmo.resources.models import Resource as PoolResource

BOOK: dict[str, Any] = dict(
    tasks=[[1, "Design", 3, "", "张伟[50%], Nobody"], [2, "Build", 2, "1", "nobody"]]
)
BOTH = (
    "2 resources of the plan match no resource of the capacity plan by code or name, so their "
    "work is not counted as demand: “Nobody”, “张伟”."
)
ONE = (
    "1 resource of the plan matches no resource of the capacity plan by code or name, so its "
    "work is not counted as demand: “Nobody”."
)


def _api(client: Any, code: str) -> Any:
    return client.post(
        f"/api/v1/projects/{code}/plan/import/xlsx",
        {"file": SimpleUploadedFile("plan.xlsx", _book(**BOOK))},
        headers={"Authorization": f"Bearer {create_token(username='pm')}", "Accept-Language": "en"},
    )


def test_the_api_warns_once_about_names_matching_no_resource(
    client: Any, make_project: Any, users: Any
) -> None:
    project = make_project()
    answer = _api(client, project.code)
    assert answer.status_code == 201, answer.content
    assert answer.json()["warnings"] == [BOTH]
    assert not Allocation.objects.filter(project=project).exists()


def test_a_name_matching_a_resources_name_or_code_is_not_named(
    client: Any, make_project: Any, users: Any, org: Any
) -> None:
    # 张伟 is a resource's name; Nobody, once a resource's code (whatever its case), is also known
    PoolResource.objects.create(
        code="zw", kind="person", role="Developer", name="张伟", org_unit=org["sh"]
    )
    project = make_project()
    assert _api(client, project.code).json()["warnings"] == [ONE]
    booked = Allocation.objects.filter(project=project, source=AllocationSource.SCHEDULE)
    assert set(booked.values_list("resource__code", flat=True)) == {"zw"}
    PoolResource.objects.create(
        code="NOBODY", kind="person", role="Tester", name="Someone", org_unit=org["sh"]
    )
    assert _api(client, project.code).json()["warnings"] == []


def test_the_page_shows_the_warning(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    client.force_login(users["pm"])
    page = client.post(
        f"/projects/{project.code}/plan/import/",
        {"file": SimpleUploadedFile("plan.xlsx", _book(**BOOK))},
        follow=True,
        headers={"Accept-Language": "en"},
    ).content.decode()
    assert 'class="flash warning"' in page
    assert page.count("match no resource of the capacity plan") == 1
    assert "&ldquo;Nobody&rdquo;" in page or "“Nobody”" in page


def test_the_command_warns_on_stderr_and_says_the_type_it_gave(
    users: Any, portfolio: Any, tmp_path: Path
) -> None:
    path = tmp_path / "newproj.xlsx"
    path.write_bytes(_book(**BOOK))
    out, err = StringIO(), StringIO()
    call_command("import", "xlsx", str(path), stdout=out, stderr=err)
    project = Project.objects.get(code="NEWPROJ")
    # the type the New project page preselects, written as its label, not its key
    assert project.pmo_type == "rnd"
    assert ", type R&D, no manager;" in out.getvalue()
    assert err.getvalue() == f"warning: {BOTH}\n"
