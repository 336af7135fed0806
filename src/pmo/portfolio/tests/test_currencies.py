"""Currencies and exchange rates (ADR 0016): ISO 4217 codes checked with babel, names in the
reader's language, rates by date, and the PMO's page and API to keep them."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client, override_settings
from django.utils import translation

from pmo.audit.models import AuditEvent
from pmo.core.errors import FieldError, PermissionDeniedError
from pmo.portfolio.currencies import (
    check_currency,
    convert,
    currency_choices,
    currency_name,
    rates_on,
    total_in_base,
)
from pmo.portfolio.models import ExchangeRate, Project
from pmo.portfolio.services.rates import RATES_SCOPE, set_exchange_rate

JSON = "application/json"
JAN, JUN = dt.date(2026, 1, 1), dt.date(2026, 6, 1)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type=JSON)


# --- codes and names ----------------------------------------------------------------------------


def test_a_code_is_checked_against_iso_4217_and_normalized() -> None:
    assert check_currency(" usd") == "USD"
    assert check_currency("EUR") == "EUR"
    with pytest.raises(FieldError) as refused:
        check_currency("ZZZ", "budget_currency")
    assert refused.value.errors == [
        {
            "field": "budget_currency",
            "message": "“ZZZ” is not an ISO 4217 currency code (such as CNY, USD or EUR)",
        }
    ]


def test_names_are_in_the_reader_s_language_and_unknown_codes_stay_readable() -> None:
    assert currency_name("USD", "en") == "US Dollar"
    assert currency_name("USD", "zh-hans") == "美元"
    assert currency_name("RMB", "zh-hans") == "RMB"


@pytest.mark.django_db
def test_the_select_offers_the_base_then_codes_in_use_then_common_ones_and_keeps_a_stored_one(
    make_project: Any,
) -> None:
    with translation.override("zh-hans"):
        choices = currency_choices(["THB", "RMB"], current="RMB")
    codes = [code for code, _label in choices]
    assert codes[:3] == ["CNY", "THB", "USD"]
    assert codes[-1] == "RMB" and codes.count("CNY") == 1
    assert dict(choices)["USD"] == "USD — 美元"
    assert dict(choices)["RMB"] == "RMB"


# --- projects -----------------------------------------------------------------------------------


def test_the_api_refuses_a_project_currency_that_is_not_iso(
    users: Any, org: Any, portfolio: Any
) -> None:
    client = _client(users["admin"])
    body = {"code": "NEW1", "name": "New", "pmo_type": "rnd", "org_unit": "sh", "currency": "ZZZ"}
    body["portfolio"] = "STRAT"
    response = _post(client, "/api/v1/projects", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["currency"]
    assert not Project.objects.filter(code="NEW1").exists()
    response = _post(client, "/api/v1/projects", {**body, "currency": "usd"})
    assert response.status_code == 201
    assert Project.objects.get(code="NEW1").currency == "USD"


def test_a_stored_code_that_is_not_iso_stays_until_someone_changes_it(
    users: Any, make_project: Any
) -> None:
    project = make_project(currency="RMB")
    client = _client(users["admin"])
    url = f"/api/v1/projects/{project.code}"
    assert client.get(url).json()["currency"] == "RMB"
    response = _post(client, url, {"version": 1, "name": "Renamed", "currency": "RMB"}, "patch")
    assert response.status_code == 200, response.content
    response = _post(client, url, {"version": 2, "currency": "XYZ"}, "patch")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "currency"
    project.refresh_from_db()
    assert (project.name, project.currency) == ("Renamed", "RMB")


def test_the_data_migration_normalizes_codes_and_leaves_unknown_ones(make_project: Any) -> None:
    kept, fixed, odd = (
        make_project(currency="USD"),
        make_project(currency="eur"),
        make_project(currency="rmb"),
    )
    module = importlib.import_module("pmo.portfolio.migrations.0006_normalize_currency_codes")
    module.normalize_codes(apps, None)
    got = dict(Project.objects.values_list("code", "currency"))
    assert (got[kept.code], got[fixed.code], got[odd.code]) == ("USD", "EUR", "rmb")


# --- rates by date ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rate_applies_from_its_day_until_the_next_one() -> None:
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.0"), valid_from=JAN)
    ExchangeRate.objects.create(currency="USD", rate=Decimal("7.2"), valid_from=JUN)
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("7.8"), valid_from=JUN)
    assert rates_on(["USD", "EUR", "CNY"], dt.date(2025, 12, 31)) == {"CNY": 1}
    assert rates_on(["USD", "EUR"], dt.date(2026, 5, 31)) == {"CNY": 1, "USD": Decimal("7.0")}
    assert rates_on(["USD", "EUR"], JUN) == {
        "CNY": 1,
        "USD": Decimal("7.2"),
        "EUR": Decimal("7.8"),
    }
    assert convert(Decimal(100), "USD", dt.date(2026, 3, 1)) == Decimal("700.0")
    assert convert(Decimal(100), "CNY", dt.date(2000, 1, 1)) == Decimal(100)
    assert convert(Decimal(100), "EUR", dt.date(2026, 3, 1)) is None
    both = {"CNY": Decimal(1000), "USD": Decimal(100), "EUR": Decimal(10)}
    assert total_in_base(both, JUN).total == Decimal("1798.0")
    short = total_in_base(both, dt.date(2026, 3, 1))
    assert (short.total, short.missing, short.currency) == (None, ("EUR",), "CNY")


@pytest.mark.django_db
@override_settings(PMO_BASE_CURRENCY="USD")
def test_the_base_currency_is_a_setting() -> None:
    ExchangeRate.objects.create(currency="CNY", rate=Decimal("0.14"), valid_from=JAN)
    assert rates_on(["CNY", "USD"], JUN) == {"USD": 1, "CNY": Decimal("0.14")}


# --- setting rates ------------------------------------------------------------------------------


def test_the_pmo_sets_a_rate_and_the_change_is_audited(users: Any) -> None:
    rate, created = set_exchange_rate(
        actor=users["member"], currency="usd", rate="7.1", valid_from=JAN
    )
    assert (created, rate.currency, rate.rate, rate.version) == (True, "USD", Decimal("7.1"), 1)
    again, created = set_exchange_rate(
        actor=users["admin"], currency="USD", rate="7.15", valid_from=JAN, version=1
    )
    assert (created, again.pk, again.rate, again.version) == (False, rate.pk, Decimal("7.15"), 2)
    events = AuditEvent.objects.filter(scope=RATES_SCOPE).order_by("id")
    assert [(e.action, e.actor_name) for e in events] == [("create", "member"), ("update", "admin")]
    assert events[1].changes == {"rate": ["7.10000000", "7.15000000"]}


@pytest.mark.parametrize(
    ("currency", "rate", "field"),
    [
        ("ZZZ", "7", "currency"),
        ("CNY", "1", "currency"),
        ("USD", "0", "rate"),
        ("USD", "-1", "rate"),
    ],
)
def test_a_bad_rate_is_refused_naming_the_field(
    users: Any, currency: str, rate: str, field: str
) -> None:
    with pytest.raises(FieldError) as refused:
        set_exchange_rate(actor=users["admin"], currency=currency, rate=rate, valid_from=JAN)
    assert refused.value.field == field
    assert not ExchangeRate.objects.exists()


def test_only_the_pmo_sets_rates(users: Any) -> None:
    for name in ("pm", "exec", "viewer"):
        with pytest.raises(PermissionDeniedError):
            set_exchange_rate(actor=users[name], currency="USD", rate="7", valid_from=JAN)
    assert not ExchangeRate.objects.exists()


# --- the API ------------------------------------------------------------------------------------


def test_the_api_lists_and_sets_rates(users: Any) -> None:
    client = _client(users["member"])
    response = _post(
        client,
        "/api/v1/exchange-rates",
        {"currency": "USD", "rate": "7.1", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1
    response = _post(
        client, "/api/v1/exchange-rates/eur", {"rate": 7.8, "valid_from": "2026-06-01"}, "put"
    )
    assert response.status_code == 201, response.content
    response = _post(
        client,
        "/api/v1/exchange-rates/USD",
        {"rate": "7.2", "valid_from": "2026-01-01", "version": 1},
        "put",
    )
    assert response.status_code == 200
    assert (response.json()["rate"], response.json()["version"]) == ("7.20000000", 2)
    with translation.override("zh-hans"):
        listed = client.get("/api/v1/exchange-rates", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [
        (r["currency"], r["rate"], r["valid_from"], r["base_currency"]) for r in listed["items"]
    ] == [
        ("EUR", "7.80000000", "2026-06-01", "CNY"),
        ("USD", "7.20000000", "2026-01-01", "CNY"),
    ]
    only_usd = client.get("/api/v1/exchange-rates?currency=usd").json()["items"]
    assert [(r["currency"], r["currency_name"]) for r in only_usd] == [("USD", "US Dollar")]


def test_a_stale_version_gets_409(users: Any) -> None:
    client = _client(users["admin"])
    body = {"rate": "7.1", "valid_from": "2026-01-01"}
    assert _post(client, "/api/v1/exchange-rates/USD", body, "put").status_code == 201
    assert (
        _post(
            client,
            "/api/v1/exchange-rates/USD",
            {"rate": "7.2", "version": 1, "valid_from": "2026-01-01"},
            "put",
        ).status_code
        == 200
    )
    response = _post(client, "/api/v1/exchange-rates/USD", {**body, "version": 1}, "put")
    assert response.json()["detail"].endswith(
        "(your version 1, current version 2); reload and retry."
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"currency": "ZZZ", "rate": "7"}, "currency"),
        ({"currency": "CNY", "rate": "7"}, "currency"),
        ({"currency": "USD", "rate": "0"}, "rate"),
        ({"currency": "USD", "rate": "Infinity"}, "rate"),
        ({"currency": "USD", "rate": "abc"}, "rate"),
        ({"currency": "USD", "rate": "7", "valid_from": "9999-01-01"}, "valid_from"),
        ({"currency": "USD", "rate": "7", "colour": "red"}, "colour"),
        ({"rate": "7"}, "currency"),
    ],
)
def test_the_api_answers_bad_input_with_a_4xx_naming_the_field(
    users: Any, body: dict[str, Any], field: str
) -> None:
    response = _post(_client(users["admin"]), "/api/v1/exchange-rates", body)
    assert response.status_code == 422, response.content
    assert field in [e["field"].split(".")[-1] for e in response.json()["errors"]]
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("name", ["pm", "exec", "viewer"])
def test_others_than_the_pmo_get_403_from_the_api(users: Any, name: str) -> None:
    client = _client(users[name])
    assert client.get("/api/v1/exchange-rates").status_code == 403
    response = _post(client, "/api/v1/exchange-rates", {"currency": "USD", "rate": "7"})
    assert response.status_code == 403
    assert response.json()["detail"] == "only the PMO reads and sets exchange rates"
    assert _post(client, "/api/v1/exchange-rates/USD", {"rate": "7"}, "put").status_code == 403
    assert not ExchangeRate.objects.exists()


# --- the page -----------------------------------------------------------------------------------


def test_the_pmo_page_sets_a_rate_and_lists_them(users: Any, make_project: Any) -> None:
    make_project(currency="USD")
    make_project(currency="EUR")
    client = _client(users["member"])
    page = client.get("/exchange-rates/").content.decode()
    assert 'data-testid="nav-exchange-rates"' in page
    assert "No rate valid today for: EUR (Euro), USD (US Dollar)" in page
    assert '<option value="USD">USD — US Dollar</option>' in page
    assert '<option value="CNY"' not in page  # the base currency has no rate
    response = client.post(
        "/exchange-rates/", {"currency": "USD", "rate": "7.1", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.get().rate == Decimal("7.1")
    page = client.get("/exchange-rates/").content.decode()
    assert "USD: 7.1 CNY from 2026-01-01 on." in page
    assert "No rate valid today for: EUR (Euro)<" in page
    assert '<tr data-current="1"><td>USD</td><td>US Dollar</td><td class="num">7.1</td>' in page


def test_the_page_shows_a_refusal_at_the_field(users: Any) -> None:
    client = _client(users["admin"])
    response = client.post(
        "/exchange-rates/", {"currency": "USD", "rate": "0", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert list(form.errors) == ["rate"]
    response = client.post(
        "/exchange-rates/", {"currency": "ZZZ", "rate": "7", "valid_from": "2026-01-01"}
    )
    assert list(response.context["form"].errors) == ["currency"]
    assert not ExchangeRate.objects.exists()


def test_the_page_is_in_chinese(users: Any, make_project: Any) -> None:
    make_project(currency="USD")
    client = _client(users["admin"])
    client.post("/i18n/setlang/", {"language": "zh-hans"})
    with translation.override("zh-hans"):
        page = client.get("/exchange-rates/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "USD（美元）" in page
    assert "USD — 美元" in page


@pytest.mark.parametrize("name", ["pm", "exec", "viewer"])
def test_others_than_the_pmo_get_403_from_the_page_and_no_link(users: Any, name: str) -> None:
    client = _client(users[name])
    assert client.get("/exchange-rates/").status_code == 403
    response = client.post(
        "/exchange-rates/", {"currency": "USD", "rate": "7", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 403
    assert not ExchangeRate.objects.exists()
    assert 'data-testid="nav-exchange-rates"' not in client.get("/").content.decode()


def test_the_admin_offers_a_select_of_currencies_and_keeps_a_stored_one(
    users: Any, make_project: Any
) -> None:
    project = make_project(currency="RMB")
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client = _client(users["admin"])
    page = client.get(f"/admin/portfolio/project/{project.pk}/change/").content.decode()
    select = page.split('name="currency"')[1].split("</select>")[0]
    assert '<option value="CNY">CNY — Chinese Yuan</option>' in select
    assert '<option value="RMB" selected>RMB</option>' in select
    assert 'name="name"' in page  # every other field is still there
    # saving another field keeps the stored code; a new one comes from the select
    form = {
        "code": project.code,
        "name": "Renamed",
        "portfolio": project.portfolio_id,
        "program": project.program_id,
        "pmo_type": "rnd",
        "priority": 3,
        "phase": project.phase,
        "org_unit": project.org_unit_id,
        "cadence": "weekly",
        "currency": "RMB",
        "percent_complete": 0,
    }
    url = f"/admin/portfolio/project/{project.pk}/change/"
    assert client.post(url, form).status_code == 302
    project.refresh_from_db()
    assert (project.name, project.currency) == ("Renamed", "RMB")
    assert client.post(url, {**form, "currency": "XYZ"}).status_code == 200  # refused
    assert client.post(url, {**form, "currency": "EUR"}).status_code == 302
    project.refresh_from_db()
    assert project.currency == "EUR"
