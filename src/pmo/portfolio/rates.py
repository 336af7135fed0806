"""Exchange rates kept by the PMO: how many units of the base currency (``PMO_BASE_CURRENCY``)
one unit of another currency is worth, from a day on (ADR 0016)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.core.models import VersionedModel

#: The largest rate accepted (a unit worth a billion units of the base currency is a typo).
MAX_RATE = Decimal("1000000000")


class ExchangeRate(VersionedModel):
    """``rate`` units of the base currency buy one unit of ``currency`` from ``valid_from`` on,
    until the next rate of the same currency starts. One rate a currency and day; the base
    currency itself has none (it is always 1). Changes are recorded in the audit trail under
    the scope ``exchange-rates``."""

    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(
        _("exchange rate"),
        max_digits=20,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )
    valid_from = models.DateField(_("valid from"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_from"], name="exchange_rate_one_per_currency_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.rate} ({self.valid_from.isoformat()})"
