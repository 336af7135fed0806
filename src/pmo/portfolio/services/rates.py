"""Setting and deleting the PMO's exchange rates (PMO only; every change in the audit
trail)."""

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
from pmo.core.errors import FieldError, NotFoundError, PermissionDeniedError
from pmo.portfolio.currencies import base_currency, check_currency, normalize
from pmo.portfolio.rates import MAX_RATE, ExchangeRate

__all__ = [
    "RATES_SCOPE",
    "delete_exchange_rate",
    "may_keep_rates",
    "require_keeping_rates",
    "set_exchange_rate",
]

RATES_SCOPE = "exchange-rates"
"""The audit scope of every change to an exchange rate."""

_AUDITED = ["currency", "rate", "valid_from"]


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
            changes=diff({}, snapshot(created, _AUDITED)),
        )
        return created, True
    existing.check_version(version)
    before = snapshot(existing, _AUDITED)
    existing.rate = value
    existing.set_by = actor
    if existing.rate != Decimal(before["rate"]):
        existing.version += 1
    existing.save()
    changes = diff(before, snapshot(existing, _AUDITED))
    if changes:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=existing,
            scope=RATES_SCOPE,
            changes=changes,
        )
    return existing, False


@transaction.atomic
def delete_exchange_rate(
    *, actor: User, currency: str, valid_from: dt.date, version: int | None = None
) -> ExchangeRate | None:
    """Delete the rate of ``currency`` that starts on ``valid_from`` (``version``, when given,
    must be the stored one's: 409 otherwise). From that day on the currency's previous rate
    applies again until its next one, or, without an earlier rate, there is none: amounts read
    for those days are converted with that rate or count as having no rate (ADR 0016).
    Returns the rate that applies on ``valid_from`` now, or ``None``. A code that is not ISO
    4217 is a 422 naming ``currency`` (as when setting a rate) unless such a rate is stored
    (one kept from before a check, such as XAU, can still go); no such rate, a 404."""
    require_keeping_rates(actor)
    code = normalize(currency)
    doomed = (
        ExchangeRate.objects.select_for_update()
        .filter(currency=code, valid_from=valid_from)
        .first()
    )
    if doomed is None:
        check_currency(currency)
        raise NotFoundError(
            _("there is no %(code)s rate from %(day)s")
            % {"code": code, "day": valid_from.isoformat()}
        )
    doomed.check_version(version)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=doomed,
        scope=RATES_SCOPE,
        changes=diff(snapshot(doomed, _AUDITED), {}),
    )
    doomed.delete()
    return (
        ExchangeRate.objects.filter(currency=code, valid_from__lte=valid_from)
        .order_by("-valid_from")
        .first()
    )
