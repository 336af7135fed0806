"""Two people at once on the capacity pages: every 409 names who changed the thing and when
(and, for a request, what), not only that "someone else" did."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError
from pmo.resources import services
from pmo.resources.leveling_runs import start_leveling
from pmo.resources.models import Allocation, CapacityChange, LevelingRun, Scenario
from pmo.resources.services.capacity import remove_capacity_change, update_capacity_change
from pmo.resources.tests.factories import MON, allocate, bearer, pool, two_requests

# 02:15 UTC is 10:15 in Shanghai, the settings' time zone
AT = dt.datetime(2026, 3, 2, 2, 15, tzinfo=dt.UTC)
SAID_AT = "2026-03-02 10:15"


def _send(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def _dated(model: Any, pk: int) -> None:
    """The row's events happened at :data:`AT`."""
    AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id=str(pk)).update(
        timestamp=AT
    )


# 1. the API's 409 on a stale version


def test_a_stale_allocation_patch_names_who_changed_it_and_when(
    client: Any, users: dict[str, Any], org: Any, make_project: Any
) -> None:
    # given a proposal its project's manager (Zhang Wei) changed to version 2
    row = allocate(pool(org), make_project(), MON, MON + dt.timedelta(days=4), "1")
    services.update_allocation(
        actor=users["pm"], allocation=row, data={"fte": Decimal("0.5")}, version=1
    )
    _dated(Allocation, row.pk)
    # when a client that read version 1 changes it
    answer = _send(
        client,
        "patch",
        f"/api/v1/allocations/{row.pk}",
        {"version": 1, "fte": "2"},
        users["member"],
    )
    # then the 409 names them, keeping the current version
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        f"allocation {row.pk} was changed by Zhang Wei at {SAID_AT} "
        "(your version 1, current version 2); reload and retry."
    )
    assert answer.json()["current_version"] == 2
    gone = client.delete(f"/api/v1/allocations/{row.pk}?version=1", headers=bearer(users["member"]))
    assert gone.status_code == 409
    assert gone.json()["detail"].startswith(f"allocation {row.pk} was changed by Zhang Wei at ")
    row.refresh_from_db()
    assert (row.fte, row.version) == (Decimal("0.50"), 2)


def test_a_stale_resource_or_capacity_change_names_who_changed_it(
    client: Any, users: dict[str, Any], org: Any
) -> None:
    java = pool(org)
    services.update_resource(actor=users["admin"], resource=java, data={"fte": 3}, version=1)
    _dated(type(java), java.pk)
    stale = _send(client, "patch", f"/api/v1/resources/{java.pk}", {"version": 1}, users["member"])
    assert stale.status_code == 409
    assert stale.json()["detail"] == (
        f"resource {java.pk} was changed by admin at {SAID_AT} "
        "(your version 1, current version 2); reload and retry."
    )
    assert stale.json()["current_version"] == 2
    change = services.add_capacity_change(
        actor=users["member"], resource=java, first=MON, last=MON, fte=Decimal("1"), reason=""
    )
    update_capacity_change(
        actor=users["admin"], change=change, data={"reason": "training"}, version=1
    )
    _dated(CapacityChange, change.pk)
    url = f"/api/v1/resources/{java.pk}/capacity/{change.pk}"
    answer = _send(client, "patch", url, {"version": 1, "fte": "0"}, users["member"])
    assert answer.status_code == 409
    assert answer.json()["detail"].startswith(
        f"capacity change {change.pk} was changed by admin at {SAID_AT} (your version 1"
    )
    assert answer.json()["current_version"] == 2


def test_a_stale_version_with_no_event_still_says_someone_else(
    client: Any, users: dict[str, Any], org: Any, make_project: Any
) -> None:
    row = allocate(pool(org), make_project(), MON, MON, "1")
    Allocation.objects.filter(pk=row.pk).update(version=3)  # by a script: nothing recorded
    answer = _send(
        client, "patch", f"/api/v1/allocations/{row.pk}", {"version": 1}, users["member"]
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "allocation was changed by someone else (your version 1, current version 3); "
        "reload and retry."
    )


