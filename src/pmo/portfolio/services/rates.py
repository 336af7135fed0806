"""Setting the PMO's exchange rates (PMO only; every change in the audit trail)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import FieldError, PermissionDeniedError
from pmo.portfolio.currencies import base_currency, check_currency
from pmo.portfolio.rates import MAX_RATE, ExchangeRate

__all__ = ["RATES_SCOPE", "may_keep_rates", "require_keeping_rates", "set_exchange_rate"]

RATES_SCOPE = "exchange-rates"
"""The audit scope of every change to an exchange rate."""


def may_keep_rates(user: Any) -> bool:
    """Only the PMO reads and sets exchange rates."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "is_pmo", False)
    )


def require_keeping_rates(user: Any) -> None:
    """A :class:`PermissionDeniedError` (403) unless ``user`` is of the PMO."""
    if not may_keep_rates(user):
        raise PermissionDeniedError(_("only the PMO reads and sets exchange rates"))


def _rate(value: Any) -> Decimal:
    try:
        rate = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise FieldError("rate", _("must be a number")) from None
    if not rate.is_finite() or rate <= 0:
        raise FieldError("rate", _("must be more than 0"))
    if rate > MAX_RATE:
        raise FieldError("rate", _("must be at most %(max)s") % {"max": f"{MAX_RATE:,}"})
    stored = rate.quantize(Decimal("0.00000001"))
    if rate != stored:
        raise FieldError("rate", _("has more than 8 decimal places"))
    return stored


@transaction.atomic
def set_exchange_rate(
    *,
    actor: User,
    currency: str,
    rate: Any,
    valid_from: dt.date | None = None,
    version: int | None = None,
) -> tuple[ExchangeRate, bool]:
    """Set ``rate`` units of the base currency per unit of ``currency`` from ``valid_from``
    (default: today) on. A rate of the same currency and day is replaced (``version``, when
    given, must be the stored one's: a stale writer gets a 409; it is ignored for a new rate).
    Returns the rate and whether it is new."""
    require_keeping_rates(actor)
    code = check_currency(currency)
    if code == base_currency():
        raise FieldError(
            "currency",
            _("%(code)s is the base currency: its rate is always 1") % {"code": code},
        )
    value = _rate(rate)
    day = valid_from or timezone.localdate()
    existing = (
        ExchangeRate.objects.select_for_update().filter(currency=code, valid_from=day).first()
    )
    if existing is None:
        created = ExchangeRate(currency=code, rate=value, valid_from=day, set_by=actor)
        created.save()
        record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=created,
            scope=RATES_SCOPE,
            changes=diff({}, snapshot(created, ["currency", "rate", "valid_from"])),
        )
        return created, True
    existing.check_version(version)
    before = snapshot(existing, ["currency", "rate", "valid_from"])
    existing.rate = value
    existing.set_by = actor
    if existing.rate != Decimal(before["rate"]):
        existing.version += 1
    existing.save()
    changes = diff(before, snapshot(existing, ["currency", "rate", "valid_from"]))
    if changes:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=existing,
            scope=RATES_SCOPE,
            changes=changes,
        )
    return existing, False
