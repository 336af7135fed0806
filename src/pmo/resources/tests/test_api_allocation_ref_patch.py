"""``PATCH /allocations/{id}`` sets, changes and clears the client's ``external_ref``: a key
names one row of its layer (another row's key is a 409 at the field), schedule demand takes
none, the change is audited, and a scenario that swapped keys commits them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent
from pmo.resources import refresh, services
from pmo.resources.models import Allocation, AllocationSource, Scenario
from pmo.resources.tests.factories import MON, allocate, bearer, pool

WEEK = MON + dt.timedelta(days=4)


def _call(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def _patch(client: Any, row: Allocation, user: Any, **fields: Any) -> Any:
    row.refresh_from_db()
    body = {"version": row.version, **fields}
    return _call(client, "patch", f"/api/v1/allocations/{row.pk}", body, user)


def test_a_patch_sets_changes_and_clears_the_ref_and_the_trail_records_it(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given an allocation without a key
    row = allocate(pool(org), make_project(), MON, WEEK, "1")
    admin = users["admin"]
    # when the integrator gives it one, changes it, sends it again and removes it
    given = _patch(client, row, admin, external_ref="nightly-7")
    changed = _patch(client, row, admin, external_ref="nightly-8")
    again = _patch(client, row, admin, external_ref="nightly-8")
    cleared = _patch(client, row, admin, external_ref=None)
    # then each answer carries the row's key, and the repeat is no change
    assert [a.status_code for a in (given, changed, again, cleared)] == [200, 200, 200, 200]
    assert [a.json()["external_ref"] for a in (given, changed, again, cleared)] == [
        "nightly-7",
        "nightly-8",
        "nightly-8",
        None,
    ]
    assert [a.json()["version"] for a in (given, changed, again, cleared)] == [2, 3, 3, 4]
    row.refresh_from_db()
    assert row.external_ref == ""
    events = list(
        AuditEvent.objects.filter(
            object_type="resources.allocation", object_id=str(row.pk), action="update"
        ).order_by("pk")
    )
    assert [e.changes for e in events] == [
        {"external_ref": ["", "nightly-7"]},
        {"external_ref": ["nightly-7", "nightly-8"]},
        {"external_ref": ["nightly-8", ""]},
    ]
    # and a history page shows the key's changes (no form edits it, yet readers ask)
    shown = [[(c.label, c.before, c.after) for c in e.changes] for e in shown_events(events)]
    assert shown == [
        [("external reference", "∅", "nightly-7")],
        [("external reference", "nightly-7", "nightly-8")],
        [("external reference", "nightly-8", "∅")],
    ]
    # and a POST with the key it had finds no row now: it adds one
    body = {
        "resource_id": row.resource_id,
        "project": row.project.code,
        "first": str(MON),
        "last": str(WEEK),
        "fte": "1",
        "external_ref": "nightly-8",
    }
    assert _call(client, "post", "/api/v1/allocations", body, admin).status_code == 201


def test_a_ref_another_row_of_the_layer_has_is_a_409_naming_the_field(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java, project = pool(org), make_project()
    taken = allocate(java, project, MON, WEEK, "1", external_ref="nightly-1")
    row = allocate(java, project, MON, WEEK, "0.5")
    answer = _patch(client, row, users["admin"], external_ref="nightly-1", fte="0.7")
    assert answer.status_code == 409
    body = answer.json()
    assert body["errors"] == [{"field": "external_ref", "message": body["detail"]}]
    assert f"allocation {taken.pk} has the external_ref nightly-1" in body["detail"]
    row.refresh_from_db()  # nothing half-written
    assert (row.external_ref, str(row.fte), row.version) == ("", "0.50", 1)
    # the same key in a scenario's own row is another layer's: no clash with the plan
    pk = _call(client, "post", "/api/v1/scenarios", {"name": "S"}, users["member"]).json()["id"]
    copy = Allocation.objects.get(scenario_id=pk, origin=row)
    assert _patch(client, copy, users["member"], external_ref="nightly-9").status_code == 200
    other = Allocation.objects.get(scenario_id=pk, origin=taken)
    clash = _patch(client, other, users["member"], external_ref="nightly-9")
    assert clash.status_code == 409
    assert clash.json()["errors"][0]["field"] == "external_ref"


def test_a_blank_ref_is_refused_and_schedule_demand_takes_none(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java, project = pool(org), make_project()
    row = allocate(java, project, MON, WEEK, "1")
    blank = _patch(client, row, users["admin"], external_ref=" ")
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "external_ref"
    allocate(java, project, MON, WEEK, "1", source=AllocationSource.SCHEDULE, status="committed")
    pk = _call(client, "post", "/api/v1/scenarios", {"name": "S"}, users["member"]).json()["id"]
    copy = Allocation.objects.get(scenario_id=pk, source=AllocationSource.SCHEDULE)
    planned = _patch(client, copy, users["member"], external_ref="x")
    assert planned.status_code == 422
    assert planned.json()["errors"][0]["field"] == "external_ref"
    assert _patch(client, copy, users["member"], fte="0.5").status_code == 200  # else editable


def test_a_scenario_that_swapped_two_keys_commits_them(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given two plan rows with keys, swapped in a scenario
    java, project = pool(org), make_project()
    a = allocate(java, project, MON, WEEK, "1", external_ref="a")
    b = allocate(java, project, MON, WEEK, "0.5", external_ref="b")
    member = users["member"]
    pk = _call(client, "post", "/api/v1/scenarios", {"name": "Swap"}, member).json()["id"]
    copy_a = Allocation.objects.get(scenario_id=pk, origin=a)
    copy_b = Allocation.objects.get(scenario_id=pk, origin=b)
    assert _patch(client, copy_a, member, external_ref=None).status_code == 200
    assert _patch(client, copy_b, member, external_ref="a").status_code == 200
    assert _patch(client, copy_a, member, external_ref="b").status_code == 200
    # when it is committed, then the plan's rows have the swapped keys
    answer = _call(client, "post", f"/api/v1/scenarios/{pk}/commit", {}, member)
    assert answer.status_code == 200, answer.content
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.external_ref, b.external_ref) == ("b", "a")


def test_a_scenarios_own_row_keeps_its_key_over_the_plans_on_commit(
    users: Any, org: Any, make_project: Any
) -> None:
    # given a scenario's own row with key x, and a plan row that took x later (the refresh
    # left the scenario's copy of it without the key)
    java, project = pool(org), make_project()
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="Mine")
    row = {"resource_id": java.pk, "project_id": project.pk, "first": MON, "last": MON}
    services.upsert_allocation(
        actor=member, data={**row, "fte": Decimal("1"), "external_ref": "x"}, scenario=scenario
    )
    plan_row, _created = services.upsert_allocation(
        actor=member, data={**row, "fte": Decimal("2"), "external_ref": "x"}
    )
    refresh.refresh_scenario(actor=member, scenario=Scenario.objects.get(pk=scenario.pk))
    # when it is committed, then the key is the scenario's row's, and the plan's row has none
    services.commit_scenario(actor=member, scenario=Scenario.objects.get(pk=scenario.pk))
    rows = Allocation.objects.filter(scenario=None).order_by("pk")
    assert [(a.fte, a.external_ref) for a in rows] == [(Decimal("2"), ""), (Decimal("1"), "x")]
    assert rows[0].pk == plan_row.pk
