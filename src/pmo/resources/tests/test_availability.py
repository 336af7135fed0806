"""Who is free, by hand: free FTE per working day, the tightest day, absences and holidays
left out, the filters, scenarios and committed-only, the order, and the promise that an
allocation of the FTE needed overloads nobody the search says fits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap import build_heatmap, find_available
from pmo.resources.models import CapacityChange, Scenario
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)
WEEK2_MON = MON + dt.timedelta(days=7)
WEEK3_FRI = MON + dt.timedelta(days=18)


def _person(org: dict[str, Any], code: str, **fields: Any) -> Any:
    values = {
        "code": code,
        "name": code.title(),
        "kind": "person",
        "role": "Java developer",
        "fte": Decimal("1"),
    }
    return pool(org, **{**values, **fields})


def _codes(found: Any) -> list[str]:
    return [f.resource.code for f in found.rows]


def test_free_is_capacity_less_demand_on_the_tightest_working_day(
    org: Any, make_project: Any
) -> None:
    java = pool(org)  # 2 FTE
    # 1.5 FTE on Tuesday of week 2 only: the rest of the three weeks 2 FTE free
    allocate(
        java, make_project(), WEEK2_MON + dt.timedelta(days=1), WEEK2_MON + dt.timedelta(1), "1.5"
    )
    found = find_available(first=MON, last=WEEK3_FRI, need=0.5)
    (free,) = found.rows
    assert (free.least, free.fits) == (0.5, True)
    assert free.mean == pytest.approx((14 * 2 + 0.5) / 15, abs=0.01)
    # weeks: the mean of each week's working days (Saturday and Sunday do not count)
    assert free.weeks == (2.0, 1.7, 2.0)
    assert [p.label for p in found.periods] == ["2026-W10", "2026-W11", "2026-W12"]
    # 0.6 FTE would overload that Tuesday: listed, since it has room, but it does not fit
    tighter = find_available(first=MON, last=WEEK3_FRI, need=0.6)
    assert (tighter.found, tighter.fitting, tighter.rows[0].fits) == (1, 0, False)


def test_an_allocation_of_what_fits_overloads_no_day_of_the_heat_map(
    org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, FRI, "1.25")
    allocate(java, project, WEEK2_MON, WEEK3_FRI, "0.5", status="committed")
    need = find_available(first=MON, last=WEEK3_FRI).rows[0].least
    assert need == 0.75
    allocate(java, make_project(), MON, WEEK3_FRI, str(need))
    by_day = build_heatmap(by="resource", scale="week", start=MON, count=3)
    assert by_day.overloaded_cells == 0
    assert [c.demand for c in by_day.rows[0].cells] == [2.0, 1.25, 1.25]
    # and nothing is free any more on the tightest days
    assert find_available(first=MON, last=FRI).rows == []


def test_holidays_weekends_and_absences_are_not_days_without_room(org: Any) -> None:
    # Golden Week 2026 (1-7 October) on the CN calendar: 1 FTE free on every day worked,
    # where the heat map's week averages over Monday to Friday show less
    first, last = dt.date(2026, 9, 28), dt.date(2026, 10, 11)
    _person(org, "li", calendar="CN")
    (free,) = find_available(first=first, last=last, need=1).rows
    assert (free.least, free.mean, free.fits) == (1.0, 1.0, True)
    heat = build_heatmap(by="resource", start=first, count=2)
    assert heat.rows[0].cells[1].capacity < 1  # the week of the holidays, averaged
    # a week of leave: its days are not counted (work pauses), the week shows no figure
    ann = _person(org, "ann")
    CapacityChange.objects.create(resource=ann, first=MON, last=FRI, fte=Decimal("0"))
    found = find_available(first=MON, last=WEEK3_FRI, need=1)
    ann_free = next(f for f in found.rows if f.resource.code == "ann")
    assert (ann_free.weeks, ann_free.least, ann_free.fits) == ((None, 1.0, 1.0), 1.0, True)
    # a longer cut is part time, not leave: it lowers the room
    bob = _person(org, "bob")
    CapacityChange.objects.create(
        resource=bob, first=MON, last=MON + dt.timedelta(days=60), fte=Decimal("0.4")
    )
    bob_free = next(f for f in find_available(first=MON, last=FRI).rows if f.resource.code == "bob")
    assert (bob_free.least, bob_free.weeks) == (0.4, (0.4,))


def test_days_before_joining_have_no_room_and_gone_or_busy_resources_are_not_listed(
    org: Any, make_project: Any
) -> None:
    _person(org, "new", available_from=WEEK2_MON)
    _person(org, "gone", active=False)
    busy = _person(org, "busy")
    allocate(busy, make_project(), MON, WEEK3_FRI, "1")
    _person(org, "left", available_until=MON - dt.timedelta(days=1))
    found = find_available(first=MON, last=WEEK3_FRI, need=0.5)
    (new,) = found.rows
    assert (new.resource.code, new.least, new.fits, new.weeks) == (
        "new",
        0.0,
        False,
        (0.0, 1.0, 1.0),
    )
    assert (found.found, found.fitting) == (1, 0)


def test_most_room_first_and_the_filters(org: Any) -> None:
    _person(org, "a", fte=Decimal("0.5"), skills="Kafka, Spring")
    _person(org, "b", fte=Decimal("2"), org_unit=org["it"])
    _person(org, "c", fte=Decimal("1"), role="Tester")
    _person(org, "d", fte=Decimal("1"), name="Aaron")
    found = find_available(first=MON, last=FRI, need=0.75)
    # those that fit first, by room, then name; a's 0.5 FTE does not fit
    assert _codes(found) == ["b", "d", "c", "a"]
    assert (found.found, found.fitting) == (4, 3)
    assert _codes(find_available(first=MON, last=FRI, only=ResourceFilter(skill="kafka"))) == ["a"]
    assert _codes(find_available(first=MON, last=FRI, only=ResourceFilter(role="Tester"))) == ["c"]
    only_uk = ResourceFilter(org_unit=org["uk"].pk)  # London HQ with its London IT
    assert _codes(find_available(first=MON, last=FRI, only=only_uk)) == ["b"]
    limited = find_available(first=MON, last=FRI, limit=2)
    assert (_codes(limited), limited.found) == (["b", "d"], 4)  # same room: by name


def test_a_scenario_and_committed_only_change_what_counts_as_demand(
    org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, FRI, "1", status="committed")
    allocate(java, project, MON, FRI, "0.5")  # proposed
    plan = find_available(first=MON, last=FRI)
    assert plan.rows[0].least == 0.5
    assert find_available(first=MON, last=FRI, committed_only=True).rows[0].least == 1.0
    # a scenario has its own allocations: the plan's do not count there
    scenario = Scenario.objects.create(name="What if")
    allocate(java, project, MON, FRI, "0.25", scenario=scenario)
    assert find_available(first=MON, last=FRI, scenario_id=scenario.pk).rows[0].least == 1.75


def test_five_queries_however_many_resources_and_allocations(org: Any, make_project: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            find_available(first=MON, last=WEEK3_FRI, need=0.5)
        return len(queries)

    project = make_project()
    java = pool(org)
    allocate(java, project, MON, FRI, "1")
    few = count()
    for n in range(12):
        person = _person(org, f"p{n}", calendar="CN" if n % 2 else "")
        allocate(person, project, MON, MON + dt.timedelta(days=n), "0.5")
        CapacityChange.objects.create(resource=person, first=FRI, last=FRI, fte=Decimal("0"))
    assert count() == few == 5  # resources, calendar days, changes, allocations, those listed
    assert find_available(first=MON, last=FRI).found == 13


def test_the_window_must_run_forwards() -> None:
    with pytest.raises(ValueError, match="last before first"):
        find_available(first=FRI, last=MON)
