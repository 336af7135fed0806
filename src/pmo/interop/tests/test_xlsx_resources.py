"""Resources in the XLSX plan: assignments, resource calendars and capacity demand survive it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from pmo.interop import services, xlsx
from pmo.interop.errors import ImportFileError
from pmo.resources.models import Allocation, AllocationSource
from pmo.resources.models import Resource as PoolResource
from pmo.scheduling.models import Assignment, Calendar, Plan, Resource, Task
from pmo.scheduling.planio import (
    AssignmentData,
    CalendarData,
    ExceptionData,
    PlanData,
    ResourceData,
)
from pmo.scheduling.selectors import plan_data
from pmo.scheduling.tests.factories import small_plan
from pmo.scheduling.walltime import from_db

SAMPLE = "sample-constraints-calendars.xml"  # two resources, one on a night-shift calendar


def _assignments(data: PlanData) -> list[tuple[int, str, float]]:
    """Who works on which task, how much (work is not carried: an import takes duration x units)."""
    names = {r.uid: r.name for r in data.resources}
    return sorted((a.task_uid, names[a.resource_uid], a.units) for a in data.assignments)


def _dates(data: PlanData) -> list[tuple[int, Any, Any]]:
    return [(t.uid, t.start, t.finish) for t in data.tasks]


def _strip_resources(content: bytes) -> bytes:
    """The workbook without column Resource names and sheet Resources (an older export)."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Tasks"]
    column = [c.value for c in ws[1]].index("Resource names") + 1
    ws.delete_cols(column)
    del wb["Resources"]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_mspdi_plan_round_trips_through_xlsx_with_its_assignments_and_dates(
    make_project: Any, users: Any, sample: Any
) -> None:
    # given an MS Project plan whose task 2 is worked by a night-shift resource
    project = make_project()
    first = services.import_msproject(actor=users["pm"], content=sample(SAMPLE), project=project)
    before = plan_data(first)
    assert len(before.assignments) == 4
    # when it is exported to XLSX and the workbook imported again
    content = xlsx.write_xlsx(first, language="en")
    again = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(content), project=project
    )
    after = plan_data(again)
    # then the assignments and every task's dates are those of the MS Project import
    assert _assignments(after) == _assignments(before)
    assert _dates(after) == _dates(before)
    # and the night shift is a calendar of the resource, derived from the plan's
    second = Resource.objects.get(plan=again, name="Second Resource")
    assert second.calendar is not None and second.calendar.base == again.calendar
    assert (second.calendar.week or [])[0] == [[1380, 1440]]
    plain = Resource.objects.get(plan=again, name="First Resource").calendar
    assert plain is not None and plain.base == again.calendar and plain.week is None
    # and without the resources (an older workbook) the night-shift task's dates move
    bare = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(_strip_resources(content)), project=project
    )
    assert _dates(plan_data(bare)) != _dates(before)


@pytest.mark.parametrize(
    "name",
    [
        "task-links-project2019.xml",
        "relations.xml",
        "baselines-project2019.xml",
        "calendars-project2019.xml",
    ],
)
def test_the_other_samples_keep_their_resources_and_dates(
    make_project: Any, users: Any, sample: Any, name: str
) -> None:
    # (their assignments are MS Project's "unassigned" placeholder, which is not imported)
    project = make_project()
    first = services.import_msproject(actor=users["pm"], content=sample(name), project=project)
    before = plan_data(first)
    again = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(xlsx.write_xlsx(first, "zh-hans")), project=project
    )
    after = plan_data(again)
    assert [r.name for r in after.resources] == [r.name for r in before.resources]
    assert _assignments(after) == _assignments(before)
    assert _dates(after) == _dates(before)


