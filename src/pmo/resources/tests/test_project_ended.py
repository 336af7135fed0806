"""A closed or cancelled project gives its resources back from the day it ended."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.audit.models import AuditEvent
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import ProjectState
from pmo.resources import services
from pmo.resources.models import Allocation, AllocationSource
from pmo.resources.tests.factories import allocate, pool

ENDED = dt.date(2026, 6, 1)


@pytest.fixture
def ended_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: ENDED)


@pytest.mark.parametrize("state", [ProjectState.CANCELLED, ProjectState.CLOSED])
def test_ending_a_project_cuts_its_allocations_at_the_day(
    org: Any, users: Any, make_project: Any, ended_today: None, state: str
) -> None:
    java = pool(org)
    project, other = make_project(code="END"), make_project(code="RUN")
    spanning = allocate(java, project, dt.date(2026, 3, 2), dt.date(2026, 9, 30), "1")
    later = allocate(java, project, dt.date(2026, 7, 1), dt.date(2026, 8, 31), "1")
    done = allocate(java, project, dt.date(2026, 1, 5), dt.date(2026, 2, 27), "1")
    elsewhere = allocate(java, other, dt.date(2026, 3, 2), dt.date(2026, 9, 30), "1")
    portfolio_services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )
    spanning.refresh_from_db()
    assert (spanning.first, spanning.last) == (dt.date(2026, 3, 2), dt.date(2026, 5, 31))
    assert not Allocation.objects.filter(pk=later.pk).exists()
    done.refresh_from_db()
    elsewhere.refresh_from_db()
    assert done.last == dt.date(2026, 2, 27) and elsewhere.last == dt.date(2026, 9, 30)
    audited = AuditEvent.objects.filter(scope=f"project:{project.pk}", actor=users["admin"])
    assert {e.action for e in audited.filter(object_id=str(later.pk))} == {"delete"}
    assert audited.filter(object_id=str(spanning.pk), action="update").exists()


def test_a_project_put_on_hold_keeps_its_allocations(
    org: Any, users: Any, make_project: Any, ended_today: None
) -> None:
    java = pool(org)
    project = make_project(code="HOLD")
    row = allocate(java, project, dt.date(2026, 3, 2), dt.date(2026, 9, 30), "1")
    portfolio_services.update_project(
        actor=users["admin"],
        project=project,
        data={"state": ProjectState.ON_HOLD},
        version=project.version,
    )
    row.refresh_from_db()
    assert row.last == dt.date(2026, 9, 30)


def test_a_recomputed_plan_of_an_ended_project_books_no_future(
    org: Any, users: Any, make_project: Any, ended_today: None
) -> None:
    pool(org)
    project = make_project(code="GONE", state=ProjectState.CANCELLED)
    rows = [
        services.DemandRow(
            resource="java-sh", first=dt.date(2026, 5, 4), last=dt.date(2026, 6, 30), fte=1
        ),
        services.DemandRow(
            resource="java-sh", first=dt.date(2026, 7, 1), last=dt.date(2026, 7, 31), fte=1
        ),
    ]
    services.record_schedule_demand(project=project, rows=rows)
    booked = Allocation.objects.filter(project=project, source=AllocationSource.SCHEDULE)
    assert [(a.first, a.last) for a in booked] == [(dt.date(2026, 5, 4), dt.date(2026, 5, 31))]
