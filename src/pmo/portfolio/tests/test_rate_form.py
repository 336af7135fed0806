"""The exchange-rate form on /exchange-rates/ (ADR 0016): one rule for the rate from the
browser to the service (more than 0), and each error shown with its own field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from pmo.portfolio.models import ExchangeRate


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _field(html: str, name: str) -> str:
    """The markup of the form's ``name`` field: its label, input, error and help text."""
    found = re.search(rf'<div class="field" data-field="{name}">(.*?)</div>', html, re.S)
    assert found, f"no field {name} in the page"
    return found.group(1)


def _errors(block: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", block)


@pytest.mark.parametrize("rate", ["-2", "0", "0.00000000", "-0"])
def test_a_rate_of_zero_or_below_is_refused_with_the_services_words(users: Any, rate: str) -> None:
    # given the PMO on the rate page, when it saves a rate of 0 or below
    response = _client(users["member"]).post(
        "/exchange-rates/", {"currency": "USD", "rate": rate, "valid_from": "2026-01-01"}
    )
    # then the rate is refused at its field with "more than 0", whatever the value, as the
    # service says it, and nothing is saved
    assert response.status_code == 422
    assert _errors(_field(response.content.decode(), "rate")) == ["must be more than 0"]
    assert not ExchangeRate.objects.exists()


def test_a_rate_of_zero_is_refused_in_chinese(users: Any) -> None:
    with translation.override("zh-hans"):
        response = _client(users["member"]).post(
            "/exchange-rates/",
            {"currency": "USD", "rate": "0", "valid_from": "2026-01-01"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 422
    assert _errors(_field(response.content.decode(), "rate")) == ["必须大于 0"]


def test_the_smallest_rate_is_saved(users: Any) -> None:
    response = _client(users["member"]).post(
        "/exchange-rates/", {"currency": "USD", "rate": "0.00000001", "valid_from": "2026-01-01"}
    )
    assert response.status_code == 302
    assert str(ExchangeRate.objects.get().rate) == "1E-8"


def test_the_rate_input_refuses_zero_in_the_browser_too(users: Any) -> None:
    # the input's min is the smallest rate its eight decimal places hold, so a browser refuses
    # 0 as the server does (a min of 0 let it through to a server refusal)
    html = _client(users["member"]).get("/exchange-rates/").content.decode()
    field = _field(html, "rate")
    assert 'min="0.00000001"' in field
    assert 'step="1e-8"' in field


def test_each_error_sits_with_its_own_field(users: Any) -> None:
    # given a post with a currency nobody offered and no rate
    response = _client(users["member"]).post(
        "/exchange-rates/", {"currency": "ABC", "rate": "", "valid_from": "2026-01-01"}
    )
    html = response.content.decode()
    # then each error is inside its own field's block, after its input: the currency's
    # under the select, the rate's under the rate input; the date has none
    currency, rate = _field(html, "currency"), _field(html, "rate")
    day = _field(html, "valid_from")
    assert _errors(currency) == ["Select a valid choice. ABC is not one of the available choices."]
    assert _errors(rate) == ["This field is required."]
    assert _errors(day) == []
    assert (
        rate.index('name="rate"')
        < rate.index('id="id_rate_error"')
        < rate.index('class="helptext"')
    )
    assert 'aria-describedby="id_rate_helptext id_rate_error"' in rate
    # and no error list stands between the fields, outside them
    assert html.count('class="errorlist"') == 2


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("100", "100"), ("10", "10"), ("7.2345", "7.2345"), ("0.00000001", "0.00000001")],
)
def test_a_rate_is_listed_as_typed(users: Any, typed: str, shown: str) -> None:
    # Decimal.normalize alone listed a rate of 100 as "1E+2" and 0.00000001 as "1E-8"
    client = _client(users["member"])
    client.post("/exchange-rates/", {"currency": "USD", "rate": typed, "valid_from": "2026-01-01"})
    html = client.get("/exchange-rates/").content.decode()
    assert f'<td class="num">{shown}</td>' in html
    assert "E+" not in html and "E-" not in html
