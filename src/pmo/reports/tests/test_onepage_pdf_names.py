"""The one-page PDF names each manager whole and keeps a short bracket of a project's name on
one line (the Chinese audit: "詹姆斯…" for 詹姆斯·惠特菲尔德, "线上贷款申请（2" / "期）"), and
stays one A3 page: the demo's 60 projects, rendered by WeasyPrint, read back with pypdf."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from pmo.portfolio.periods import parse_period
from pmo.reports.onepage import render as documents
from pmo.reports.onepage.model import Cell, Column, Header, OnePage

DEMO = {  # names, managers and phases as the demo has them
    "zh-hans": {
        "names": [
            "线上贷款申请",
            "网点布局优化",
            "支付中台整合",
            "共享服务中心建设",
            "手机银行5.0",
        ],
        "second": "{}（2期）",
        "managers": ["詹姆斯·惠特菲尔德", "奥利维亚·贝内特", "阿米莉亚·休斯", "索菲·特纳", "吴霞"],
        "phases": ["构想", "启动", "规划", "执行", "收尾"],
    },
    "en": {
        "names": [
            "Online loan origination",
            "Branch network redesign",
            "Payment hub consolidation",
            "Shared service centre",
            "Mobile banking app 5.0",
        ],
        "second": "{} (phase 2)",
        "managers": [
            "James Whitfield",
            "Olivia Bennett",
            "Amelia Hughes",
            "Sophie Turner",
            "Wu Xia",
        ],
        "phases": ["Idea", "Initiation", "Planning", "Execution", "Closing"],
    },
}
PER_PHASE = [2, 11, 9, 30, 8]  # the demo's 60 strategic projects by phase


def demo_like_page(language: str) -> OnePage:
    text = DEMO[language]
    columns: list[Column] = []
    n = 0
    for label, count in zip(text["phases"], PER_PHASE, strict=True):
        cells = []
        for _ in range(count):
            base = text["names"][n % 5]
            cells.append(
                Cell(
                    code=f"P{n + 1:04d}",
                    name=text["second"].format(base) if n % 2 else base,
                    rag=1 + n % 3,
                    stale=False,
                    trend=0,
                    weeks_in_phase=4,
                    expected_weeks=4,
                    next_gate="G2",
                    next_gate_date=dt.date(2026, 11, 30),
                    decision_needed=n % 7 == 0,
                    missing=n % 11 == 0,
                    gate_overdue=False,
                    priority=1,
                    percent_complete=12,
                    program="DIGI",
                    manager=text["managers"][(n // 5) % 5],
                )
            )
            n += 1
        columns.append(Column(phase=f"phase-{len(columns)}", label=label, cells=cells))
    return OnePage(
        period=parse_period("2026-W48"),
        previous=parse_period("2026-W47"),
        cutoff=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        provisional=False,
        title="Portfolio one-page report",
        scope="strategic",
        columns=columns,
        header=Header(
            total=60,
            rag_counts={"red": 20, "amber": 20, "green": 20, "none": 0},
            rag_delta={"red": 0, "amber": 0, "green": 0, "none": 0},
            by_phase=[(c.label, len(c.cells)) for c in columns],
            budget=[("CNY", 668_000_000.0)],
            phase_changes=0,
            missing=0,
            decisions=0,
            gates_overdue=0,
            gates_passed=0,
        ),
        escalations=[],
        changes=[],
        layout="normal",
        language=language,
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_managers_are_named_whole_and_short_brackets_stay_on_one_line(language: str) -> None:
    page = demo_like_page(language)

    reader = PdfReader(io.BytesIO(documents.render(page, "pdf")))

    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    cells = [c for column in page.columns for c in column.cells]
    for manager in DEMO[language]["managers"]:
        shown = len(re.findall(re.escape(manager) + r"(?!…)", text))
        assert shown == sum(c.manager == manager for c in cells), (manager, text)
    if language == "zh-hans":  # every "（2期）" on one line (English breaks at its space)
        assert text.count("（2期）") == sum(c.name.endswith("（2期）") for c in cells), text


def test_a_name_is_split_around_its_short_full_width_brackets() -> None:
    cell = demo_like_page("zh-hans").columns[1].cells[0]
    cell.name = "核心系统（2期）迁移（含数据迁移与全部历史报表）(phase 2)"
    assert cell.name_parts == [
        ("核心系统", False),
        ("（2期）", True),
        ("迁移（含数据迁移与全部历史报表）(phase 2)", False),  # a long bracket may break
    ]
