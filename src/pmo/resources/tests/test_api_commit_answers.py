"""What committing a scenario answers a client: the refresh to call when the plan moved on,
the projects whose work now ends after their planned finish, the capacity changes' ids
kept, and the 409 naming the run for a capacity change during a leveling run."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pmo.resources.models import CapacityChange, LevelingRun
from pmo.resources.tests.factories import MON, allocate, bearer, pool

FRI = MON + dt.timedelta(days=4)


def _post(client: Any, url: str, body: Any, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def _capacity(java: Any, first: dt.date, days: int, fte: str, scenario: int | None = None) -> Any:
    return CapacityChange.objects.create(
        resource=java,
        scenario_id=scenario,
        first=first,
        last=first + dt.timedelta(days=days),
        fte=Decimal(fte),
    )


def test_a_stale_scenarios_commit_points_to_the_refresh(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    allocate(java, make_project(), MON, FRI, "1")
    pk = _post(client, "/api/v1/scenarios", {"name": "Old"}, users["member"]).json()["id"]
    _capacity(java, MON, 4, "1")  # the current plan's capacity changes after the copy
    refused = _post(client, f"/api/v1/scenarios/{pk}/commit", {}, users["member"])
    assert refused.status_code == 409
    assert refused.json()["refresh_url"] == f"/api/v1/scenarios/{pk}/refresh"
    assert refused.json()["detail"] == (
        "capacity changed since this scenario was created; refresh it from the current "
        "plan, which keeps the scenario's own changes that still apply, then commit: "
        f"POST /api/v1/scenarios/{pk}/refresh"
    )
    assert _post(client, refused.json()["refresh_url"], {}, users["member"]).status_code == 200
    assert _post(client, f"/api/v1/scenarios/{pk}/commit", {}, users["member"]).status_code == 200


def test_commit_lists_the_projects_now_running_past_their_planned_finish(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    late = make_project(planned_finish=dt.date(2026, 3, 13))  # a Friday
    on_time = make_project(planned_finish=dt.date(2026, 12, 31))
    allocate(java, late, MON, FRI, "1")
    allocate(java, on_time, MON, FRI, "1")
    pk = _post(client, "/api/v1/scenarios", {"name": "Later"}, users["member"]).json()["id"]
    for project in (late, on_time):
        _post(
            client,
            f"/api/v1/scenarios/{pk}/shifts",
            {"project": project.code, "days": 14},
            users["member"],
        )
    done = _post(client, f"/api/v1/scenarios/{pk}/commit", {}, users["member"])
    assert done.status_code == 200
    assert done.json()["late_projects"] == [
        {
            "code": late.code,
            "planned_finish": "2026-03-13",
            "allocations_end": "2026-03-20",
            "working_days_late": 5,
        }
    ]


def test_commit_keeps_the_ids_of_untouched_capacity_changes(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    allocate(java, make_project(), MON, FRI, "1")
    leave = _capacity(java, MON, 4, "1")
    growth = _capacity(java, MON + dt.timedelta(days=14), 6, "3")
    pk = _post(client, "/api/v1/scenarios", {"name": "Cap"}, users["member"]).json()["id"]
    CapacityChange.objects.get(scenario_id=pk, first=growth.first).delete()  # dropped
    _capacity(java, MON + dt.timedelta(days=28), 4, "4", scenario=pk)  # added
    done = _post(client, f"/api/v1/scenarios/{pk}/commit", {}, users["member"])
    assert done.json()["capacity_changes"] == 2
    live = CapacityChange.objects.filter(scenario=None).order_by("first")
    assert [c.fte for c in live] == [Decimal("1"), Decimal("4")]
    assert live[0].pk == leave.pk  # unchanged: same id
    assert not CapacityChange.objects.filter(pk=growth.pk).exists()


def test_a_scenario_capacity_change_during_a_run_is_409_naming_it(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    allocate(java, make_project(), MON, FRI, "1")
    pk = _post(client, "/api/v1/scenarios", {"name": "Run"}, users["member"]).json()["id"]
    run = LevelingRun.objects.create(scenario_id=pk, created_by=users["member"])
    body = {"first": str(MON), "last": str(FRI), "fte": "0", "scenario_id": pk}
    answer = _post(client, f"/api/v1/resources/{java.pk}/capacity", body, users["member"])
    assert answer.status_code == 409
    assert answer.json()["run_id"] == run.pk
    assert not CapacityChange.objects.filter(scenario_id=pk).exists()
    discarded = _post(client, f"/api/v1/scenarios/{pk}/discard", {}, users["member"])
    assert discarded.status_code == 200  # throwing it away stays possible
