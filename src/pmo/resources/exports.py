"""Workbooks for Excel: the heat map, and the result of a leveling run.

The heat map: the same grouping, periods, unit and layer as the page. The *Load* sheet holds
demand over capacity as a percentage, coloured with the page's classes (empty without
capacity and demand; ``> 120 %`` red). *Demand* and *Capacity* hold the numbers, so people
can add up and chart them in Excel. A header block names the layer, unit and date of the
export.

A leveling run: the delay per project and every moved task or allocation with its dates
before and after, as the run panel shows them, for resource managers to act on (dates as
Excel dates, so they sort and filter).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pmo.core.exports import append_row
from pmo.resources.heatmap import Cell, HeatMap

__all__ = ["heatmap_workbook", "leveling_run_workbook"]

LEVEL_FILL = {
    0: "F4F6F8",
    1: "D9F0DE",
    2: "B6E2C0",
    3: "FFE9A8",
    4: "F7B2AD",
    5: "D64541",
}
HEADER_ROWS = 3


def _table(wb: Workbook, title: str, heading: str, header: list[str]) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    assert isinstance(ws, Worksheet)
    append_row(ws, [heading])
    append_row(
        ws, [_("Exported %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}]
    )
    ws["A1"].font = Font(bold=True)
    append_row(ws, header)
    for cell in ws[HEADER_ROWS]:
        cell.font = Font(bold=True)
    for index, text in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(11, len(text) + 2)
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    return ws


def _sheet(wb: Workbook, title: str, heatmap: HeatMap, layer: str) -> Worksheet:
    unit = _("hours") if heatmap.unit == "hours" else _("FTE")
    by = {"role": _("Role"), "org_unit": _("Org unit"), "resource": _("Person / pool")}
    header = [by.get(heatmap.by, heatmap.by), *(p.label for p in heatmap.periods)]
    ws = _table(wb, title, f"{title} · {layer} · {unit}", header)
    ws.column_dimensions["A"].width = 34
    ws.freeze_panes = f"B{HEADER_ROWS + 1}"
    return ws


def _load(cell: Cell) -> float | None:
    ratio = cell.ratio
    if ratio is None:
        return None if cell.demand <= 0 else float("inf")
    return round(ratio, 4)


def heatmap_workbook(heatmap: HeatMap, *, layer: str) -> bytes:
    """The XLSX bytes of ``heatmap``; ``layer`` names the plan or scenario shown."""
    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)
    load = _sheet(wb, _("Load"), heatmap, layer)
    demand = _sheet(wb, _("Demand"), heatmap, layer)
    capacity = _sheet(wb, _("Capacity"), heatmap, layer)
    for row in heatmap.rows:
        append_row(demand, [row.label, *(c.demand for c in row.cells)])
        append_row(capacity, [row.label, *(c.capacity for c in row.cells)])
        values = [_load(c) for c in row.cells]
        append_row(
            load, [row.label, *(_("no capacity") if v == float("inf") else v for v in values)]
        )
        r = load.max_row
        for k, c in enumerate(row.cells, start=2):
            cell = load.cell(row=r, column=k)
            cell.fill = PatternFill("solid", fgColor=LEVEL_FILL[c.level])
            if isinstance(cell.value, float):
                cell.number_format = "0%"
            if c.level == 5:
                cell.font = Font(color="FFFFFF", bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def leveling_run_workbook(
    *,
    heading: str,
    projects: list[dict[str, Any]],
    moved: list[dict[str, Any]],
    not_levelable: list[dict[str, Any]],
    pinned_overload: list[dict[str, Any]] | None = None,
) -> bytes:
    """The XLSX bytes of a leveling run's result: *Delay per project* (every project the run
    delayed, moved or pinned), *Moved* and, if any, *Not levelable* and *Pinned overload*
    (the run's ``result["pinned_overload"]``: overload that rows of pinned or ended projects
    make alone, which leveling cannot remove); the rows as the run panel's context builds
    them (with names in the active language)."""
    wb = Workbook()
    default = wb.active
    assert default is not None
    wb.remove(default)
    delays = _table(
        wb,
        _("Delay per project"),
        heading,
        [
            _("Project"),
            _("Name"),
            _("Priority"),
            _("Weight"),
            _("Delay (working days)"),
            _("Moved"),
            _("Pinned"),
        ],
    )
    delays.column_dimensions["B"].width = 34
    for p in projects:
        append_row(
            delays,
            [
                p["project"],
                p.get("name", ""),
                p["priority"],
                p["weight"],
                p["delay"],
                p["moved"],
                _("yes") if p["pinned"] else "",
            ],
        )
    rows = _table(
        wb,
        _("Moved"),
        heading,
        [
            _("Project"),
            _("Name"),
            _("Kind"),
            _("Resource"),
            _("FTE"),
            _("Start before"),
            _("End before"),
            _("Start after"),
            _("End after"),
            _("Working days later"),
        ],
    )
    for column in ("B", "D"):
        rows.column_dimensions[column].width = 30
    for m in moved:
        append_row(
            rows,
            [
                m["project"],
                m.get("project_name", ""),
                _("Task") if m["kind"] == "task" else _("Allocation"),
                m.get("resource_label", m["resource"]),
                m["fte"],
                _day(m["first"]),
                _day(m["last"]),
                _day(m["new_first"]),
                _day(m["new_last"]),
                m["days"],
            ],
        )
    for line in rows.iter_rows(min_row=HEADER_ROWS + 1, min_col=6, max_col=9):
        for cell in line:
            cell.number_format = "yyyy-mm-dd"
    if not_levelable:
        stuck = _table(
            wb,
            _("Not levelable"),
            heading,
            [_("Project"), _("Name"), _("Resource"), _("FTE"), _("From"), _("To")],
        )
        for a in not_levelable:
            append_row(
                stuck,
                [
                    a["project"],
                    a.get("project_name", ""),
                    a.get("resource_label", a["resource"]),
                    a["fte"],
                    _day(a["first"]),
                    _day(a["last"]),
                ],
            )
        for line in stuck.iter_rows(min_row=HEADER_ROWS + 1, min_col=5, max_col=6):
            for cell in line:
                cell.number_format = "yyyy-mm-dd"
    if pinned_overload:
        _pinned_sheet(wb, heading, pinned_overload)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _pinned_sheet(wb: Workbook, heading: str, held: list[dict[str, Any]]) -> None:
    """*Pinned overload*: per resource and window, the FTE-days above capacity and the
    pinned or ended projects whose own rows make it, then what to do (as the run panel)."""
    sheet = _table(
        wb,
        _("Pinned overload"),
        heading,
        [_("Resource"), _("From"), _("To"), _("FTE-days above capacity"), _("Projects")],
    )
    sheet.column_dimensions["E"].width = 40
    separator = pgettext("list separator", ", ")
    for o in held:
        append_row(
            sheet,
            [
                o["resource"],
                _day(o["first"]),
                _day(o["last"]),
                o["fte_days"],
                separator.join(o["projects"]),
            ],
        )
    for line in sheet.iter_rows(min_row=HEADER_ROWS + 1, min_col=2, max_col=4):
        for cell in line:
            cell.number_format = "0.0" if cell.column == 4 else "yyyy-mm-dd"
    append_row(sheet, [])
    append_row(
        sheet,
        [
            _(
                "Pinned projects, and closed or cancelled ones, do not move. Their own "
                "allocations need more than the resource's capacity here, so this overload "
                "stays after leveling: unpin the project, move its work or add capacity."
            )
        ],
    )
