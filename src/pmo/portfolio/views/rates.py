"""The PMO's exchange-rate page: the rates by currency, a form to set one and a button to
delete one (ADR 0016)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, PermissionDeniedError
from pmo.core.forms import add_service_error
from pmo.core.http import posted_version
from pmo.portfolio.currencies import (
    base_currency,
    currencies_in_use,
    currency_choices,
    currency_name,
)
from pmo.portfolio.forms import ExchangeRateForm
from pmo.portfolio.rates import ExchangeRate
from pmo.portfolio.services.rates import delete_exchange_rate, may_keep_rates, set_exchange_rate

__all__ = ["exchangerate_delete", "exchangerate_list"]


def _refuse() -> PermissionDenied:
    return PermissionDenied(_("only the PMO reads and sets exchange rates"))


@login_required
def exchangerate_list(request: HttpRequest) -> HttpResponse:
    """Every rate by currency, the one valid today marked; the PMO sets a rate here."""
    user = user_of(request)
    if not may_keep_rates(user):
        raise _refuse()
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
                    "rate": f"{rate.rate.normalize():f}",
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
    for i, row in enumerate(rows):  # newest first within a currency
        if row.valid_from <= today:
            current.setdefault(row.currency, row.pk)
        row.name = currency_name(row.currency)  # type: ignore[attr-defined]
        row.current = current.get(row.currency) == row.pk  # type: ignore[attr-defined]
        # the rate that applies again from this one's day if it is deleted (the delete's
        # confirmation says which, or that there is none)
        older = rows[i + 1] if i + 1 < len(rows) else None
        row.previous = older if older and older.currency == row.currency else None  # type: ignore[attr-defined]
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


@login_required
@require_POST
def exchangerate_delete(request: HttpRequest, currency: str, day: str) -> HttpResponse:
    """Delete the rate of ``currency`` from ``day`` (PMO; version-checked); the message says
    which rate applies on that day now, or that there is none."""
    user = user_of(request)
    if not may_keep_rates(user):
        raise _refuse()
    try:
        valid_from = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None  # the 404 page says the link may be mistyped
    try:
        now = delete_exchange_rate(
            actor=user, currency=currency, valid_from=valid_from, version=posted_version(request)
        )
    except PermissionDeniedError:
        raise _refuse() from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        values = {"code": currency.upper(), "day": valid_from.isoformat()}
        if now is None:
            message = (
                _(
                    "%(code)s: the rate from %(day)s is deleted; "
                    "%(code)s has no rate on that day now."
                )
                % values
            )
        else:
            message = _(
                "%(code)s: the rate from %(day)s is deleted; on that day the rate from "
                "%(previous)s applies: %(rate)s %(base)s."
            ) % {
                **values,
                "previous": now.valid_from.isoformat(),
                "rate": f"{now.rate.normalize():f}",
                "base": base_currency(),
            }
        messages.success(request, message)
    return redirect("portfolio:exchangerate_list")
