"""The PMO's exchange-rate page: the rates by currency, and a form to set one (ADR 0016)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, PermissionDeniedError
from pmo.core.forms import add_service_error
from pmo.portfolio.currencies import (
    base_currency,
    currencies_in_use,
    currency_choices,
    currency_name,
)
from pmo.portfolio.forms import ExchangeRateForm
from pmo.portfolio.rates import ExchangeRate
from pmo.portfolio.services.rates import may_keep_rates, set_exchange_rate

__all__ = ["exchangerate_list"]


@login_required
def exchangerate_list(request: HttpRequest) -> HttpResponse:
    """Every rate by currency, the one valid today marked; the PMO sets a rate here."""
    user = user_of(request)
    if not may_keep_rates(user):
        raise PermissionDenied(_("only the PMO reads and sets exchange rates"))
    base = base_currency()
    in_use = currencies_in_use()
    choices = [c for c in currency_choices(in_use) if c[0] != base]
    today = timezone.localdate()
    form = ExchangeRateForm(
        request.POST or None, choices=choices, base=base, initial={"valid_from": today}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rate, _created = set_exchange_rate(
                    actor=user,
                    currency=form.cleaned_data["currency"],
                    rate=form.cleaned_data["rate"],
                    valid_from=form.cleaned_data["valid_from"],
                )
            except PermissionDeniedError:
                raise PermissionDenied from None
            except DomainError as exc:
                add_service_error(form, exc)
            else:
                message = _("%(code)s: %(rate)s %(base)s from %(day)s on.") % {
                    "code": rate.currency,
                    "rate": rate.rate.normalize(),
                    "base": base,
                    "day": rate.valid_from.isoformat(),
                }
                messages.success(request, message)
                return redirect("portfolio:exchangerate_list")
        status = 422
    rows = list(
        ExchangeRate.objects.select_related("set_by__person").order_by("currency", "-valid_from")
    )
    current: dict[str, int] = {}  # currency: the id of the rate valid today
    for row in rows:  # newest first within a currency
        if row.valid_from <= today:
            current.setdefault(row.currency, row.pk)
        row.name = currency_name(row.currency)  # type: ignore[attr-defined]
        row.current = current.get(row.currency) == row.pk  # type: ignore[attr-defined]
    missing = sorted(c for c in in_use if c != base and c not in current)
    return render(
        request,
        "portfolio/exchangerate_list.html",
        {
            "form": form,
            "rates": rows,
            "base": base,
            "base_name": currency_name(base),
            "missing": pgettext("list separator", ", ").join(
                _("%(code)s (%(name)s)") % {"code": code, "name": currency_name(code)}
                for code in missing
            ),
        },
        status=status,
    )
