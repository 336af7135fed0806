"""Currency codes: ISO 4217 as the ``babel`` library (Unicode CLDR) knows them, with names in
the reader's language ("US Dollar", "美元"); and converting amounts to the base currency with
the PMO's exchange rates (:class:`~pmo.portfolio.rates.ExchangeRate`).

The rule for dates (ADR 0016): an amount is converted with the rate of its currency valid on
the day it is read for, that is the latest rate whose ``valid_from`` is on or before that day.
The one-page report reads at the end of its week, a change request's threshold at the day its
cost is compared (when it is raised or changed).

Projects and resources store a three-letter code. A new or changed code must be one
:func:`babel.numbers.list_currencies` knows and the money of a country or area, not one of
ISO 4217's codes for metals, bond market units, funds, testing or "no currency"
(:data:`NOT_MONEY`; :func:`check_currency`); a code stored before that check ("RMB", "XXY",
"XAU") stays readable and is kept as long as nobody changes it (ADR 0016).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.core import UnknownLocaleError
from babel.numbers import get_currency_name, list_currencies
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from pmo.core.errors import FieldError
from pmo.core.money import NOT_MONEY
from pmo.core.sentences import quoted
from pmo.portfolio.models import ExchangeRate, Project

__all__ = [
    "COMMON_CURRENCIES",
    "NOT_MONEY",
    "BaseTotal",
    "base_currency",
    "check_currency",
    "convert",
    "currencies_in_use",
    "currency_choices",
    "currency_name",
    "is_currency",
    "normalize",
    "rates_on",
    "total_in_base",
]

#: Offered in every currency select, after the base currency and the codes in use.
COMMON_CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP", "SGD", "KRW", "AUD", "CHF")


def base_currency() -> str:
    """The PMO's currency (``PMO_BASE_CURRENCY``, CNY by default)."""
    return str(getattr(settings, "PMO_BASE_CURRENCY", "CNY"))


@cache
def _iso_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def normalize(code: object) -> str:
    """``code`` as stored: trimmed, upper case (``" usd"`` is ``"USD"``)."""
    return str(code or "").strip().upper()


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 code (current or historical) babel knows that is the
    money of a country or area (not one of :data:`NOT_MONEY`)."""
    return code in _iso_codes() and code not in NOT_MONEY


def check_currency(code: object, field: str = "currency") -> str:
    """``code`` normalized; a :class:`FieldError` naming ``field`` unless it is ISO 4217 and
    money (:func:`is_currency`)."""
    value = normalize(code)
    if value in NOT_MONEY:
        raise FieldError(
            field,
            _(
                "%(code)s (%(name)s) is an ISO 4217 code but not money: give the currency of "
                "a country or area (such as CNY, USD or EUR)"
            )
            % {"code": quoted(value), "name": currency_name(value)},
        )
    if not is_currency(value):
        raise FieldError(
            field,
            _("%(code)s is not an ISO 4217 currency code (such as CNY, USD or EUR)")
            % {"code": quoted(str(code or ""))},
        )
    return value


def _locale(language: str | None) -> str:
    language = (language or translation.get_language() or "en").lower()
    return "zh_Hans_CN" if language.startswith("zh") else "en"


def currency_name(code: str, language: str | None = None) -> str:
    """The currency's name in ``language`` (default: the active one), also for a code of
    :data:`NOT_MONEY` ("Gold"); the code itself when babel does not know it (a code stored
    before codes were checked)."""
    if code not in _iso_codes():
        return code
    try:
        return str(get_currency_name(code, locale=_locale(language)))
    except (UnknownLocaleError, ValueError):  # pragma: no cover - the two locales ship with babel
        return code


def currency_choices(in_use: Iterable[str] = (), current: str = "") -> list[tuple[str, str]]:
    """``(code, "CODE — name")`` for a select: the base currency, the codes in use, the common
    ones, then ``current`` (kept even when it is not ISO, so a form can show what is stored);
    each once, in that order."""
    codes = dict.fromkeys(
        [base_currency(), *sorted(c for c in in_use if is_currency(c)), *COMMON_CURRENCIES]
    )
    if current:
        codes.setdefault(current)
    return [(code, _label(code)) for code in codes]


def _label(code: str) -> str:
    name = currency_name(code)
    return f"{code} — {name}" if name != code else code


def currencies_in_use() -> list[str]:
    """The ISO codes of the projects and of the exchange rates, sorted."""
    codes = set(Project.objects.values_list("currency", flat=True).distinct())
    codes |= set(ExchangeRate.objects.values_list("currency", flat=True).distinct())
    return sorted(c for c in codes if is_currency(c))


def rates_on(currencies: Iterable[str], day: dt.date) -> dict[str, Decimal]:
    """The rate valid on ``day`` of each of ``currencies`` that has one (one query); the base
    currency is always there, at 1."""
    base = base_currency()
    wanted = set(currencies) - {base}
    result = {base: Decimal(1)}
    if wanted:
        rows = (
            ExchangeRate.objects.filter(currency__in=wanted, valid_from__lte=day)
            .order_by("currency", "-valid_from")
            .values_list("currency", "rate")
        )
        for code, rate in rows:
            result.setdefault(code, rate)
    return result


def convert(amount: Decimal, currency: str, day: dt.date) -> Decimal | None:
    """``amount`` of ``currency`` in the base currency at the rate valid on ``day``; ``None``
    when that currency has no rate valid on that day."""
    rate = rates_on([currency], day).get(currency)
    return None if rate is None else amount * rate


@dataclass(frozen=True)
class BaseTotal:
    """Amounts in several currencies added up in the base currency, or which rates are
    missing for that (``total`` is ``None`` then)."""

    currency: str
    total: Decimal | None
    missing: tuple[str, ...]


def total_in_base(amounts: Mapping[str, Decimal], day: dt.date) -> BaseTotal:
    """The sum of ``amounts`` (per currency) in the base currency at the rates valid on
    ``day``; with a currency that has no rate on that day, no total and the missing codes."""
    rates = rates_on(amounts, day)
    missing = tuple(sorted(code for code in amounts if code not in rates))
    total = None if missing else sum((v * rates[c] for c, v in amounts.items()), Decimal(0))
    return BaseTotal(base_currency(), total, missing)
