"""ISO 4217 codes that are not money (metals, bond market units, funds and units of account,
testing, "no currency") are refused wherever a currency is checked, naming the field; the X
codes of real money stay (ADR 0016)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from pmo.core.errors import FieldError
from pmo.portfolio.currencies import (
    NOT_MONEY,
    check_currency,
    currencies_in_use,
    currency_choices,
    currency_name,
)
from pmo.portfolio.models import ExchangeRate, Project

JSON = "application/json"
REFUSED = ["XAU", "XAG", "XPT", "XPD", "XBA", "XBB", "XBC", "XBD", "XTS", "XXX", "XSU", "XUA"]
REAL_X = ["XAF", "XOF", "XCD", "XPF", "XCG"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("code", [*REFUSED, "XDR", "xau", " xts "])
def test_a_code_that_is_not_money_is_refused_naming_the_field(code: str) -> None:
    with pytest.raises(FieldError) as refused:
        check_currency(code, "budget_currency")
    [error] = refused.value.errors
    assert error["field"] == "budget_currency"
    assert error["message"].startswith(f"“{code.strip().upper()}” (")
    assert error["message"].endswith(
        ") is an ISO 4217 code but not money: give the currency of a country or area "
        "(such as CNY, USD or EUR)"
    )


def test_the_refusal_names_what_the_code_is() -> None:
    with pytest.raises(FieldError) as refused:
        check_currency("XAU")
    assert refused.value.message == (
        "“XAU” (Gold) is an ISO 4217 code but not money: give the currency of a country or "
        "area (such as CNY, USD or EUR)"
    )


@pytest.mark.parametrize("code", [*REAL_X, "CNY", "usd"])
def test_real_money_with_an_x_code_is_kept(code: str) -> None:
    assert check_currency(code) == code.upper()


def test_every_refused_code_is_one_babel_knows_and_none_is_money() -> None:
    from babel.numbers import list_currencies

    assert set(REFUSED) | {"XDR"} <= NOT_MONEY <= set(list_currencies())
    assert not NOT_MONEY & set(REAL_X)


@pytest.mark.django_db
def test_a_stored_code_that_is_not_money_stays_readable_but_is_not_offered(
    make_project: Any,
) -> None:
    make_project(currency="XAU")
    assert currency_name("XAU", "en") == "Gold"
    with translation.override("zh-hans"):
        assert currency_name("XAU") == "黄金"
    assert "XAU" not in currencies_in_use()
    assert "XAU" not in dict(currency_choices(["XAU"]))
    assert "XAU" in dict(currency_choices(["XAU"], current="XAU"))


@pytest.mark.parametrize("code", ["XXX", "XAU", "XTS", "XDR"])
def test_the_api_refuses_a_rate_for_a_code_that_is_not_money(users: Any, code: str) -> None:
    client = _client(users["member"])
    put = client.put(f"/api/v1/exchange-rates/{code}", json.dumps({"rate": 7}), content_type=JSON)
    assert put.status_code == 422, put.content
    assert [e["field"] for e in put.json()["errors"]] == ["currency"]
    post = client.post(
        "/api/v1/exchange-rates", json.dumps({"currency": code, "rate": 7}), content_type=JSON
    )
    assert post.status_code == 422
    assert [e["field"] for e in post.json()["errors"]] == ["currency"]
    assert not ExchangeRate.objects.exists()


def test_the_api_sets_a_rate_for_real_money_with_an_x_code(users: Any) -> None:
    client = _client(users["member"])
    put = client.put("/api/v1/exchange-rates/XAF", json.dumps({"rate": 0.012}), content_type=JSON)
    assert put.status_code == 201, put.content


def test_the_api_refuses_a_project_currency_that_is_not_money(
    users: Any, org: Any, portfolio: Any
) -> None:
    client = _client(users["admin"])
    body = {"code": "NEW1", "name": "New", "pmo_type": "rnd", "org_unit": "sh"}
    body |= {"portfolio": "STRAT", "currency": "XAU"}
    response = client.post("/api/v1/projects", json.dumps(body), content_type=JSON)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "currency"
    assert "not money" in response.json()["errors"][0]["message"]
    assert not Project.objects.filter(code="NEW1").exists()
    body["currency"] = "XOF"
    assert client.post("/api/v1/projects", json.dumps(body), content_type=JSON).status_code == 201


def test_a_project_keeps_a_stored_code_that_is_not_money_while_unchanged(
    users: Any, make_project: Any
) -> None:
    project = make_project(currency="XTS")
    client = _client(users["admin"])
    url = f"/api/v1/projects/{project.code}"
    version = client.get(url).json()["version"]
    kept = client.patch(url, json.dumps({"version": version, "name": "Renamed"}), content_type=JSON)
    assert kept.status_code == 200, kept.content
    project.refresh_from_db()
    assert (project.name, project.currency) == ("Renamed", "XTS")


# --- ISO 4217's fund codes (pmo.core.money.FUNDS) -----------------------------------------------

FUND_CODES = ["BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "USS", "ECV"]
#: the money of the same countries, which stays
FUND_COUNTRIES_MONEY = ["BOB", "CHF", "CLP", "COP", "MXN", "USD", "UYU"]


@pytest.mark.parametrize("code", [*FUND_CODES, "clf", " usn "])
def test_a_fund_code_is_refused_like_the_other_codes_that_are_not_money(code: str) -> None:
    with pytest.raises(FieldError) as refused:
        check_currency(code, "currency")
    [error] = refused.value.errors
    assert error["field"] == "currency"
    assert error["message"].startswith(f"“{code.strip().upper()}” (")
    assert error["message"].endswith(
        ") is an ISO 4217 code but not money: give the currency of a country or area "
        "(such as CNY, USD or EUR)"
    )


def test_the_refusal_of_a_fund_names_it() -> None:
    with pytest.raises(FieldError) as refused:
        check_currency("CLF")
    assert refused.value.message == (
        "“CLF” (Chilean Unit of Account (UF)) is an ISO 4217 code but not money: give the "
        "currency of a country or area (such as CNY, USD or EUR)"
    )


@pytest.mark.parametrize("code", FUND_COUNTRIES_MONEY)
def test_the_money_of_a_country_with_a_fund_code_is_kept(code: str) -> None:
    assert check_currency(code.lower()) == code


def test_every_fund_code_is_one_babel_knows_and_refused() -> None:
    from babel.numbers import list_currencies

    from pmo.core.money import FUNDS

    assert set(FUND_CODES) == FUNDS
    assert FUNDS.issubset(NOT_MONEY)
    assert FUNDS.issubset(list_currencies())
    assert not FUNDS & set(FUND_COUNTRIES_MONEY)


@pytest.mark.parametrize("code", ["CLF", "UYI", "USN"])
def test_the_api_refuses_a_rate_and_a_project_in_a_fund_code(
    users: Any, org: Any, portfolio: Any, code: str
) -> None:
    member = _client(users["member"])
    put = member.put(f"/api/v1/exchange-rates/{code}", json.dumps({"rate": 7}), content_type=JSON)
    assert put.status_code == 422, put.content
    assert [e["field"] for e in put.json()["errors"]] == ["currency"]
    assert not ExchangeRate.objects.exists()
    admin = _client(users["admin"])
    body = {"code": "NEW1", "name": "New", "pmo_type": "rnd", "org_unit": "sh"}
    body |= {"portfolio": "STRAT", "currency": code}
    response = admin.post("/api/v1/projects", json.dumps(body), content_type=JSON)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["currency"]
    assert not Project.objects.filter(code="NEW1").exists()


def test_stored_rows_in_a_fund_code_stay_as_they_are(users: Any, make_project: Any) -> None:
    """The refusal is at input only: a project and a rate stored in CLF before it stay
    readable, the project keeps CLF while nobody changes it, the rate still converts, is not
    asked for again, and can be deleted."""
    import datetime as dt
    from decimal import Decimal

    from pmo.portfolio.currencies import convert

    project = make_project(currency="CLF")
    day = dt.date(2026, 1, 5)
    ExchangeRate.objects.create(currency="CLF", rate=Decimal("290"), valid_from=day)
    assert convert(Decimal(2), "CLF", day) == Decimal(580)
    assert "CLF" not in currencies_in_use()
    admin = _client(users["admin"])
    url = f"/api/v1/projects/{project.code}"
    version = admin.get(url).json()["version"]
    kept = admin.patch(url, json.dumps({"version": version, "name": "Renamed"}), content_type=JSON)
    assert kept.status_code == 200, kept.content
    project.refresh_from_db()
    assert (project.name, project.currency) == ("Renamed", "CLF")
    version = kept.json()["version"]
    to_fund = json.dumps({"version": version, "currency": "UYI"})
    changed = admin.patch(url, to_fund, content_type=JSON)
    assert changed.status_code == 422
    project.refresh_from_db()
    assert project.currency == "CLF"
    gone = _client(users["member"]).delete(f"/api/v1/exchange-rates/CLF/{day.isoformat()}")
    assert gone.status_code == 204, gone.content
    assert not ExchangeRate.objects.exists()


def test_a_fund_code_is_refused_as_the_base_currency() -> None:
    from pmo.core.tests.test_cli_bad_input import problem_line, run_pmo

    code, stderr = run_pmo("check", env={"PMO_BASE_CURRENCY": "clf"})
    assert code == 1
    assert problem_line(stderr) == (
        "pmo: error: PMO_BASE_CURRENCY must be the ISO 4217 code of a country's or area's "
        "money like CNY or USD, got 'CLF'"
    )
