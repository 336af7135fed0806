"""Findings of the capacity numbers audit (issue #6): a year's holidays count as known only
once the PMO marks them entered; cost charges the days the heat map counts; a plan and hand
rows on the same resource and dates are flagged; figures add up as shown."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pmo.audit.models import AuditEvent
from pmo.core.errors import FieldError, PermissionDeniedError
from pmo.resources import selectors, services
from pmo.resources.costs import row_cost, row_costs
from pmo.resources.heatmap import build_heatmap
from pmo.resources.models import Allocation, CalendarYear, CapacityChange
from pmo.resources.tests.factories import allocate, bearer, pool

FESTIVAL = dt.date(2027, 2, 8)  # the Monday of Spring Festival week 2027


def _heat(client: Client, user: Any) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/capacity/heatmap?start={FESTIVAL}&periods=1&by=resource", headers=bearer(user)
    )
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_a_company_day_off_alone_leaves_the_year_assumed(
    client: Client, org: Any, users: Any, make_project: Any
) -> None:
    member = users["member"]
    java = pool(org)  # China calendar, 2 FTE
    allocate(java, make_project(), FESTIVAL, FESTIVAL + dt.timedelta(days=4), "1")
    assert _heat(client, member)["assumed_years"] == [2027]
    services.add_calendar_days(actor=member, calendar="CN", text="2027-03-15 off Company day")
    heat = _heat(client, member)
    assert heat["assumed_years"] == [2027]  # one company day is not the official schedule
    # the PMO states the official days are entered (through the API): the warning goes
    put = client.put(
        "/api/v1/calendar-years",
        json.dumps({"calendar": "CN", "year": 2027, "entered": True, "note": "国务院通知"}),
        content_type="application/json",
        headers=bearer(member),
    )
    assert put.status_code == 200, put.content
    assert put.json() == {"calendar": "CN", "year": 2027, "entered": True, "note": "国务院通知"}
    assert _heat(client, member)["assumed_years"] == []
    listed = client.get("/api/v1/calendar-years", headers=bearer(member)).json()
    assert listed == [{"calendar": "CN", "year": 2027, "entered": True, "note": "国务院通知"}]
    # withdrawn: assumed again; both statements are in the audit trail
    services.set_calendar_year(actor=member, calendar="CN", year=2027, entered=False)
    assert _heat(client, member)["assumed_years"] == [2027]
    events = AuditEvent.objects.filter(object_type__endswith="calendaryear")
    assert events.count() == 2


def test_marking_a_year_is_checked(org: Any, users: Any) -> None:
    member = users["member"]
    with pytest.raises(PermissionDeniedError):
        services.set_calendar_year(actor=users["pm"], calendar="CN", year=2027, entered=True)
    with pytest.raises(FieldError, match="knows 2026 already"):
        services.set_calendar_year(actor=member, calendar="CN", year=2026, entered=True)
    with pytest.raises(FieldError, match="not a year"):
        services.set_calendar_year(actor=member, calendar="CN", year="20x7", entered=True)
    with pytest.raises(FieldError, match="takes holidays from a library"):
        services.set_calendar_year(actor=member, calendar="", year=2027, entered=True)
    assert not CalendarYear.objects.exists()


def test_api_refuses_a_bad_year_with_a_422(client: Client, users: Any) -> None:
    answer = client.put(
        "/api/v1/calendar-years",
        json.dumps({"calendar": "CN", "year": 2026, "entered": True}),
        content_type="application/json",
        headers=bearer(users["member"]),
    )
    assert answer.status_code == 422
    assert "2026" in answer.content.decode()


def test_calendar_days_page_marks_a_year(
    client: Client, org: Any, users: Any, on_mon: None
) -> None:
    client.force_login(users["member"])
    page = client.get("/resources/calendar-days/").content.decode()
    assert 'data-testid="mark-2027"' in page
    answer = client.post(
        "/resources/calendar-days/", {"calendar": "CN", "year": "2027", "entered": "1"}
    )
    assert answer.status_code == 302
    assert CalendarYear.objects.filter(calendar="CN", year=2027).exists()
    page = client.get("/resources/calendar-days/").content.decode()
    assert 'data-testid="unmark-2027"' in page
    assert 'data-testid="assumed-years"' not in page
    client.force_login(users["pm"])  # no manager: refused, nothing withdrawn
    refused = client.post(
        "/resources/calendar-days/", {"calendar": "CN", "year": "2027", "entered": "0"}
    )
    assert refused.status_code == 403
    assert CalendarYear.objects.exists()


def _harry(org: Any, make_project: Any) -> tuple[Any, Any]:
    """Harry Patel, 0.7 FTE on a project 10-23 December, on leave 14-18 December."""
    harry = pool(
        org,
        code="hpatel",
        name="Harry Patel",
        kind="person",
        fte=Decimal("1"),
        calendar="",
        hours_per_day=Decimal("8"),
        cost_rate=Decimal("110"),
        currency="GBP",
    )
    project = make_project()
    row = allocate(harry, project, dt.date(2026, 12, 10), dt.date(2026, 12, 23), "0.7")
    CapacityChange.objects.create(
        resource=harry, first=dt.date(2026, 12, 14), last=dt.date(2026, 12, 18), fte=Decimal("0")
    )
    return harry, row


def test_leave_days_cost_nothing_as_the_heat_map_counts_them(
    client: Client, org: Any, users: Any, make_project: Any
) -> None:
    _, row = _harry(org, make_project)
    # the heat map: no load in the week of his leave
    week = build_heatmap(by="resource", start=dt.date(2026, 12, 14), count=1)
    assert week.rows[0].cells[0].demand == 0.0
    # 0.7 FTE x 8 h x 5 working days (10, 11, 21-23 December) x 110 GBP
    planned = row_cost(Allocation.objects.select_related("resource").get(pk=row.pk))
    assert (planned.hours, planned.cost) == (Decimal("28.00"), Decimal("3080.00"))
    listed = client.get(
        f"/api/v1/allocations?project={row.project.code}", headers=bearer(users["exec"])
    ).json()["items"]
    assert [(a["hours"], a["cost"], a["currency"]) for a in listed] == [(28.0, 3080.0, "GBP")]
    client.force_login(users["pm"])
    page = client.get(f"/projects/{row.project.code}/staffing/").content.decode()
    assert "3,080.00 GBP" in page and "6,160.00" not in page
    # a leave in a scenario counts in the scenario only
    scenario = services.create_scenario(actor=users["member"], name="Leave moved")
    CapacityChange.objects.filter(scenario=scenario).delete()
    moved = Allocation.objects.select_related("resource").get(scenario=scenario)
    assert row_cost(moved).cost == Decimal("6160.00")
    assert row_costs([row, moved]) == [planned, row_cost(moved)]


def test_scenario_cost_change_counts_leave(org: Any, users: Any, make_project: Any) -> None:
    """A scenario doubling Harry's FTE costs the five days he works, in both layers."""
    _harry(org, make_project)
    scenario = services.create_scenario(actor=users["member"], name="Double")
    copy = Allocation.objects.get(scenario=scenario)
    services.update_allocation(
        actor=users["member"], allocation=copy, data={"fte": Decimal("1.4")}, version=copy.version
    )
    changes = selectors.scenario_changes(scenario.pk)
    # 1.4 x 8 h x 5 days x 110 less 0.7 x 8 h x 5 days x 110
    assert [(c.currency, c.total) for c in changes.cost] == [("GBP", Decimal("3080.00"))]


