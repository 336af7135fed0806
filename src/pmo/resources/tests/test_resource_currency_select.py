"""The resource form offers currencies as a select (ADR 0016), in the reader's language."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import translation

from pmo.resources.forms import ResourceForm
from pmo.resources.models import Resource


def test_the_form_offers_iso_currencies_and_keeps_a_stored_code(db: Any, settings: Any) -> None:
    settings.PMO_BASE_CURRENCY = "EUR"
    form = ResourceForm()
    codes = [code for code, _label in form.fields["currency"].choices]
    assert codes[0] == "EUR" and {"CNY", "USD"} <= set(codes)
    assert form.initial["currency"] == "EUR"
    with translation.override("zh-hans"):
        labels = dict(ResourceForm().fields["currency"].choices)
    assert labels["USD"] == "USD — 美元"
    assert not ResourceForm({"currency": "XYZ"}).is_valid()


def test_the_new_resource_page_shows_the_select(client: Client, users: Any) -> None:
    client.force_login(users["admin"])
    page = client.get("/resources/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<select name="currency"' in html and 'value="GBP"' in html


def test_a_code_stored_before_the_check_is_offered_while_unchanged(db: Any) -> None:
    from pmo.accounts.models import OrgUnit

    unit = OrgUnit.objects.create(code="u1", name="Unit")
    old = Resource.objects.create(code="R1", name="Old", org_unit=unit, currency="RMB")
    codes = [code for code, _label in ResourceForm(instance=old).fields["currency"].choices]
    assert "RMB" in codes and codes[0] == "CNY"
    assert "RMB" not in [code for code, _label in ResourceForm().fields["currency"].choices]
