"""DELETE /api/v1/exchange-rates/{currency}/{valid_from} takes its version from ``?version=``
only, as every delete of the API does: a body (a stale ``{"version": 9}`` that would otherwise
be ignored) is a 422 naming ``body``, and nothing is deleted."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pmo.audit.models import AuditEvent
from pmo.portfolio.models import ExchangeRate
from pmo.portfolio.services.rates import RATES_SCOPE, set_exchange_rate

URL = "/api/v1/exchange-rates/USD/2026-03-01"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rate(users: Any) -> ExchangeRate:
    rate, _created = set_exchange_rate(
        actor=users["admin"], currency="USD", rate="7.3", valid_from=dt.date(2026, 3, 1)
    )
    return rate


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps({"version": 9}), "application/json"),
        (json.dumps({"version": 1}), "application/json"),  # even the right one: read nowhere
        ("version=9", "application/x-www-form-urlencoded"),
    ],
)
def test_a_delete_with_a_body_is_refused_naming_body(
    users: Any, rate: ExchangeRate, body: str, content_type: str
) -> None:
    # when the PMO deletes the rate with a version in the body instead of ?version=
    response = _client(users["member"]).delete(URL, data=body, content_type=content_type)
    # then it is a 422 naming the body and saying where the version goes; the rate stays
    assert response.status_code == 422, response.content
    assert response.json() == {
        "detail": "body: a delete takes no body; give the version as ?version=",
        "errors": [
            {"field": "body", "message": "a delete takes no body; give the version as ?version="}
        ],
    }
    assert ExchangeRate.objects.filter(pk=rate.pk).exists()
    assert not AuditEvent.objects.filter(scope=RATES_SCOPE, action="delete").exists()


def test_the_version_in_the_query_is_checked_and_a_blank_body_is_none(
    users: Any, rate: ExchangeRate
) -> None:
    client = _client(users["member"])
    stale = client.delete(f"{URL}?version=9", data="  \n", content_type="application/json")
    assert stale.status_code == 409
    assert ExchangeRate.objects.filter(pk=rate.pk).exists()
    gone = client.delete(f"{URL}?version=1")
    assert gone.status_code == 204
    assert not ExchangeRate.objects.exists()


def test_others_than_the_pmo_get_403_before_the_body_is_looked_at(
    users: Any, rate: ExchangeRate
) -> None:
    response = _client(users["pm"]).delete(
        URL, data=json.dumps({"version": 1}), content_type="application/json"
    )
    assert response.status_code == 403
    assert ExchangeRate.objects.filter(pk=rate.pk).exists()


def test_the_refusal_names_body_for_a_chinese_reader_too(users: Any, rate: ExchangeRate) -> None:
    response = _client(users["member"]).delete(
        URL,
        data=json.dumps({"version": 9}),
        content_type="application/json",
        headers={"Accept-Language": "zh-hans"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    assert ExchangeRate.objects.filter(pk=rate.pk).exists()
