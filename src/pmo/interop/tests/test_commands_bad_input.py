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


def test_export_writes_through_a_link_and_refuses_a_fifo(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    import os

    project = make_project(code="P0001")
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    target = tmp_path / "real.xml"
    target.write_bytes(b"old")
    link = tmp_path / "link.xml"
    link.symlink_to(target)
    call_command("export", "msproject", "P0001", "--out", str(link))
    assert link.is_symlink()
    assert target.read_bytes().startswith(b"<?xml")
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    with pytest.raises(CommandError) as refused:
        call_command("export", "msproject", "P0001", "--out", str(fifo))
    assert str(refused.value) == (
        f"--out {fifo} is a named pipe (FIFO), not a regular file: give a file name, e.g. plan.xml"
    )
    assert fifo.is_fifo()


@pytest.mark.parametrize(
    ("fmt", "name", "message"),
    [
        ("xlsx", "x.xml", "the extension .xml for xlsx; use .xlsx"),
        ("msproject", "x.xlsx", "the extension .xlsx for msproject; use .xml"),
        ("xlsx", "plan", "no extension for xlsx; use .xlsx"),
    ],
)
def test_export_refuses_an_extension_that_is_not_the_format(
    users: Any, make_project: Any, tmp_path: Path, fmt: str, name: str, message: str
) -> None:
    project = make_project(code="P0001")
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    out = tmp_path / name
    with pytest.raises(CommandError) as refused:
        call_command("export", fmt, "P0001", "--out", str(out))
    assert str(refused.value) == f"--out {out}: {message}"
    assert list(tmp_path.iterdir()) == []


def test_export_accepts_an_extension_in_capitals(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    project = make_project(code="P0001")
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    call_command("export", "xlsx", "P0001", "--out", str(tmp_path / "PLAN.XLSX"))
    assert (tmp_path / "PLAN.XLSX").read_bytes()[:2] == b"PK"


def test_import_refuses_a_new_code_that_differs_only_by_case(
    users: Any, make_project: Any, tmp_path: Path
) -> None:
    make_project(code="P0001")
    path = tmp_path / "plan.xml"
    path.write_bytes(write_mspdi(small_plan()))
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(path), "--project", "p0001")
    assert str(refused.value) == (
        "no project 'p0001'; did you mean P0001? (codes are case-sensitive); nothing was imported"
    )
    assert list(Project.objects.values_list("code", flat=True)) == ["P0001"]


def test_import_names_what_a_code_is_made_of(users: Any, portfolio: Any, tmp_path: Path) -> None:
    path = tmp_path / "我的 计划.xml"
    path.write_bytes(write_mspdi(small_plan()))
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(path), "--project", "项目一")
    assert str(refused.value) == (
        "--project 项目一: a new project code has 1-40 Latin letters A-Z, digits, . _ or -"
    )
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(path))
    assert str(refused.value) == (
        "我的 计划.xml: the file name gives no valid project code ('我的-计划'); "
        "give one with --project CODE (Latin letters A-Z, digits, . _ or -)"
    )
    assert Project.objects.count() == 0


def test_import_names_the_other_format_and_an_empty_file(
    users: Any, portfolio: Any, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = tmp_path / "p1.xlsx"
    Workbook().save(book)
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(book), "--project", "X1")
    # the advice keeps --project: followed without it, it would make a project named P1
    assert str(refused.value) == (
        f"p1.xlsx: this is an Excel workbook, not MS Project XML: use pmo import xlsx {book} "
        "--project X1"
    )
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(book))
    assert str(refused.value) == (
        f"p1.xlsx: this is an Excel workbook, not MS Project XML: use pmo import xlsx {book}"
    )
    xml = tmp_path / "p1.xml"
    xml.write_bytes(write_mspdi(small_plan()))
    with pytest.raises(CommandError) as refused:
        call_command("import", "xlsx", str(xml), "--project", "X1")
    assert str(refused.value) == (
        f"p1.xml: this is XML, not an Excel workbook: use pmo import msproject {xml} --project X1"
    )
    spaced = tmp_path / "my plan.xml"
    spaced.write_bytes(write_mspdi(small_plan()))
    with pytest.raises(CommandError) as refused:
        call_command("import", "xlsx", str(spaced), "--project", "X 1")
    assert str(refused.value) == (
        f"my plan.xml: this is XML, not an Excel workbook: use pmo import msproject "
        f"'{spaced}' --project 'X 1'"
    )
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(CommandError) as refused:
        call_command("import", "msproject", str(empty), "--project", "X1")
    assert str(refused.value) == "empty.xml: the file is empty; nothing was imported"
    assert Project.objects.count() == 0