def test_the_export_shows_names_with_units_and_the_resources_sheet(
    make_project: Any, users: Any, sample: Any
) -> None:
    plan = services.import_msproject(
        actor=users["pm"], content=sample(SAMPLE), project=make_project()
    )
    wb = load_workbook(io.BytesIO(xlsx.write_xlsx(plan, language="en")))
    tasks = list(wb["Tasks"].iter_rows(values_only=True))
    assert tasks[0][-1] == "Resource names"
    cells = {row[0]: row[-1] for row in tasks[1:]}
    assert cells[2] == "First Resource[50%], Second Resource[75%]"
    assert (cells[23], cells[24], cells[1]) == ("First Resource", "Second Resource", None)
    people = list(wb["Resources"].iter_rows(values_only=True))
    assert people[0] == ("Name", "Type", "Calendar", *xlsx.WEEKDAYS)
    assert people[1][:2] == ("First Resource", "Work") and set(people[1][2:]) == {None}
    assert people[2][:5] == (
        "Second Resource",
        "Work",
        None,
        "23:00-24:00",
        "00:00-03:00, 04:00-08:00, 23:00-24:00",
    )
    assert people[2][9] == "off"


def _book(
    tasks: list[list[Any]],
    resources: list[list[Any]] | None = None,
    days: list[list[Any]] | None = None,
    *,
    chinese: bool = False,
    plan: list[list[Any]] | None = None,
) -> bytes:
    """A workbook as a PM types it: Plan, Tasks (UID, Name, Duration, Predecessors, Resource
    names) and, when given, Resources and Calendar exceptions (with column Resource)."""
    zh = xlsx.ZH if chinese else {}
    word = lambda key: zh.get(key, key)  # noqa: E731
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = word("Plan")
    for row in plan or [["Start", "2026-03-02 08:00"]]:
        info.append([word(row[0]), *row[1:]])
    ws = wb.create_sheet(word("Tasks"))
    ws.append(
        [word(k) for k in ("UID", "Name", "Duration (days)", "Predecessors")]
        + [word("Resource names")]
    )
    for row in tasks:
        ws.append(row)
    if resources is not None:
        sheet = wb.create_sheet(word("Resources"))
        sheet.append([word(k) for k in ("Name", "Type", "Calendar", *xlsx.WEEKDAYS)])
        for row in resources:
            sheet.append(row)
    if days is not None:
        sheet = wb.create_sheet(word("Calendar exceptions"))
        sheet.append([word(k) for k in ("From", "To", "Working hours", "Name", "Resource")])
        for row in days:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HAND_MADE: dict[str, Any] = dict(
    tasks=[
        [1, "Design", 3, "", "Zhang Wei[50%], Li Na"],
        [2, "Build", 2, "1", "li na"],  # the same resource, however it is typed
        [3, "Test", 1, "2", "Wang Fang［２５％］"],  # full-width, and not on the sheet: created
    ],
    resources=[
        ["Zhang Wei"],
        ["Li Na", "Work", "", "09:00-12:00", "09:00-12:00", "09:00-12:00"],  # mornings
    ],
    days=[
        ["2026-03-04", "", "off", "Company day"],
        ["2026-03-09", "2026-03-10", "off", "Leave", "Li Na"],
    ],
)


