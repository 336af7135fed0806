"""Render the one-page report as HTML, PDF (WeasyPrint), PPTX (python-pptx) and XLSX."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from pmo.core.exports import append_row
from pmo.reports.onepage.layout import FONT_PT, boards
from pmo.reports.onepage.model import CHANGE_LABELS, ESCALATION_LABELS, OnePage

__all__ = ["CONTENT_TYPES", "TextScale", "render"]

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TextScale:
    """How much smaller than designed the board's and the side panel's text is drawn."""

    board: float = 1.0
    side: float = 1.0


def context(
    page: OnePage, link_prefix: str = "", scale: TextScale | None = None, rows: int | None = None
) -> dict[str, Any]:
    """Template context shared by the web page and the document (``scale``: see render_pdf;
    ``rows``: see :func:`~pmo.reports.onepage.layout.boards`)."""
    scale = scale or TextScale()
    drawn = [
        {"columns": board, "unit_pct": f"{100 / (sum(len(b.chunks) for _c, b in board) or 1):.4f}"}
        for board in boards(page, rows)
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
        "board_pt": f"{FONT_PT[page.layout] * scale.board:.2f}",
        "side_em": f"{0.95 * scale.side:.3f}",
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


def render_html(page: OnePage, link_prefix: str = "", scale: TextScale | None = None) -> str:
    return render_to_string("reports/onepage_doc.html", context(page, link_prefix, scale))


# The PDF's text never shrinks below this share of its size, nor is the page laid out more
# than FIT_TRIES times: a page that still does not fit keeps its extra page rather than
# becoming unreadable or slow.
MIN_SCALE = 0.6
FIT_TRIES = 4
PAGE_MARGIN_PX = 8 / 25.4 * 96  # @page margin of onepage_doc.html (8 mm) in CSS pixels


def render_pdf(page: OnePage, link_prefix: str = "http://127.0.0.1:8000") -> bytes:
    """The page as PDF: one A3 page per board (one board holds up to 160 projects).

    Cells have a fixed height, so a board fits its page by construction. Should anything
    still run past the page (a header with many currencies, the longest escalations), what
    ran over (board or side panel) is laid out again with smaller text, by as much as it ran
    over; WeasyPrint's own layout is the measure.
    """
    from weasyprint import HTML

    wanted = len(boards(page))
    scale = TextScale()
    document = HTML(string=render_html(page, link_prefix, scale)).render()
    for _try in range(FIT_TRIES - 1):
        if len(document.pages) <= wanted:
            break
        ratio = _fill_ratios(document, wanted)
        smaller = TextScale(
            board=max(MIN_SCALE, scale.board * ratio["board"]),
            side=max(MIN_SCALE, scale.side * ratio["side"]),
        )
        if smaller == scale:
            break
        scale = smaller
        document = HTML(string=render_html(page, link_prefix, scale)).render()
    return bytes(document.write_pdf())


def _fill_ratios(document: Any, boards_drawn: int) -> dict[str, float]:
    """By how much to shrink the text of the board and of the side panel so each fits.

    Compares the room from where each board starts to the foot of its page with the height
    its parts took, from the markers at their ends (``Page.anchors``). When nothing measurable
    ran over (something after the boards did), both shrink by a tenth.
    """
    where: dict[str, tuple[int, float]] = {}
    for number, drawn in enumerate(document.pages):
        for name, box in drawn.anchors.items():  # (x, y), or (x1, y1, x2, y2) in WeasyPrint 6x
            where.setdefault(name, (number, float(box[1])))  # a split table is on both pages
    parts = [("side", "op-board-0", "op-side-end")] + [
        ("board", f"op-board-{i}", f"op-board-{i}-end") for i in range(boards_drawn)
    ]
    ratio = {"board": 1.0, "side": 1.0}
    for part, start_id, end_id in parts:
        start, end = where.get(start_id), where.get(end_id)
        if start is None or end is None or end[0] == start[0]:
            continue
        height = document.pages[start[0]].height
        room = height - PAGE_MARGIN_PX - start[1]
        pages_between = end[0] - start[0] - 1
        spilled = pages_between * (height - 2 * PAGE_MARGIN_PX) + end[1] - PAGE_MARGIN_PX
        # borders and gaps keep their size while the text shrinks: aim a little lower
        ratio[part] = min(ratio[part], 0.97 * room / (room + max(spilled, 0.0)))
    if ratio == {"board": 1.0, "side": 1.0}:
        return {"board": 0.9, "side": 0.9}
    return ratio


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


def _yes_no(flag: bool) -> str:
    """A flag as the word the CSV exports write in the reader's language (是/否): Excel shows
    a boolean cell as TRUE/FALSE, English on a Chinese sheet."""
    return _("yes") if flag else _("no")


def render_xlsx(page: OnePage) -> bytes:
    """One row per project with every figure behind the page, plus the header and lists."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Projects")[:31]
    append_row(
        ws,
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
        ],
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    names = _rag_names()
    for column in page.columns:
        for c in column.cells:
            append_row(
                ws,
                [
                    c.code,
                    c.name,
                    column.label,
                    capfirst(names[c.rag]) if c.rag else "",
                    {1: "↑", 0: "→", -1: "↓"}.get(c.trend, "") if c.trend is not None else "",
                    c.weeks_in_phase,
                    *(
                        _yes_no(flag)
                        for flag in (
                            c.decision_needed,
                            c.missing,
                            c.gate_overdue,
                            c.dependency_broken,
                            c.change_affected,
                        )
                    ),
                    c.next_gate,
                    c.next_gate_date,
                    c.percent_complete,
                    c.priority,
                    c.program,
                    c.manager,
                    page.period.key,
                ],
            )
            if c.rag:
                ws.cell(row=ws.max_row, column=4).fill = PatternFill(
                    "solid", fgColor=RAG_FILLS[c.rag]
                )
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    summary = wb.create_sheet(_("Summary")[:31])
    h = page.header
    append_row(summary, [_("Period"), page.period.key])
    append_row(summary, [_("Projects"), h.total])
    for key in ("red", "amber", "green", "none"):
        append_row(summary, [capfirst(names[key]), h.rag_counts[key], h.rag_delta[key]])
    append_row(summary, [_("Gates passed"), h.gates_passed])
    append_row(summary, [_("Gates overdue"), h.gates_overdue])
    append_row(summary, [_("Phase changes"), h.phase_changes])
    append_row(summary, [_("Reports missing"), h.missing])
    append_row(summary, [_("Decisions asked in reports"), h.decisions])
    for label, n in h.by_phase:
        append_row(summary, [label, n])
    for currency, total in h.budget:
        append_row(summary, [_("Budget"), total, currency])
    if h.budget_base:
        if h.budget_total is not None:
            append_row(summary, [_("Budget total"), h.budget_total, h.budget_base])
        else:
            append_row(summary, [_("Budget total"), h.budget_note, h.budget_base])
    esc = wb.create_sheet(_("Escalations")[:31])
    append_row(esc, [_("Code"), _("Name"), _("Kind"), _("Text")])
    for e in page.escalations:
        append_row(esc, [e.code, e.name, str(ESCALATION_LABELS.get(e.kind, e.kind)), e.text])
    changes = wb.create_sheet(_("Changes")[:31])
    append_row(changes, [_("Code"), _("Name"), _("Kind"), _("Detail")])
    for ch in page.changes:
        kind = capfirst(str(CHANGE_LABELS.get(ch.kind, ch.kind)))  # a cell reads as a word
        append_row(changes, [ch.code, ch.name, kind, ch.detail])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
