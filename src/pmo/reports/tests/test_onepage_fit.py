"""The PDF stays one A3 page for 60 projects whatever the text says (longest names, reasons,
every flag), in English and Chinese: rendered by WeasyPrint, pages counted by pypdf."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from pmo.portfolio.periods import parse_period
from pmo.reports.onepage import render as documents
from pmo.reports.onepage.model import Cell, Change, Column, Escalation, Header, OnePage

# The longest text the models allow: names and codes are CharFields of 200 and 40 characters.
LONG = {
    "en": {
        "word": "Enterprise-wide regulatory transformation programme ",
        "title": "Portfolio one-page report",
        "phases": ["Idea", "Initiation", "Planning", "Execution", "Closing", "Closed"],
    },
    "zh-hans": {
        "word": "全行监管报送与数据治理体系建设工程",
        "title": "项目组合一页报告",
        "phases": ["构想", "启动", "规划", "执行", "收尾", "已关闭"],
    },
}
# 11 + 11 + 11 + 11 + 11 + 5: the most sub-columns (narrowest cells) 60 projects can take.
PER_PHASE = [11, 11, 11, 11, 11, 5]


def longest(word: str, size: int) -> str:
    return (word * (size // len(word) + 1))[:size]


def worst_case_page(language: str, total: int = 60) -> OnePage:
    """``total`` projects with every text at its longest and every flag raised."""
    text = LONG[language]
    word = str(text["word"])
    labels = list(text["phases"])
    counts = PER_PHASE if total == 60 else [total // 6 + (i < total % 6) for i in range(6)]
    columns: list[Column] = []
    n = 0
    for label, count in zip(labels, counts, strict=True):
        cells = []
        for _ in range(count):
            n += 1
            cells.append(
                Cell(
                    code=f"WORST-CASE-PROJECT-{n:04d}".ljust(40, "X"),
                    name=longest(f"{n} {word}", 200),
                    rag=3,
                    stale=False,
                    trend=-1,
                    weeks_in_phase=104,
                    expected_weeks=52,
                    next_gate=longest("G4 " + word, 40),
                    next_gate_date=dt.date(2026, 12, 31),
                    decision_needed=True,
                    missing=True,
                    gate_overdue=True,
                    priority=1,
                    percent_complete=100,
                    program=longest(word, 40),
                    manager=longest(word, 200),
                    dependency_broken=True,
                    change_affected=True,
                )
            )
        columns.append(Column(phase=f"phase-{len(columns)}", label=label, cells=cells))
    period = parse_period("2026-W46")
    return OnePage(
        period=period,
        previous=parse_period("2026-W45"),
        cutoff=dt.datetime(2026, 11, 25, tzinfo=dt.UTC),
        provisional=True,
        title=str(text["title"]),
        scope=", ".join(f"{key}={longest(word, 40)}" for key in ("portfolio", "program")),
        columns=columns,
        header=Header(
            total=total,
            rag_counts={"red": total, "amber": 0, "green": 0, "none": 0},
            rag_delta={"red": total, "amber": 0, "green": -total, "none": 0},
            by_phase=[(c.label, len(c.cells)) for c in columns],
            budget=[(cur, 1_234_567_890.0) for cur in ("CNY", "EUR", "GBP", "USD", "HKD", "SGD")],
            phase_changes=total,
            missing=total,
            decisions=total,
            gates_overdue=total,
            gates_passed=total,
        ),
        # build_onepage keeps the first ten; the page shows the first 14 changes
        escalations=[
            Escalation(f"E{i}", longest(word, 200), longest(word, 2000), 3, 1, "decision")
            for i in range(10)
        ],
        changes=[
            Change("new_red", f"C{i}", longest(word, 200), longest(word, 2000)) for i in range(40)
        ],
        layout="normal" if total <= 60 else "compact" if total <= 100 else "dense",
        language=language,
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_sixty_projects_with_the_longest_texts_are_one_pdf_page(language):
    page = worst_case_page(language)

    reader = PdfReader(io.BytesIO(documents.render(page, "pdf")))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)  # A3 landscape
    text = reader.pages[0].extract_text()
    assert all(f"WORST-CASE-PROJECT-{n:04d}" in text for n in range(1, 61))


@pytest.mark.parametrize(("total", "language"), [(100, "en"), (160, "zh-hans")])
def test_compact_and_dense_boards_are_one_pdf_page_too(total, language):
    page = worst_case_page(language, total)

    reader = PdfReader(io.BytesIO(documents.render(page, "pdf")))

    assert len(reader.pages) == 1


def drawn_scales(monkeypatch):
    """The text scales the PDF was laid out with, one per try."""
    scales = []
    real = documents.render_html

    def spy(page, link_prefix="", scale=None):
        scales.append(scale or documents.TextScale())
        return real(page, link_prefix, scale)

    monkeypatch.setattr(documents, "render_html", spy)
    return scales


def test_only_the_side_panel_shrinks_when_only_it_runs_over(monkeypatch):
    """Given ten escalations and 14 changes all at their longest (the side panel runs over),
    the side panel's text shrinks and the board's keeps its size."""
    page = worst_case_page("en")
    scales = drawn_scales(monkeypatch)

    reader = PdfReader(io.BytesIO(documents.render(page, "pdf")))

    assert len(reader.pages) == 1
    assert [s.board for s in scales] == [1.0, 1.0]
    assert documents.MIN_SCALE <= scales[-1].side < 1.0


def test_the_board_shrinks_when_the_header_pushes_it_off_the_page(monkeypatch):
    """Given a header that takes a third of the page (a budget in 300 currencies),
    the board is laid out again smaller, and the PDF is still one page."""
    page = worst_case_page("en")
    page.header.budget = [(f"{i:03d}", 1.0) for i in range(300)]
    scales = drawn_scales(monkeypatch)

    reader = PdfReader(io.BytesIO(documents.render(page, "pdf")))

    assert len(reader.pages) == 1
    assert scales[0] == documents.TextScale()
    assert documents.MIN_SCALE <= scales[-1].board < 1.0
    assert len(scales) <= documents.FIT_TRIES
