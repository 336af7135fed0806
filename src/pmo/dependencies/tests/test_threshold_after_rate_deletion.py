"""Deleting an exchange rate moves the steering threshold's lookup back to the rate before it,
or to "no rate" (ADR 0016)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from pmo.dependencies.changes.common import needs_steering, steering_cost
from pmo.dependencies.models import ChangeRequest
from pmo.portfolio.services.rates import delete_exchange_rate, set_exchange_rate

JAN = dt.date(2026, 1, 1)


def _request(project: Any, cost: str) -> ChangeRequest:
    return ChangeRequest(
        project=project,
        program=project.program,
        cost_impact=Decimal(cost),
        slip_days=0,
        effort_impact=Decimal(0),
        impact={},
    )


def test_after_deleting_today_s_rate_the_threshold_uses_the_earlier_one(
    users: Any, make_project: Any
) -> None:
    # given USD at 7.1 from January and at 6.5 from today
    usd = make_project(currency="USD")
    today = timezone.localdate()
    set_exchange_rate(actor=users["member"], currency="USD", rate="7.1", valid_from=JAN)
    set_exchange_rate(actor=users["member"], currency="USD", rate="6.5", valid_from=today)
    request = _request(usd, "150000")
    assert steering_cost(request).cost_in_base == Decimal("975000.0")
    assert needs_steering(request) is False  # 975,000 CNY is under 1,000,000
    # when today's rate is deleted
    delete_exchange_rate(actor=users["member"], currency="USD", valid_from=today)
    # then January's rate applies again: 1,065,000 CNY is above the threshold
    cost = steering_cost(request)
    assert (cost.rate, cost.cost_in_base, cost.above) == (
        Decimal("7.1"),
        Decimal("1065000.0"),
        True,
    )
    assert needs_steering(request) is True
    # and without any rate left, any cost needs the steering committee
    delete_exchange_rate(actor=users["member"], currency="USD", valid_from=JAN)
    cost = steering_cost(request)
    assert (cost.rate_missing, cost.cost_in_base) == (True, None)
    assert needs_steering(_request(usd, "10")) is True
    assert needs_steering(_request(usd, "0")) is False
