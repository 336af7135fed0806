"""``pmo export`` and ``pmo import`` say exactly what is wrong, in one line, and change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.interop.mspdi_write import write_mspdi
from pmo.portfolio.models import Project
from pmo.scheduling import services as plan_services
from pmo.scheduling.models import Plan
from pmo.scheduling.tests.factories import small_plan


def test_export_of_a_project_without_a_plan_says_so(make_project: Any, tmp_path: Path) -> None:
    make_project(code="P0010")
    with pytest.raises(CommandError) as refused:
        call_command("export", "msproject", "P0010", "--out", str(tmp_path / "x.xml"))
    assert str(refused.value) == (
        "project 'P0010' has no plan to export; import one first: "
        "pmo import msproject FILE --project P0010"
    )
    assert list(tmp_path.iterdir()) == []


def test_export_codes_are_exact_but_a_case_slip_gets_a_hint(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    project = make_project(code="P0001")
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    with pytest.raises(CommandError) as refused:
        call_command("export", "xlsx", "p0001", "--out", str(tmp_path / "x.xlsx"))
    assert (
        str(refused.value) == "no project 'p0001'; did you mean P0001? (codes are case-sensitive)"
    )
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_folder_is_refused_before_anything_is_written(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    project = make_project(code="P0001")
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    with pytest.raises(CommandError) as refused:
        call_command("export", "msproject", "P0001", "--out", str(tmp_path))
    assert str(refused.value) == (
        f"--out {tmp_path} is a folder: give a file name, e.g. {tmp_path}/plan.xml"
    )
    assert list(tmp_path.iterdir()) == []


def test_import_refuses_an_empty_project_code(users: Any, portfolio: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.xml"
    path.write_bytes(write_mspdi(small_plan()))
    for empty in ("", "  "):
        with pytest.raises(CommandError) as refused:
            call_command("import", "msproject", str(path), "--project", empty)
        assert str(refused.value) == (
            "--project is empty: give a project code, or leave --project out to use the file name"
        )
    assert (Project.objects.count(), Plan.objects.count()) == (0, 0)
