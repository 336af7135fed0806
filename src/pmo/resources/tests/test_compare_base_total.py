"""The scenario comparison adds each scenario's labour cost change up in the base currency
(CNY here) at the exchange rates in force on the comparison's day, or names the currencies
without a rate (ADR 0016)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from pmo.portfolio.models import ExchangeRate
from pmo.resources import services
from pmo.resources.compare import compare_scenarios
from pmo.resources.models import Allocation, Resource
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)
DAY = dt.timedelta(days=1)


@pytest.fixture
def london(org: Any, make_project: Any, users: Any) -> Any:
    """A Shanghai pool at 100 CNY an hour and a London one at 50 GBP; the scenario gives the
    committed week (4,000 CNY) to London (+2,000 GBP) and drops a proposed row (-2,000 CNY)."""
    java = pool(org, cost_rate=Decimal("100"), calendar="")
    uk = pool(
        org,
        code="dev-uk",
        name="Developers, London",
        cost_rate=Decimal("50"),
        currency="GBP",
        calendar="",
    )
    a, b = make_project(), make_project()
    allocate(java, a, MON, FRI, "1", status="committed")
    allocate(java, b, MON, FRI, "0.5")
    scenario = services.create_scenario(actor=users["member"], name="London")
    copy = Allocation.objects.get(scenario=scenario, project=a)
    services.update_allocation(
        actor=users["member"], allocation=copy, data={"resource_id": uk.pk}, version=1
    )
    dropped = Allocation.objects.get(scenario=scenario, project=b)
    services.delete_allocation(actor=users["member"], allocation=dropped, version=1)
    return scenario


def _rate(currency: str, rate: str, valid_from: dt.date) -> None:
    ExchangeRate.objects.create(currency=currency, rate=Decimal(rate), valid_from=valid_from)


def _gbp_rates() -> None:
    """An old rate, the one in force on MON, and one from the next day (not yet in force)."""
    _rate("GBP", "8.5", MON - 60 * DAY)
    _rate("GBP", "9.12345678", MON - 3 * DAY)
    _rate("GBP", "10", MON + DAY)


def test_the_total_is_at_the_rates_of_the_comparison_day(london: Any) -> None:
    _gbp_rates()
    result = compare_scenarios([london.pk], start=MON, count=1, today=MON)
    plan, scenario = result.layers
    assert {c.currency: c.total for c in scenario.cost} == {
        "CNY": Decimal("-6000"),
        "GBP": Decimal("2000"),
    }
    # 2,000 x 9.12345678 = 18,246.91356; minus 6,000 CNY; to the cent
    assert scenario.cost_in_base.currency == "CNY"
    assert scenario.cost_in_base.total == Decimal("12246.91")
    assert scenario.cost_in_base.missing == ()
    assert scenario.cost_note is None
    assert plan.cost_in_base.total == 0 and plan.cost_note is None
    assert result.rates_day == MON and result.converts
    # a day later the next rate is in force: 2,000 x 10 - 6,000
    later = compare_scenarios([london.pk], start=MON, count=1, today=MON + DAY)
    assert later.layers[1].cost_in_base.total == Decimal("14000.00")


def test_a_currency_without_a_rate_gives_no_total_and_is_named(
    london: Any, org: Any, make_project: Any, users: Any
) -> None:
    """GBP has a rate, USD only from tomorrow: no total, and only USD is named."""
    _gbp_rates()
    ny = pool(
        org,
        code="dev-ny",
        name="Developers, New York",
        cost_rate=Decimal("80"),
        currency="USD",
        calendar="",
    )
    c = make_project()
    allocate(ny, c, MON, FRI, "1")  # 3,200 USD in the plan, dropped in the scenario
    scenario = services.create_scenario(actor=users["member"], name="London, no New York")
    # the committed Shanghai week goes to London here too
    moved = Allocation.objects.get(scenario=scenario, status="committed")
    uk = Resource.objects.get(code="dev-uk")
    services.update_allocation(
        actor=users["member"], allocation=moved, data={"resource_id": uk.pk}, version=1
    )
    row = Allocation.objects.get(scenario=scenario, project=c)
    services.delete_allocation(actor=users["member"], allocation=row, version=1)
    _rate("USD", "7.2", MON + DAY)
    result = compare_scenarios([scenario.pk], start=MON, count=1, today=MON)
    without = result.layers[1]
    assert {t.currency: t.total for t in without.cost} == {
        "CNY": Decimal("-4000"),
        "GBP": Decimal("2000"),
        "USD": Decimal("-3200"),
    }
    assert without.cost_in_base.total is None
    assert without.cost_in_base.missing == ("USD",)
    assert without.cost_note == "no total in CNY: no exchange rate for USD"
    with translation.override("zh-hans"):
        assert without.cost_note == "无 CNY 合计：缺少 USD 的汇率"
    # with a rate from today the total is back: -4,000 + 18,246.91356 - 23,040
    _rate("USD", "7.2", MON)
    again = compare_scenarios([scenario.pk], start=MON, count=1, today=MON)
    assert again.layers[1].cost_in_base.total == Decimal("-8793.09")


def test_costs_in_the_base_currency_only_need_no_rate(
    org: Any, make_project: Any, users: Any
) -> None:
    java = pool(org, cost_rate=Decimal("100"), calendar="")
    a = make_project()
    allocate(java, a, MON, FRI, "1")
    scenario = services.create_scenario(actor=users["member"], name="Drop")
    row = Allocation.objects.get(scenario=scenario, project=a)
    services.delete_allocation(actor=users["member"], allocation=row, version=1)
    result = compare_scenarios([scenario.pk], start=MON, count=1, today=MON)
    assert result.layers[1].cost_in_base.total == Decimal("-4000.00")
    assert not result.converts  # the page adds no row: the CNY figure is the total


def _summary(page: str) -> str:
    start = page.index('data-testid="compare-summary"')
    return page[start : page.index("</table>", start)]


@pytest.mark.usefixtures("on_mon")
def test_page_shows_the_total_and_the_missing_rate_in_both_languages(
    client: Any, users: Any, london: Any
) -> None:
    client.force_login(users["exec"])
    url = f"/resources/scenarios/compare/?ids={london.pk}&start={MON}&periods=1"
    missing = _summary(client.get(url).content.decode())
    assert "Labour cost in CNY, at the exchange rates of 2026-03-02" in missing
    note = "no total in CNY: no exchange rate for GBP"
    assert f'<span class="late" data-testid="cost-base-note">{note}</span>' in missing
    assert "+2,000.00 GBP" in missing and "-6,000.00 CNY" in missing  # per currency, as before
    _gbp_rates()
    shown = _summary(client.get(url).content.decode())
    assert "<strong>+12,246.91 CNY</strong>" in shown
    assert "no exchange rate" not in shown
    zh = _summary(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "12,246.91 CNY" in zh and "+2,000.00 GBP" in zh
    ExchangeRate.objects.filter(currency="GBP").delete()
    zh_missing = _summary(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "无 CNY 合计：缺少 GBP 的汇率" in zh_missing


@pytest.mark.usefixtures("on_mon")
def test_api_adds_the_base_total_beside_the_per_currency_changes(
    client: Any, users: Any, london: Any
) -> None:
    client.force_login(users["exec"])
    url = f"/api/v1/scenarios/compare?ids={london.pk}&start={MON}&periods=1"
    body = client.get(url).json()
    plan, scenario = body["layers"]
    assert {c["currency"]: c["total"] for c in scenario["cost_change"]} == {
        "CNY": -6000.0,
        "GBP": 2000.0,
    }
    assert scenario["cost_change_in_base"] == {
        "currency": "CNY",
        "total": None,
        "missing_rates": ["GBP"],
        "rates_on": "2026-03-02",
        "note": "no total in CNY: no exchange rate for GBP",
    }
    assert plan["cost_change_in_base"]["total"] == 0.0
    _gbp_rates()
    answer = client.get(url).json()["layers"][1]["cost_change_in_base"]
    assert answer == {
        "currency": "CNY",
        "total": 12246.91,
        "missing_rates": [],
        "rates_on": "2026-03-02",
        "note": None,
    }
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "cost_change_in_base" in schema["CompareLayerOut"]["properties"]
    assert "cost_change" in schema["CompareLayerOut"]["properties"]
    assert set(schema["CostInBaseOut"]["properties"]) == {
        "currency",
        "total",
        "missing_rates",
        "rates_on",
        "note",
    }
