"""Deleting an exchange rate (ADR 0016): the PMO deletes one rate of a currency and day, by
the service, the API or the page; the deletion is audited and the previous rate applies
again from that day (or none)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from pmo.portfolio.currencies import rates_on
from pmo.portfolio.models import ExchangeRate
from pmo.portfolio.services.rates import RATES_SCOPE, delete_exchange_rate, set_exchange_rate

JAN, MAR, JUN = dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 6, 1)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _rates(users: Any) -> None:
    """USD from January (7.1) and from March (7.3); EUR from June (7.8)."""
    for code, rate, day in [("USD", "7.1", JAN), ("USD", "7.3", MAR), ("EUR", "7.8", JUN)]:
        set_exchange_rate(actor=users["admin"], currency=code, rate=rate, valid_from=day)


def _left() -> list[tuple[str, str]]:
    return [
        (r.currency, r.valid_from.isoformat())
        for r in ExchangeRate.objects.order_by("currency", "valid_from")
    ]


# --- the service --------------------------------------------------------------------------------


def test_deleting_a_rate_lets_the_previous_one_apply_again_and_is_audited(users: Any) -> None:
    _rates(users)
    assert rates_on(["USD"], dt.date(2026, 4, 1))["USD"] == Decimal("7.3")
    now = delete_exchange_rate(actor=users["member"], currency="usd", valid_from=MAR, version=1)
    assert now is not None
    assert (now.valid_from, now.rate) == (JAN, Decimal("7.1"))
    assert _left() == [("EUR", "2026-06-01"), ("USD", "2026-01-01")]
    assert rates_on(["USD"], dt.date(2026, 4, 1))["USD"] == Decimal("7.1")
    event = AuditEvent.objects.filter(scope=RATES_SCOPE, action="delete").get()
    assert (event.actor_name, event.changes) == (
        "member",
        {
            "currency": ["USD", None],
            "rate": ["7.30000000", None],
            "valid_from": ["2026-03-01", None],
        },
    )


def test_deleting_the_only_rate_leaves_no_rate(users: Any) -> None:
    _rates(users)
    assert delete_exchange_rate(actor=users["admin"], currency="EUR", valid_from=JUN) is None
    assert "EUR" not in rates_on(["EUR"], dt.date(2026, 7, 1))


def test_a_stored_rate_of_a_code_that_is_not_money_can_still_be_deleted(users: Any) -> None:
    # given a gold rate kept from before codes that are not money were refused
    ExchangeRate.objects.create(currency="XAU", rate=Decimal("4000"), valid_from=JAN)
    # when the PMO deletes it, it goes (setting one is refused, deleting one is not)
    assert delete_exchange_rate(actor=users["member"], currency="xau", valid_from=JAN) is None
    assert _left() == []
    # and a code that is neither stored nor money is still named as such
    with pytest.raises(FieldError) as refused:
        delete_exchange_rate(actor=users["member"], currency="XAU", valid_from=JAN)
    assert refused.value.field == "currency"


def test_an_unknown_rate_a_stale_version_or_another_role_changes_nothing(users: Any) -> None:
    _rates(users)
    with pytest.raises(NotFoundError) as unknown:
        delete_exchange_rate(actor=users["admin"], currency="USD", valid_from=JUN)
    assert unknown.value.message == "there is no USD rate from 2026-06-01"
    set_exchange_rate(actor=users["admin"], currency="USD", rate="7.2", valid_from=JAN)
    with pytest.raises(ConflictError):
        delete_exchange_rate(actor=users["admin"], currency="USD", valid_from=JAN, version=1)
    for name in ("pm", "exec", "viewer"):
        with pytest.raises(PermissionDeniedError):
            delete_exchange_rate(actor=users[name], currency="USD", valid_from=JAN)
    assert len(_left()) == 3
    assert not AuditEvent.objects.filter(scope=RATES_SCOPE, action="delete").exists()


# --- the API ------------------------------------------------------------------------------------


def test_the_api_deletes_a_rate_with_204_and_audits_it(users: Any) -> None:
    _rates(users)
    client = _client(users["member"])
    response = client.delete("/api/v1/exchange-rates/usd/2026-03-01?version=1")
    assert response.status_code == 204, response.content
    assert response.content == b""
    assert _left() == [("EUR", "2026-06-01"), ("USD", "2026-01-01")]
    event = AuditEvent.objects.get(scope=RATES_SCOPE, action="delete")
    assert (event.actor_name, event.changes["valid_from"]) == ("member", ["2026-03-01", None])
    listed = client.get("/api/v1/exchange-rates?currency=USD").json()["items"]
    assert [(r["valid_from"], r["rate"]) for r in listed] == [("2026-01-01", "7.10000000")]


def test_the_api_answers_404_for_an_unknown_rate_and_4xx_for_bad_input(users: Any) -> None:
    _rates(users)
    client = _client(users["admin"])
    response = client.delete("/api/v1/exchange-rates/USD/2026-03-02")
    assert response.status_code == 404
    assert response.json()["detail"] == "there is no USD rate from 2026-03-02"
    not_iso = client.delete("/api/v1/exchange-rates/ZZZ/2026-03-01")
    assert not_iso.status_code == 422  # as when setting a rate of ZZZ
    assert [e["field"] for e in not_iso.json()["errors"]] == ["currency"]
    bad_day = client.delete("/api/v1/exchange-rates/USD/2026-02-30")
    assert bad_day.status_code == 422
    assert [e["field"].split(".")[-1] for e in bad_day.json()["errors"]] == ["valid_from"]
    assert client.delete("/api/v1/exchange-rates/USD/2026-03-01?version=0").status_code == 422
    stale = client.delete("/api/v1/exchange-rates/USD/2026-03-01?version=2")
    assert stale.status_code == 409
    assert len(_left()) == 3


@pytest.mark.parametrize("name", ["pm", "exec", "viewer"])
def test_others_than_the_pmo_get_403_from_the_api_delete(users: Any, name: str) -> None:
    _rates(users)
    client = _client(users[name])
    for url in ("/api/v1/exchange-rates/USD/2026-03-01", "/api/v1/exchange-rates/USD/2026-03-02"):
        response = client.delete(url)
        assert response.status_code == 403  # before any 404: nothing about rates is told
        assert response.json()["detail"] == "only the PMO reads and sets exchange rates"
    assert len(_left()) == 3


def test_the_openapi_schema_lists_the_delete(users: Any) -> None:
    schema = json.loads(_client(users["admin"]).get("/api/v1/openapi.json").content)
    operation = schema["paths"]["/api/v1/exchange-rates/{currency}/{valid_from}"]["delete"]
    assert operation["responses"]["204"]["description"]
    assert {p["name"] for p in operation["parameters"]} == {"currency", "valid_from", "version"}


# --- the page -----------------------------------------------------------------------------------


def test_the_pmo_deletes_a_rate_on_the_page(users: Any) -> None:
    _rates(users)
    client = _client(users["member"])
    page = client.get("/exchange-rates/").content.decode()
    assert page.count('data-testid="delete-rate"') == 3
    assert (
        'action="/exchange-rates/USD/2026-03-01/delete/" class="inline">'
        '<input type="hidden" name="csrfmiddlewaretoken"'
    ) in page
    assert (
        "Delete the USD rate from 2026-03-01 (7.3 CNY)? From that day the rate from 2026-01-01"
        " (7.1 CNY) applies again until the next USD rate."
    ) in page
    assert "Delete the EUR rate from 2026-06-01 (7.8 CNY)? There is no earlier EUR rate" in page
    # a GET deletes nothing
    assert client.get("/exchange-rates/USD/2026-03-01/delete/").status_code == 405
    response = client.post("/exchange-rates/USD/2026-03-01/delete/", {"version": "1"})
    assert response.status_code == 302
    assert _left() == [("EUR", "2026-06-01"), ("USD", "2026-01-01")]
    page = client.get("/exchange-rates/").content.decode()
    assert (
        "USD: the rate from 2026-03-01 is deleted; on that day the rate from 2026-01-01"
        " applies: 7.1 CNY."
    ) in page
    client.post("/exchange-rates/EUR/2026-06-01/delete/")
    page = client.get("/exchange-rates/").content.decode()
    assert "EUR: the rate from 2026-06-01 is deleted; EUR has no rate on that day now." in page
    assert AuditEvent.objects.filter(scope=RATES_SCOPE, action="delete").count() == 2


def test_the_page_needs_a_csrf_token_to_delete(users: Any) -> None:
    _rates(users)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    assert client.post("/exchange-rates/USD/2026-03-01/delete/").status_code == 403
    assert len(_left()) == 3


def test_the_page_says_why_a_delete_did_nothing(users: Any) -> None:
    _rates(users)
    client = _client(users["admin"])
    client.post("/exchange-rates/USD/2026-03-01/delete/", {"version": "2"})
    page = client.get("/exchange-rates/").content.decode()
    assert "exchange rate was changed by someone else (your version 2, current version 1)" in page
    client.post("/exchange-rates/USD/2026-03-02/delete/")
    assert "there is no USD rate from 2026-03-02" in client.get("/exchange-rates/").content.decode()
    assert client.post("/exchange-rates/USD/2026-13-01/delete/").status_code == 404
    assert len(_left()) == 3


@pytest.mark.parametrize("name", ["pm", "exec", "viewer"])
def test_others_than_the_pmo_get_403_and_no_delete_button(users: Any, name: str) -> None:
    _rates(users)
    client = _client(users[name])
    page = client.get("/exchange-rates/")
    assert page.status_code == 403
    assert 'data-testid="delete-rate"' not in page.content.decode()
    assert client.post("/exchange-rates/USD/2026-03-01/delete/").status_code == 403
    assert client.post("/exchange-rates/USD/2026-03-02/delete/").status_code == 403
    assert len(_left()) == 3


def test_the_delete_button_is_labelled_in_chinese(users: Any) -> None:
    _rates(users)
    client = _client(users["admin"])
    with translation.override("zh-hans"):
        page = client.get("/exchange-rates/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="delete-rate"' in page
    assert ">删除</button>" in page
