"""Planned hours and labour cost: each resource's calendar, hours per day and rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pmo.resources.calendars import working
from pmo.resources.costs import CostTotal, row_cost, row_costs, totals
from pmo.resources.models import Allocation, Resource
from pmo.resources.tests.factories import allocate, pool

SEP28, OCT11 = dt.date(2026, 9, 28), dt.date(2026, 10, 11)  # Golden Week in between


def _row(resource: Resource, fte: str, status: str) -> Allocation:
    return Allocation(resource=resource, first=SEP28, last=OCT11, fte=Decimal(fte), status=status)


def test_hours_follow_the_calendar_and_totals_stay_per_currency() -> None:
    shanghai = Resource(calendar="CN", hours_per_day=Decimal("8"), cost_rate=Decimal("100"))
    london = Resource(
        calendar="", hours_per_day=Decimal("7.5"), cost_rate=Decimal("60"), currency="GBP"
    )
    # Shanghai works 28-30 Sep and 8-10 Oct (调休 Saturday): 2 FTE x 8 h x 6 days
    sh = row_cost(_row(shanghai, "2", "committed"))
    assert (sh.hours, sh.cost, sh.currency, sh.committed) == (
        Decimal("96.00"),
        Decimal("9600.00"),
        "CNY",
        True,
    )
    # London works the ten weekdays: 0.5 x 7.5 h x 10 days at 60 GBP
    ldn = row_cost(_row(london, "0.5", "proposed"))
    assert (ldn.hours, ldn.cost, ldn.currency) == (Decimal("37.50"), Decimal("2250.00"), "GBP")
    assert totals([sh, ldn, sh]) == [
        CostTotal("CNY", Decimal("19200.00"), Decimal(0)),
        CostTotal("GBP", Decimal(0), Decimal("2250.00")),
    ]
    assert totals([]) == []


def test_many_rows_at_once_cost_the_same_as_one_by_one() -> None:
    """row_costs shares one mask per calendar over all rows' dates; row_cost masks each."""
    shanghai = Resource(calendar="CN", hours_per_day=Decimal("8"), cost_rate=Decimal("100"))
    london = Resource(
        calendar="", hours_per_day=Decimal("7.5"), cost_rate=Decimal("60"), currency="GBP"
    )
    rows = [
        Allocation(resource=r, first=first, last=last, fte=Decimal(fte), status="proposed")
        for r, first, last, fte in [
            (shanghai, SEP28, OCT11, "2"),  # over Golden Week and a 调休 Saturday
            (london, SEP28, OCT11, "0.5"),
            (shanghai, dt.date(2026, 10, 1), dt.date(2026, 10, 1), "1"),  # a holiday only
            (london, dt.date(2026, 12, 28), dt.date(2027, 1, 8), "1.25"),  # across the year
            (shanghai, dt.date(2026, 2, 16), dt.date(2026, 2, 23), "0.3"),  # Spring Festival
        ]
    ]
    assert row_costs(rows) == [row_cost(a) for a in rows]
    for a, planned in zip(rows, row_costs(rows), strict=True):  # against each row's own mask
        days = int(working(a.resource.calendar, a.first, a.last).sum())
        assert planned.hours == (a.fte * a.resource.hours_per_day * days).quantize(Decimal("0.01"))
    assert row_costs(rows)[2].hours == 0
    assert row_costs([]) == []


def test_staffing_page_and_api_show_the_planned_cost(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    java.cost_rate = Decimal("100")
    java.save()
    project = make_project()
    allocate(java, project, SEP28, OCT11, "2", status="committed")
    allocate(java, project, OCT11 + dt.timedelta(days=1), OCT11 + dt.timedelta(days=5), "1")
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/staffing/").content.decode()
    assert "9,600.00 CNY" in page and "4,000.00 CNY" in page  # grouped thousands
    assert 'data-testid="staffing-cost"' in page
    assert "<strong>13,600.00</strong>" in page
    panel = client.get(f"/projects/{project.code}/").content.decode()
    assert 'data-testid="staffing-cost-panel"' in panel and "13,600.00 CNY" in panel
    users["pm"].language = "zh-hans"  # Chinese amounts are grouped the same way
    users["pm"].save()
    page = client.get(f"/projects/{project.code}/staffing/").content.decode()
    assert "计划人工成本" in page and "<strong>13,600.00</strong>" in page
    client.force_login(users["exec"])
    listed = client.get(f"/api/v1/allocations?project={project.code}").json()["items"]
    assert [(a["hours"], a["cost"], a["currency"]) for a in listed] == [
        (96.0, 9600.0, "CNY"),
        (40.0, 4000.0, "CNY"),
    ]