def test_a_hand_made_workbook_with_assignments_imports(make_project: Any, users: Any) -> None:
    # given a workbook typed by a PM: Li Na works Monday to Wednesday mornings, takes leave on
    # 9-10 March and, like everyone, not on the company day (4 March)
    project = make_project()
    data = xlsx.read_xlsx(_book(**HAND_MADE))
    # when it is imported
    plan = services.import_plan_data(actor=users["pm"], data=data, project=project)
    # then the resources, their calendars and the assignments are stored
    people = {r.name: r for r in Resource.objects.filter(plan=plan)}
    assert list(people) == ["Zhang Wei", "Li Na", "Wang Fang"]
    for name in ("Zhang Wei", "Wang Fang"):  # the plan's calendar, unchanged
        calendar = people[name].calendar
        assert calendar is not None and calendar.base == plan.calendar and calendar.week is None
        assert not calendar.exceptions.exists()
    li = people["Li Na"].calendar
    assert li is not None and li.base == plan.calendar and li.holidays == ""
    assert li.week == [[[540, 720]]] * 3 + [[]] * 4
    assert [(e.first, e.name) for e in li.exceptions.all()] == [(dt.date(2026, 3, 9), "Leave")]
    rows = sorted(
        (a.task.uid, a.resource.name, a.units, a.work)
        for a in Assignment.objects.filter(task__plan=plan).select_related("task", "resource")
    )
    assert rows == [
        (1, "Li Na", 1.0, 1440),
        (1, "Zhang Wei", 0.5, 720),
        (2, "Li Na", 1.0, 960),
        (3, "Wang Fang", 0.25, 120),
    ]
    # and Design is worked whenever Zhang Wei or Li Na works (the plan's days: 2, 3 and 5
    # March, the 4th is off); Build (16 hours) on Li Na's mornings of 3 hours only: 9 and 10
    # March are leave, then 11, 16, 17, 18, 23 (15 hours) and one hour on the 24th
    dates = {
        t.uid: (from_db(t.start), from_db(t.finish))
        for t in Task.objects.filter(plan=plan).order_by("position")
    }
    assert dates == {
        1: (dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 5, 17)),
        2: (dt.datetime(2026, 3, 11, 9), dt.datetime(2026, 3, 24, 10)),
        3: (dt.datetime(2026, 3, 24, 10), dt.datetime(2026, 3, 25, 10)),
    }


def test_a_resource_with_a_calendar_of_its_own(make_project: Any, users: Any) -> None:
    content = _book(
        [[1, "Install", 2, "", "Chen Jing"]],
        [["Chen Jing", "", "China"]],
        [["2026-03-03", "", "off", "Company day"]],
    )
    plan = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(content), project=make_project()
    )
    calendar = Resource.objects.get(plan=plan).calendar
    assert calendar is not None and calendar.base is None and calendar.holidays == "CN"
    assert calendar.week == plan.calendar.week  # the plan's week, not its days off
    assert not calendar.exceptions.exists()
    task = Task.objects.get(plan=plan, uid=1)
    assert (from_db(task.start), from_db(task.finish)) == (
        dt.datetime(2026, 3, 2, 8),
        dt.datetime(2026, 3, 3, 17),  # the plan's day off is not Chen Jing's
    )


OWN_CALENDAR: dict[str, Any] = dict(
    tasks=[[1, "Install", 2, "", "Chen Jing"], [2, "Check", 1, "1", "Chen Jing, Li Na[50%]"]],
    resources=[["Chen Jing", "", "China"], ["Li Na", "", "", "09:00-12:00"]],
    days=[["2026-03-03", "", "off", "Company day"], ["2026-03-09", "", "off", "Leave", "Li Na"]],
)


@pytest.mark.parametrize("book", [HAND_MADE, OWN_CALENDAR], ids=["derived", "own"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_hand_made_plan_exports_and_imports_as_the_same_plan(
    make_project: Any, users: Any, book: dict[str, Any], language: str
) -> None:
    project = make_project()
    plan = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(_book(**book)), project=project
    )
    before = plan_data(plan)
    again = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(xlsx.write_xlsx(plan, language)), project=project
    )
    after = plan_data(again)
    assert _assignments(after) == _assignments(before)
    assert _dates(after) == _dates(before)
    calendars = lambda d: [  # noqa: E731
        (c.name, c.week, c.base_uid, c.holidays, [(e.first, e.last, e.hours) for e in c.exceptions])
        for c in d.calendars
    ]
    assert calendars(after) == calendars(before)


