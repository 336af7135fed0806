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
from tests.e2e.helpers import PHONE, expect

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

    # and types a rate of 0 first: the browser refuses it at the field (the input's min is
    # the smallest rate, as the server's rule is "more than 0"), nothing is sent or saved
    page.select_option("select[name=currency]", label="USD — US Dollar")
    page.fill("input[name=rate]", "0")
    page.fill("input[name=valid_from]", "2026-01-01")
    page.click("[data-testid=save]")
    assert page.eval_on_selector("input[name=rate]", "e => e.validity.rangeUnderflow") is True
    expect(page.locator(".errorlist")).to_have_count(0)
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


def test_a_refused_rate_shows_its_error_under_the_rate_input(sign_in: Callable[[str], Any]) -> None:
    # given the PMO on the rate page, with a browser that lets a rate of -2 through (the min
    # removed: the server's refusal is what is shown)
    page = sign_in("member")
    page.goto("/exchange-rates/")
    page.eval_on_selector("input[name=rate]", "e => e.removeAttribute('min')")
    page.fill("input[name=rate]", "-2")
    page.click("[data-testid=save]")

    # then the error says "more than 0" and sits between the rate input and the next field's
    # label, not above the Rate label under the currency select
    error = page.locator("#id_rate_error")
    expect(error).to_have_text("must be more than 0")
    box = error.bounding_box()
    rate = page.locator("input[name=rate]").bounding_box()
    rate_label = page.locator("label[for=id_rate]").bounding_box()
    next_label = page.locator("label[for=id_valid_from]").bounding_box()
    assert rate_label["y"] < rate["y"] < box["y"] < next_label["y"]
    assert not ExchangeRate.objects.exists()


# Where each row's "valid today" mark and Delete button are, and whether anything scrolls
# sideways.
ROWS = """() => ({
  rows: [...document.querySelectorAll('[data-testid=rates] tbody tr')].map(tr => {
    const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
      return {left: r.left, right: r.right}; };
    return {today: box(tr.querySelector('strong')), delete: box(tr.querySelector('button'))};
  }),
  width: document.documentElement.clientWidth,
  sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth
    || [...document.querySelectorAll('main *')].some(e =>
      e.scrollWidth > e.clientWidth + 1
      && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)),
})"""


def test_the_rates_fit_a_phone(sign_in: Callable[[str], Any]) -> None:
    # given rates of two currencies, one valid today each, and the PMO on a 390 px phone
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.1"), valid_from=dt.date(2026, 1, 1))
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.3"), valid_from=dt.date(2026, 3, 1))
    ExchangeRate.objects.create(
        currency="EUR", rate=Decimal("7.85432109"), valid_from=dt.date(2026, 2, 1)
    )
    page = sign_in("member")
    page.set_viewport_size(PHONE)
    page.goto("/exchange-rates/")

    # then every row's Delete button and the "valid today" marks are on the screen, with
    # nothing to scroll sideways
    seen = page.evaluate(ROWS)
    assert not seen["sideways"]
    assert len(seen["rows"]) == 3
    assert sum(1 for row in seen["rows"] if row["today"]) == 2
    for row in seen["rows"]:
        assert row["delete"]["left"] >= 0
        assert row["delete"]["right"] <= seen["width"]
        if row["today"]:
            assert row["today"]["left"] >= 0
            assert row["today"]["right"] <= seen["width"]
    # and each value still says what it is
    expect(page.locator("[data-testid=rates] tbody tr").first).to_contain_text("EUR")
    label = page.eval_on_selector(
        "[data-testid=rates] td.from", "e => getComputedStyle(e, '::before').content"
    )
    assert label == '"Valid from "'
