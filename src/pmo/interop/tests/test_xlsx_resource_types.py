"""The XLSX export types each resource as MSPDI does, and every resource problem is reported."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from pmo.interop import services, xlsx
from pmo.interop.errors import ImportFileError
from pmo.interop.tests.test_xlsx_resources import _book
from pmo.scheduling.models import Calendar, Plan, Resource
from pmo.scheduling.planio import AssignmentData, CalendarData, PlanData, ResourceData
from pmo.scheduling.selectors import plan_data
from pmo.scheduling.tests.factories import small_plan

NS = {"p": "http://schemas.microsoft.com/project"}
TYPES = {"0": "Material", "1": "Work", "2": "Cost"}  # MSPDI's Resource/Type


def _mspdi_types(plan: Plan) -> dict[str, str]:
    root = ET.fromstring(services.export_msproject(plan))
    return {
        el.findtext("p:Name", namespaces=NS) or "": TYPES[
            el.findtext("p:Type", namespaces=NS) or ""
        ]
        for el in root.findall("p:Resources/p:Resource", NS)
    }


def _xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    wb = load_workbook(io.BytesIO(content))
    sheet = next((n for n in ("Resources", "资源") if n in wb.sheetnames), None)
    if sheet is None:  # a plan without resources
        return []
    return list(wb[sheet].iter_rows(values_only=True))[1:]


def _staffed() -> PlanData:
    """A plan as the demo's: people and pools booked from staffing, none with a calendar; on
    Code java-sh works beside Mei, who works Monday to Thursday, so Code is worked on Mei's
    days only (a calendar for java-sh would let Code be worked on Fridays too)."""
    data = small_plan()
    four_days = [[(480, 720), (780, 1020)]] * 4 + [[], [], []]
    data.calendars.append(CalendarData(uid=9, name="Mei", week=four_days))
    data.resources = [
        ResourceData(uid=1, name="java-sh"),
        ResourceData(uid=2, name="test-sh"),
        ResourceData(uid=3, name="Xu Ming"),
        ResourceData(uid=4, name="Mei", calendar_uid=9),
    ]
    data.assignments = [
        AssignmentData(task_uid=2, resource_uid=3, units=0.5),
        AssignmentData(task_uid=3, resource_uid=1, units=2.0),
        AssignmentData(task_uid=3, resource_uid=4),
        AssignmentData(task_uid=4, resource_uid=2),
    ]
    return data


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_people_without_a_calendar_are_work_resources_and_keep_their_dates(
    make_project: Any, users: Any, language: str
) -> None:
    # given a plan whose resources came from staffing, without calendars
    project = make_project()
    plan = services.import_plan_data(actor=users["pm"], data=_staffed(), project=project)
    before = plan_data(plan)
    # when it is exported to XLSX
    content = xlsx.write_xlsx(plan, language)
    rows = _xlsx_rows(content)
    # then each resource has the type the MS Project XML export gives it: Work, not Material
    work = "工时" if language == "zh-hans" else "Work"
    assert {row[0]: row[1] for row in rows} == {
        name: work if kind == "Work" else kind for name, kind in _mspdi_types(plan).items()
    }
    assert {row[1] for row in rows} == {work}
    assert [row[2] for row in rows[:3]] == ["无" if language == "zh-hans" else "None"] * 3
    # and the workbook imported again gives the same resources, without calendars, and dates
    again = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(content), project=project
    )
    after = plan_data(again)
    assert [(r.name, r.calendar_uid) for r in after.resources][:3] == [
        ("java-sh", None),
        ("test-sh", None),
        ("Xu Ming", None),
    ]
    assert [(t.uid, t.start, t.finish) for t in after.tasks] == [
        (t.uid, t.start, t.finish) for t in before.tasks
    ]
    # (Code, 5 days from Thursday 5 March on Mei's days only, is not worked on Friday 6)
    code = next(t for t in after.tasks if t.uid == 3)
    assert (code.start, code.finish) == (dt.datetime(2026, 3, 5, 8), dt.datetime(2026, 3, 12, 17))


@pytest.mark.parametrize(
    "name",
    [
        "sample-constraints-calendars.xml",
        "calendars-project2019.xml",
        "baselines-project2019.xml",
    ],
)
def test_the_xlsx_type_is_the_mspdi_type_for_an_ms_project_plan(
    make_project: Any, users: Any, sample: Any, name: str
) -> None:
    project = make_project()
    plan = services.import_msproject(actor=users["pm"], content=sample(name), project=project)
    before = plan_data(plan)
    content = xlsx.write_xlsx(plan, "en")
    assert {row[0]: row[1] for row in _xlsx_rows(content)} == _mspdi_types(plan)
    again = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(content), project=project
    )
    assert [(t.uid, t.start, t.finish) for t in plan_data(again).tasks] == [
        (t.uid, t.start, t.finish) for t in before.tasks
    ]


def test_a_work_resource_without_a_calendar_has_no_hours_nor_days_off() -> None:
    content = _book(
        [[1, "A", 1, "", "Li Na, Mei"]],
        [["Li Na", "Work", "None", "09:00-12:00"], ["Mei", "", "None"]],
        [["2026-03-09", "", "off", "Leave", "Mei"]],
    )
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        xlsx.read_xlsx(content)
    assert str(caught.value) == (
        "Resources row 2 Monday: a resource without a calendar has no working hours; "
        "Calendar exceptions row 2 Resource: a resource without a calendar has no days off"
    )


def test_every_resource_problem_is_reported_together_and_nothing_is_written(
    client: Any, make_project: Any, users: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pmo.accounts.services import create_token

    # given a workbook with five resource problems on two sheets
    content = _book(
        [[1, "A", 1, "", "Li Na[0%]"], [2, "B", 1, "", "Zhang Wei, zhang wei"]],
        [["Li Na", "Person", "Japan"], ["Mei", "", "", "9-12"], ["", "", "China"]],
        [["2026-03-09", "", "off", "Leave", "Lina"]],
    )
    project = make_project()
    counts = (Plan.objects.count(), Resource.objects.count(), Calendar.objects.count())
    # when it is uploaded over the API
    answer = client.post(
        f"/api/v1/projects/{project.code}/plan/import/xlsx",
        {"file": SimpleUploadedFile("plan.xlsx", content)},
        headers={
            "Authorization": f"Bearer {create_token(username=users['pm'].username)}",
            "Accept-Language": "en",
        },
    )
    # then the answer is a 422 listing each problem under its place
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "Resources row 2 Type", "message": "“Person” is not one of Work, Material, Cost"},
        {
            "field": "Resources row 2 Calendar",
            "message": "“Japan” is not one of Standard, China, None",
        },
        {
            "field": "Resources row 3 Monday",
            "message": "“9-12” is not a time span like 09:00-12:00 (or write off)",
        },
        {"field": "Resources row 4 Name", "message": "a resource needs a name"},
        {
            "field": "Tasks row 2 Resource names",
            "message": "“Li Na[0%]”: units must be above 0% and at most 10,000%",
        },
        {"field": "Tasks row 3 Resource names", "message": "“zhang wei” is named twice"},
        {
            "field": "Calendar exceptions row 2 Resource",
            "message": "“Lina” is not on sheet Resources nor in column Resource names",
        },
    ]
    detail = answer.json()["detail"]
    assert all(f"{e['field']}: {e['message']}" in detail for e in answer.json()["errors"])
    # and nothing was written
    assert (Plan.objects.count(), Resource.objects.count(), Calendar.objects.count()) == counts


def test_the_web_page_lists_every_resource_problem(
    client: Any, make_project: Any, users: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = _book(
        [[1, "A", 1, "", "Li Na[0%]"]],
        [["Li Na", "Person"], ["Mei", "", "Japan"]],
    )
    project = make_project()
    client.force_login(users["pm"])
    page = client.post(
        f"/projects/{project.code}/plan/import/",
        {"file": SimpleUploadedFile("plan.xlsx", content)},
        follow=True,
        headers={"Accept-Language": "en"},
    )
    text = page.content.decode()
    for problem in ("“Person” is not one of", "“Japan” is not one of", "“Li Na[0%]”: units"):
        assert problem in text
    assert not Plan.objects.filter(project=project).exists()


def test_many_problems_are_listed_up_to_a_limit() -> None:
    content = _book([[k, "A", 1, "", f"P{k}[0%]"] for k in range(1, 31)])
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        xlsx.read_xlsx(content)
    assert len(caught.value.errors) == 30
    assert str(caught.value).count("units must be above 0%") == 20
    assert str(caught.value).endswith("(the first 20 of 30 errors are listed)")
