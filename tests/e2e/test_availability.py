"""A project manager finds who is free for a project's next weeks and allocates them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def test_find_who_is_free_and_allocate_them(
    org: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any]
) -> None:
    from pmo.resources.models import Allocation, Resource

    def person(code: str, name: str, fte: str) -> Any:
        return Resource.objects.create(
            code=code,
            name=name,
            kind="person",
            role="Java developer",
            org_unit=org["sh"],
            fte=Decimal(fte),
            calendar="",  # Monday to Friday: no holiday changes the figures
        )

    busy, free = person("wu", "Wu Busy", "1"), person("ann", "Ann Free", "1")
    other = make_project(name="Other")
    target = make_project(name="Needs Java")
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    friday = monday + dt.timedelta(days=11)
    Allocation.objects.create(
        resource=busy, project=other, first=monday, last=friday, fte=Decimal("0.75")
    )

    page = sign_in("pm")
    page.goto(f"/projects/{target.code}/staffing/")
    page.click("[data-testid=find-free]")
    form = page.locator("[data-testid=availability-form]")
    form.locator("select[name=role]").select_option("Java developer")
    form.locator("input[name=first]").fill(monday.isoformat())
    form.locator("input[name=last]").fill(friday.isoformat())
    form.locator("input[name=fte]").fill("0.5")
    form.locator("button").click()
    rows = page.locator("[data-testid=availability-row]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ann Free")
    expect(rows.first.locator("[data-testid=fits]")).to_have_count(1)
    expect(rows.nth(1)).to_contain_text("Wu Busy")  # 0.25 free: room, but not enough
    expect(rows.nth(1).locator("[data-testid=fits]")).to_have_count(0)
    expect(page.locator("[data-testid=availability-summary]")).to_contain_text(
        "1 resource has at least 0.5 FTE free on every working day"
    )

    rows.first.locator("[data-testid=allocate]").click()
    adding = page.locator("[data-testid=add-allocation]")
    expect(adding.locator("input[name=resource]")).to_have_value(str(free.pk))
    expect(adding.locator("input[name=first]")).to_have_value(monday.isoformat())
    expect(adding.locator("input[name=last]")).to_have_value(friday.isoformat())
    expect(adding.locator("input[name=fte]")).to_have_value("0.5")
    adding.locator("button.primary").click()
    expect(page.locator(".flash").first).to_contain_text("Allocation added.")
    added = Allocation.objects.get(project=target)
    assert (added.resource_id, added.first, added.last, added.fte) == (
        free.pk,
        monday,
        friday,
        Decimal("0.5"),
    )
