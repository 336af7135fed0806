"""The China calendar (holidays "CN") through Microsoft Project XML and back.

Microsoft Project has no holiday source, so the writer spells the library's days out as
calendar exceptions and the reader turns exactly those days back into the rule.

Plan on the China week (Mon-Fri 09:00-12:00, 13:00-18:00), start Monday 2026-02-09 09:00:

    1 Spring    10 days  Feb 9-13, Sat 14 (调休), holidays 15-23, Feb 24-27 -> Fri 27 Feb 18:00
    2 Autumn    10 days  SNET Mon 21 Sep: Sep 21-24 (25-27 Mid-autumn), 28-30, holidays
                         1-7 Oct, Oct 8, 9, Sat 10 (调休) -> Sat 10 Oct 18:00
    3 Done      milestone FS 1, FS 2
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from pmo.interop import services
from pmo.interop.mspdi_read import NS, read_mspdi
from pmo.interop.mspdi_write import write_mspdi
from pmo.scheduling import services as plan_services
from pmo.scheduling.planio import CalendarData, ExceptionData, LinkData, PlanData, TaskData
from pmo.scheduling.selectors import plan_data

DAY = 480
CHINA_WEEK = [[(540, 720), (780, 1080)]] * 5 + [[], []]


def _china_plan(exceptions: list[ExceptionData] | None = None) -> PlanData:
    return PlanData(
        name="Festivals",
        start=dt.datetime(2026, 2, 9, 9),
        calendar_uid=1,
        calendars=[
            CalendarData(
                uid=1, name="China", week=CHINA_WEEK, holidays="CN", exceptions=exceptions or []
            )
        ],
        tasks=[
            TaskData(uid=1, name="Spring", duration=10 * DAY),
            TaskData(
                uid=2,
                name="Autumn",
                duration=10 * DAY,
                constraint="SNET",
                constraint_date=dt.datetime(2026, 9, 21, 9),
            ),
            TaskData(
                uid=3,
                name="Done",
                milestone=True,
                predecessors=[LinkData(pred_uid=1), LinkData(pred_uid=2)],
            ),
        ],
    )


def _exceptions(content: bytes) -> list[tuple[str, str, str, str | None, list[str]]]:
    """(from, to, DayWorking, Name, [from-to of working times]) of calendar UID 1's exceptions."""
    root = ET.fromstring(content)
    calendar = next(
        c
        for c in root.findall("p:Calendars/p:Calendar", NS)
        if c.findtext("p:UID", None, NS) == "1"
    )
    return [
        (
            ex.findtext("p:TimePeriod/p:FromDate", "", NS),
            ex.findtext("p:TimePeriod/p:ToDate", "", NS),
            ex.findtext("p:DayWorking", "", NS),
            ex.findtext("p:Name", None, NS),
            [
                f"{wt.findtext('p:FromTime', '', NS)}-{wt.findtext('p:ToTime', '', NS)}"
                for wt in ex.findall("p:WorkingTimes/p:WorkingTime", NS)
            ],
        )
        for ex in calendar.findall("p:Exceptions/p:Exception", NS)
    ]


def _finishes(plan: Any) -> list[tuple[int, dt.datetime]]:
    return [(t.uid, t.finish.replace(tzinfo=None)) for t in plan.tasks.order_by("uid")]


def test_export_then_import_keeps_the_china_rule_and_the_dates(
    make_project: Any, users: Any
) -> None:
    # given a plan on the China calendar across Spring Festival and Golden Week
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=_china_plan())
    finishes = [
        (1, dt.datetime(2026, 2, 27, 18)),
        (2, dt.datetime(2026, 10, 10, 18)),
        (3, dt.datetime(2026, 10, 10, 18)),
    ]
    assert _finishes(plan) == finishes
    before = plan_data(plan)
    # when it goes to Microsoft Project XML and comes back
    again = services.import_msproject(
        actor=users["pm"], content=services.export_msproject(plan), project=project
    )
    # then the calendar is the China rule again, without frozen exceptions, and nothing moved
    after = plan_data(again)
    assert [(c.name, c.holidays, c.exceptions) for c in after.calendars] == [("China", "CN", [])]
    assert _finishes(again) == finishes
    assert after == before


