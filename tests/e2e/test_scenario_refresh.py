"""A director refreshes an out-of-date scenario from the current plan and resets a project."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def stale_scenario(org: Any, make_project: Callable[..., Any], users: Any) -> tuple[Any, Any]:
    """A scenario that moved project B; the current plan changed A's allocation since."""
    from pmo.resources import services
    from pmo.resources.models import Allocation, Resource

    java = Resource.objects.create(
        code="java-sh",
        name="Java developer, Shanghai",
        kind="pool",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal("2"),
        calendar="",
    )
    a, b = make_project(name="Core"), make_project(name="Mobile")
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    rows = [
        Allocation.objects.create(
            resource=java,
            project=p,
            first=monday,
            last=monday + dt.timedelta(days=4),
            fte=Decimal("1"),
        )
        for p in (a, b)
    ]
    scenario = services.create_scenario(actor=users["member"], name="Move Mobile")
    services.shift_project(actor=users["member"], scenario=scenario, project=b, days=7)
    services.update_allocation(
        actor=users["member"], allocation=rows[0], data={"fte": Decimal("1.5")}, version=1
    )
    return scenario, b


def test_refresh_an_out_of_date_scenario_then_reset_a_project(
    stale_scenario: tuple[Any, Any], sign_in: Callable[[str], Any]
) -> None:
    scenario, b = stale_scenario
    page = sign_in("member")
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    expect(page.locator("[data-testid=out-of-date]")).to_be_visible()
    expect(page.locator("[data-testid=commit]")).to_be_disabled()
    # refreshing asks first: dismissed, nothing happens
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("[data-testid=refresh]")
    expect(page.locator("[data-testid=out-of-date]")).to_be_visible()
    assert asked and asked[0].startswith("Refresh this scenario from the current plan?")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=refresh]")
    expect(page.locator("[data-testid=last-refresh]")).to_contain_text("none was dropped")
    expect(page.locator("[data-testid=out-of-date]")).to_have_count(0)
    expect(page.locator("[data-testid=out-of-date-badge]")).to_have_count(0)
    expect(page.locator("[data-testid=commit]")).to_be_enabled()
    row = page.locator(f"[data-testid=project-changes] tr[data-code={b.code}]")
    expect(row).to_contain_text("7")  # the move was kept
    expect(page.locator(".flash.success")).to_contain_text("1 of the scenario")
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("[data-testid=reset-project]").click()
    expect(page.locator(".flash.success")).to_contain_text(
        f"{b.code} is as in the current plan again"
    )
    expect(page.locator("[data-testid=project-changes]")).to_have_count(0)