# 2. and 3. deciding requests


def test_a_request_changed_meanwhile_names_who_and_what(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, _drop, _project = two_requests(org, make_project)
    other = pool(org, code="py-sh", name="Python developer")
    # the project's manager halves it and moves it a week later, to another pool
    services.update_allocation(
        actor=users["pm"],
        allocation=keep,
        data={
            "fte": Decimal("0.25"),
            "first": MON + dt.timedelta(days=7),
            "last": MON + dt.timedelta(days=11),
        },
        version=1,
    )
    keep.refresh_from_db()
    services.update_allocation(
        actor=users["pm"], allocation=keep, data={"resource_id": other.pk}, version=2
    )
    _dated(Allocation, keep.pk)
    keep.refresh_from_db()
    with pytest.raises(ConflictError) as caught:
        services.decide_requests(actor=users["member"], commit=[(keep.pk, 1)])
    assert caught.value.message == (
        f"the request {keep.pk} ({keep}) was changed by Zhang Wei at {SAID_AT} "
        "(java-sh → py-sh, 2026-03-02–2026-03-06 → 2026-03-09–2026-03-13, 0.5 → 0.25 FTE); "
        "reload the requests"
    )
    assert caught.value.current_version == 3
    # read at version 2: only the resource changed since
    with pytest.raises(ConflictError) as again:
        services.decide_requests(actor=users["member"], commit=[(keep.pk, 2)])
    assert f"at {SAID_AT} (java-sh → py-sh); reload the requests" in again.value.message
    keep.refresh_from_db()
    assert keep.status == "proposed"


def test_a_request_committed_meanwhile_names_who_committed_it(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, _drop, _project = two_requests(org, make_project)
    label = str(keep)
    services.decide_requests(actor=users["admin"], commit=[(keep.pk, 1)])
    _dated(Allocation, keep.pk)
    with pytest.raises(ConflictError) as caught:
        services.decide_requests(actor=users["member"], commit=[(keep.pk, 1)])
    assert caught.value.message == (
        f"the request {keep.pk} ({label}) was committed already by admin at {SAID_AT}; "
        "reload the requests"
    )


# 4. and 6. scenarios


def test_a_second_leveling_start_names_who_started_the_run_and_when(
    users: dict[str, Any], org: Any
) -> None:
    scenario = Scenario.objects.create(name="What if")
    run = LevelingRun.objects.create(scenario=scenario, created_by=users["pm"])
    started = timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M")  # just now
    with pytest.raises(ConflictError) as caught:
        start_leveling(actor=users["member"], scenario=scenario)
    assert caught.value.message == (
        f"leveling run {run.pk} of this scenario is under way (started by Zhang Wei at "
        f"{started}); wait for it to end or cancel it, then try again"
    )


def test_a_shift_with_a_stale_scenario_version_is_409_naming_who(
    client: Any, users: dict[str, Any], org: Any, make_project: Any
) -> None:
    project = make_project()
    allocate(pool(org), project, MON, MON + dt.timedelta(days=4), "1")
    made = _send(client, "post", "/api/v1/scenarios", {"name": "Nightly"}, users["member"])
    pk, read = made.json()["id"], made.json()["version"]
    put = f"/api/v1/scenarios/{pk}/shifts/{project.code}"
    # the admin moves the project first
    assert (
        _send(client, "put", put, {"days": 7, "version": read}, users["admin"]).status_code == 200
    )
    AuditEvent.objects.filter(object_type="resources.scenario", object_id=str(pk)).update(
        timestamp=AT
    )
    now = Scenario.objects.get(pk=pk).version
    # then the member's calls at the version they read are refused, naming the admin
    for method, url, body in [
        ("put", put, {"days": 14, "version": read}),
        ("put", put, {"days": 7, "pinned": True, "version": read}),
        (
            "post",
            f"/api/v1/scenarios/{pk}/shifts",
            {"project": project.code, "days": 1, "priority": 1, "version": read},
        ),
    ]:
        answer = _send(client, method, url, body, users["member"])
        assert answer.status_code == 409, answer.json()
        assert answer.json()["detail"] == (
            f"the scenario was changed by admin at {SAID_AT} (your version {read}, current {now})"
        )
        assert answer.json()["current_version"] == now
    shift = client.get(f"/api/v1/scenarios/{pk}", headers=bearer(users["member"])).json()
    assert shift["shifts"] == [
        {"project": project.code, "days": 7, "priority": None, "pinned": False}
    ]
    # at the current version, or with none (the last writer wins, as before), it is done
    ok = _send(client, "put", put, {"days": 14, "version": now}, users["member"])
    assert ok.status_code == 200 and ok.json()["days"] == 14
    unchecked = _send(client, "put", put, {"days": 21, "pinned": True}, users["member"])
    assert unchecked.status_code == 200 and unchecked.json()["pinned"] is True


# 5. a stale capacity sheet import


def _sheet(java_fte: int) -> Any:
    from pmo.resources.tests.test_capacity_sheet_report import JAN, JAVA, _book, _week

    python = ["py", "Python developers", "pool", "Python", "sh", 4, 400]
    java = [*JAVA[:5], java_fte, JAVA[6]]
    return _book(
        [java, python, ["go", "Go developers", "pool", "Go", "sh", 2, 300]],
        [["java", *_week(JAN), 10, "hiring"], ["py", *_week(JAN), 3, "leave"]],
    )


def _import(client: Any, user: Any, java_fte: int, query: str) -> Any:
    sheet = _sheet(java_fte)
    return client.post(f"/api/v1/capacity/import?{query}", {"file": sheet}, headers=bearer(user))


def test_a_stale_sheet_import_names_the_resources_changed_since_the_check(
    client: Any, users: dict[str, Any], org: Any
) -> None:
    from pmo.resources.models import Resource

    # given the sheet imported, then a check of its next version (Java 13 FTE)
    assert _import(client, users["admin"], 12, "").status_code == 200
    checked = _import(client, users["admin"], 13, "dry_run=true").json()["fingerprint"]
    # and since the check, someone changes Python's resource and removes Java's change
    python = Resource.objects.get(code="py")
    services.update_resource(actor=users["member"], resource=python, data={"fte": 5}, version=1)
    gone = CapacityChange.objects.get(resource__code="java")
    remove_capacity_change(actor=users["member"], change=gone, version=1)
    # when the checked sheet is imported
    answer = _import(client, users["admin"], 13, f"expected={checked}")
    # then nothing is, and the answer names what changed since the check (Go did not)
    assert answer.status_code == 409, answer.content
    assert answer.json()["changed_since"] == ["java", "py"]
    assert answer.json()["detail"] == (
        "Nothing was imported: stored rows of the sheet were changed since it was checked "
        "(resources java, py); check what it does now."
    )
    assert Resource.objects.get(code="java").fte == 12
    # a fingerprint no moment had (another sheet's check): nothing to name
    other = _import(client, users["admin"], 13, f"expected={'0' * 32}")
    assert other.status_code == 409
    assert other.json()["changed_since"] == []
    assert "changes of the sheet were changed since it was checked" in other.json()["detail"]


def test_a_stale_sheet_names_ten_resources_and_counts_the_rest() -> None:
    from pmo.resources.xlsx_stale import codes_text

    codes = [f"r{n:02d}" for n in range(1, 13)]
    assert codes_text(codes) == "r01, r02, r03, r04, r05, r06, r07, r08, r09, r10 and 2 more"
    assert codes_text(codes[:10]) == ", ".join(codes[:10])
