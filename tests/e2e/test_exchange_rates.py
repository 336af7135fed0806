"""The PMO's exchange rates in a browser: reached from the top bar's More menu, a rate set with
the form (the currency chosen by its localized name), a refusal shown at its field, and the
one-page report's budget total once every currency has a rate, and a rate deleted after a
confirmation that names the rate applying instead (ADR 0016)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from pmo.portfolio.models import ExchangeRate
from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def test_the_pmo_sets_a_rate_from_the_more_menu(
    sign_in: Callable[[str], Any], make_project: Callable[..., Any]
) -> None:
    # given strategic projects in CNY and USD, and no rate yet
    make_project(strategic=True, budget=Decimal(300_000_000), currency="CNY")
    make_project(strategic=True, budget=Decimal(10_000_000), currency="USD")
    page = sign_in("member")

    # when the PMO member opens Exchange rates from the More menu
    page.click("[data-testid=nav-more] summary")
    page.click("[data-testid=nav-exchange-rates]")
    expect(page.locator("h1")).to_have_text("Exchange rates")
    expect(page.locator("[data-testid=rates-missing]")).to_contain_text("USD (US Dollar)")

    # and types a rate of 0 first: refused at the field, nothing saved
    page.select_option("select[name=currency]", label="USD — US Dollar")
    page.fill("input[name=rate]", "0")
    page.fill("input[name=valid_from]", "2026-01-01")
    page.click("[data-testid=save]")
    expect(page.locator("#id_rate_error, .errorlist").first).to_be_visible()
    assert not ExchangeRate.objects.exists()

    # then 7 is saved, listed as valid today, and the warning is gone
    page.fill("input[name=rate]", "7")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=rates] tr[data-current='1'] td").nth(0)).to_have_text("USD")
    expect(page.locator("[data-testid=rates-missing]")).to_have_count(0)
    assert ExchangeRate.objects.get().valid_from == dt.date(2026, 1, 1)

    # and the one-page report totals the budgets in CNY
    page.goto("/reports/onepage/?period=2026-W46")
    expect(page.locator("[data-testid=budget-total]")).to_have_text("total 370.0M CNY")


def test_the_pmo_deletes_a_rate_after_confirming(sign_in: Callable[[str], Any]) -> None:
    # given USD rates from January and from March
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.1"), valid_from=dt.date(2026, 1, 1))
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.3"), valid_from=dt.date(2026, 3, 1))
    page = sign_in("member")
    page.goto("/exchange-rates/")
    march = page.locator("[data-testid=rates] tr", has_text="2026-03-01")
    button = march.locator("[data-testid=delete-rate]")

    # when Delete is clicked and the question is dismissed, the rate stays
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    button.click()
    expect(march).to_have_count(1)
    assert asked == [
        "Delete the USD rate from 2026-03-01 (7.3 CNY)? From that day the rate from 2026-01-01 "
        "(7.1 CNY) applies again until the next USD rate. The history keeps the deleted rate."
    ]
    assert ExchangeRate.objects.count() == 2

    # when it is clicked again and accepted, the rate is gone and January's applies
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(march).to_have_count(0)
    expect(page.locator("body")).to_contain_text(
        "USD: the rate from 2026-03-01 is deleted; on that day the rate from 2026-01-01 "
        "applies: 7.1 CNY."
    )
    assert list(ExchangeRate.objects.values_list("valid_from", flat=True)) == [dt.date(2026, 1, 1)]
