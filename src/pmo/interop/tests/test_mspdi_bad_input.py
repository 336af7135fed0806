"""Microsoft Project XML that is not what it says: one message quoting the file, nothing read."""

from __future__ import annotations

import pytest
from django.utils import translation

from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_read import read_mspdi

HEAD = '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'


def _calendar(start: str, end: str) -> bytes:
    """A file whose only calendar works Monday ``start``-``end``."""
    return (
        f"{HEAD}<Name>t</Name><StartDate>2026-03-02T08:00:00</StartDate>"
        "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
        "<WeekDays><WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes>"
        f"<WorkingTime><FromTime>{start}</FromTime><ToTime>{end}</ToTime></WorkingTime>"
        "</WorkingTimes></WeekDay></WeekDays></Calendar></Calendars><CalendarUID>1</CalendarUID>"
        "<Tasks><Task><UID>1</UID><Name>T1</Name><OutlineLevel>1</OutlineLevel>"
        "<Duration>PT8H0M0S</Duration></Task></Tasks></Project>"
    ).encode()


def _refused(content: bytes) -> str:
    with translation.override("en"), pytest.raises(ImportFileError) as refused:
        read_mspdi(content)
    return refused.value.message


RANGE = "is not a time of day (hours 0-23, minutes and seconds 0-59; 24:00:00 only as a ToTime)"


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        ("08:75:00", "17:00:00", f"WorkingTime FromTime “08:75:00” {RANGE}"),
        ("25:99:00", "26:00:00", f"WorkingTime FromTime “25:99:00” {RANGE}"),
        ("08:00:00", "17:00:61", f"WorkingTime ToTime “17:00:61” {RANGE}"),
        ("24:00:00", "24:00:00", f"WorkingTime FromTime “24:00:00” {RANGE}"),
        ("08:00:00", "24:30:00", f"WorkingTime ToTime “24:30:00” {RANGE}"),
        ("eight", "17:00:00", f"WorkingTime FromTime “eight” {RANGE}"),
        (
            "17:00:00",
            "08:00:00",
            "WorkingTime FromTime “17:00:00” is not before its ToTime “08:00:00”",
        ),
    ],
)
def test_a_working_time_out_of_range_is_refused_quoting_the_file(
    start: str, end: str, problem: str
) -> None:
    assert _refused(_calendar(start, end)) == f"Calendar UID 1: {problem}"


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("08:00:00", "17:00:00", [(480, 1020)]),
        ("22:00:00", "24:00:00", [(1320, 1440)]),
        ("22:00:00", "00:00:00", [(1320, 1440)]),  # MS Project writes midnight as 00:00
        ("08:30", "12:00:59", [(510, 720)]),
    ],
)
def test_a_working_time_in_range_is_read(
    start: str, end: str, hours: list[tuple[int, int]]
) -> None:
    week = read_mspdi(_calendar(start, end)).calendars[0].week
    assert week is not None and week[0] == hours


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file: the file is empty"),
        (b"  \r\n", "file: the file is empty"),
        (_workbook(), "file: this is an Excel workbook, not Microsoft Project XML"),
        (b"PK\x03\x04not really", "file: this is a ZIP archive, not Microsoft Project XML"),
        (
            '<?xml version="1.0" encoding="GBK"?><Project>测</Project>'.encode("gbk"),
            "file: the XML declaration names the character encoding “GBK”, which cannot be "
            "read; save the file as UTF-8",
        ),
    ],
)
def test_a_file_that_is_not_xml_says_what_it_is(content: bytes, message: str) -> None:
    assert _refused(content) == message
