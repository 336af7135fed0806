"""The plan page of a project without a plan offers a blank XLSX template (written by the
exporter, so it is the layout the import reads) and says what the workbook needs."""

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from pmo.interop.xlsx_layout import COLUMNS, COMPUTED, RESOURCE_NAMES, ZH
from pmo.scheduling.models import Plan, Task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def test_the_page_offers_the_template_to_who_may_import(client: Any, users: Any, make_project: Any):
    project = make_project(code="BLANK1")
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert 'href="/projects/BLANK1/plan/template.xlsx"' in page
    assert 'id="plan-template-help"' in page
    assert "“UID” (a whole number, unique), “Name” and “Duration (days)” are required" in page
    # a reader cannot import: no template either
    client.force_login(users["other_pm"])
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert 'id="no-plan"' in page
    assert "template.xlsx" not in page


def test_a_project_with_a_plan_offers_its_export_instead(
    client: Any, users: Any, make_project: Any
):
    project = make_project(code="BLANK2")
    client.force_login(users["pm"])
    filled = _filled(client, project)
    client.post(f"/projects/{project.code}/plan/import/", {"file": filled})
    assert Plan.objects.filter(project=project).exists()
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert "template.xlsx" not in page
    assert "/plan/export.xlsx" in page


def test_the_template_has_the_layout_and_no_tasks(client: Any, users: Any, make_project: Any):
    project = make_project(code="BLANK3", start_date=dt.date(2026, 11, 2))
    client.force_login(users["pm"])
    response = client.get(f"/projects/{project.code}/plan/template.xlsx")
    assert 'filename="BLANK3-plan-template.xlsx"' in response["Content-Disposition"]
    wb = workbook(response)
    assert wb.sheetnames == ["Plan", "Tasks"]
    tasks = list(wb["Tasks"].iter_rows(values_only=True))
    assert list(tasks[0]) == [*COLUMNS, *COMPUTED, RESOURCE_NAMES]
    assert len(tasks) == 1  # headers only
    plan = {row[0]: row[1] for row in wb["Plan"].iter_rows(values_only=True)}
    assert plan["Name"] == project.name
    assert plan["Start"] == dt.datetime(2026, 11, 2, 8, 0)
    assert plan["Calendar"] == "Standard"
    assert plan["Monday"] == "08:00-12:00, 13:00-17:00"
    # nothing was stored
    assert not Plan.objects.filter(project=project).exists()


def test_a_chinese_reader_gets_chinese_sheets_and_headers(
    client: Any, users: Any, make_project: Any
):
    project = make_project(code="BLANK4")
    client.force_login(users["pm"])
    wb = workbook(
        client.get(f"/projects/{project.code}/plan/template.xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans")
    )
    assert wb.sheetnames == [ZH["Plan"], ZH["Tasks"]]
    headers = next(wb[ZH["Tasks"]].iter_rows(values_only=True))
    assert headers[:5] == tuple(ZH[key] for key in COLUMNS[:5])


def _filled(client: Any, project: Any) -> SimpleUploadedFile:
    """The blank template with two tasks typed in, as a user would."""
    wb = workbook(client.get(f"/projects/{project.code}/plan/template.xlsx"))
    sheet = wb["Tasks"]
    headers = [cell.value for cell in sheet[1]]
    for values in (
        {"UID": 1, "Name": "Design", "Duration (days)": 3},
        {"UID": 2, "Name": "Build", "Duration (days)": 5, "Predecessors": "1"},
    ):
        sheet.append([values.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("plan.xlsx", out.getvalue(), content_type=XLSX)


def test_the_filled_template_imports(client: Any, users: Any, make_project: Any):
    # given the template of a project starting on Monday 2026-11-02, two tasks typed in
    project = make_project(
        code="BLANK5", start_date=dt.date(2026, 11, 2), planned_finish=dt.date(2026, 12, 31)
    )
    client.force_login(users["pm"])
    page = client.post(
        f"/projects/{project.code}/plan/import/", {"file": _filled(client, project)}, follow=True
    ).content.decode()
    # then it imports without a warning, the plan starting on the project's start
    assert "Imported 2 tasks." in page
    assert 'class="flash warning"' not in page
    build = Task.objects.get(plan__project=project, uid=2)
    assert build.start.date() == dt.date(2026, 11, 5)  # after Design's 3 days
    assert build.finish.date() == dt.date(2026, 11, 11)


def test_an_unknown_project_has_no_template(client: Any, users: Any):
    client.force_login(users["pm"])
    assert client.get("/projects/NOPE/plan/template.xlsx").status_code == 404
