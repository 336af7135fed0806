"""The one-page report as one editable PowerPoint slide (native shapes and text)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from pmo.reports.onepage.layout import board_columns
from pmo.reports.onepage.model import Cell, OnePage

__all__ = ["render_pptx"]

SYMBOLS = {1: "●", 2: "▲", 3: "■"}
TRENDS = {1: "↑", 0: "→", -1: "↓"}
EDGE = {1: RGBColor(0x2E, 0x9D, 0x4B), 2: RGBColor(0xF0, 0xB4, 0x00), 3: RGBColor(0xD6, 0x45, 0x41)}
TINT = {1: RGBColor(0xE3, 0xF4, 0xE8), 2: RGBColor(0xFF, 0xF4, 0xD6), 3: RGBColor(0xFD, 0xE3, 0xE1)}
GREY = RGBColor(0x9A, 0xA5, 0xB1)
INK = RGBColor(0x1D, 0x27, 0x33)
BRAND = RGBColor(0x1F, 0x4E, 0x79)
FONT_SIZES = {"normal": 7, "compact": 6, "dense": 5, "paged": 5}
EAST_ASIAN_FONT = "Microsoft YaHei"  # what Chinese PowerPoint users have; others substitute


def _text(slide, x, y, w, h, lines, size, *, bold_first=False, colour=INK):  # type: ignore[no-untyped-def]
    box = slide.shapes.add_textbox(Emu(x), Emu(y), Emu(w), Emu(h))
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = Pt(1)
    frame.margin_top = frame.margin_bottom = Pt(0)
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        _font(run, size, bold=bold_first and index == 0, colour=colour)
    return box


def _font(run, size: float, *, bold: bool = False, colour: RGBColor = INK) -> None:  # type: ignore[no-untyped-def]
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        rpr.append(ea)
    ea.set("typeface", EAST_ASIAN_FONT)


def _cell(slide, cell: Cell, x: int, y: int, w: int, h: int, size: float) -> None:  # type: ignore[no-untyped-def]
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(x), Emu(y), Emu(w), Emu(h))
    shape.name = f"cell {cell.code}"
    shape.fill.solid()
    shape.fill.fore_color.rgb = TINT.get(cell.rag or 0, RGBColor(0xF1, 0xF3, 0xF5))
    shape.line.color.rgb = EDGE.get(cell.rag or 0, GREY)
    shape.line.width = Pt(1.5)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = Pt(2)
    frame.margin_top = frame.margin_bottom = Pt(1)
    flags = (
        (pgettext("flag: decision needed", "D") if cell.decision_needed else "")
        + (pgettext("flag: report missing", "M") if cell.missing else "")
        + (pgettext("flag: gate overdue", "G") if cell.gate_overdue else "")
        + (pgettext("flag: broken dependency", "X") if cell.dependency_broken else "")
        + (pgettext("flag: affected by a change", "C") if cell.change_affected else "")
    )
    head = " ".join(
        part
        for part in (
            SYMBOLS.get(cell.rag or 0, "–"),
            cell.code,
            TRENDS.get(cell.trend, "") if cell.trend is not None else "",
            _("%(n)sw") % {"n": cell.weeks_in_phase} if cell.weeks_in_phase else "",
            flags,
        )
        if part
    )
    first = frame.paragraphs[0]
    run = first.add_run()
    run.text = head
    _font(run, size, bold=True)
    second = frame.add_paragraph()
    run = second.add_run()
    run.text = cell.name
    _font(run, size)


def render_pptx(page: OnePage) -> bytes:
    """One 16:9 slide: header figures, phase columns of project cells, escalations, changes."""
    deck = Presentation()
    slide_w, slide_h = int(Inches(13.333)), int(Inches(7.5))
    deck.slide_width, deck.slide_height = Emu(slide_w), Emu(slide_h)
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    margin = int(Inches(0.25))
    width = slide_w - 2 * margin
    title = f"{page.title} · {page.period.key}"
    _text(
        slide, margin, Inches(0.15), width, Inches(0.4), [title], 18, bold_first=True, colour=BRAND
    )
    h = page.header
    figures = [
        f"{_('Projects')} {h.total}",
        f"■ {_('Red')} {h.rag_counts['red']} ({h.rag_delta['red']:+d})",
        f"▲ {_('Amber')} {h.rag_counts['amber']} ({h.rag_delta['amber']:+d})",
        f"● {_('Green')} {h.rag_counts['green']} ({h.rag_delta['green']:+d})",
        f"– {_('No report')} {h.rag_counts['none']} ({h.rag_delta['none']:+d})",
        f"{_('Gates passed')} {h.gates_passed}",
        f"{_('Gates overdue')} {h.gates_overdue}",
        f"{_('Reports missing')} {h.missing}",
        f"{_('Decisions asked in reports')} {h.decisions}",
    ]  # the figures of the page's header, in its order
    _text(slide, margin, Inches(0.6), width, Inches(0.3), ["   ".join(figures)], 10)
    top = int(Inches(1.0))
    board_w = int(width * 0.76)
    board_h = slide_h - top - int(Inches(0.2))
    size = FONT_SIZES[page.layout]
    columns = board_columns(page)
    units = sum(c.width for c in columns) or 1
    gap = int(Inches(0.05))
    unit_w = (board_w - gap * (len(columns) + units)) / units
    rows = max((c.rows for c in columns), default=1)
    title_h = int(Inches(0.25))
    cell_h = int((board_h - title_h) / rows - gap)
    x = margin
    for column, geometry in zip(page.columns, columns, strict=True):
        col_w = int(unit_w * geometry.width + gap * (geometry.width - 1))
        _text(
            slide,
            x,
            top,
            col_w,
            title_h,
            [f"{column.label} ({len(column.cells)})"],
            9,
            bold_first=True,
            colour=BRAND,
        )
        for index, cell in enumerate(column.cells):
            sub, row = divmod(index, geometry.rows)
            cx = int(x + sub * (unit_w + gap))
            cy = int(top + title_h + row * (cell_h + gap))
            _cell(slide, cell, cx, cy, int(unit_w), cell_h, size)
        x += col_w + gap
    side_x = margin + board_w + int(Inches(0.15))
    side_w = slide_w - side_x - margin
    escalations = [_("Decisions and escalations")] + [
        f"{i}. {e.code} {e.text[:90]}" for i, e in enumerate(page.escalations, start=1)
    ]
    _text(slide, side_x, top, side_w, Inches(3.2), escalations, 8, bold_first=True)
    changes = [_("Changed since last period")] + [
        f"{c.code} {c.detail[:60]}" for c in page.changes[:14]
    ]
    _text(slide, side_x, top + Inches(3.3), side_w, Inches(3.0), changes, 8, bold_first=True)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
