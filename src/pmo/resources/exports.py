"""The heat map as an XLSX workbook: load, demand and capacity, one sheet each.

The same grouping, periods, unit and layer as the page. The *Load* sheet holds demand over
capacity as a percentage, coloured with the page's classes (empty without capacity and
demand; ``> 120 %`` red). *Demand* and *Capacity* hold the numbers, so people can add up
and chart them in Excel. A header block names the layer, unit and date of the export.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pmo.resources.heatmap import Cell, HeatMap

__all__ = ["heatmap_workbook"]

LEVEL_FILL = {
    0: "F4F6F8",
    1: "D9F0DE",
    2: "B6E2C0",
    3: "FFE9A8",
    4: "F7B2AD",
    5: "D64541",
}
HEADER_ROWS = 3


def _sheet(wb: Workbook, title: str, heatmap: HeatMap, layer: str) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    assert isinstance(ws, Worksheet)
    unit = _("hours") if heatmap.unit == "hours" else _("FTE")
    ws.append([f"{title} · {layer} · {unit}"])
    ws.append([_("Exported %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}])
    ws["A1"].font = Font(bold=True)
    by = {"role": _("Role"), "org_unit": _("Org unit"), "resource": _("Person / pool")}
    header = [by.get(heatmap.by, heatmap.by), *(p.label for p in heatmap.periods)]
    ws.append(header)
    for cell in ws[HEADER_ROWS]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 34
    for index in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 11
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
        demand.append([row.label, *(c.demand for c in row.cells)])
        capacity.append([row.label, *(c.capacity for c in row.cells)])
        values = [_load(c) for c in row.cells]
        load.append([row.label, *(_("no capacity") if v == float("inf") else v for v in values)])
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
