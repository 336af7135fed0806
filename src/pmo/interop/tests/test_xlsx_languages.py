"""The XLSX plan in the reader's language: Chinese or English out, either language back in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from pmo.accounts.services import create_token
from pmo.interop import services, xlsx
from pmo.interop.errors import ImportFileError
from pmo.scheduling import services as plan_services
from pmo.scheduling.planio import CalendarData, ExceptionData, LinkData, PlanData
from pmo.scheduling.selectors import get_plan, plan_data
from pmo.scheduling.tests.factories import small_plan

ZH_COLUMNS = [
    "唯一标识",
    "WBS",
    "大纲级别",
    "名称",
    "工期（天）",
    "里程碑",
    "前置任务",
    "限制类型",
    "限制日期",
    "实际开始",
    "实际完成",
    "完成百分比",
    "开始日期",
    "完成日期",
    "总浮动时间（天）",
    "关键",
    "基线开始日期",
    "基线完成日期",
    "基线工期（天）",
    "资源名称",
]
FULL, HALF = [(540, 720), (780, 1080)], [(540, 720)]


def _rich_plan() -> PlanData:
    """The small plan on a China calendar of 09:00-18:00 with a half-day Friday, a day off
    and a Saturday worked, a lag, a constraint, progress and a status date."""
    data = small_plan()
    data.name = "新系统上线"
    data.status_date = dt.datetime(2026, 3, 4, 17)
    data.tasks[1] = dataclasses.replace(
        data.tasks[1],
        name="需求设计",
        actual_start=dt.datetime(2026, 3, 2, 9),
        percent_complete=50,
    )
    data.tasks[3] = dataclasses.replace(
        data.tasks[3],
        constraint="SNET",
        constraint_date=dt.datetime(2026, 3, 5, 9),
        predecessors=[LinkData(pred_uid=2, type="SS", lag=2 * 480)],
    )
    data.calendars = [
        CalendarData(
            uid=1,
            name="China",
            week=[FULL, FULL, FULL, FULL, HALF, [], []],
            holidays="CN",
            exceptions=[
                ExceptionData(first=dt.date(2026, 3, 4), last=dt.date(2026, 3, 4), name="停电"),
                ExceptionData(
                    first=dt.date(2026, 3, 7), last=dt.date(2026, 3, 7), hours=FULL, name="调休"
                ),
            ],
        )
    ]
    return data


def _same(data: PlanData) -> tuple[Any, ...]:
    """What the XLSX carries of a plan: tasks, links, milestones, dates, baseline, calendar."""
    calendar = data.calendars[0]
    return (
        data.name,
        data.start,
        data.status_date,
        calendar.week,
        calendar.holidays,
        [(e.first, e.last, e.hours, e.name) for e in calendar.exceptions],
        [
            (
                t.uid,
                t.wbs,
                t.outline_level,
                t.name,
                t.duration,
                t.milestone,
                [(p.pred_uid, p.type, p.lag) for p in t.predecessors],
                t.constraint,
                t.constraint_date,
                t.actual_start,
                t.actual_finish,
                t.percent_complete,
                t.start,
                t.finish,
                [(b.number, b.start, b.finish, b.duration) for b in t.baselines],
            )
            for t in data.tasks
        ],
    )


@pytest.fixture
def rich(make_project: Any, users: Any) -> Any:
    """A stored plan of :func:`_rich_plan`, baselined."""
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=_rich_plan())
    plan_services.set_baseline(actor=users["pm"], plan=plan)
    return plan


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_chinese_reader_gets_chinese_sheets_headers_weekdays_and_flags(rich: Any) -> None:
    # when a Chinese reader exports the plan
    with translation.override("zh-hans"):
        content = xlsx.write_xlsx(rich)
    # then the workbook speaks Chinese
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["计划", "任务", "日历例外"]
    info = {row[0]: row[1] for row in wb["计划"].iter_rows(values_only=True)}
    assert list(info)[:4] == ["名称", "开始日期", "状态日期", "日历"]
    assert info["日历"] == "中国"
    assert (info["星期一"], info["星期五"], info["星期日"]) == (
        "09:00-12:00, 13:00-18:00",
        "09:00-12:00",
        "休",
    )
    tasks = list(wb["任务"].iter_rows(values_only=True))
    assert list(tasks[0]) == ZH_COLUMNS
    assert [(row[0], row[5]) for row in tasks[1:]] == [
        (1, "否"),
        (2, "否"),
        (3, "否"),
        (4, "否"),
        (5, "是"),
    ]
    assert {row[15] for row in tasks[1:]} <= {"是", "否"} and "是" in {r[15] for r in tasks[1:]}
    days = list(wb["日历例外"].iter_rows(values_only=True))
    assert days[0] == ("起始日期", "截止日期", "工作时间", "名称")
    assert days[1][2:] == ("休", "停电")


def test_an_english_reader_gets_the_english_template_with_words_for_flags(rich: Any) -> None:
    with translation.override("en"):
        wb = load_workbook(io.BytesIO(xlsx.write_xlsx(rich)))
    assert wb.sheetnames == ["Plan", "Tasks", "Calendar exceptions"]
    tasks = list(wb["Tasks"].iter_rows(values_only=True))
    assert list(tasks[0]) == [*xlsx.COLUMNS, *xlsx.COMPUTED, "Resource names"]
    assert [row[5] for row in tasks[1:]] == ["no", "no", "no", "no", "yes"]
    assert wb["Plan"]["A5"].value == "Monday" and wb["Plan"]["B10"].value == "off"


@pytest.mark.parametrize(("written", "read"), [("zh-hans", "zh-hans"), ("zh-hans", "en")])
def test_a_chinese_export_imports_as_the_same_plan(
    rich: Any, users: Any, written: str, read: str
) -> None:
    # given the plan exported by a Chinese reader
    before = plan_data(rich)
    content = xlsx.write_xlsx(rich, language=written)
    # when it is imported again (by a Chinese or an English reader)
    with translation.override(read):
        book = xlsx.read_xlsx(content)
    again = services.import_plan_data(actor=users["pm"], data=book, project=rich.project)
    # then it is the same plan
    assert _same(plan_data(again)) == _same(before)
    assert [t.uid for t in before.tasks if t.milestone] == [5]


def test_an_english_file_imports_with_the_chinese_ui(rich: Any, users: Any) -> None:
    before = plan_data(rich)
    content = xlsx.write_xlsx(rich, language="en")
    with translation.override("zh-hans"):
        book = xlsx.read_xlsx(content)
        again = services.import_plan_data(actor=users["pm"], data=book, project=rich.project)
    assert _same(plan_data(again)) == _same(before)


def _chinese_book(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    """A workbook typed by hand in WPS: half-width brackets, short weekdays, mixed flags."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = " 计划 "
    info.append(["开始日期", "2026-03-02 09:00"])
    info.append(["日历", "中国"])
    for day in ("周一", "周二", "周三", "周四", "周五"):
        info.append([day, "09:00-12:00，13:00-18:00"])
    info.append(["星期六", "休息"])
    ws = wb.create_sheet("任务")
    ws.append(header or ["唯一标识", "名称", "工期(天)", "里程碑", "前置任务", "大纲级别", "备注"])
    for row in rows:
        ws.append(row)
    days = wb.create_sheet("日历例外")
    days.append(["起始日期", "截止日期", "工作时间", "名称"])
    days.append(["2026-03-04", None, "休", "停电"])
    return _save(wb)


