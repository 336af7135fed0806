"""A number the API cannot take (too many decimal places or digits, not finite) is a 422
naming the field with the limit, in the request's language, not pydantic's English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from pmo.config.api import _message

# The Chinese proposed for these sentences, used only while the catalogue lacks them (the
# catalogue's own translation wins once it has one).
PROPOSED_CHINESE = {
    "may have at most %(decimal_places)s decimal places": "最多 %(decimal_places)s 位小数",
    "may have at most %(max_digits)s digits": "最多 %(max_digits)s 位数字",
    "may have at most %(whole_digits)s digits before the decimal point": (
        "整数部分最多 %(whole_digits)s 位"
    ),
    "must be a finite number (not NaN or infinity)": "须为有限的数字（不能是 NaN 或无穷大）",
}

CASES = [
    # (the rate as sent in the JSON body, English, Chinese)
    ("1.123456789", "may have at most 8 decimal places", "最多 8 位小数"),
    (
        "99999999999999999",
        "may have at most 10 digits before the decimal point",
        "整数部分最多 10 位",
    ),
    ('"12345678901234567890"', "may have at most 18 digits", "最多 18 位数字"),
    (
        "1e400",
        "must be a finite number (not NaN or infinity)",
        "须为有限的数字（不能是 NaN 或无穷大）",
    ),
    (
        "NaN",
        "must be a finite number (not NaN or infinity)",
        "须为有限的数字（不能是 NaN 或无穷大）",
    ),
    (
        '"-Infinity"',
        "must be a finite number (not NaN or infinity)",
        "须为有限的数字（不能是 NaN 或无穷大）",
    ),
]


@pytest.fixture
def proposed_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    with translation.override("zh-hans"):
        catalog = translation.trans_real.translation("zh-hans")._catalog  # type: ignore[attr-defined]
    for msgid, msgstr in PROPOSED_CHINESE.items():
        if msgid not in catalog:
            monkeypatch.setitem(catalog._catalogs[0], msgid, msgstr)


def _put(users: Any, rate: str, language: str) -> Any:
    client = Client()
    client.force_login(users["member"])
    return client.put(
        "/api/v1/exchange-rates/USD",
        '{"rate": ' + rate + ', "valid_from": "2026-01-01"}',
        content_type="application/json",
        headers={"Accept-Language": language},
    )


@pytest.mark.parametrize(("rate", "english", "chinese"), CASES)
def test_a_number_out_of_bounds_is_named_with_its_limit_in_english(
    users: Any, rate: str, english: str, chinese: str
) -> None:
    response = _put(users, rate, "en")
    assert response.status_code == 422
    assert response.json() == {
        "detail": f"rate: {english}",
        "errors": [{"field": "rate", "message": english}],
    }


@pytest.mark.usefixtures("proposed_chinese")
@pytest.mark.parametrize(("rate", "english", "chinese"), CASES)
def test_a_number_out_of_bounds_is_named_with_its_limit_in_chinese(
    users: Any, rate: str, english: str, chinese: str
) -> None:
    response = _put(users, rate, "zh-hans")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "rate", "message": chinese}]


def test_each_field_gets_its_own_limits() -> None:
    # the same sentences fill in each field's own limits (a change request's cost: 2 places)
    error = {"type": "decimal_max_places", "ctx": {"decimal_places": 2}, "msg": "Decimal..."}
    assert _message(error, "cost_impact") == "may have at most 2 decimal places"
