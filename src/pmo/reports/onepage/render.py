"""Render the one-page report as HTML, PDF (WeasyPrint), PPTX (python-pptx) and XLSX."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from pmo.reports.onepage.layout import boards
from pmo.reports.onepage.model import OnePage

__all__ = ["CONTENT_TYPES", "render"]

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def context(page: OnePage, link_prefix: str = "") -> dict[str, Any]:
    """Template context shared by the web page and the document."""
    drawn = [
        {"columns": board, "unit_pct": f"{100 / (sum(len(b.chunks) for _c, b in board) or 1):.4f}"}
        for board in boards(page)
    ]
    return {
        "page": page,
        "boards": drawn,
        "rag_keys": [
            ("red", _("Red"), "■"),
            ("amber", _("Amber"), "▲"),
            ("green", _("Green"), "●"),
            ("none", _("No report"), "–"),
        ],
        "link_prefix": link_prefix,
    }


def render(page: OnePage, fmt: str, *, link_prefix: str = "") -> bytes:
    """The page as bytes in ``fmt`` (html, pdf, pptx or xlsx)."""
    with translation.override(page.language):
        if fmt == "html":
            return render_html(page, link_prefix).encode()
        if fmt == "pdf":
            return render_pdf(page, link_prefix)
        if fmt == "pptx":
            from pmo.reports.onepage.slides import render_pptx

            return render_pptx(page)
        if fmt == "xlsx":
            return render_xlsx(page)
    raise ValueError(f"unknown format {fmt!r}")


def render_html(page: OnePage, link_prefix: str = "") -> str:
    return render_to_string("reports/onepage_doc.html", context(page, link_prefix))


def render_pdf(page: OnePage, link_prefix: str = "http://127.0.0.1:8000") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_html(page, link_prefix)).write_pdf())


def _rag_names() -> dict[int | str, str]:
    return {
        1: _("green"),
        2: _("amber"),
        3: _("red"),
        "red": _("red"),
        "amber": _("amber"),
        "green": _("green"),
        "none": _("no report"),
    }


RAG_FILLS = {1: "C6EFCE", 2: "FFEB9C", 3: "FFC7CE"}


def render_xlsx(page: OnePage) -> bytes:
    """One row per project with every figure behind the page, plus the header and lists."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Projects")[:31]
    ws.append(
        [
            _("Code"),
            _("Name"),
            _("Phase"),
            _("Overall"),
            _("Trend"),
            _("Weeks in phase"),
            _("Decision needed"),
            _("Report missing"),
            _("Gate overdue"),
            _("Broken or at-risk dependency"),
            _("Affected by a change"),
            _("Next gate"),
            _("Next gate date"),
            _("% complete"),
            _("Priority"),
            _("Program"),
            _("Project manager"),
            _("Period"),
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    names = _rag_names()
    for column in page.columns:
        for c in column.cells:
            ws.append(
                [
                    c.code,
                    c.name,
                    column.label,
                    names[c.rag] if c.rag else "",
                    {1: "↑", 0: "→", -1: "↓"}.get(c.trend, "") if c.trend is not None else "",
                    c.weeks_in_phase,
                    c.decision_needed,
                    c.missing,
                    c.gate_overdue,
                    c.dependency_broken,
                    c.change_affected,
                    c.next_gate,
                    c.next_gate_date,
                    c.percent_complete,
                    c.priority,
                    c.program,
                    c.manager,
                    page.period.key,
                ]
            )
            if c.rag:
                ws.cell(row=ws.max_row, column=4).fill = PatternFill(
                    "solid", fgColor=RAG_FILLS[c.rag]
                )
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    summary = wb.create_sheet(_("Summary")[:31])
    h = page.header
    summary.append([_("Period"), page.period.key])
    summary.append([_("Projects"), h.total])
    for key in ("red", "amber", "green", "none"):
        summary.append([names[key], h.rag_counts[key], h.rag_delta[key]])
    summary.append([_("Phase changes"), h.phase_changes])
    summary.append([_("Reports missing"), h.missing])
    summary.append([_("Decisions needed"), h.decisions])
    for label, n in h.by_phase:
        summary.append([label, n])
    for currency, total in h.budget:
        summary.append([_("Budget"), total, currency])
    esc = wb.create_sheet(_("Escalations")[:31])
    esc.append([_("Code"), _("Name"), _("Kind"), _("Text")])
    for e in page.escalations:
        esc.append([e.code, e.name, e.kind, e.text])
    changes = wb.create_sheet(_("Changes")[:31])
    changes.append([_("Code"), _("Name"), _("Kind"), _("Detail")])
    for ch in page.changes:
        changes.append([ch.code, ch.name, ch.kind, ch.detail])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