def test_a_chinese_file_imports_with_the_english_ui() -> None:
    # given a Chinese workbook typed by hand, with every way of writing yes and no
    rows = [  # all of one day: a flag, not a zero duration, makes the milestone
        [1, "开工", 1, " 否 ", None, 1, "备注不读"],
        [2, "评审", 1, "是 ", "1", 1],
        [3, "验收", 1, "　是", "2FS+1d", 1],  # a full-width space
        [4, "上线", 1, "Y", "3", 1],
        [5, "复盘", 1, "N", "4", 1],
        [6, "结项", 1, True, "5", 1],
        [7, "归档", 1, 0, "6", 1],
        [8, "总结", 1, "false", "7", 1],
        [9, "关闭", 1, 1, "8", 1],
        [10, "收尾", 1, None, "9", 1],
    ]
    # when an English reader imports it
    with translation.override("en"):
        data = xlsx.read_xlsx(_chinese_book(rows))
    # then every name, flag and weekday is understood
    assert data.start == dt.datetime(2026, 3, 2, 9)
    calendar = data.calendars[0]
    assert calendar.holidays == "CN"
    assert calendar.week == [FULL] * 5 + [[], []]
    assert [(e.first, e.last, e.hours, e.name) for e in calendar.exceptions] == [
        (dt.date(2026, 3, 4), dt.date(2026, 3, 4), [], "停电")
    ]
    assert [t.uid for t in data.tasks if t.milestone] == [2, 3, 4, 6, 9]
    assert {t.duration for t in data.tasks} == {480}
    assert [(p.pred_uid, p.type, p.lag) for p in data.tasks[2].predecessors] == [(2, "FS", 480)]


