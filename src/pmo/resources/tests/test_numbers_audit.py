"""Findings of the capacity numbers audit (issue #6): a year's holidays count as known only
once the PMO marks them entered; cost charges the days the heat map counts; a plan and hand
rows on the same resource and dates are flagged; figures add up as shown."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import FieldError, PermissionDeniedError
from pmo.resources import services
from pmo.resources.models import CalendarYear
from pmo.resources.tests.factories import allocate, pool

FESTIVAL = dt.date(2027, 2, 8)  # the Monday of Spring Festival week 2027


def _auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


def _heat(client: Client, user: Any) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/capacity/heatmap?start={FESTIVAL}&periods=1&by=resource", headers=_auth(user)
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
        headers=_auth(member),
    )
    assert put.status_code == 200, put.content
    assert put.json() == {"calendar": "CN", "year": 2027, "entered": True, "note": "国务院通知"}
    assert _heat(client, member)["assumed_years"] == []
    listed = client.get("/api/v1/calendar-years", headers=_auth(member)).json()
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
        headers=_auth(users["member"]),
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
