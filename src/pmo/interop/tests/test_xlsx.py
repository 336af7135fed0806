"""The XLSX plan template: export, import, errors naming the row and column."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook

from pmo.interop import services, xlsx
from pmo.interop.errors import ImportFileError
from pmo.scheduling import services as plan_services
from pmo.scheduling.planio import CalendarData, ExceptionData
from pmo.scheduling.selectors import plan_data
from pmo.scheduling.tests.factories import small_plan


def _book(rows: list[list[Any]], start: Any = "2026-03-02 08:00") -> bytes:
    wb = Workbook()
    info = wb.active
    info.title = "Plan"
    info.append(["Start", start])
    ws = wb.create_sheet("Tasks")
    ws.append(xlsx.COLUMNS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_export_then_import_keeps_tasks_links_and_dates(make_project: Any, users: Any) -> None:
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    before = plan_data(plan)
    again = services.import_plan_data(
        actor=users["pm"], data=xlsx.read_xlsx(xlsx.write_xlsx(plan)), project=project
    )
    after = plan_data(again)
    keys = lambda d: [  # noqa: E731
        (
            t.uid,
            t.wbs,
            t.outline_level,
            t.name,
            t.duration,
            t.milestone,
            [(p.pred_uid, p.type, p.lag) for p in t.predecessors],
            t.start,
            t.finish,
        )
        for t in d.tasks
    ]
    assert keys(after) == keys(before)


def test_predecessor_syntax() -> None:
    data = xlsx.read_xlsx(_book([[1, "", 1, "A", 2], [2, "", 1, "B", 1, "", "1SS+2d; 1FF-4h"]]))
    assert [(p.pred_uid, p.type, p.lag) for p in data.tasks[1].predecessors] == [
        (1, "SS", 960),
        (1, "FF", -240),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[1, "", 1, "A", "two"]], "Tasks row 2 Duration (days): “two” is not a number"),
        # were a traceback (round of an infinite number or NaN)
        ([[1, "", 1, "A", "1e400"]], "Tasks row 2 Duration (days): “1e400” is not a finite number"),
        ([[1, "", 1, "A", "nan"]], "Tasks row 2 Duration (days): “nan” is not a finite number"),
        (
            [[1, "", 1, "A", 1, "", "x1"]],
            "Tasks row 2 Predecessors: predecessor “x1” is not like 3, 3FS or 4SS+2d",
        ),
        (
            [[1, "", 1, "A", 1, "", "", "SNET"]],
            "Tasks row 2 Constraint date: required by constraint SNET",
        ),
        ([[None, "", 1, "A", 1]], "Tasks row 2 UID: a whole number >= 0 is required"),
        (
            [[1, "", 1, "A", 1, "", "", "SNET", "0202-05-01"]],
            "Tasks row 2 Constraint date: enter a date from 1984-01-01 to 2149-12-31"
            " (0202-05-01 is outside)",
        ),
    ],
)
def test_bad_rows_are_refused(rows: list[list[Any]], message: str) -> None:
    with pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(_book(rows))
    assert err.value.message == message


def test_not_a_workbook() -> None:
    with pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(b"<xml/>")
    assert err.value.message == "file: not an XLSX workbook"


def test_xlsx_commands(tmp_path: Any, make_project: Any, users: Any, portfolio: Any) -> None:
    from django.core.management import call_command

    from pmo.scheduling.models import Plan

    project = make_project()
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    out = tmp_path / "plan.xlsx"
    call_command("export", "xlsx", project.code, "--out", str(out))
    call_command("import", "xlsx", str(out), "--project", "XL-1")
    copy = Plan.objects.get(project__code="XL-1")
    assert (copy.tasks.count(), copy.finish.replace(tzinfo=None).isoformat()) == (
        5,
        "2026-03-11T17:00:00",
    )


def test_export_then_import_keeps_the_calendar_and_the_baseline(
    make_project: Any, users: Any
) -> None:
    # a 09:00-18:00 week, a half-day Friday, a day off and a Saturday worked (调休)
    data = small_plan()
    full, half = [(540, 720), (780, 1080)], [(540, 720)]
    data.calendars = [
        CalendarData(
            uid=1,
            name="Shanghai office",
            week=[full, full, full, full, half, [], []],
            exceptions=[
                ExceptionData(first=dt.date(2026, 3, 4), last=dt.date(2026, 3, 4), name="off"),
                ExceptionData(
                    first=dt.date(2026, 3, 7), last=dt.date(2026, 3, 7), hours=full, name="调休"
                ),
            ],
        )
    ]
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=data)
    plan_services.set_baseline(actor=users["pm"], plan=plan)
    before = plan_data(plan)

    book = xlsx.read_xlsx(xlsx.write_xlsx(plan))
    again = plan_data(services.import_plan_data(actor=users["pm"], data=book, project=project))

    calendar = again.calendars[0]
    assert calendar.week == [full, full, full, full, half, [], []]
    assert [(e.first, e.last, e.hours, e.name) for e in calendar.exceptions] == [
        (dt.date(2026, 3, 4), dt.date(2026, 3, 4), [], "off"),
        (dt.date(2026, 3, 7), dt.date(2026, 3, 7), full, "调休"),
    ]
    dates = lambda d: [(t.uid, t.start, t.finish) for t in d.tasks]  # noqa: E731
    assert dates(again) == dates(before)
    base = lambda d: [  # noqa: E731
        (t.uid, b.start, b.finish, b.duration) for t in d.tasks for b in t.baselines
    ]
    assert base(again) == base(before) and base(before)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("Monday", "9-12", "Plan Monday: “9-12” is not a time span like 09:00-12:00"),
        ("Tuesday", "13:00-12:00", "Plan Tuesday: “13:00-12:00” is not a time span within one"),
        ("Monday", "13:00-17:00, 09:00-12:00", "Plan Monday: spans must be in order"),
    ],
)
def test_bad_working_hours_are_refused(key: str, value: str, message: str) -> None:
    wb = Workbook()
    info = wb.active
    info.title = "Plan"
    info.append(["Start", "2026-03-02 08:00"])
    info.append([key, value])
    wb.create_sheet("Tasks").append(xlsx.COLUMNS)
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportFileError, match=message):
        xlsx.read_xlsx(out.getvalue())


def test_bad_calendar_exceptions_are_refused() -> None:
    wb = Workbook()
    wb.active.title = "Plan"
    wb.active.append(["Start", "2026-03-02 08:00"])
    wb.create_sheet("Tasks").append(xlsx.COLUMNS)
    days = wb.create_sheet("Calendar exceptions")
    days.append(["From", "To", "Working hours", "Name"])
    days.append(["2026-05-05", "2026-05-01", "off", "Labour day"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportFileError, match="Calendar exceptions row 2 To: 2026-05-01 is before"):
        xlsx.read_xlsx(out.getvalue())
