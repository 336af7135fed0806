"""The audit trail names allocations and capacity changes by their resource, project, days
and FTE ("Ana Li · P0017 · 2026-01-05–2026-03-27 · 0.5 FTE"), not by ids, and history pages
read them in the reader's words; the bulk writers (a scenario's commit, an ended project's
release) name them without a query per row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent
from pmo.resources import services
from pmo.resources.models import (
    Allocation,
    CalendarDay,
    ProjectShift,
    Scenario,
)
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)


def _events(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type).order_by("pk"))


def test_an_allocation_and_a_capacity_change_are_named_by_names_days_and_fte(
    users: Any, org: Any, make_project: Any
) -> None:
    # given a person and a project
    ana = pool(org, code="ana-li", name="Ana Li", kind="person", fte=Decimal("1"))
    project = make_project(code="P0017")
    admin = users["admin"]
    # when an allocation is made, changed and removed, and a capacity change added
    row = services.create_allocation(
        actor=admin,
        data={
            "resource_id": ana.pk,
            "project_id": project.pk,
            "first": MON,
            "last": dt.date(2026, 3, 27),
            "fte": Decimal("0.50"),
        },
    )
    row = services.update_allocation(
        actor=admin, allocation=row, data={"last": MON}, version=row.version
    )
    services.delete_allocation(actor=admin, allocation=row, version=row.version)
    services.add_capacity_change(
        actor=admin, resource=ana, first=MON, last=FRI, fte=Decimal("0"), reason="leave"
    )
    # then the trail names them so
    assert [e.object_repr for e in _events("resources.allocation")] == [
        "Ana Li · P0017 · 2026-03-02–2026-03-27 · 0.5 FTE",
        "Ana Li · P0017 · 2026-03-02 · 0.5 FTE",  # one day: one date
        "Ana Li · P0017 · 2026-03-02 · 0.5 FTE",
    ]
    [change] = _events("resources.capacitychange")
    assert change.object_repr == "Ana Li · 2026-03-02–2026-03-06 · 0 FTE · leave"
    # and a history page reads them as an allocation and a capacity change; the current
    # plan's capacity change is read on its resource's page, which names the resource
    labels = [s.label for s in shown_events(_events("resources.allocation"))]
    assert labels[0] == "allocation of Ana Li to P0017, 2026-03-02 – 2026-03-27, 0.5 FTE"
    [shown] = shown_events([change])
    assert shown.label == "capacity change 2026-03-02 – 2026-03-06, 0 FTE"
    assert [c.label for c in shown.changes] == ["from", "to", "capacity (FTE)", "reason"]


def test_a_scenarios_capacity_change_names_its_resource_on_the_scenarios_history(
    users: Any, org: Any
) -> None:
    ana = pool(org, code="ana-li", name="Ana Li", kind="person", fte=Decimal("1"))
    scenario = services.create_scenario(actor=users["admin"], name="Leave")
    services.add_capacity_change(
        actor=users["admin"],
        resource=ana,
        first=MON,
        last=FRI,
        fte=Decimal("0.5"),
        scenario=scenario,
    )
    [shown] = shown_events(_events("resources.capacitychange"))
    assert shown.label == "capacity change of Ana Li, 2026-03-02 – 2026-03-06, 0.5 FTE"
    assert "resource" in [c.label for c in shown.changes]


def test_older_events_keep_their_names(users: Any, org: Any) -> None:
    # an event recorded before the names keeps its text, read as before
    java = pool(org)
    old = AuditEvent.objects.create(
        actor_name="pmo",
        action="update",
        object_type="resources.allocation",
        object_id="1",
        object_repr=f"{java.pk} on 9 2026-03-02..2026-03-06 0.50",
        scope="project:9",
        changes={},
    )
    old.refresh_from_db()
    assert old.object_repr == f"{java.pk} on 9 2026-03-02..2026-03-06 0.50"
    [shown] = shown_events([old])
    assert shown.label == (
        "allocation of Java developer, Shanghai, 2026-03-02 – 2026-03-06, 0.50 FTE"
    )


def test_a_shift_and_a_calendar_day_read_as_words(users: Any, org: Any, make_project: Any) -> None:
    project = make_project(code="P0017")
    scenario = services.create_scenario(actor=users["admin"], name="S")
    shift = ProjectShift(scenario=scenario, project=project, days=5)
    assert str(shift) == "P0017 +5 days"
    shift.priority, shift.pinned, shift.days = 2, True, -3
    assert str(shift) == "P0017 -3 days · priority 2 · pinned"
    holiday = CalendarDay(calendar="CN", day=dt.date(2026, 10, 1), name="National Day")
    assert str(holiday) == "2026-10-01 · National Day · CN · day off"
    extra = CalendarDay(calendar="", day=dt.date(2026, 9, 27), working=True)
    assert str(extra) == "2026-09-27 · Mon-Fri · working day"


def _named_reads(work: Any) -> int:
    """SELECTs of resources and projects while ``work()`` runs."""
    with CaptureQueriesContext(connection) as queries:
        work()
    tables = ('FROM "resources_resource"', 'FROM "portfolio_project"')
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and any(t in q["sql"] for t in tables)
        and "resources_allocation" not in q["sql"]
    )


def _commit_reads(count: int, users: Any, org: Any, make_project: Any) -> int:
    """A scenario that removes, changes and adds ``count`` rows each, committed."""
    admin = users["admin"]
    Allocation.objects.all().delete()
    live = []
    for n in range(count):
        resource = pool(org, code=f"r-{count}-{n}", name=f"R {count} {n}")
        project = make_project()
        live.append(allocate(resource, project, MON, FRI, "1"))
        live.append(allocate(resource, project, MON, FRI, "0.5"))
    scenario = services.create_scenario(actor=admin, name=f"Commit {count}")
    for gone, changed in zip(live[::2], live[1::2], strict=True):
        Allocation.objects.filter(scenario=scenario, origin=gone).delete()
        Allocation.objects.filter(scenario=scenario, origin=changed).update(fte=Decimal("2"))
        allocate(gone.resource, gone.project, MON, MON, "1", scenario=scenario)
    scenario = Scenario.objects.get(pk=scenario.pk)
    reads = _named_reads(lambda: services.commit_scenario(actor=admin, scenario=scenario))
    names = [e.object_repr for e in AuditEvent.objects.filter(object_type="resources.allocation")]
    assert any(r.startswith(f"R {count} 0 · ") for r in names)
    return reads


def test_a_commit_names_its_rows_without_a_query_each(
    users: Any, org: Any, make_project: Any
) -> None:
    assert _commit_reads(1, users, org, make_project) == _commit_reads(4, users, org, make_project)


def _release_reads(count: int, users: Any, org: Any, make_project: Any) -> int:
    project = make_project()
    for n in range(count):
        resource = pool(org, code=f"q-{count}-{n}", name=f"Q {count} {n}")
        allocate(resource, project, MON, FRI, "1")  # cut to end before Wednesday
        allocate(resource, project, FRI, FRI, "1")  # removed
    wednesday = MON + dt.timedelta(days=2)
    return _named_reads(
        lambda: services.release_project(actor=users["admin"], project=project, day=wednesday)
    )


def test_releasing_an_ended_project_names_its_rows_without_a_query_each(
    users: Any, org: Any, make_project: Any
) -> None:
    assert _release_reads(1, users, org, make_project) == _release_reads(
        4, users, org, make_project
    )
