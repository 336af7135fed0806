"""Services: permissions, validation, version checks, audit, scenarios, schedule demand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pmo.accounts.models import Role, User
from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.resources import services
from pmo.resources.heatmap import build_heatmap
from pmo.resources.models import Allocation, CapacityChange, ScenarioState
from pmo.resources.tests.factories import MON, allocate, pool


@pytest.fixture
def director(users: Any) -> User:
    return User.objects.create_user(username="dir", password="pw", role=Role.RESOURCE_MANAGER)


def test_resource_managers_create_resources_others_may_not(
    org: Any, users: Any, director: User
) -> None:
    data = {
        "code": "qa-sh",
        "name": "QA, Shanghai",
        "kind": "pool",
        "role": "QA",
        "org_unit_id": org["sh"].pk,
        "fte": Decimal("4"),
    }
    resource = services.create_resource(actor=director, data=data)
    assert (resource.fte, resource.version) == (Decimal("4"), 1)
    created = AuditEvent.objects.filter(scope="resources", action="create").order_by("pk")
    # the role QA joins the catalogue, by the same hand
    assert [(e.object_type, e.actor_id) for e in created] == [
        ("resources.role", director.pk),
        ("resources.resource", director.pk),
    ]
    for name in ("pm", "exec", "viewer"):
        with pytest.raises(PermissionDeniedError):
            services.create_resource(actor=users[name], data={**data, "code": f"x-{name}"})
    with pytest.raises(FieldError, match="exists"):
        services.create_resource(actor=director, data=data)


def test_update_resource_checks_the_version(org: Any, director: User) -> None:
    java = pool(org)
    services.update_resource(actor=director, resource=java, data={"fte": Decimal("3")}, version=1)
    with pytest.raises(ConflictError) as stale:
        services.update_resource(
            actor=director, resource=java, data={"fte": Decimal("5")}, version=1
        )
    assert stale.value.current_version == 2


def test_pm_proposes_only_for_own_project(org: Any, users: Any, make_project: Any) -> None:
    java = pool(org)
    own = make_project()
    other = make_project(manager=users["other_pm"].person)
    data = {"resource_id": java.pk, "first": MON, "last": MON, "fte": Decimal("1")}
    made = services.create_allocation(
        actor=users["pm"], data={**data, "project_id": own.pk, "status": "proposed"}
    )
    assert AuditEvent.objects.filter(scope=f"project:{own.pk}").count() == 1
    with pytest.raises(PermissionDeniedError):
        services.create_allocation(
            actor=users["pm"], data={**data, "project_id": own.pk, "status": "committed"}
        )
    with pytest.raises(PermissionDeniedError):
        services.create_allocation(actor=users["pm"], data={**data, "project_id": other.pk})
    with pytest.raises(PermissionDeniedError):
        services.update_allocation(
            actor=users["pm"], allocation=made, data={"status": "committed"}, version=1
        )


def test_allocation_validation(org: Any, users: Any, make_project: Any) -> None:
    java = pool(org)
    project = make_project()
    with pytest.raises(FieldError, match="before the start"):
        services.create_allocation(
            actor=users["admin"],
            data={
                "resource_id": java.pk,
                "project_id": project.pk,
                "first": MON,
                "last": MON - dt.timedelta(days=1),
                "fte": Decimal("1"),
            },
        )
    assert Allocation.objects.count() == 0


def test_capacity_changes_may_not_overlap(org: Any, users: Any) -> None:
    java = pool(org)
    services.add_capacity_change(
        actor=users["admin"],
        resource=java,
        first=MON,
        last=MON + dt.timedelta(days=4),
        fte=Decimal("1"),
    )
    with pytest.raises(FieldError, match="overlaps"):
        services.add_capacity_change(
            actor=users["admin"],
            resource=java,
            first=MON + dt.timedelta(days=4),
            last=MON + dt.timedelta(days=9),
            fte=Decimal("0"),
        )


def test_schedule_demand_replaces_and_reports_unknown(
    org: Any, make_project: Any, users: Any
) -> None:
    java = pool(org)
    project = make_project()
    rows = [
        services.DemandRow("JAVA-SH", MON, MON + dt.timedelta(days=4), 0.5),
        services.DemandRow("Nobody", MON, MON, 1.0),
    ]
    assert services.record_schedule_demand(project=project, rows=rows) == ["Nobody"]
    assert services.record_schedule_demand(project=project, rows=rows[:1]) == []
    made = Allocation.objects.get()
    assert (made.resource, made.source, made.status, made.fte) == (
        java,
        "schedule",
        "committed",
        Decimal("0.50"),
    )
    with pytest.raises(ConflictError, match="schedule"):
        services.update_allocation(
            actor=users["admin"], allocation=made, data={"fte": Decimal("1")}, version=1
        )


def test_scenario_shift_compare_and_commit(org: Any, make_project: Any, director: User) -> None:
    java = pool(org)
    a, b = make_project(), make_project()
    allocate(java, a, MON, MON + dt.timedelta(days=4), "1.5")
    kept = allocate(java, b, MON, MON + dt.timedelta(days=4), "1")
    CapacityChange.objects.create(
        resource=java,
        first=MON + dt.timedelta(days=21),
        last=MON + dt.timedelta(days=27),
        fte=Decimal("0"),
    )
    scenario = services.create_scenario(actor=director, name="Move B")
    assert scenario.allocations.count() == 2
    assert scenario.capacity_changes.count() == 1
    services.shift_project(actor=director, scenario=scenario, project=b, days=7, priority=1)
    current = build_heatmap(start=MON, count=2)
    what_if = build_heatmap(start=MON, count=2, scenario_id=scenario.pk)
    assert [c.demand for c in current.rows[0].cells] == [2.5, 0.0]
    assert [c.demand for c in what_if.rows[0].cells] == [1.5, 1.0]
    assert (current.overloaded_cells, what_if.overloaded_cells) == (1, 0)

    result = services.commit_scenario(actor=director, scenario=scenario)
    assert (result.created, result.updated, result.deleted, result.capacity_changes) == (0, 1, 0, 1)
    kept.refresh_from_db()
    assert (kept.first, kept.version) == (MON + dt.timedelta(days=7), 2)
    scenario.refresh_from_db()
    assert scenario.state == ScenarioState.COMMITTED
    assert build_heatmap(start=MON, count=2).overloaded_cells == 0
    with pytest.raises(ConflictError):
        services.discard_scenario(actor=director, scenario=scenario)


def test_commit_refused_when_the_current_plan_moved_on(
    org: Any, make_project: Any, director: User
) -> None:
    java = pool(org)
    project = make_project()
    live = allocate(java, project, MON, MON, "1")
    scenario = services.create_scenario(actor=director, name="Stale")
    services.update_allocation(
        actor=director, allocation=live, data={"fte": Decimal("2")}, version=1
    )
    with pytest.raises(ConflictError, match="changed since"):
        services.commit_scenario(actor=director, scenario=scenario)
    live.refresh_from_db()
    assert live.fte == Decimal("2")


def test_commit_adds_and_removes(org: Any, make_project: Any, director: User) -> None:
    java = pool(org)
    a, b = make_project(), make_project()
    gone = allocate(java, a, MON, MON, "1")
    scenario = services.create_scenario(actor=director, name="Swap")
    copy = scenario.allocations.get()
    services.delete_allocation(actor=director, allocation=copy, version=1)
    services.create_allocation(
        actor=director,
        scenario=scenario,
        data={
            "resource_id": java.pk,
            "project_id": b.pk,
            "first": MON,
            "last": MON,
            "fte": Decimal("1"),
            "status": "committed",
        },
    )
    assert Allocation.objects.filter(scenario=None).get().pk == gone.pk
    result = services.commit_scenario(actor=director, scenario=scenario)
    assert (result.created, result.deleted) == (1, 1)
    assert list(Allocation.objects.filter(scenario=None).values_list("project", flat=True)) == [
        b.pk
    ]


def test_discard_leaves_the_current_plan(org: Any, make_project: Any, director: User) -> None:
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, MON, "1")
    scenario = services.create_scenario(actor=director, name="No")
    services.shift_project(actor=director, scenario=scenario, project=project, days=14)
    services.discard_scenario(actor=director, scenario=scenario)
    assert Allocation.objects.filter(scenario=None).get().first == MON
    assert Allocation.objects.filter(scenario=scenario).count() == 0
    with pytest.raises(ConflictError):
        services.shift_project(actor=director, scenario=scenario, project=project, days=1)


def test_commit_refused_when_a_capacity_change_was_deleted(org: Any, director: User) -> None:
    java = pool(org)
    change = CapacityChange.objects.create(resource=java, first=MON, last=MON, fte=Decimal("0"))
    scenario = services.create_scenario(actor=director, name="Old")
    services.delete_capacity_change(actor=director, change=change)
    with pytest.raises(ConflictError, match="capacity changed"):
        services.commit_scenario(actor=director, scenario=scenario)


def test_calendar_days_entered_by_hand(org: Any, users: Any, make_project: Any) -> None:
    import datetime as dt

    from pmo.core.errors import FieldError, PermissionDeniedError, ValidationFailed
    from pmo.resources.heatmap import build_heatmap
    from pmo.resources.models import CalendarDay
    from pmo.resources.tests.factories import allocate, pool

    member = users["member"]
    java = pool(org)  # China calendar, 2 FTE
    allocate(java, make_project(), dt.date(2027, 2, 8), dt.date(2027, 2, 14), "2")
    week: dict[str, Any] = {"by": "role", "start": dt.date(2027, 2, 8), "count": 1}
    before = build_heatmap(**week)
    assert before.assumed_years == (2027,)
    assert (before.rows[0].cells[0].capacity, before.rows[0].cells[0].demand) == (2.0, 2.0)
    # a bad line names itself and writes nothing
    with pytest.raises(ValidationFailed, match="line 2: “Feb-11” is not a date"):
        services.add_calendar_days(actor=member, calendar="CN", text="2027-02-10 off\nFeb-11 off")
    assert CalendarDay.objects.count() == 0
    with pytest.raises(PermissionDeniedError):
        services.add_calendar_days(actor=users["pm"], calendar="CN", text="2027-02-10 off")
    with pytest.raises(FieldError, match="unknown calendar"):
        services.add_calendar_days(actor=member, calendar="XX", text="2027-02-10 off")
    # Spring Festival 2027 entered: Wednesday to Friday off, the Sunday before worked
    text = "2027-02-10 off 春节\n2027-02-11 off 春节\n2027-02-12 休 春节\n2027-02-07 work 调休"
    assert services.add_calendar_days(actor=member, calendar="CN", text=text) == 4
    after = build_heatmap(**week)
    assert after.assumed_years == (2027,)  # days entered, the year not yet marked complete
    services.set_calendar_year(actor=member, calendar="CN", year=2027, entered=True)
    after = build_heatmap(**week)
    assert after.assumed_years == ()
    # 8-9 February work, 10-12 off: 2 FTE x 2 days / 5 weekdays
    assert (after.rows[0].cells[0].capacity, after.rows[0].cells[0].demand) == (0.8, 0.8)
    # entering a day again replaces it
    services.add_calendar_days(actor=member, calendar="CN", text="2027-02-12 work")
    assert CalendarDay.objects.get(day=dt.date(2027, 2, 12)).working
    assert build_heatmap(**week).rows[0].cells[0].capacity == 1.2
    services.delete_calendar_day(
        actor=member, entry=CalendarDay.objects.get(day=dt.date(2027, 2, 12))
    )
    assert CalendarDay.objects.count() == 3


def test_an_edit_read_before_a_shift_does_not_undo_it(
    org: Any, make_project: Any, director: User
) -> None:
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    scenario = services.create_scenario(actor=director, name="Move")
    copy = scenario.allocations.get()
    read_version = copy.version
    services.shift_project(actor=director, scenario=scenario, project=project, days=7)
    with pytest.raises(ConflictError):
        services.update_allocation(
            actor=director, allocation=copy, data={"fte": Decimal("2")}, version=read_version
        )
    copy.refresh_from_db()
    assert (copy.first, copy.fte) == (MON + dt.timedelta(days=7), Decimal("1"))