def test_a_resource_calendar_not_derived_from_the_plans_is_written_whole(
    make_project: Any, users: Any
) -> None:
    # given a plan with a day off (4 March) and Mei, on a calendar of her own (Monday to
    # Thursday, a day off on 10 March, not the plan's 4 March), and "Hua, Jr.", a resource
    # without a calendar, both on Code
    data = small_plan()
    data.calendars[0].exceptions = [
        ExceptionData(first=dt.date(2026, 3, 4), last=dt.date(2026, 3, 4))
    ]
    four_days = [[(480, 720), (780, 1020)]] * 4 + [[], [], []]
    data.calendars.append(
        CalendarData(
            uid=7,
            name="Mei",
            week=four_days,
            exceptions=[ExceptionData(first=dt.date(2026, 3, 10), last=dt.date(2026, 3, 10))],
        )
    )
    data.resources = [
        ResourceData(uid=3, name="Mei", calendar_uid=7),
        ResourceData(uid=4, name="Hua, Jr."),
    ]
    data.assignments = [
        AssignmentData(task_uid=3, resource_uid=3, units=1 / 3),
        AssignmentData(task_uid=3, resource_uid=4, units=2.5),
    ]
    project = make_project()
    plan = services.import_plan_data(actor=users["pm"], data=data, project=project)
    before = plan_data(plan)
    # when it goes through a workbook
    content = xlsx.write_xlsx(plan, language="en")
    wb = load_workbook(io.BytesIO(content))
    # then Mei's calendar is written whole: its holidays, week and own day off only
    people = list(wb["Resources"].iter_rows(values_only=True))
    assert people[1][:8] == ("Mei", "Work", "Standard", *["08:00-12:00, 13:00-17:00"] * 4, "off")
    # a comma would split the name in column Resource names; no calendar: a work resource (as
    # MSPDI writes it) whose Calendar says it has none
    assert people[2] == ("Hua Jr.", "Work", "None", *[None] * 7)
    assert [row[-1] for row in wb["Tasks"].iter_rows(values_only=True)][3] == (
        "Mei[33.3333%], Hua Jr.[250%]"
    )
    days = list(wb["Calendar exceptions"].iter_rows(values_only=True))
    assert [(row[0].date(), row[-1]) for row in days[1:]] == [
        (dt.date(2026, 3, 4), None),
        (dt.date(2026, 3, 10), "Mei"),
    ]
    again = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(content), project=project
    )
    # and the dates are the same
    assert _dates(plan_data(again)) == _dates(before)


def test_a_chinese_workbook_reads(make_project: Any, users: Any) -> None:
    content = _book(
        [[1, "设计", 3, "", "张伟[50%]，李娜"], [2, "开发", 2, "1", "李娜、王芳【25%】"]],
        [["张伟", "工时", "中国"], ["李娜", "", "", "09:00-12:00", "09:00-12:00", "休"]],
        [["2026-03-09", "", "休", "请假", "李娜"]],
        chinese=True,
        plan=[["Start", "2026-03-02 08:00"], ["Calendar", "标准"]],
    )
    with translation.override("en"):
        data = xlsx.read_xlsx(content)
    assert [(r.name, r.calendar_uid) for r in data.resources] == [
        ("张伟", 2),
        ("李娜", 3),
        ("王芳", 4),
    ]
    assert sorted((a.task_uid, a.resource_uid, a.units, a.work) for a in data.assignments) == [
        (1, 1, 0.5, 720),
        (1, 2, 1.0, 1440),
        (2, 2, 1.0, 960),
        (2, 3, 0.25, 240),
    ]
    by_name = {c.name: c for c in data.calendars}
    assert by_name["张伟"].holidays == "CN" and by_name["张伟"].base_uid is None
    assert by_name["李娜"].base_uid == 1 and by_name["李娜"].exceptions[0].name == "请假"
    plan = services.import_plan_data(actor=users["pm"], data=data, project=make_project())
    assert Assignment.objects.filter(task__plan=plan).count() == 4
    # and a Chinese export writes the same names back
    with translation.override("zh-hans"):
        wb = load_workbook(io.BytesIO(xlsx.write_xlsx(plan)))
    assert wb.sheetnames == ["计划", "任务", "资源", "日历例外"]
    tasks = list(wb["任务"].iter_rows(values_only=True))
    assert tasks[0][-1] == "资源名称"
    assert [row[-1] for row in tasks[1:]] == ["张伟[50%], 李娜", "李娜, 王芳[25%]"]
    assert [row[:3] for row in wb["资源"].iter_rows(values_only=True)] == [
        ("名称", "类型", "日历"),
        ("张伟", "工时", "中国"),
        ("李娜", "工时", None),
        ("王芳", "工时", None),
    ]
    assert wb["日历例外"].cell(1, 5).value == "资源"


