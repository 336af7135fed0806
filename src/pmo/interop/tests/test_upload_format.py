"""The plan page's import reads the file as what it is, and says what the import replaced;
the XLSX export gives a summary its duration."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from pmo.core.errors import DomainError
from pmo.interop import services, xlsx
from pmo.interop.formats import detect_format
from pmo.interop.mspdi_write import write_mspdi
from pmo.portfolio.models import Milestone
from pmo.scheduling import selectors
from pmo.scheduling import services as plan_services
from pmo.scheduling.models import Task
from pmo.scheduling.tests.factories import small_plan


def _import(client: Any, code: str, name: str, content: bytes, fmt: str = "msproject") -> str:
    response = client.post(
        f"/projects/{code}/plan/import/",
        {"file": SimpleUploadedFile(name, content), "format": fmt},
        follow=True,
    )
    assert response.status_code == 200
    return str(response.content.decode())


def _workbook(make_project: Any, users: Any) -> bytes:
    source = make_project(code="SRC")
    plan = plan_services.replace_plan(actor=users["pm"], project=source, data=small_plan())
    return xlsx.write_xlsx(plan)


def test_an_xlsx_uploaded_with_the_xml_format_selected_is_read_as_a_workbook(
    client: Any, make_project: Any, users: Any
) -> None:
    # given a workbook exported from another project, and the form's default format
    content = _workbook(make_project, users)
    project = make_project(code="DST")
    client.force_login(users["pm"])
    # when it is uploaded with "Microsoft Project XML" selected
    page = _import(client, project.code, "plan.xlsx", content, fmt="msproject")
    # then it is imported as the workbook it is
    assert "Imported 5 tasks." in page and "not well-formed" not in page
    assert Task.objects.filter(plan__project=project).count() == 5


def test_xml_uploaded_with_the_xlsx_format_selected_is_read_as_xml(
    client: Any, make_project: Any, users: Any
) -> None:
    project = make_project()
    client.force_login(users["pm"])
    page = _import(client, project.code, "plan", write_mspdi(small_plan()), fmt="xlsx")
    assert "Imported 5 tasks." in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.pdf",
            b"%PDF-1.7 ...",
            "file: “notes.pdf” is a PDF document, not Microsoft Project XML (.xml) or an Excel "
            "workbook (.xlsx)",
        ),
        (
            "plan.csv",
            b"UID,Name\n1,Build\n",
            "file: “plan.csv” is a text file, not Microsoft Project XML (.xml) or an Excel "
            "workbook (.xlsx)",
        ),
        (
            "plan.mpp",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "file: “plan.mpp” is a binary Microsoft Office file (a .mpp project or a .xls "
            "workbook): save it from Microsoft Project as XML (.xml) or from Excel as an Excel "
            "workbook (.xlsx)",
        ),
        ("plan.xml", b"", "file: the file is empty"),
    ],
)
def test_a_file_that_is_no_plan_is_refused_naming_what_it_is(
    name: str, content: bytes, message: str
) -> None:
    with pytest.raises(DomainError) as caught:
        detect_format(content, name)
    assert caught.value.message == message


def test_the_first_bytes_decide_else_the_extension() -> None:
    assert detect_format(b"PK\x03\x04rest", "plan.xml") == "xlsx"
    assert detect_format(b"\xef\xbb\xbf<?xml version='1.0'?>", "plan.xlsx") == "msproject"
    assert detect_format("<Project/>".encode("utf-16"), "") == "msproject"
    assert detect_format(b"\x00\x01garbage", "plan.XLSX") == "xlsx"  # its reader says why


def test_garbage_on_the_plan_page_is_one_clear_line(
    client: Any, make_project: Any, users: Any
) -> None:
    project = make_project()
    client.force_login(users["pm"])
    page = _import(client, project.code, "photo.png", b"\x89PNG\r\n\x1a\n....")
    assert (
        "Nothing was imported: file: “photo.png” is an image, not Microsoft Project XML (.xml) "
        "or an Excel workbook (.xlsx)"
    ) in page


def test_the_import_names_the_hand_milestones_it_replaced(
    client: Any, make_project: Any, users: Any
) -> None:
    # given a project with a milestone entered by hand that the plan does not have
    project = make_project()
    Milestone.objects.create(project=project, name="Audit", name_zh="审计")
    client.force_login(users["pm"])
    # when a plan is imported on the plan page
    page = _import(client, project.code, "plan.xml", write_mspdi(small_plan()))
    # then the message says so, naming it in both languages
    assert (
        "Imported 5 tasks. 1 milestone entered by hand was replaced by the plan&#x27;s: "
        "“Audit” (“审计”)."
    ) in page


def test_describe_import_without_milestones_gone_is_the_task_count(
    make_project: Any, users: Any
) -> None:
    project = make_project()
    result = services.import_upload(
        actor=users["pm"], project=project, content=write_mspdi(small_plan()), filename="p.xml"
    )
    with translation.override("en"):
        assert services.describe_import(result) == "Imported 5 tasks."


def test_the_xlsx_export_gives_a_summary_its_span_and_the_import_ignores_it(
    make_project: Any, users: Any
) -> None:
    # given the small plan: Build (summary) runs Mon 2026-03-02 to Wed 2026-03-11: 8 working days
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    content = xlsx.write_xlsx(plan, language="en")
    sheet = load_workbook(io.BytesIO(content))["Tasks"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    duration = header.index("Duration (days)")
    # then the summary's duration is its span, the others their own
    assert [rows[uid][duration] for uid in (1, 2, 3, 4, 5)] == [8, 3, 5, 2, 0]

    # and reading it back gives the plan's durations (a summary stores none) and milestones
    def durations(tasks: Any) -> list[tuple[int, int, bool]]:
        return [(t.uid, t.duration, t.milestone) for t in tasks]

    read = durations(xlsx.read_xlsx(content).tasks)
    assert read == durations(selectors.plan_data(plan).tasks)
    assert read[0] == (1, 0, False)