def test_a_chinese_cell_error_names_the_chinese_sheet_and_column() -> None:
    with translation.override("en"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(_chinese_book([[1, "开工", "两天"]]))
    assert err.value.message == "任务 row 2 工期(天): “两天” is not a number"
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(_chinese_book([[1, "开工", "两天"]]))
    assert err.value.message == "任务 第 2 行 工期(天)：“两天”不是数字"


def test_a_flag_that_is_neither_yes_nor_no_is_refused() -> None:
    with translation.override("en"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(_chinese_book([[1, "开工", 0, "也许"]]))
    assert err.value.message == "任务 row 2 里程碑: “也许” is neither yes nor no"


def test_a_bad_header_is_named_by_its_cell() -> None:
    # given a Chinese file whose duration column is headed 时长, not 工期（天）
    header = ["唯一标识", "名称", "时长", "里程碑"]
    content = _chinese_book([[1, "开工", 1]], header=header)
    # when an English reader imports it, then the missing column and the bad header are named
    with translation.override("en"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(content)
    assert err.value.message == (
        "任务 row 1: missing column(s) 工期（天） (headers not recognised: C1 “时长”)"
    )


def test_a_bad_header_is_named_in_chinese() -> None:
    # needs the catalogue's Chinese for the new message
    content = _chinese_book([[1, "开工", 1]], header=["唯一标识", "名称", "时长"])
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(content)
    assert err.value.message == "任务 第 1 行：缺少列 工期（天）（无法识别的表头为 C1 “时长”）"


def test_an_english_file_missing_a_column_is_named_in_english() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tasks"
    ws.append(["UID", "Name", "Duraton (days)"])
    with translation.override("en"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(_save(wb))
    assert err.value.message == (
        "Tasks row 1: missing column(s) Duration (days)"
        " (headers not recognised: C1 “Duraton (days)”)"
    )


def test_a_workbook_without_a_task_sheet_names_both_names() -> None:
    wb = Workbook()
    assert wb.active is not None
    wb.active.title = "Sheet1"
    with translation.override("en"), pytest.raises(ImportFileError) as err:
        xlsx.read_xlsx(_save(wb))
    assert err.value.message == "file: the workbook has no sheet named “Tasks” or “任务”"


def test_the_download_follows_the_reader_and_uploads_back(
    client: Any, rich: Any, users: Any
) -> None:
    # given a PM reading in Chinese (the language cookie) and a script asking for English
    code = rich.project.code
    before = _same(plan_data(rich))
    client.force_login(users["pm"])
    client.cookies["pmo_language"] = "zh-hans"
    page = client.get(f"/projects/{code}/plan/export.xlsx")
    token = create_token(username=users["viewer"].username)
    api = Client().get(
        f"/api/v1/projects/{code}/plan/export/xlsx",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    # then each gets the workbook in their language
    assert load_workbook(io.BytesIO(page.content)).sheetnames == ["计划", "任务", "日历例外"]
    assert load_workbook(io.BytesIO(api.content)).sheetnames[:2] == ["Plan", "Tasks"]
    # and the Chinese download, uploaded again from the page over a changed plan, restores it
    plan_services.replace_plan(actor=users["pm"], project=rich.project, data=small_plan())
    upload = io.BytesIO(page.content)
    upload.name = "plan.xlsx"
    client.post(f"/projects/{code}/plan/import/", {"file": upload, "format": "xlsx"})
    again = get_plan(rich.project)
    assert again is not None and _same(plan_data(again)) == before
