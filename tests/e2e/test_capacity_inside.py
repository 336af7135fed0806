"""Leave entered inside a part-time period on the resource's page: refused with the box that
replaces those days, then saved with it, the page saying what it split."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def test_leave_inside_a_part_time_period_splits_it(sign_in: Callable[[str], Any], org: Any) -> None:
    from pmo.resources.models import CapacityChange, Resource

    ana = Resource.objects.create(
        code="ana", name="Ana Li", kind="person", role="Analyst", org_unit=org["sh"], fte=1
    )
    CapacityChange.objects.create(
        resource=ana,
        first=dt.date(2027, 1, 1),
        last=dt.date(2027, 6, 30),
        fte=Decimal("0.5"),
        reason="part time",
    )
    page = sign_in("member")
    page.goto(f"/resources/{ana.pk}/")
    form = page.get_by_test_id("add-capacity-form")
    form.locator("input[name=first]").fill("2027-03-01")
    form.locator("input[name=last]").fill("2027-03-12")
    form.locator("input[name=fte]").fill("0")
    form.locator("input[name=reason]").fill("leave")
    form.get_by_test_id("add-capacity").click()
    expect(page.get_by_test_id("capacity-first-error")).to_contain_text(
        "tick “Replace these days of the overlapping changes”"
    )
    expect(page.get_by_test_id("replace-overlap-names")).to_have_text(
        "Ticking it splits the capacity change 2027-01-01 – 2027-06-30 (0.5 FTE) into "
        "2027-01-01 – 2027-02-28 and 2027-03-13 – 2027-06-30."
    )
    # the checkbox inline before its label, at the form's left edge (not centred above it)
    box = page.get_by_test_id("replace-overlap-box").bounding_box()
    text = page.get_by_test_id("replace-overlap").locator("label span").bounding_box()
    edge = form.bounding_box()
    assert box and text and edge
    assert abs(box["y"] + box["height"] / 2 - (text["y"] + text["height"] / 2)) < 4, (box, text)
    assert box["x"] - edge["x"] < 40, (box, edge)
    page.get_by_role("checkbox", name="Replace these days of the overlapping changes").check()
    page.get_by_test_id("add-capacity").click()
    expect(page.get_by_test_id("messages")).to_contain_text(
        "Split the capacity change 2027-01-01 – 2027-06-30 (0.5 FTE) into "
        "2027-01-01 – 2027-02-28 and 2027-03-13 – 2027-06-30."
    )
    rows = page.get_by_test_id("capacity-changes").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("2027-03-12")
