"""A refused capacity change of a scenario comes back scrolled to its form, with the Replace
box and the button in sight and clear of the messages' strip (browser audit 3, E)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def _apart(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_a_refused_scenario_capacity_change_lands_on_its_form(
    org: Any, users: Any, sign_in: Callable[[str], Any]
) -> None:
    from pmo.resources import services
    from pmo.resources.models import CapacityChange, Resource

    ana = Resource.objects.create(
        code="ana",
        name="Ana Li",
        kind="person",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal("1"),
        calendar="",
    )
    scenario = services.create_scenario(actor=users["admin"], name="What if")
    CapacityChange.objects.create(
        resource=ana,
        scenario=scenario,
        first=dt.date(2027, 1, 1),
        last=dt.date(2027, 6, 30),
        fte=Decimal("0.5"),
    )
    page = sign_in("admin")
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    form = page.locator("[data-testid=capacity-form]")
    form.locator("input[name=resource_text]").fill("Ana Li")
    form.locator("input[name=first]").fill("2027-06-01")
    form.locator("input[name=last]").fill("2027-07-31")
    form.locator("input[name=fte]").fill("0.25")
    form.locator("[data-testid=change-capacity]").click()
    box = page.locator("[data-testid=replace-overlap-box]")
    expect(box).to_be_visible()
    assert page.url.endswith("#capacity")
    toast = page.locator("[data-testid=messages] .toast").first
    expect(toast).to_be_visible()
    height = page.viewport_size["height"]
    for control in (box, page.locator("[data-testid=change-capacity]")):
        where = control.bounding_box()
        assert where is not None and where["y"] >= 0 and where["y"] + where["height"] <= height
        assert _apart(where, toast.bounding_box()), (where, toast.bounding_box())
