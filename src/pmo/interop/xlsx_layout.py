"""The layout of the XLSX plan template (``docs/xlsx-plan-template.md``).

Sheet and column names, the computed columns written on export (and which of
them are read back), the weekdays of the ``Plan`` sheet and the standard week
used when a workbook names no working hours. Durations and lags are in working
days of :data:`DAY` minutes.

Every name has an English key (what the template has always written) and a Chinese
name (:data:`ZH`): an export writes the reader's language, an import reads either,
whatever the reader's language. The Chinese names are part of the file format, so they
live here and not in the translation catalogue: a file written today must still be read
after a translation is reworded.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "CALENDARS",
    "COLUMNS",
    "COMPUTED",
    "DAY",
    "EXCEPTIONS",
    "EXCEPTION_COLUMNS",
    "NO",
    "NO_CALENDAR",
    "OFF",
    "PLAN",
    "PLAN_KEYS",
    "READ_BACK",
    "RESOURCE",
    "RESOURCES",
    "RESOURCE_CALENDARS",
    "RESOURCE_COLUMNS",
    "RESOURCE_NAMES",
    "RESOURCE_TYPES",
    "STANDARD_WEEK",
    "TASKS",
    "WEEKDAYS",
    "YES",
    "ZH",
    "key_of",
    "name_in",
    "normal",
]

DAY = 480
PLAN = "Plan"
TASKS = "Tasks"
EXCEPTIONS = "Calendar exceptions"
COLUMNS = [
    "UID",
    "WBS",
    "Outline level",
    "Name",
    "Duration (days)",
    "Milestone",
    "Predecessors",
    "Constraint",
    "Constraint date",
    "Actual start",
    "Actual finish",
    "% complete",
]
COMPUTED = [
    "Start",
    "Finish",
    "Total float (days)",
    "Critical",
    "Baseline start",
    "Baseline finish",
    "Baseline duration (days)",
]
# Computed on export; the baseline columns are read back on import (baseline 0), so a plan
# exported, edited in Excel and imported again keeps the baseline it was measured against.
READ_BACK = ("Baseline start", "Baseline finish", "Baseline duration (days)")
STANDARD_WEEK = [[(480, 720), (780, 1020)]] * 5 + [[], []]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PLAN_KEYS = ("Name", "Start", "Status date", "Calendar", *WEEKDAYS)
EXCEPTION_COLUMNS = ["From", "To", "Working hours", "Name"]
# Resources: a column of the Tasks sheet (MS Project's "Resource Names": ``Zhang Wei[50%], Li
# Na``), a sheet of their calendars and a column of sheet Calendar exceptions naming whose day
# it is (empty: the plan's). Written after the columns above, so older layouts keep their places.
RESOURCE_NAMES = "Resource names"
RESOURCES = "Resources"
RESOURCE = "Resource"
RESOURCE_COLUMNS = ["Name", "Type", "Calendar", *WEEKDAYS]
RESOURCE_TYPES = ("Work", "Material", "Cost")  # MS Project's; material and cost: no calendar
CALENDARS = ("Standard", "China")
# a resource's Calendar cell may also say it has none: it changes no task's working time (MS
# Project's Type 1 resource without a CalendarUID, as the plan's people booked from staffing)
NO_CALENDAR = "None"
RESOURCE_CALENDARS = (*CALENDARS, NO_CALENDAR)
YES, NO, OFF = "yes", "no", "off"

ZH = {
    PLAN: "计划",
    TASKS: "任务",
    EXCEPTIONS: "日历例外",
    "UID": "唯一标识",
    "WBS": "WBS",
    "Outline level": "大纲级别",
    "Name": "名称",
    "Duration (days)": "工期（天）",
    "Milestone": "里程碑",
    "Predecessors": "前置任务",
    "Constraint": "限制类型",
    "Constraint date": "限制日期",
    "Actual start": "实际开始",
    "Actual finish": "实际完成",
    "% complete": "完成百分比",
    "Start": "开始日期",
    "Finish": "完成日期",
    "Total float (days)": "总浮动时间（天）",
    "Critical": "关键",
    "Baseline start": "基线开始日期",
    "Baseline finish": "基线完成日期",
    "Baseline duration (days)": "基线工期（天）",
    "Status date": "状态日期",
    "Calendar": "日历",
    "Standard": "标准",
    "China": "中国",
    NO_CALENDAR: "无",
    "Monday": "星期一",
    "Tuesday": "星期二",
    "Wednesday": "星期三",
    "Thursday": "星期四",
    "Friday": "星期五",
    "Saturday": "星期六",
    "Sunday": "星期日",
    "From": "起始日期",
    "To": "截止日期",
    "Working hours": "工作时间",
    RESOURCE_NAMES: "资源名称",
    RESOURCES: "资源",
    RESOURCE: "资源",
    "Type": "类型",
    "Work": "工时",
    "Material": "材料",
    "Cost": "成本",
    YES: "是",
    NO: "否",
    OFF: "休",
}
# Other names a person typing in Excel or WPS is likely to use (MS Project's Chinese columns,
# short weekday names); read, never written.
_ALIASES = {
    "唯一标识号": "UID",
    "标识号": "UID",
    "任务名称": "Name",
    "工期": "Duration (days)",
    "限制": "Constraint",
    "开始时间": "Start",
    "完成时间": "Finish",
    "实际开始时间": "Actual start",
    "实际完成时间": "Actual finish",
    "结束日期": "To",
    "至": "To",
    "星期天": "Sunday",
    "周一": "Monday",
    "周二": "Tuesday",
    "周三": "Wednesday",
    "周四": "Thursday",
    "周五": "Friday",
    "周六": "Saturday",
    "周日": "Sunday",
    "周天": "Sunday",
    "日历例外日": EXCEPTIONS,
    "中国大陆": "China",
    "cn": "China",
    "资源": RESOURCE_NAMES,
    "Resources": RESOURCE_NAMES,
    "资源工作表": RESOURCES,
    "资源名": RESOURCE,
    "Resource name": RESOURCE,
}


def normal(text: object) -> str:
    """A name as typed, compared: full-width forms folded (（）→ ()), case and spaces ignored."""
    folded = unicodedata.normalize("NFKC", str(text if text is not None else ""))
    return "".join(folded.split()).casefold()


def name_in(key: str, chinese: bool) -> str:
    """The name ``key`` is written under in an export in Chinese or English."""
    return ZH[key] if chinese else key


# A name may stand for several keys (资源 is the sheet Resources, the column Resource of sheet
# Calendar exceptions and, typed on the Tasks sheet, its column Resource names): the keys a
# caller asks for say which. English keys first, then Chinese names, then aliases.
def _keys() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    names = [*((k, k) for k in ZH), *((v, k) for k, v in ZH.items()), *_ALIASES.items()]
    for text, key in names:
        if key not in out.setdefault(normal(text), []):
            out[normal(text)].append(key)
    return out


_KEYS = _keys()


def key_of(text: object, keys: tuple[str, ...] | list[str]) -> str | None:
    """The English key of a name written in either language, if it is one of ``keys``."""
    return next((key for key in _KEYS.get(normal(text), []) if key in keys), None)