def test_an_old_workbook_imports_without_resources() -> None:
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = "Plan"
    info.append(["Start", "2026-03-02 08:00"])
    wb.create_sheet("Tasks").append(xlsx.COLUMNS)
    wb["Tasks"].append([1, "", 1, "A", 2])
    out = io.BytesIO()
    wb.save(out)
    data = xlsx.read_xlsx(out.getvalue())
    assert (data.resources, data.assignments, len(data.calendars)) == ([], [], 1)


BAD: list[tuple[dict[str, Any], str]] = [
    (
        dict(tasks=[[1, "A", 1, "", "Zhang Wei[half]"]]),
        "Tasks row 2 Resource names: “Zhang Wei[half]” is not like Zhang Wei or Zhang Wei[50%]",
    ),
    (
        dict(tasks=[[1, "A", 1, "", "Zhang Wei[50%"]]),
        "Tasks row 2 Resource names: “Zhang Wei[50%” is not like Zhang Wei or Zhang Wei[50%]",
    ),
    (
        dict(tasks=[[1, "A", 1, "", "Li Na, Zhang Wei[0%]"]]),
        "Tasks row 2 Resource names: “Zhang Wei[0%]”: units must be above 0% and at most 10,000%",
    ),
    (
        dict(tasks=[[1, "A", 1, "", "Zhang Wei[-50%]"]]),
        "Tasks row 2 Resource names: “Zhang Wei[-50%]”: units must be above 0% and at most 10,000%",
    ),
    (
        dict(tasks=[[1, "A", 1, "", "Zhang Wei[50000%]"]]),
        "Tasks row 2 Resource names: “Zhang Wei[50000%]”: units must be above 0% and at most "
        "10,000%",
    ),
    (
        dict(tasks=[[1, "A", 1, "", "Li Na, li na[50%]"]]),
        "Tasks row 2 Resource names: “li na” is named twice",
    ),
    (
        dict(tasks=[[1, "A", 1, "", "Li Na"]], resources=[["Li Na"], ["Zhang Wei"], ["li  na"]]),
        "Resources row 4 Name: “li na” is already on row 2",
    ),
    (
        dict(tasks=[[1, "A", 1, "", "Li Na"]], resources=[["Li Na", "", "Japan"]]),
        "Resources row 2 Calendar: “Japan” is not one of Standard, China, None",
    ),
    (
        dict(tasks=[[1, "A", 1, "", ""]], resources=[["", "", "China"]]),
        "Resources row 2 Name: a resource needs a name",
    ),
    (
        dict(tasks=[[1, "A", 1, "", ""]], resources=[["Smith, John"]]),
        "Resources row 2 Name: “Smith, John” cannot be a resource name: it contains , ; [ or ]",
    ),
    (
        dict(tasks=[[1, "A", 1, "", ""]], resources=[["Li Na", "", "", "9-12"]]),
        "Resources row 2 Monday: “9-12” is not a time span like 09:00-12:00 (or write off)",
    ),
    (
        dict(tasks=[[1, "A", 1, "", ""]], resources=[["Li Na", "Person"]]),
        "Resources row 2 Type: “Person” is not one of Work, Material, Cost",
    ),
    (
        dict(tasks=[[1, "A", 1, "", ""]], resources=[["Cement", "Material", "China"]]),
        "Resources row 2 Calendar: a material or cost resource has no calendar",
    ),
    (
        dict(
            tasks=[[1, "A", 1, "", "Cement"]],
            resources=[["Cement", "Material"]],
            days=[["2026-03-09", "", "off", "", "cement"]],
        ),
        "Calendar exceptions row 2 Resource: a material or cost resource has no calendar",
    ),
    (
        dict(
            tasks=[[1, "A", 1, "", "Li Na"]],
            days=[["2026-03-09", "", "off", "Leave", "Lina"]],
        ),
        "Calendar exceptions row 2 Resource: “Lina” is not on sheet Resources nor in column "
        "Resource names",
    ),
]


