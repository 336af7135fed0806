"""REST endpoints of the PMO's exchange rates (PMO only; ADR 0016): list them, set one,
delete one."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Pages, Version, VersionParam, refuse_body
from pmo.portfolio.currencies import base_currency, currency_name, normalize
from pmo.portfolio.rates import MAX_RATE, ExchangeRate
from pmo.portfolio.services.rates import (
    delete_exchange_rate,
    require_keeping_rates,
    set_exchange_rate,
)

router = Router(tags=["exchange rates"])

Rate = Field(
    gt=0,
    le=MAX_RATE,
    max_digits=18,
    decimal_places=8,
    description="units of the base currency (PMO_BASE_CURRENCY) per 1 unit of the currency",
)


class ExchangeRateOut(Schema):
    id: int
    currency: str
    currency_name: str = Field(description="in the reader's language")
    base_currency: str
    rate: Decimal
    valid_from: dt.date = Field(description="the rate applies from this day until the next one")
    version: int

    @staticmethod
    def resolve_currency_name(obj: ExchangeRate) -> str:
        return currency_name(obj.currency)

    @staticmethod
    def resolve_base_currency(obj: ExchangeRate) -> str:
        return base_currency()


class ExchangeRateSet(Body):
    rate: Decimal = Rate
    valid_from: Date | None = Field(None, description="default: today")
    version: Version | None = Field(
        None, description="when replacing the rate of that day: the version you read"
    )


class ExchangeRateIn(ExchangeRateSet):
    currency: str = Field(min_length=1, max_length=10, description="ISO 4217, e.g. USD")


class RateFilters(Schema):
    currency: str = Field("", max_length=10)


def _set(request: HttpRequest, currency: str, payload: ExchangeRateSet) -> Any:
    rate, created = set_exchange_rate(
        actor=user_of(request),
        currency=currency,
        rate=payload.rate,
        valid_from=payload.valid_from,
        version=payload.version,
    )
    rate.refresh_from_db()
    return Status(201 if created else 200, rate)


@router.get(
    "/exchange-rates",
    response=list[ExchangeRateOut],
    summary="Exchange rates, by currency, newest first (PMO)",
)
@paginate(Pages)
def list_rates(request: HttpRequest, filters: Query[RateFilters]):  # type: ignore[no-untyped-def]
    require_keeping_rates(user_of(request))
    qs = ExchangeRate.objects.order_by("currency", "-valid_from")
    if filters.currency:
        qs = qs.filter(currency=normalize(filters.currency))
    return qs


@router.post(
    "/exchange-rates",
    response={200: ExchangeRateOut, 201: ExchangeRateOut},
    summary="Set a rate from a day on (PMO; 201 new, 200 replaced the rate of that day)",
)
def create_rate(request: HttpRequest, payload: ExchangeRateIn) -> Any:
    require_keeping_rates(user_of(request))
    return _set(request, payload.currency, payload)


@router.put(
    "/exchange-rates/{currency}",
    response={200: ExchangeRateOut, 201: ExchangeRateOut},
    summary="Set the rate of a currency from a day on (PMO; 201 new, 200 replaced)",
)
def put_rate(request: HttpRequest, currency: str, payload: ExchangeRateSet) -> Any:
    require_keeping_rates(user_of(request))
    return _set(request, currency, payload)


@router.delete(
    "/exchange-rates/{currency}/{valid_from}",
    response={204: None},
    summary="Delete the rate of a currency from a day (PMO; the previous rate applies again)",
    operation_id="pmo_portfolio_api_delete_exchange_rate",
)
def delete_rate(
    request: HttpRequest, currency: str, valid_from: Date, version: VersionParam | None = None
) -> Any:
    """From ``valid_from`` on the currency's previous rate applies again until its next one,
    or none (amounts in it then have no rate). ``version``, when sent, must be the one you
    read (409 otherwise). 404 when the currency has no rate from that day. A request body is
    a 422 naming ``body``: like every delete of the API this one reads the version from
    ``?version=`` only, and a version sent in a body must not look as if it was checked."""
    require_keeping_rates(user_of(request))
    refuse_body(request)
    delete_exchange_rate(
        actor=user_of(request), currency=currency, valid_from=valid_from, version=version
    )
    return Status(204, None)
