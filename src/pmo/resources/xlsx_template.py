"""The capacity sheet template (``docs/xlsx-capacity-template.md``): the two sheets the import
reads, ``Resources`` and ``Capacity``, with headers only, and two it never reads:
``Example`` (rows to copy, so an example is never imported by mistake) and ``Allowed
values`` (kinds, calendars, this installation's org units and its role catalogue, which the
``kind``, ``calendar``, ``org_unit`` and ``role`` columns offer as drop-down lists)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pmo.accounts.models import OrgUnit
from pmo.resources.models import Role
from pmo.resources.xlsx import CAPACITY_COLUMNS, RESOURCE_COLUMNS

__all__ = ["EXAMPLE_SHEET", "VALUES_SHEET", "build_template"]

EXAMPLE_SHEET = "Example"
VALUES_SHEET = "Allowed values"
ROWS = 2000  # rows of Resources and Capacity the drop-down lists cover
BOLD = Font(bold=True)


def _header(ws: Worksheet, columns: list[str], row: int = 1) -> None:
    for index, name in enumerate(columns, start=1):
        ws.cell(row=row, column=index, value=name).font = BOLD
        ws.column_dimensions[get_column_letter(index)].width = max(12, len(name) + 4)


def _org_units() -> list[tuple[str, str, str]]:
    return list(OrgUnit.objects.order_by("path").values_list("code", "name", "name_zh"))


def _roles() -> list[tuple[str, str]]:
    return list(Role.objects.order_by("name").values_list("name", "name_zh"))


def _notes() -> dict[str, str]:
    """What the comments of the Resources headers say."""
    return {
        "code": _("Required. The resource's code: letters, digits and hyphens, e.g. zhao-lei."),
        "kind": _("Required. person or pool (see the sheet Allowed values)."),
        "org_unit": _(
            "Required. An org unit's code or its exact English or Chinese name "
            "(see the sheet Allowed values)."
        ),
        "role": _(
            "Required. A role of the role catalogue (see the sheet Allowed values), any case; "
            "a new role is added to the catalogue."
        ),
        "role_zh": _(
            "The role's Chinese name, for a new role or one without it; empty takes the "
            "catalogue's."
        ),
        "fte": _("Standing capacity in FTE: 1 for a full-time person, 12 for a pool of 12."),
        "calendar": _("CN (mainland China holidays and 调休) or empty (Monday to Friday)."),
    }


def _capacity_notes() -> dict[str, str]:
    return {
        "resource": _("Required. The code of a resource of the sheet Resources or of PMO Hub."),
        "from": _("Required. First day, a date cell or YYYY-MM-DD."),
        "to": _("Required. Last day, a date cell or YYYY-MM-DD."),
        "fte": _(
            "Required. The capacity from the first to the last day: 0 for leave, 0.5 for half time."
        ),
    }


def _with_notes(ws: Worksheet, columns: list[str], notes: dict[str, str]) -> None:
    for index, name in enumerate(columns, start=1):
        if name in notes:
            ws.cell(row=1, column=index).comment = Comment(notes[name], "PMO Hub")


def _lists(ws: Worksheet, units: int, roles: int) -> None:
    """Drop-down lists on the Resources columns kind, calendar, role and org_unit: kind and
    calendar refuse anything else; org_unit only warns, since a name is accepted too, and
    role too, since a new role joins the catalogue."""
    for name, formula, strict in (
        ("kind", '"person,pool"', True),
        ("calendar", '"CN,Mon-Fri"', True),
        ("org_unit", f"'{VALUES_SHEET}'!$E$2:$E${max(units + 1, 2)}", False),
        ("role", f"'{VALUES_SHEET}'!$I$2:$I${max(roles + 1, 2)}", False),
    ):
        letter = get_column_letter(RESOURCE_COLUMNS.index(name) + 1)
        check = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            errorStyle="stop" if strict else "warning",
            showErrorMessage=True,
        )
        check.add(f"{letter}2:{letter}{ROWS}")
        ws.add_data_validation(check)


def _example(ws: Worksheet, unit: str, year: int) -> None:
    ws.cell(
        row=1,
        column=1,
        value=_(
            "Example rows: this sheet is not imported. Copy rows to the sheets Resources "
            "and Capacity and change them."
        ),
    ).font = BOLD
    ws.cell(row=3, column=1, value="Resources").font = BOLD
    _header(ws, RESOURCE_COLUMNS, row=4)
    people: list[list[Any]] = [
        # columns as RESOURCE_COLUMNS: code .. skills, org_unit, fte .. available_until
        ["zhao-lei", "Zhao Lei", "赵磊", "person", "Architect", "架构师", "Java, Kafka"],
        ["java-sh", "Java developers, Shanghai", "上海Java开发", "pool", "Java developer"],
    ]
    people[0] += [unit, 1, 8, 450, "CNY", "CN", dt.date(year - 1, 1, 4), None]
    people[1] += ["Java开发", "Java, Spring", unit, 12, 8, 300, "CNY", "CN", None, None]
    for offset, values in enumerate(people):
        for column, value in enumerate(values, start=1):
            ws.cell(row=5 + offset, column=column, value=value)
    ws.cell(row=8, column=1, value="Capacity").font = BOLD
    _header(ws, CAPACITY_COLUMNS, row=9)
    changes: list[list[Any]] = [
        ["zhao-lei", dt.date(year, 1, 12), dt.date(year, 1, 16), 0, _("annual leave")],
        ["zhao-lei", dt.date(year, 3, 1), dt.date(year, 6, 30), 0.5, _("part time")],
        ["java-sh", dt.date(year, 4, 1), dt.date(year, 12, 31), 14, _("two hires")],
    ]
    for offset, values in enumerate(changes):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=10 + offset, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for row in (5, 6):
        ws.cell(
            row=row, column=RESOURCE_COLUMNS.index("available_from") + 1
        ).number_format = "yyyy-mm-dd"
    ws.cell(
        row=14,
        column=1,
        value=_(
            "0 FTE for at most 14 days is time off: work pauses on those days, as on a "
            "holiday. A longer or partial cut lowers capacity."
        ),
    )


def _values(ws: Worksheet, units: list[tuple[str, str, str]], roles: list[tuple[str, str]]) -> None:
    _header(ws, ["column", "value", _("meaning")])
    rows = [
        ("kind", "person", _("a named person")),
        ("kind", "pool", _("a role pool: several people of one role")),
        ("calendar", "CN", _("mainland China: public holidays off, 调休 weekend days worked")),
        ("calendar", _("(empty) or Mon-Fri"), _("Monday to Friday")),
        ("currency", "CNY, GBP, …", _("ISO 4217 code; empty is CNY for a new resource")),
    ]
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            ws.cell(row=number, column=column, value=value)
    ws.column_dimensions["C"].width = 60
    for column, name in enumerate(["org_unit", "name", "name_zh"], start=5):
        ws.cell(row=1, column=column, value=name).font = BOLD
        ws.column_dimensions[get_column_letter(column)].width = 24
    for number, unit in enumerate(units, start=2):
        for column, value in enumerate(unit, start=5):
            ws.cell(row=number, column=column, value=value)
    for column, name in enumerate(["role", "role_zh"], start=9):  # the role catalogue
        ws.cell(row=1, column=column, value=name).font = BOLD
        ws.column_dimensions[get_column_letter(column)].width = 24
    for number, role in enumerate(roles, start=2):
        for column, value in enumerate(role, start=9):
            ws.cell(row=number, column=column, value=value)


def build_template() -> bytes:
    """The capacity sheet template as XLSX bytes."""
    units, roles = _org_units(), _roles()
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Resources"
    _header(ws, RESOURCE_COLUMNS)
    notes = _notes()
    _with_notes(ws, RESOURCE_COLUMNS, notes)
    _lists(ws, len(units), len(roles))
    ws.freeze_panes = "A2"
    cs = book.create_sheet("Capacity")
    _header(cs, CAPACITY_COLUMNS)
    _with_notes(cs, CAPACITY_COLUMNS, _capacity_notes())
    cs.freeze_panes = "A2"
    unit = units[-1][0] if units else "sh-it"
    _example(book.create_sheet(EXAMPLE_SHEET), unit, timezone.localdate().year + 1)
    _values(book.create_sheet(VALUES_SHEET), units, roles)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
