"""A resource manager opens the requests to commit from the heat map, declines one with a
reason and commits another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def test_decline_one_request_with_a_reason_then_commit_another(
    org: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any]
) -> None:
    from pmo.audit.models import AuditEvent
    from pmo.resources.models import Allocation, Resource

    java = Resource.objects.create(
        code="java",
        name="Java pool",
        kind="pool",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal("2"),
        calendar="",  # Monday to Friday: no holiday changes the figures
    )
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    friday = monday + dt.timedelta(days=4)
    billing, ledger = make_project(name="Billing"), make_project(name="Ledger")
    Allocation.objects.create(
        resource=java,
        project=billing,
        first=monday,
        last=friday,
        fte=Decimal("1.5"),
        status="committed",
    )
    small = Allocation.objects.create(
        resource=java, project=billing, first=monday, last=friday, fte=Decimal("0.5")
    )
    big = Allocation.objects.create(
        resource=java, project=ledger, first=monday, last=friday, fte=Decimal("1")
    )

    page = sign_in("member")
    page.goto("/resources/heatmap/")
    page.click("[data-testid=heatmap-requests]")
    rows = page.locator("[data-testid=request-row]")
    expect(rows).to_have_count(2)
    expect(page.locator("[data-testid=requests-summary]")).to_contain_text(
        "2 requests wait, 1 of them fits beside the committed work."
    )
    overloading = page.locator(f"[data-testid=request-row][data-id='{big.pk}']")
    expect(overloading.locator("[data-testid=request-overloads]")).to_have_text(
        "overloads on 5 days"
    )

    # "choose all shown" ticks every row and unticks them again (pmo.js, data-check-all)
    choose_all = page.locator("[data-testid=request-choose-all]")
    choose_all.check()
    expect(page.locator("[data-testid=request-choose]:checked")).to_have_count(2)
    choose_all.uncheck()
    expect(page.locator("[data-testid=request-choose]:checked")).to_have_count(0)

    overloading.get_by_label(f"Request of {ledger.code} for Java pool").check()
    page.fill("[data-testid=decline-reason]", "No room in that week")
    page.click("[data-testid=decline-selected]")
    expect(page.locator("[data-testid=messages]")).to_contain_text(
        "1 request declined: its project's manager is told why."
    )
    expect(rows).to_have_count(1)
    assert not Allocation.objects.filter(pk=big.pk).exists()
    event = AuditEvent.objects.get(object_id=str(big.pk), action="delete")
    assert event.changes["declined"] == [None, "No room in that week"]

    rows.first.locator("[data-testid=request-choose]").check()
    page.click("[data-testid=commit-selected]")
    expect(page.locator("[data-testid=messages]")).to_contain_text("1 request committed.")
    expect(page.locator("[data-testid=requests-summary]")).to_have_text(
        "No request waits for a decision."
    )
    small.refresh_from_db()
    assert small.status == "committed"
