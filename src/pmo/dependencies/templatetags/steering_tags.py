"""The change request page's line on the steering committee's cost threshold: the threshold
in the base currency, the request's cost converted with the rate valid today, or that its
currency has no rate (ADR 0016)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from pmo.dependencies.changes.common import steering_cost

register = template.Library()


def _money(amount: Any, currency: str, digits: str = "2g") -> str:
    """An amount and its currency, never split over two lines (a no-break space)."""
    return f"{floatformat(amount, digits)}\u00a0{currency}"


@register.simple_tag
def steering_cost_line(cr: Any) -> dict[str, Any]:
    """``threshold`` (the cost threshold with the base currency), ``converted`` (the cost in
    the base currency and the rate used, when the request is in another currency) and
    ``missing`` (the sentence saying the currency has no rate), for the template."""
    sc = steering_cost(cr)
    result: dict[str, Any] = {"threshold": _money(sc.threshold, sc.base, "0g"), "cost": sc}
    if sc.rate is None:
        result["missing"] = _(
            "There is no exchange rate for %(currency)s: the cost cannot be compared with the "
            "threshold, so any cost takes the request to the steering committee."
        ) % {"currency": sc.currency}
    elif sc.currency != sc.base:
        result["converted"] = _(
            "The cost is %(amount)s at the rate valid on %(day)s (1 %(currency)s = %(rate)s "
            "%(base)s)."
        ) % {
            "amount": _money(sc.cost_in_base, sc.base),
            "day": sc.day.isoformat(),
            "currency": sc.currency,
            "rate": f"{sc.rate.normalize():f}",
            "base": sc.base,
        }
    return result
