"""An absence (0 FTE for at most two weeks) is time off: work pauses, nothing is pushed past it.

A longer cut to 0 FTE stays a capacity cut: the work overloads it and leveling moves it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pmo.resources.adapters import (
    AllocationRow,
    ChangeRow,
    ProjectRow,
    ResourceRow,
    build_problem,
    overload,
    solve_problem,
)
from pmo.resources.calendars import is_absence

MON = dt.date(2026, 3, 2)  # no holiday within six weeks


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def test_an_absence_is_zero_fte_for_at_most_two_weeks() -> None:
    assert is_absence(Decimal("0"), day(0), day(13))
    assert not is_absence(Decimal("0"), day(0), day(14))  # 15 days: a cut
    assert not is_absence(Decimal("0.5"), day(0), day(4))  # part time: a cut


def _layer(off_days: int) -> Any:
    # a 1-FTE architect on two projects at half time for four weeks, off from the second Monday
    return build_problem(
        resources=[ResourceRow(pk=1, fte=Decimal("1"))],
        changes=[
            ChangeRow(resource_id=1, first=day(7), last=day(7 + off_days - 1), fte=Decimal(0))
        ],
        allocations=[
            AllocationRow(
                pk=pk, resource_id=1, project_id=pk, first=MON, last=day(25), fte=Decimal("0.5")
            )
            for pk in (1, 2)
        ],
        projects=[ProjectRow(pk=1, code="A", priority=1), ProjectRow(pk=2, code="B")],
        today=MON,
    )


def test_leveling_does_not_push_work_past_a_week_of_leave() -> None:
    data = _layer(off_days=5)
    assert overload(data, data.starts) == 0
    schedule = solve_problem(data, backend="heuristic", time_limit=2)
    assert list(schedule.starts) == data.starts


def test_leveling_moves_work_out_of_a_longer_cut() -> None:
    data = _layer(off_days=21)
    assert overload(data, data.starts) == pytest.approx(15.0)  # 3 weeks x 5 days x 1 FTE
    schedule = solve_problem(data, backend="heuristic", time_limit=2)
    assert list(schedule.starts) != data.starts


@pytest.mark.django_db
def test_the_heat_map_and_its_drill_down_pause_work_in_an_absence(
    org: Any, make_project: Any
) -> None:
    from pmo.resources.heatmap import build_heatmap
    from pmo.resources.models import Allocation, CapacityChange, Resource
    from pmo.resources.selectors import list_cell_causes

    xu = Resource.objects.create(
        code="xu",
        name="Xu Ming",
        kind="person",
        role="Architect",
        org_unit=org["sh"],
        fte=1,
        calendar="",
    )
    for project in (make_project(), make_project()):
        Allocation.objects.create(
            resource=xu, project=project, first=MON, last=day(25), fte=Decimal("0.5")
        )
    CapacityChange.objects.create(resource=xu, first=day(7), last=day(11), fte=0, reason="Leave")
    CapacityChange.objects.create(resource=xu, first=day(21), last=day(23), fte=Decimal("0.5"))
    weeks = build_heatmap(by="resource", start=MON, count=4).rows[0].cells
    assert [(c.capacity, c.demand, c.overloaded) for c in weeks] == [
        (1.0, 1.0, False),
        (0.0, 0.0, False),  # on leave: no capacity, and the work pauses
        (1.0, 1.0, False),
        (0.7, 1.0, True),  # part time for three days: a cut, overloaded
    ]
    for cell in weeks:
        causes = list_cell_causes(by="resource", key=str(xu.pk), first=cell.first, last=cell.last)
        assert round(sum(c.demand for c in causes), 2) == cell.demand
