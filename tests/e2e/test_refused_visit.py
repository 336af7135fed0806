"""Someone who reads capacity but does not manage it (an executive) is offered no edit
page, and one opened by its URL sends them back to what it would change, saying why."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def test_an_executive_opening_a_resource_form_is_sent_back_with_the_reason(
    sign_in: Callable[[str], Any], org: dict[str, Any]
) -> None:
    from pmo.resources.models import Resource

    # given a resource, and an executive who reads capacity but manages none of it
    java = Resource.objects.create(
        code="java", name="Java developers", kind="pool", org_unit=org["sh"], fte=Decimal(2)
    )
    page = sign_in("exec")

    # the resource's page offers them no Edit link, and the heat map no import
    page.goto(f"/resources/{java.pk}/")
    expect(page.locator("h1")).to_contain_text("Java developers")
    expect(page.locator("[data-testid=edit-resource]")).to_have_count(0)
    page.goto("/resources/heatmap/")
    expect(page.locator("a", has_text="Import capacity sheet")).to_have_count(0)

    # when they open the edit form by its URL
    page.goto(f"/resources/{java.pk}/edit/")

    # then they are back on the resource's page with a message, and no form to fill in
    assert urlparse(page.url).path == f"/resources/{java.pk}/"
    expect(page.locator(".flash.error")).to_have_text(
        "Only the PMO and resource managers may change resources, capacity and scenarios."
    )
    expect(page.locator("main form[method=post]")).to_have_count(0)
