"""Refreshing a draft scenario from the current plan, and resetting one of its projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from pmo.resources import refresh, selectors, services
from pmo.resources.models import (
    Allocation,
    CapacityChange,
    LevelingRun,
    LevelingState,
    ProjectShift,
    Scenario,
)
from pmo.resources.tests.factories import MON, allocate, pool

WEEK = dt.timedelta(days=4)
D7 = dt.timedelta(days=7)


def _copy_of(scenario: Scenario, plan_row: Allocation) -> Allocation:
    return Allocation.objects.get(scenario=scenario, origin=plan_row)


@pytest.fixture
def plan(org: Any, make_project: Any) -> dict[str, Any]:
    """A Java pool of 2 FTE; projects A (two rows), B and C (one row each)."""
    java = pool(org)
    a, b, c = make_project(), make_project(), make_project()
    return {
        "java": java,
        "a": a,
        "b": b,
        "c": c,
        "a1": allocate(java, a, MON, MON + WEEK, "1"),
        "a2": allocate(java, a, MON + D7, MON + D7 + WEEK, "0.5"),
        "b1": allocate(java, b, MON, MON + WEEK, "1"),
        "c1": allocate(java, c, MON, MON + WEEK, "0.5"),
    }


def test_refresh_keeps_the_changes_that_apply_and_lists_the_dropped_ones(
    plan: dict[str, Any], users: Any
) -> None:
    member, java = users["member"], plan["java"]
    scenario = services.create_scenario(actor=member, name="What if")
    # the scenario's changes
    services.shift_project(
        actor=member, scenario=scenario, project=plan["b"], days=7, priority=1, pinned=True
    )
    kept_edit = _copy_of(scenario, plan["a1"])
    services.update_allocation(
        actor=member, allocation=kept_edit, data={"fte": Decimal("2")}, version=1
    )
    gone_edit = _copy_of(scenario, plan["a2"])
    services.update_allocation(
        actor=member, allocation=gone_edit, data={"fte": Decimal("0.25")}, version=1
    )
    clash_edit = _copy_of(scenario, plan["c1"])
    services.update_allocation(
        actor=member, allocation=clash_edit, data={"fte": Decimal("0.1")}, version=1
    )
    added = services.create_allocation(
        actor=member,
        data={"resource_id": java.pk, "project_id": plan["c"].pk, "first": MON + D7}
        | {"last": MON + D7, "fte": Decimal("1")},
        scenario=scenario,
    )
    own_capacity = services.add_capacity_change(
        actor=member,
        resource=java,
        first=MON,
        last=MON + WEEK,
        fte=Decimal("3"),
        scenario=scenario,
    )
    clash_capacity = services.add_capacity_change(
        actor=member,
        resource=java,
        first=MON + 14 * dt.timedelta(days=1),
        last=MON + dt.timedelta(days=18),
        fte=Decimal("4"),
        scenario=scenario,
    )
    # meanwhile in the current plan
    services.delete_allocation(actor=member, allocation=plan["a2"], version=1)
    services.update_allocation(
        actor=member, allocation=plan["c1"], data={"fte": Decimal("0.75")}, version=1
    )
    new_b = allocate(java, plan["b"], MON + D7, MON + D7 + WEEK, "0.5")
    services.add_capacity_change(
        actor=member,
        resource=java,
        first=MON + dt.timedelta(days=16),
        last=MON + dt.timedelta(days=20),
        fte=Decimal("1"),
    )
    scenario.refresh_from_db()
    assert selectors.scenario_out_of_date(scenario) == "allocations"
    version = scenario.version

    result = refresh.refresh_scenario(actor=member, scenario=scenario, version=version)

    scenario.refresh_from_db()
    assert selectors.scenario_out_of_date(scenario) is None
    assert scenario.version == version + 1
    # kept: the edit of an unchanged plan row, the added row, the move, priority and pin
    assert Allocation.objects.get(pk=kept_edit.pk).fte == Decimal("2")
    assert Allocation.objects.filter(pk=added.pk).exists()
    b_rows = Allocation.objects.filter(scenario=scenario, project=plan["b"]).order_by("first")
    assert [(r.first, r.fte) for r in b_rows] == [
        (MON + D7, Decimal("1")),  # copied before and moved by Move project
        (MON + 2 * D7, Decimal("0.5")),  # new in the plan: moved by the project's 7 days too
    ]
    assert b_rows[1].origin_id == new_b.pk
    shift = ProjectShift.objects.get(scenario=scenario, project=plan["b"])
    assert (shift.days, shift.priority, shift.pinned) == (7, 1, True)
    # dropped: the edit of a removed row, the edit of a row the plan changed (its row is in)
    assert not Allocation.objects.filter(pk__in=[gone_edit.pk, clash_edit.pk]).exists()
    assert not Allocation.objects.filter(scenario=scenario, fte=Decimal("0.25")).exists()
    c1 = _copy_of(scenario, plan["c1"])
    assert (c1.fte, c1.origin_version) == (Decimal("0.75"), 2)
    # capacity: its own change kept, the one overlapping the plan's new change dropped
    layer = CapacityChange.objects.filter(scenario=scenario).order_by("first")
    assert [(c.first, c.fte, c.copied) for c in layer] == [
        (MON, Decimal("3"), False),
        (MON + dt.timedelta(days=16), Decimal("1"), True),
    ]
    assert layer[0].pk == own_capacity.pk
    assert not CapacityChange.objects.filter(pk=clash_capacity.pk).exists()
    assert sorted((d.kind, d.reason, d.project, str(d.fte)) for d in result.dropped) == [
        ("allocation", "changed_in_plan", plan["c"].code, "0.10"),
        ("allocation", "removed_in_plan", plan["a"].code, "0.25"),
        ("capacity", "capacity_overlap", "", "4.00"),
    ]
    assert result.kept == 4  # a1's edit, the added row, B's move, the own capacity change
    assert scenario.last_refresh["dropped"][0]["reason"] in {
        "changed_in_plan",
        "removed_in_plan",
        "capacity_overlap",
    }
    event = AuditEvent.objects.filter(scope=f"scenario:{scenario.pk}").latest("id")
    assert event.changes["version"] == [version, version + 1]
    assert len(event.changes["dropped"][1]) == 3
    # and it can be committed now: the plan gets the scenario's rows
    services.commit_scenario(actor=member, scenario=scenario)
    assert Allocation.objects.get(pk=plan["a1"].pk).fte == Decimal("2")
    assert Allocation.objects.get(pk=plan["c1"].pk).fte == Decimal("0.75")


def test_a_row_removed_in_the_scenario_stays_removed_unless_the_plan_changed_it(
    plan: dict[str, Any], users: Any
) -> None:
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="Less")
    for row in ("a1", "b1"):
        copy = _copy_of(scenario, plan[row])
        services.delete_allocation(actor=member, allocation=copy, version=1)
    services.update_allocation(
        actor=member, allocation=plan["b1"], data={"fte": Decimal("0.5")}, version=1
    )

    result = refresh.refresh_scenario(actor=member, scenario=scenario)

    assert not Allocation.objects.filter(scenario=scenario, origin=plan["a1"]).exists()
    assert _copy_of(scenario, plan["b1"]).fte == Decimal("0.5")
    assert [(d.reason, d.project) for d in result.dropped] == [("restored", plan["b"].code)]


def test_refresh_marks_finished_leveling_runs_out_of_date(plan: dict[str, Any], users: Any) -> None:
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="Levelled")
    run = LevelingRun.objects.create(scenario=scenario, state=LevelingState.DONE, result={})
    failed = LevelingRun.objects.create(scenario=scenario, state=LevelingState.FAILED)

    result = refresh.refresh_scenario(actor=member, scenario=scenario)

    assert result.runs_out_of_date == 1
    run.refresh_from_db()
    failed.refresh_from_db()
    assert run.outdated_at is not None and run.state == LevelingState.DONE
    assert failed.outdated_at is None


def test_refresh_follows_recalculated_schedule_demand(plan: dict[str, Any], users: Any) -> None:
    member, a = users["member"], plan["a"]
    rows = [
        services.DemandRow("java-sh", MON, MON + WEEK, 1.0, task_uid=1),
        services.DemandRow("java-sh", MON + D7, MON + D7 + WEEK, 1.0, task_uid=2),
    ]
    services.record_schedule_demand(project=a, rows=rows)
    scenario = services.create_scenario(actor=member, name="Tasks")
    moved = Allocation.objects.get(scenario=scenario, task_uid=2)
    services.update_allocation(
        actor=member,
        allocation=moved,
        data={"first": MON + 2 * D7} | {"last": MON + 2 * D7 + WEEK},
        version=1,
    )
    later = [rows[0], services.DemandRow("java-sh", MON + D7, MON + D7 + WEEK, 0.5, task_uid=2)]
    services.record_schedule_demand(project=a, rows=later)  # the plan is recalculated

    result = refresh.refresh_scenario(actor=member, scenario=scenario)

    tasks = Allocation.objects.filter(scenario=scenario, task_uid__isnull=False).order_by(
        "task_uid"
    )
    assert [(t.task_uid, t.first, t.fte) for t in tasks] == [
        (1, MON, Decimal("1.00")),
        (2, MON + D7, Decimal("0.50")),
    ]
    assert all(t.origin_id is not None for t in tasks)
    assert [(d.reason, d.first) for d in result.dropped] == [("changed_in_plan", MON + 2 * D7)]


def test_refresh_is_for_resource_managers_on_a_draft_at_its_version(
    plan: dict[str, Any], users: Any
) -> None:
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="Guarded")
    with pytest.raises(PermissionDeniedError):
        refresh.refresh_scenario(actor=users["pm"], scenario=scenario)
    with pytest.raises(ConflictError) as stale:
        refresh.refresh_scenario(actor=member, scenario=scenario, version=scenario.version + 5)
    assert stale.value.current_version == scenario.version
    LevelingRun.objects.create(scenario=scenario, state=LevelingState.RUNNING)
    with pytest.raises(ConflictError, match="under way"):
        refresh.refresh_scenario(actor=member, scenario=scenario)
    LevelingRun.objects.all().delete()
    services.discard_scenario(actor=member, scenario=scenario)
    with pytest.raises(ConflictError, match="discarded"):
        refresh.refresh_scenario(actor=member, scenario=scenario)
    with pytest.raises(ConflictError, match="discarded"):
        refresh.reset_project(actor=member, scenario=scenario, project=plan["a"])


def test_reset_puts_one_project_back_to_the_current_plan(
    plan: dict[str, Any], users: Any, make_project: Any
) -> None:
    member, java = users["member"], plan["java"]
    scenario = services.create_scenario(actor=member, name="Reset")
    services.shift_project(
        actor=member, scenario=scenario, project=plan["a"], days=14, priority=2, pinned=True
    )
    services.shift_project(actor=member, scenario=scenario, project=plan["b"], days=7)
    services.create_allocation(
        actor=member,
        data={"resource_id": java.pk, "project_id": plan["a"].pk, "first": MON}
        | {"last": MON, "fte": Decimal("1")},
        scenario=scenario,
    )
    run = LevelingRun.objects.create(scenario=scenario, state=LevelingState.DONE, result={})
    scenario.refresh_from_db()

    result = refresh.reset_project(
        actor=member, scenario=scenario, project=plan["a"], version=scenario.version
    )

    rows = Allocation.objects.filter(scenario=scenario, project=plan["a"]).order_by("first")
    assert [(r.origin_id, r.first, r.fte) for r in rows] == [
        (plan["a1"].pk, MON, Decimal("1.00")),
        (plan["a2"].pk, MON + D7, Decimal("0.50")),
    ]
    assert (result.removed, result.copied, result.shift_removed) == (3, 2, True)
    assert not ProjectShift.objects.filter(scenario=scenario, project=plan["a"]).exists()
    assert ProjectShift.objects.get(scenario=scenario, project=plan["b"]).days == 7
    assert _copy_of(scenario, plan["b1"]).first == MON + D7  # the other project is untouched
    run.refresh_from_db()
    assert run.outdated_at is not None
    event = AuditEvent.objects.filter(scope=f"scenario:{scenario.pk}").latest("id")
    assert event.changes == {
        f"{plan['a'].code}.reset_to_plan": [
            {"allocations": 3, "days": 14, "priority": 2, "pinned": True},
            {"allocations": 2},
        ]
    }
    with pytest.raises(NotFoundError):
        refresh.reset_project(actor=member, scenario=scenario, project=make_project())
    with pytest.raises(PermissionDeniedError):
        refresh.reset_project(actor=users["pm"], scenario=scenario, project=plan["b"])
