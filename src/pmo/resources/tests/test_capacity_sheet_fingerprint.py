"""The capacity sheet import's ``expected``: a value that cannot be a fingerprint (cut off,
garbled) is a 422 at ``expected`` saying what one looks like; a well-formed one that is not
the sheet's current fingerprint stays the 409 "changed since it was checked"."""

from __future__ import annotations

from typing import Any

import pytest

from pmo.core.errors import FieldError
from pmo.resources import xlsx
from pmo.resources.models import Resource
from pmo.resources.tests.factories import bearer
from pmo.resources.tests.test_capacity_sheet_report import JAN, JAVA, _book, _week

MALFORMED = "must be the fingerprint the check (dry run) answered: 32 characters, 0-9 and a-f"


def _import(client: Any, user: Any, expected: str, dry_run: bool = False) -> Any:
    sheet = _book([JAVA], [["java", *_week(JAN), 14, "hiring"]])
    query = f"expected={expected}" + ("&dry_run=true" if dry_run else "")
    return client.post(f"/api/v1/capacity/import?{query}", {"file": sheet}, headers=bearer(user))


@pytest.mark.parametrize("expected", ["0000", "x" * 32, "0" * 31, "0" * 33, "%20" + "0" * 32])
def test_a_malformed_fingerprint_is_a_422_at_expected(
    client: Any, users: Any, org: Any, expected: str
) -> None:
    answer = _import(client, users["admin"], expected)
    assert answer.status_code == 422, answer.content
    assert answer.json()["errors"] == [{"field": "expected", "message": MALFORMED}]
    assert not Resource.objects.exists()


def test_a_well_formed_fingerprint_that_is_not_the_sheets_stays_a_409(
    client: Any, users: Any, org: Any
) -> None:
    answer = _import(client, users["admin"], "0" * 32)
    assert answer.status_code == 409, answer.content
    assert "changed since it was checked" in answer.json()["detail"]
    assert len(answer.json()["fingerprint"]) == 32
    assert not Resource.objects.exists()


def test_the_fingerprint_of_the_check_imports_in_either_case(
    client: Any, users: Any, org: Any
) -> None:
    checked = _import(client, users["admin"], "0" * 32, dry_run=True).json()["fingerprint"]
    answer = _import(client, users["admin"], checked.upper())
    assert answer.status_code == 200, answer.content
    assert Resource.objects.filter(code="java").exists()


def test_the_service_refuses_a_malformed_fingerprint_too(users: Any, org: Any) -> None:
    sheet = _book([JAVA], [["java", *_week(JAN), 14, "hiring"]])
    with pytest.raises(FieldError) as refused:
        xlsx.import_capacity(actor=users["admin"], stream=sheet, expected="garbled")
    assert refused.value.errors == [{"field": "expected", "message": MALFORMED}]
    assert not Resource.objects.exists()