def test_plan_and_hand_rows_on_the_same_days_are_flagged_not_dropped(
    client: Client, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org, fte=Decimal("49"))
    project = make_project()
    first, last = dt.date(2026, 12, 28), dt.date(2027, 1, 8)
    allocate(java, project, first, last, "1", source="schedule", task_uid=7)
    by_hand = allocate(java, project, first, last, "8")
    later = allocate(java, project, dt.date(2027, 1, 11), dt.date(2027, 1, 15), "2")
    # demand keeps both (nothing is dropped silently)
    week = build_heatmap(by="role", start=first, count=1)
    assert week.rows[0].cells[0].demand == 9.0
    # the hand row is warned about; the one after the plan's dates is not
    warnings = services.allocation_warnings(by_hand)
    assert any(
        w.startswith("Counted twice? The plan of") and "2026-12-28 to 2027-01-08" in w
        for w in warnings
    ), warnings
    assert not any("Counted twice" in w for w in services.allocation_warnings(later))
    # the drill-down (API and page) marks the project
    cell = f"by=role&key=Java+developer&first={first}&last=2027-01-03"
    causes = client.get(f"/api/v1/capacity/causes?{cell}", headers=bearer(users["exec"])).json()
    assert [(c["code"], c["demand"], c["counted_twice"]) for c in causes] == [
        (project.code, 9.0, True)
    ]
    client.force_login(users["pm"])
    page = client.get(f"/resources/heatmap/cell/?{cell}").content.decode()
    assert 'data-testid="cause-counted-twice"' in page
    # the staffing page marks both rows of the same days, not the later one
    page = client.get(f"/projects/{project.code}/staffing/").content.decode()
    assert 'data-testid="counted-twice"' in page
    assert page.count('data-testid="counted-twice-row"') == 2


def test_staffing_hours_show_a_decimal_when_not_whole(
    client: Client, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org, calendar="")
    project = make_project()
    # 0.9 FTE x 8 h x 6 weekdays = 43.2 hours
    allocate(java, project, dt.date(2026, 12, 7), dt.date(2026, 12, 14), "0.9")
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/staffing/").content.decode()
    assert '<td class="num">43.2</td>' in page
    page = client.get(f"/resources/{java.pk}/").content.decode()
    assert '<td class="num">43.2</td>' in page


def test_drill_down_lines_add_up_to_the_cell(
    client: Client, org: Any, users: Any, make_project: Any
) -> None:
    """Three projects of 0.89 FTE on two days of five (0.356 each): rounded alone the lines
    add up to 1.08 against 1.07 in the cell; now they add up to the cell."""
    java = pool(org, fte=Decimal("10"), calendar="")
    monday = dt.date(2026, 12, 7)
    for _i in range(3):
        allocate(java, make_project(), monday, monday + dt.timedelta(days=1), "0.89")
    cell = build_heatmap(by="role", start=monday, count=1).rows[0].cells[0]
    assert cell.demand == 1.07
    causes = selectors.list_cell_causes(
        by="role", key="Java developer", first=monday, last=monday + dt.timedelta(days=6)
    )
    assert sorted(c.demand for c in causes) == [0.35, 0.36, 0.36]
    assert round(sum(c.demand for c in causes), 2) == cell.demand
    assert all(round(c.committed + c.proposed, 2) == c.demand for c in causes)


def test_staffing_page_warns_of_assumed_years_until_marked(
    client: Client, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)  # China calendar
    project = make_project()
    allocate(java, project, FESTIVAL, FESTIVAL + dt.timedelta(days=4), "1")
    services.add_calendar_days(
        actor=users["member"], calendar="CN", text="2027-03-15 off Company day"
    )
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/staffing/").content.decode()
    assert 'data-testid="assumed-years"' in page and "2027" in page
    services.set_calendar_year(actor=users["member"], calendar="CN", year=2027, entered=True)
    page = client.get(f"/projects/{project.code}/staffing/").content.decode()
    assert 'data-testid="assumed-years"' not in page
