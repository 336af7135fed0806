"""The change request page's line on the steering committee's cost threshold: the threshold
in the base currency and the request's cost converted with the rate its stored
``needs_steering`` was compared with, and with today's when that differs, or that its
currency has no rate (ADR 0016).

``needs_steering`` is stored when the request is raised or changed and does not move with a
later rate; the day it was compared is stored beside it (``steering_compared_on``), so the
page converts the cost as it was compared then: at the rate in force on that day, the rate
table read as it is now. Today's rate is added when it differs, saying the request is
compared again only when it is changed; otherwise the page would say "needs the steering
committee" above a conversion under the threshold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core.sentences import join_sentences
from pmo.dependencies.changes.common import SteeringCost, steering_cost
from pmo.dependencies.models import ChangeRequest

__all__ = ["steering_cost_line"]


def _money(amount: Any, currency: str, digits: str = "2g") -> str:
    """An amount and its currency, never split over two lines (a no-break space)."""
    return f"{floatformat(amount, digits)}\u00a0{currency}"


def _rate(sc: SteeringCost) -> str:
    assert sc.rate is not None
    return f"{sc.rate.normalize():f}"


def _today_differs(then: SteeringCost, now: SteeringCost) -> str:
    """The sentence on today's rate, when it is not the one the flag was decided with."""
    if now.rate == then.rate:
        return ""
    if now.rate is None:
        return _(
            "Today there is no exchange rate for %(currency)s; the request is compared again "
            "only when it is changed."
        ) % {"currency": now.currency}
    return _(
        "At today's rate (1 %(currency)s = %(rate)s %(base)s) it is %(amount)s; the request "
        "is compared again only when it is changed."
    ) % {
        "currency": now.currency,
        "rate": _rate(now),
        "base": now.base,
        "amount": _money(now.cost_in_base, now.base),
    }


def steering_cost_line(cr: ChangeRequest, today: dt.date | None = None) -> dict[str, Any]:
    """``threshold`` (the cost threshold with the base currency), ``converted`` (when the
    request is in another currency with a rate on the day its flag was compared: the cost
    converted at that rate, and at today's when it differs) and ``missing`` (the sentences
    saying there was no rate that day), for the change request's page."""
    today = today or timezone.localdate()
    now = steering_cost(cr, today)
    result: dict[str, Any] = {"threshold": _money(now.threshold, now.base, "0g"), "cost": now}
    if now.currency == now.base:
        return result
    day = min(cr.steering_compared_on, today)
    then = steering_cost(cr, day) if day != today else now
    if then.rate is None and day == today:
        result["missing"] = _(
            "There is no exchange rate for %(currency)s: the cost cannot be compared with the "
            "threshold, so any cost takes the request to the steering committee."
        ) % {"currency": now.currency}
    elif then.rate is None:
        result["missing"] = join_sentences(
            [
                _(
                    "Decided on %(day)s without an exchange rate for %(currency)s: the cost "
                    "could not be compared with the threshold, so any cost took the request "
                    "to the steering committee."
                )
                % {"day": day.isoformat(), "currency": now.currency},
                _today_differs(then, now),
            ]
        )
    else:
        result["converted"] = join_sentences(
            [
                _(
                    "Decided on %(day)s at 1 %(currency)s = %(rate)s %(base)s: the cost is "
                    "%(amount)s."
                )
                % {
                    "day": day.isoformat(),
                    "currency": then.currency,
                    "rate": _rate(then),
                    "base": then.base,
                    "amount": _money(then.cost_in_base, then.base),
                },
                _today_differs(then, now),
            ]
        )
    return result