def test_exported_calendar_has_the_holidays_and_make_up_days_as_exceptions() -> None:
    # when a China-calendar plan is written
    found = _exceptions(write_mspdi(_china_plan()))
    # then Microsoft Project gets holidays as non-working ranges (weekend days included) and
    # 调休 weekend days as working days with the calendar's hours
    hours = ["09:00:00-12:00:00", "13:00:00-18:00:00"]
    expected_2026 = [
        ("2026-01-01T00:00:00", "2026-01-03T23:59:00", "0", "元旦 New Year's Day", []),
        (
            "2026-01-04T00:00:00",
            "2026-01-04T23:59:00",
            "1",
            "元旦调休 New Year's Day working day",
            hours,
        ),
        (
            "2026-02-14T00:00:00",
            "2026-02-14T23:59:00",
            "1",
            "春节调休 Spring Festival working day",
            hours,
        ),
        ("2026-02-15T00:00:00", "2026-02-23T23:59:00", "0", "春节 Spring Festival", []),
        (
            "2026-02-28T00:00:00",
            "2026-02-28T23:59:00",
            "1",
            "春节调休 Spring Festival working day",
            hours,
        ),
    ]
    assert [e for e in found if "2026" <= e[0] < "2026-03"] == expected_2026
    autumn = [e for e in found if "2026-09" <= e[0] < "2026-11"]
    assert autumn == [
        (
            "2026-09-20T00:00:00",
            "2026-09-20T23:59:00",
            "1",
            "国庆节调休 National Day working day",
            hours,
        ),
        ("2026-09-25T00:00:00", "2026-09-27T23:59:00", "0", "中秋 Mid-autumn Festival", []),
        ("2026-10-01T00:00:00", "2026-10-07T23:59:00", "0", "国庆节 National Day", []),
        (
            "2026-10-10T00:00:00",
            "2026-10-10T23:59:00",
            "1",
            "国庆节调休 National Day working day",
            hours,
        ),
    ]
    # over the horizon's years the library knows (a year before the start onwards)
    assert found[0][0] == "2025-01-01T00:00:00"
    assert [e[0] for e in found] == sorted(e[0] for e in found)


def test_hand_entered_days_win_over_the_rule_and_survive_the_round_trip(
    make_project: Any, users: Any
) -> None:
    # given a China calendar with a company day off and Golden Week's last day worked
    own = [
        ExceptionData(
            first=dt.date(2026, 10, 7),
            last=dt.date(2026, 10, 7),
            hours=[(540, 720)],
            name="on call",
        ),
        ExceptionData(first=dt.date(2026, 11, 20), last=dt.date(2026, 11, 20), name="company day"),
    ]
    project = make_project()
    plan = plan_services.replace_plan(
        actor=users["pm"], project=project, data=_china_plan(exceptions=own)
    )
    before = plan_data(plan)
    exported = services.export_msproject(plan)
    # then the file has the hand-entered day, not the rule's, on 7 October
    golden = [e for e in _exceptions(exported) if "2026-10" <= e[0] < "2026-12"]
    assert [(e[0][:10], e[1][:10], e[2], e[3]) for e in golden] == [
        ("2026-10-01", "2026-10-06", "0", "国庆节 National Day"),
        ("2026-10-07", "2026-10-07", "1", "on call"),
        ("2026-10-10", "2026-10-10", "1", "国庆节调休 National Day working day"),
        ("2026-11-20", "2026-11-20", "0", "company day"),
    ]
    # and the round trip gives back the rule plus exactly the hand-entered days
    again = services.import_msproject(actor=users["pm"], content=exported, project=project)
    after = plan_data(again)
    assert after.calendars[0].holidays == "CN"
    assert [(e.first, e.name) for e in after.calendars[0].exceptions] == [
        (dt.date(2026, 10, 7), "on call"),
        (dt.date(2026, 11, 20), "company day"),
    ]
    assert after == before


def test_a_calendar_missing_one_of_the_rules_days_stays_plain_exceptions() -> None:
    # given the exported file with Golden Week removed (edited in Microsoft Project)
    root = ET.fromstring(write_mspdi(_china_plan()))
    container = root.find("p:Calendars/p:Calendar/p:Exceptions", NS)
    assert container is not None
    golden = next(
        ex
        for ex in container
        if ex.findtext("p:TimePeriod/p:FromDate", "", NS) == "2026-10-01T00:00:00"
    )
    container.remove(golden)
    count = len(container)
    # when it is read
    calendar = read_mspdi(ET.tostring(root)).calendars[0]
    # then the file's days are kept as they are: the rule would put Golden Week back
    assert calendar.holidays == ""
    assert len(calendar.exceptions) == count
    assert not any(e.first <= dt.date(2026, 10, 2) <= e.last for e in calendar.exceptions)


def test_a_file_from_an_older_library_is_still_recognised() -> None:
    # given an exported file without its last year's days (the library then did not know it)
    root = ET.fromstring(write_mspdi(_china_plan()))
    container = root.find("p:Calendars/p:Calendar/p:Exceptions", NS)
    assert container is not None
    for ex in list(container):
        if ex.findtext("p:TimePeriod/p:FromDate", "", NS) >= "2026":
            container.remove(ex)
    # when it is read
    calendar = read_mspdi(ET.tostring(root)).calendars[0]
    # then the rule is back (and gives 2026's days from the library)
    assert (calendar.holidays, calendar.exceptions) == ("CN", [])


def test_a_plain_calendar_is_written_without_holidays() -> None:
    data = _china_plan()
    data.calendars[0].holidays = ""
    assert _exceptions(write_mspdi(data)) == []
    assert read_mspdi(write_mspdi(data)).calendars[0].holidays == ""