@pytest.mark.parametrize(("book", "message"), BAD)
def test_bad_resources_are_refused_and_nothing_is_written(
    make_project: Any, users: Any, sample: Any, book: dict[str, Any], message: str
) -> None:
    # given a project whose plan came from MS Project, with its resources
    project = make_project()
    plan = services.import_msproject(actor=users["pm"], content=sample(SAMPLE), project=project)
    before = (
        plan_data(plan),
        Plan.objects.count(),
        Resource.objects.count(),
        Calendar.objects.count(),
    )
    # when a bad workbook is uploaded
    with translation.override("en"), pytest.raises(ImportFileError) as caught:
        services.import_upload(actor=users["pm"], project=project, content=_book(**book))
    # then the error names the sheet, row, column and value, and the plan is as it was
    assert str(caught.value) == message
    plan = Plan.objects.get(project=project)
    after = (
        plan_data(plan),
        Plan.objects.count(),
        Resource.objects.count(),
        Calendar.objects.count(),
    )
    assert _assignments(after[0]) == _assignments(before[0])
    assert after[1:] == before[1:] and after[0].tasks == before[0].tasks


def test_a_chinese_reader_gets_the_error_in_chinese_with_the_files_names() -> None:
    content = _book([[1, "设计", 1, "", "张伟[0%]"]], chinese=True)
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as caught:
        xlsx.read_xlsx(content)
    assert str(caught.value).startswith("任务 ") and "资源名称" in str(caught.value)
    assert "“张伟[0%]”" in str(caught.value)


def test_xlsx_assignments_feed_capacity_demand_as_mspdi_ones_do(
    make_project: Any, users: Any, org: Any, sample: Any
) -> None:
    # given a pool resource named as the plan's night-shift resource
    PoolResource.objects.create(
        code="sr-1", kind="person", role="Operator", name="Second Resource", org_unit=org["sh"]
    )
    project = make_project()
    plan = services.import_msproject(actor=users["pm"], content=sample(SAMPLE), project=project)

    def demand() -> list[tuple[Any, ...]]:
        return sorted(
            Allocation.objects.filter(
                project=project, source=AllocationSource.SCHEDULE, scenario=None
            ).values_list("resource__code", "first", "last", "fte", "task_uid")
        )

    from_mspdi = demand()
    assert {row[0] for row in from_mspdi} == {"sr-1"} and len(from_mspdi) == 2
    # when the plan goes through a workbook
    services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(xlsx.write_xlsx(plan)), project=project
    )
    # then the capacity demand is the same
    assert demand() == from_mspdi


def test_the_api_refuses_a_bad_resources_sheet_with_a_422_and_a_chinese_reader_reads_why(
    client: Any, make_project: Any, users: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pmo.accounts.services import create_token

    project = make_project()
    content = _book([[1, "设计", 1, "", "李娜"]], [["李娜", "", "日本"]], chinese=True)
    answer = client.post(
        f"/api/v1/projects/{project.code}/plan/import/xlsx",
        {"file": SimpleUploadedFile("plan.xlsx", content)},
        headers={
            "Authorization": f"Bearer {create_token(username=users['pm'].username)}",
            "Accept-Language": "zh-hans",
        },
    )
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("资源 ") and "日历" in answer.json()["detail"]
    assert "“日本”" in answer.json()["detail"] and "标准" in answer.json()["detail"]
    assert not Plan.objects.filter(project=project).exists()
