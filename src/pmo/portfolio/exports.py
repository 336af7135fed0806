"""Exports of the status-center view (XLSX and CSV), with the same columns as the screen."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from pmo.core.exports import append_row, csv_row
from pmo.portfolio.extensions import registry
from pmo.portfolio.models import DIMENSION_LABELS, RAG_DIMENSIONS, Project, Rag, Trend

FORMATS = {"xlsx", "csv"}
RAG_FILL = {Rag.GREEN: "C6EFCE", Rag.AMBER: "FFEB9C", Rag.RED: "FFC7CE"}


def _columns() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Program"),
        _("PMO type"),
        _("Sponsor"),
        _("Project manager"),
        _("Org unit"),
        _("Region"),
        _("Phase"),
        _("State"),
        _("Period"),
        _("Overall"),
        *[str(DIMENSION_LABELS[d]) for d in RAG_DIMENSIONS],
        _("Trend"),
        # xgettext:no-python-format
        _("% complete"),
        _("Baseline finish"),
        _("Forecast finish"),
        _("Slip (days)"),
        _("Open high risks"),
        _("Open high issues"),
        _("Decision needed"),
        _("Report missing"),
        *[str(column.label) for column in registry.export_columns],
    ]


def _rag(value: int | None) -> str:
    return str(Rag(value).label) if value else ""


def rows(projects: Iterable[Any], regions: dict[int, str]) -> Iterable[list[Any]]:
    """One list of cell values per project (annotated by the status-center selector)."""
    for p in projects:
        report = p.latest_report
        yield [
            p.code,
            p.display_name,
            p.program.code if p.program else "",
            str(p.get_pmo_type_display()),
            p.sponsor.display_name if p.sponsor else "",
            p.manager.display_name if p.manager else "",
            p.org_unit.display_name,
            regions.get(p.org_unit_id, ""),
            str(p.get_phase_display()),
            str(p.get_state_display()),
            report.period if report else "",
            _rag(report.overall if report else None),
            *[_rag(getattr(report, d) if report else None) for d in RAG_DIMENSIONS],
            str(Trend(p.trend).label) if p.trend is not None else "",
            p.percent_complete,
            p.baseline_finish,
            p.forecast_finish,
            p.slip_days,
            p.open_high_risks,
            p.open_issues,
            bool(p.pending_decisions or (report and report.decision_needed)),
            bool(p.missing),
            *[column.value(p) for column in registry.export_columns],
        ]


def export_projects(qs: QuerySet[Project], fmt: str, *, regions: dict[int, str]) -> HttpResponse:
    """An HTTP download of ``qs`` as ``fmt`` (``xlsx`` or ``csv``)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"pmo-status-{stamp}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(csv_row(_columns()))
        for row in rows(qs.iterator(chunk_size=500), regions):
            writer.writerow(csv_row(row))  # a name typed as a formula stays text
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            workbook_bytes(qs, regions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _flags_as_words(row: list[Any]) -> list[Any]:
    """``row`` with each flag as "yes" or "no" in the reader's language, as the CSV has it
    (Excel shows a boolean cell as TRUE/FALSE, English on a Chinese sheet)."""
    return [(_("yes") if v else _("no")) if isinstance(v, bool) else v for v in row]


def workbook_bytes(qs: QuerySet[Project], regions: dict[int, str]) -> bytes:
    """The XLSX file: a header row, one row per project, RAG cells coloured."""
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = _("Status center")[:31]
    header = _columns()
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    first_rag = header.index(_("Overall")) + 1
    rag_columns = range(first_rag, first_rag + 1 + len(RAG_DIMENSIONS))
    labels = {str(r.label): r for r in Rag}
    for row in rows(qs.iterator(chunk_size=500), regions):
        append_row(ws, _flags_as_words(row))  # text as string cells: a formula stays text
        for col in rag_columns:
            cell = ws.cell(row=ws.max_row, column=col)
            if cell.value in labels:
                cell.fill = PatternFill("solid", fgColor=RAG_FILL[labels[cell.value]])
    for index, title in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(title) + 4))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
