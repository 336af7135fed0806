"""The leveling run's workbook lists the overload pinned projects hold, as its panel and the
API do (``result["pinned_overload"]``): a *Pinned overload* sheet with the resource, the
days, the FTE-days above capacity and the projects, and what to do about it."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.utils import translation

from pmo.resources import exports

HELD = [
    {
        "resource": "java-uk",
        "first": "2027-03-15",
        "last": "2027-03-19",
        "fte_days": 2.5,
        "projects": ["P0017", "P0020"],
    },
    {
        "resource": "qa-sh",
        "first": "2027-04-01",
        "last": "2027-04-01",
        "fte_days": 0.25,
        "projects": ["P0017"],
    },
]


def _book(**kwargs: Any) -> Any:
    data = exports.leveling_run_workbook(
        heading="Leveling run of scenario S",
        projects=[],
        moved=[],
        not_levelable=[],
        **kwargs,
    )
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_workbook_has_a_sheet_of_the_pinned_overload() -> None:
    # given a run whose pinned projects hold overload on two resources
    book = _book(pinned_overload=HELD)
    # when the workbook is opened, then its sheet lists each window as the panel does
    assert book.sheetnames == ["Delay per project", "Moved", "Pinned overload"]
    sheet = book["Pinned overload"]
    assert sheet["A1"].value == "Leveling run of scenario S"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("Resource", "From", "To", "FTE-days above capacity", "Projects")
    assert rows[1] == (
        "java-uk",
        dt.datetime(2027, 3, 15),
        dt.datetime(2027, 3, 19),
        2.5,
        "P0017, P0020",
    )
    assert rows[2] == ("qa-sh", dt.datetime(2027, 4, 1), dt.datetime(2027, 4, 1), 0.25, "P0017")
    assert (sheet["B4"].number_format, sheet["D4"].number_format) == ("yyyy-mm-dd", "0.0")
    # and, below the rows, what to do about it
    assert rows[3] == (None,) * 5
    assert str(rows[4][0]).startswith("Pinned projects, and closed or cancelled ones, do not move")


def test_without_pinned_overload_there_is_no_such_sheet() -> None:
    assert "Pinned overload" not in _book().sheetnames
    assert "Pinned overload" not in _book(pinned_overload=[]).sheetnames


def test_the_sheet_is_in_the_readers_language() -> None:
    with translation.override("zh-hans"):
        book = _book(pinned_overload=HELD)
    sheet = book.worksheets[-1]
    header = [c.value for c in sheet[3]]
    assert (header[0], header[4]) == ("资源", "项目")
    assert sheet["E4"].value == "P0017，P0020"  # the catalogue's list separator
