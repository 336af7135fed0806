"""The heat map by hand: a 2-FTE pool, two projects, a week of leave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pmo.resources.heatmap import build_heatmap, periods
from pmo.resources.models import CapacityChange
from pmo.resources.selectors import list_cell_causes
from pmo.resources.tests.factories import MON, allocate, pool


def test_periods_weeks_and_months() -> None:
    weeks = periods(dt.date(2026, 3, 4), 2, "week")
    assert [(p.first, p.last, p.label) for p in weeks] == [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 8), "2026-W10"),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 15), "2026-W11"),
    ]
    # a week counts in its ISO year, as on the one-page board and the gate calendar
    turn = periods(dt.date(2026, 12, 31), 2, "week")
    assert [p.label for p in turn] == ["2026-W53", "2027-W01"]
    months = periods(dt.date(2026, 12, 15), 2, "month")
    assert [(p.first, p.last, p.label) for p in months] == [
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31), "2026-12"),
        (dt.date(2027, 1, 1), dt.date(2027, 1, 31), "2027-01"),
    ]


def _setup(org: Any, make_project: Any) -> tuple[Any, Any, Any]:
    java = pool(org)
    a, b = make_project(), make_project()
    # A: 1.5 FTE for two weeks; B: 1 FTE Monday..Wednesday of week 1 (3/5 = 0.6 average)
    allocate(java, a, MON, MON + dt.timedelta(days=11), "1.5", status="committed")
    allocate(java, b, MON, MON + dt.timedelta(days=2), "1")
    # week 2: one of the two on leave
    CapacityChange.objects.create(
        resource=java,
        first=MON + dt.timedelta(days=7),
        last=MON + dt.timedelta(days=13),
        fte=Decimal("1"),
    )
    return java, a, b


def test_demand_against_capacity_by_role(org: Any, make_project: Any) -> None:
    _setup(org, make_project)
    result = build_heatmap(by="role", scale="week", start=MON, count=3)
    assert [r.label for r in result.rows] == ["Java developer"]
    cells = result.rows[0].cells
    assert [(c.capacity, c.demand, c.overloaded) for c in cells] == [
        (2.0, 2.1, True),
        (1.0, 1.5, True),
        (2.0, 0.0, False),
    ]
    assert [c.level for c in cells] == [4, 5, 0]
    assert result.overloaded_cells == 2
    assert result.overload == 0.6


def test_an_overload_on_days_already_past_is_history_not_overload(
    org: Any, make_project: Any, client: Any, users: Any, monkeypatch: Any
) -> None:
    # week 1 is over capacity only Monday..Wednesday (B's days); today is its Thursday
    _setup(org, make_project)
    thursday = MON + dt.timedelta(days=3)
    result = build_heatmap(by="role", start=MON, count=3, today=thursday)
    cells = result.rows[0].cells
    assert [(c.overloaded, c.past_overload) for c in cells] == [
        (False, True),
        (True, False),
        (False, False),
    ]
    assert [c.level for c in cells] == [3, 5, 0]  # not red: nothing can be levelled there
    assert (result.overloaded_cells, result.overload, result.past_overloads) == (1, 0.5, 1)
    # on Wednesday B still works: the rest of the week is what counts (2.5 + 1.5 + 1.5 FTE
    # of demand against 6 FTE-days: within capacity as a week)
    wednesday = build_heatmap(by="role", start=MON, count=1, today=MON + dt.timedelta(days=2))
    assert wednesday.rows[0].cells[0].past_overload
    # before the week starts it is an overload as ever
    assert build_heatmap(by="role", start=MON, count=1, today=MON).overloaded_cells == 1

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: thursday)
    client.force_login(users["exec"])
    page = client.get(f"/resources/heatmap/?start={MON.isoformat()}&periods=3").content.decode()
    assert "1 overloaded cell, 0.5 FTE above capacity" in page
    assert 'class="cell hm3 past-over"' in page
    assert "1 cell is over capacity only on days already past" in page
    api = client.get(f"/api/v1/capacity/heatmap?start={MON.isoformat()}&periods=3").json()
    assert [(c["overloaded"], c["past"]) for c in api["rows"][0]["cells"]] == [
        (False, True),
        (True, False),
        (False, False),
    ]


def test_committed_only_and_month_scale(org: Any, make_project: Any) -> None:
    _setup(org, make_project)
    week = build_heatmap(by="role", start=MON, count=1, committed_only=True)
    assert (week.rows[0].cells[0].demand, week.rows[0].cells[0].overloaded) == (1.5, False)
    # March 2026 has 22 working days: A 10 days x 1.5 + B 3 days x 1 = 18 FTE-days
    month = build_heatmap(by="role", scale="month", start=MON, count=1)
    assert month.rows[0].cells[0].demand == round(18 / 22, 2)
    # capacity: 17 days x 2 + 5 days x 1 = 39 FTE-days
    assert month.rows[0].cells[0].capacity == round(39 / 22, 2)


def test_hiring_date_and_groupings(org: Any, make_project: Any) -> None:
    _setup(org, make_project)
    pool(
        org,
        code="ana",
        name="Ana Li",
        kind="person",
        role="Analyst",
        fte=Decimal("1"),
        org_unit=org["it"],
        available_from=MON + dt.timedelta(days=7),
    )
    by_role = build_heatmap(by="role", start=MON, count=2)
    assert [(r.label, [c.capacity for c in r.cells]) for r in by_role.rows] == [
        ("Analyst", [0.0, 1.0]),
        ("Java developer", [2.0, 1.0]),
    ]
    by_unit = build_heatmap(by="org_unit", start=MON, count=1)
    assert [r.label for r in by_unit.rows] == ["London IT", "Shanghai R&D"]
    by_resource = build_heatmap(by="resource", start=MON, count=1)
    assert [r.label for r in by_resource.rows] == ["Ana Li", "Java developer, Shanghai"]


def test_drill_down_names_the_projects(org: Any, make_project: Any) -> None:
    _java, a, b = _setup(org, make_project)
    causes = list_cell_causes(
        by="role", key="Java developer", first=MON, last=MON + dt.timedelta(days=6)
    )
    assert [(c.code, c.demand, c.committed, c.proposed) for c in causes] == [
        (a.code, 1.5, 1.5, 0.0),
        (b.code, 0.6, 0.0, 0.6),
    ]


def test_query_count_is_bounded(
    org: Any, make_project: Any, django_assert_max_num_queries: Any
) -> None:
    java, a, _b = _setup(org, make_project)
    for i in range(200):
        allocate(java, a, MON + dt.timedelta(days=i % 30), MON + dt.timedelta(days=40), "0.1")
    # resources, capacity changes, allocations, hand-entered calendar days, org-unit labels
    with django_assert_max_num_queries(5):
        result = build_heatmap(by="org_unit", start=MON, count=12)
    assert (result.rows[0].cells[1].demand, result.rows[0].cells[1].overloaded) == (8.5, True)


def test_holidays_and_adjusted_weekends_follow_each_resource_calendar(
    org: Any, make_project: Any
) -> None:
    # given a Shanghai pool on the China calendar and a London pool on Monday to Friday, both
    # 2 FTE, fully booked over Golden Week 2026 (1-7 October off, Saturday 10 October worked)
    shanghai = pool(org)
    london = pool(org, code="test-ldn", name="Testers, London", role="Tester", calendar="")
    a, b = make_project(), make_project()
    sep28, oct11 = dt.date(2026, 9, 28), dt.date(2026, 10, 11)
    allocate(shanghai, a, sep28, oct11, "2")
    allocate(london, b, sep28, oct11, "1")
    result = build_heatmap(by="role", start=sep28, count=2)
    cells = {r.label: [(c.capacity, c.demand) for c in r.cells] for r in result.rows}
    # then Shanghai works 3 days a week (28-30 Sep; 8-10 Oct): 2 FTE x 3 / 5 weekdays = 1.2
    assert cells["Java developer"] == [(1.2, 1.2), (1.2, 1.2)]
    # and London works every weekday, not the Chinese 调休 Saturday
    assert cells["Tester"] == [(2.0, 1.0), (2.0, 1.0)]
    assert result.assumed_years == ()
    # the drill-down counts the same days, so its rows add up to the cell
    causes = list_cell_causes(
        by="role", key="Java developer", first=dt.date(2026, 10, 5), last=oct11
    )
    assert [(c.code, c.demand) for c in causes] == [(a.code, 1.2)]
    # a range into a year the holiday source does not know yet says so
    later = build_heatmap(by="role", start=dt.date(2026, 12, 1), count=3, scale="month")
    assert later.assumed_years == (2027,)


def test_hours_are_totals_at_each_resources_hours_per_day(org: Any, make_project: Any) -> None:
    # given the Java pool (8 hours a day) and an analyst working 6 hours a day
    _java, a, b = _setup(org, make_project)
    ana = pool(org, code="ana", name="Ana", kind="person", role="Analyst", fte="1")
    ana.hours_per_day = Decimal("6")
    ana.save()
    allocate(ana, a, MON, MON + dt.timedelta(days=2), "1")
    result = build_heatmap(by="role", start=MON, count=3, unit="hours")
    cells = {r.label: [(c.capacity, c.demand) for c in r.cells] for r in result.rows}
    # then week 1 of the pool is 2 x 8 x 5 = 80 hours against 1.5 x 40 + 1 x 24 = 84
    assert cells["Java developer"] == [(80.0, 84.0), (40.0, 60.0), (80.0, 0.0)]
    assert cells["Analyst"] == [(30.0, 18.0), (30.0, 0.0), (30.0, 0.0)]
    assert (result.unit, result.overload) == ("hours", 24.0)
    causes = list_cell_causes(
        by="role", key="Java developer", first=MON, last=MON + dt.timedelta(days=6), unit="hours"
    )
    assert [(c.code, c.demand) for c in causes] == [(a.code, 60.0), (b.code, 24.0)]


def test_filters_by_org_unit_subtree_role_and_skill(org: Any, make_project: Any) -> None:
    from pmo.resources.filters import ResourceFilter

    java, a, _b = _setup(org, make_project)
    java.skills = "Java, Kafka"
    java.save()
    london = pool(
        org, code="qa-ldn", name="Testers, London", role="Tester", org_unit=org["it"], fte="3"
    )
    allocate(london, a, MON, MON + dt.timedelta(days=4), "1")

    def rows(only: ResourceFilter) -> list[tuple[str, float, float]]:
        heat = build_heatmap(by="resource", start=MON, count=1, only=only)
        return [(r.label, r.cells[0].capacity, r.cells[0].demand) for r in heat.rows]

    everything = [("Java developer, Shanghai", 2.0, 2.1), ("Testers, London", 3.0, 1.0)]
    assert rows(ResourceFilter()) == everything
    # China region: its sub-unit Shanghai R&D counts, London does not
    assert rows(ResourceFilter(org_unit=org["cn"].pk)) == everything[:1]
    assert rows(ResourceFilter(org_unit=org["group"].pk)) == everything
    assert rows(ResourceFilter(role="Tester")) == everything[1:]
    assert rows(ResourceFilter(skill="kafka")) == everything[:1]
    assert rows(ResourceFilter(org_unit=99999)) == []
    # the drill-down of a role narrowed to London sees only London's projects
    causes = list_cell_causes(
        by="org_unit",
        key=str(org["it"].pk),
        first=MON,
        last=MON + dt.timedelta(days=6),
        only=ResourceFilter(role="Java developer"),
    )
    assert causes == []
    causes = list_cell_causes(
        by="role",
        key="Tester",
        first=MON,
        last=MON + dt.timedelta(days=6),
        only=ResourceFilter(org_unit=org["uk"].pk),
    )
    assert [(c.code, c.demand) for c in causes] == [(a.code, 1.0)]


def test_a_cell_rounded_to_zero_reads_zero_not_minus_zero() -> None:
    from pmo.resources.heatmap.build import _rounded

    assert str(_rounded(-1e-17, 1)) == "0.0"  # demand paused by leave, cancelled to -1e-17
    assert _rounded(0.26, 1) == 0.3
