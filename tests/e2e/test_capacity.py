"""A director drills into an overloaded week and commits a what-if scenario."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def overload(org: Any, make_project: Callable[..., Any]) -> tuple[Any, Any]:
    """A 2-FTE Java pool; T001 (1.5) and T002 (1) both need it in the same week."""
    from pmo.resources.models import Allocation, Resource

    java = Resource.objects.create(
        code="java-sh",
        name="Java developer, Shanghai",
        kind="pool",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal("2"),
    )
    a, b = make_project(name="Core"), make_project(name="Mobile")
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    for project, fte in ((a, "1.5"), (b, "1")):
        Allocation.objects.create(
            resource=java,
            project=project,
            first=monday,
            last=monday + dt.timedelta(days=4),
            fte=Decimal(fte),
        )
    return a, b


def test_drill_down_and_commit_a_scenario(
    overload: tuple[Any, Any], sign_in: Callable[[str], Any]
) -> None:
    a, b = overload
    page = sign_in("member")
    page.goto("/resources/heatmap/?periods=4")
    hot = page.locator("td.overloaded a")
    expect(hot).to_have_count(1)
    expect(hot).to_have_text("2.5/2.0")
    hot.click()
    expect(page.locator("[data-testid=causes] tbody tr")).to_have_count(2)
    expect(page.locator("[data-testid=causes]")).to_contain_text(a.code)

    page.goto("/resources/scenarios/")
    page.fill("input[name=name]", "Move Mobile")
    page.click("[data-testid=create-scenario]")
    page.select_option("select[name=project]", b.code)
    page.fill("input[name=days]", "7")
    page.click("[data-testid=shift]")
    expect(page.locator("[data-testid=compare]")).to_contain_text(
        "0 overloaded cells, 0.0 FTE above capacity"
    )
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Committed")
    page.goto("/resources/heatmap/?periods=4")
    expect(page.locator("td.overloaded")).to_have_count(0)
