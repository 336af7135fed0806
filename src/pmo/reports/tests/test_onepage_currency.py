"""The one-page report's budget line: per currency as before, plus a total in the base
currency at the rates valid on the period's last day, or which rate is missing (ADR 0016)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import translation
from openpyxl import load_workbook

from pmo.portfolio.models import ExchangeRate
from pmo.reports.onepage.build import build_onepage
from pmo.reports.onepage.render import render

W46_END = dt.date(2026, 11, 15)  # Sunday of 2026-W46


def _projects(make_project: Any) -> None:
    make_project(strategic=True, budget=Decimal(300_000_000), currency="CNY")
    make_project(strategic=True, budget=Decimal(10_000_000), currency="USD")
    make_project(strategic=True, budget=Decimal(5_000_000), currency="EUR")


def _budget_line(html: str) -> str:
    return html.split('data-testid="budget-total">')[1].split("</span>")[0]


def test_the_total_is_in_the_base_currency_at_the_rates_of_the_period_s_end(
    users: Any, make_project: Any
) -> None:
    _projects(make_project)
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7"), valid_from=dt.date(2026, 1, 1))
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("8"), valid_from=W46_END)
    # a rate from after the period is not used for it
    ExchangeRate.objects.create(currency="USD", rate=Decimal("9"), valid_from=dt.date(2026, 11, 16))
    page = build_onepage(users["exec"], {}, period="2026-W46")
    h = page.header
    assert h.budget == [("CNY", 300_000_000.0), ("EUR", 5_000_000.0), ("USD", 10_000_000.0)]
    # 300M + 10M × 7 + 5M × 8
    assert (h.budget_base, h.budget_total, h.budget_missing) == ("CNY", 410_000_000.0, [])
    html = render(page, "html").decode()
    assert _budget_line(html) == "total 410.0M CNY"
    with translation.override("zh-hans"):
        zh = build_onepage(users["exec"], {}, period="2026-W46", language="zh-hans")
        assert "4.10亿 CNY" in _budget_line(render(zh, "html").decode())
    summary = list(load_workbook(io.BytesIO(render(page, "xlsx")))["Summary"].values)
    assert ("Budget total", 410_000_000, "CNY") in summary


def test_a_missing_rate_is_named_instead_of_a_total(users: Any, make_project: Any) -> None:
    _projects(make_project)
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7"), valid_from=dt.date(2026, 1, 1))
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("8"), valid_from=dt.date(2026, 11, 16))
    page = build_onepage(users["exec"], {}, period="2026-W46")
    assert (page.header.budget_total, page.header.budget_missing) == (None, ["EUR"])
    html = render(page, "html").decode()
    assert _budget_line(html) == "no total in CNY: no exchange rate for EUR"
    assert "300.0M CNY" in html and "5.0M EUR" in html  # the per-currency figures stay
    summary = list(load_workbook(io.BytesIO(render(page, "xlsx")))["Summary"].values)
    assert ("Budget total", "no total in CNY: no exchange rate for EUR", "CNY") in summary


def test_budgets_all_in_the_base_currency_need_no_total_line(users: Any, make_project: Any) -> None:
    make_project(strategic=True, budget=Decimal(1_000_000), currency="CNY")
    page = build_onepage(users["exec"], {}, period="2026-W46")
    assert (page.header.budget, page.header.budget_base) == ([("CNY", 1_000_000.0)], "")
    assert 'data-testid="budget-total"' not in render(page, "html").decode()


def test_one_foreign_currency_gets_its_total_in_the_base(users: Any, make_project: Any) -> None:
    make_project(strategic=True, budget=Decimal(1_000_000), currency="USD")
    page = build_onepage(users["exec"], {}, period="2026-W46")
    assert (page.header.budget_base, page.header.budget_missing) == ("CNY", ["USD"])
