"""The steering committee's cost threshold is in the base currency: a request's cost is
converted with the rate valid today before it is compared; a cost in a currency without a rate
takes the request to the steering committee (ADR 0016)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from pmo.dependencies import changes
from pmo.dependencies.changes.common import needs_steering, steering_cost
from pmo.dependencies.models import ChangeRequest
from pmo.portfolio.models import ExchangeRate, Program

JAN = dt.date(2026, 1, 1)


def _request(project: Any = None, cost: str = "0", program: Any = None) -> ChangeRequest:
    return ChangeRequest(
        project=project,
        program=program if program is not None else getattr(project, "program", None),
        cost_impact=Decimal(cost),
        slip_days=0,
        effort_impact=Decimal(0),
        impact={},
    )


def test_a_cost_in_another_currency_is_converted_with_the_rate_of_today(
    make_project: Any,
) -> None:
    usd = make_project(currency="USD")
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.1"), valid_from=JAN)
    # 150,000 USD = 1,065,000 CNY: above the 1,000,000 CNY threshold, though the amount is not
    assert needs_steering(_request(usd, "150000")) is True
    sc = steering_cost(_request(usd, "150000"))
    assert (sc.currency, sc.base, sc.cost_in_base, sc.threshold) == (
        "USD",
        "CNY",
        Decimal("1065000.0"),
        Decimal(1_000_000),
    )
    assert needs_steering(_request(usd, "140000")) is False  # 994,000 CNY
    # a later rate applies from its day on; one from the future does not yet
    ExchangeRate.objects.create(
        currency="USD", rate=Decimal("6.5"), valid_from=timezone.localdate()
    )
    ExchangeRate.objects.create(currency="USD", rate=Decimal("9"), valid_from=dt.date(2100, 1, 1))
    assert needs_steering(_request(usd, "150000")) is False  # 975,000 CNY


def test_the_base_currency_is_compared_as_it_is(make_project: Any) -> None:
    cny = make_project(currency="CNY")
    assert needs_steering(_request(cny, "1000000")) is False
    assert needs_steering(_request(cny, "1000000.01")) is True


def test_without_a_rate_any_cost_needs_the_steering_committee(make_project: Any) -> None:
    eur = make_project(currency="EUR")
    assert steering_cost(_request(eur, "10")).rate_missing is True
    assert needs_steering(_request(eur, "10")) is True
    assert needs_steering(_request(eur, "0")) is False


@override_settings(PMO_BASE_CURRENCY="USD")
def test_the_threshold_is_in_the_configured_base_currency(make_project: Any) -> None:
    cny = make_project(currency="CNY")
    ExchangeRate.objects.create(currency="CNY", rate=Decimal("0.14"), valid_from=JAN)
    assert needs_steering(_request(cny, "7000000")) is False  # 980,000 USD
    assert needs_steering(_request(cny, "7200000")) is True  # 1,008,000 USD


def test_a_program_request_is_in_its_projects_currency_or_else_the_base(
    make_project: Any,
) -> None:
    digi = Program.objects.get(code="DIGI")
    make_project(program=digi, currency="USD")
    assert steering_cost(_request(None, "1", program=digi)).currency == "USD"
    make_project(program=digi, currency="EUR")
    assert steering_cost(_request(None, "1", program=digi)).currency == "CNY"


@pytest.mark.parametrize(("rate", "needed"), [("7.1", True), ("6", False)])
def test_a_raised_request_stores_the_converted_comparison(
    users: Any, make_project: Any, rate: str, needed: bool
) -> None:
    make_project(code="US1", currency="USD")
    ExchangeRate.objects.create(currency="USD", rate=Decimal(rate), valid_from=JAN)
    cr = changes.create_change_request(
        actor=users["pm"],
        data={"project": "US1", "type": "cost", "title": "Licences", "cost_impact": "150000"},
    )
    assert cr.needs_steering is needed
