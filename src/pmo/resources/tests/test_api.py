"""Capacity endpoints: CRUD, version checks, heat map, scenarios, errors as 4xx JSON."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook

from pmo.resources.models import Allocation, Resource
from pmo.resources.tests.factories import MON, allocate, bearer, pool


def _post(client: Any, url: str, body: Any, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def _patch(client: Any, url: str, body: Any, user: Any) -> Any:
    return client.patch(
        url, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def test_resource_create_read_patch(client: Any, users: Any, org: Any) -> None:
    body = {
        "code": "java-sh",
        "name": "Java developer, Shanghai",
        "kind": "pool",
        "role": "Java developer",
        "org_unit_id": org["sh"].pk,
        "fte": "12",
    }
    made = _post(client, "/api/v1/resources", body, users["admin"])
    assert made.status_code == 201
    pk = made.json()["id"]
    assert made.json()["fte"] == 12.0
    listed = client.get("/api/v1/resources", headers=bearer(users["exec"])).json()
    assert [r["code"] for r in listed["items"]] == ["java-sh"]
    ok = _patch(
        client,
        f"/api/v1/resources/{pk}",
        {"version": 1, "fte": "10", "role_zh": "Java开发工程师"},
        users["admin"],
    )
    assert (ok.status_code, ok.json()["fte"], ok.json()["version"]) == (200, 10.0, 2)
    assert (ok.json()["role"], ok.json()["role_zh"]) == ("Java developer", "Java开发工程师")
    stale = _patch(client, f"/api/v1/resources/{pk}", {"version": 1, "fte": "9"}, users["admin"])
    assert (stale.status_code, stale.json()["current_version"]) == (409, 2)
    denied = _post(client, "/api/v1/resources", {**body, "code": "x"}, users["pm"])
    assert denied.status_code == 403
    assert client.get("/api/v1/resources", headers=bearer(users["viewer"])).status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "robot"}, "kind"),
        ({"fte": "-1"}, "fte"),
        ({"org_unit_id": 999999}, "org_unit_id"),
        ({"available_from": "2026-05-01", "available_until": "2026-04-01"}, "available_until"),
        ({"code": "has space"}, "code"),
        ({"calendar": "XX"}, "calendar"),
    ],
)
def test_bad_resources_are_4xx(client: Any, users: Any, org: Any, body: Any, field: str) -> None:
    base = {"code": "ok", "name": "N", "kind": "pool", "role": "R", "org_unit_id": org["sh"].pk}
    answer = _post(client, "/api/v1/resources", {**base, **body}, users["admin"])
    assert 400 <= answer.status_code < 500
    assert answer.json()["detail"]
    assert any(field == e["field"] for e in answer.json()["errors"])
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"resource_id": 999999}, "resource_id"),
        ({"scenario_id": 999999}, "scenario_id"),
        ({"project": "NOPE"}, "project"),
        ({"last": "2026-03-01"}, "last"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_allocation_names_the_body_field(
    client: Any, users: Any, org: Any, make_project: Any, body: Any, field: str
) -> None:
    java = pool(org)
    base = {
        "resource_id": java.pk,
        "project": make_project().code,
        "first": "2026-03-02",
        "last": "2026-03-06",
        "fte": "1",
    }
    answer = _post(client, "/api/v1/allocations", {**base, **body}, users["admin"])
    assert answer.status_code == 422, answer.json()
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert not Allocation.objects.exists()


@pytest.mark.usefixtures("on_mon")
def test_allocations_heatmap_and_causes(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a = make_project()
    answer = _post(
        client,
        "/api/v1/allocations",
        {
            "resource_id": java.pk,
            "project": a.code,
            "first": str(MON),
            "last": str(MON + dt.timedelta(days=4)),
            "fte": "2.5",
            "status": "committed",
        },
        users["admin"],
    )
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["project"], answer.json()["resource"]) == (a.code, "java-sh")
    heat = client.get(
        f"/api/v1/capacity/heatmap?start={MON}&periods=2", headers=bearer(users["exec"])
    ).json()
    assert heat["rows"][0]["cells"] == [
        {"capacity": 2.0, "demand": 2.5, "overloaded": True, "past": False},
        {"capacity": 2.0, "demand": 0.0, "overloaded": False, "past": False},
    ]
    assert (heat["overloaded_cells"], heat["assumed_years"], heat["unit"]) == (1, [], "fte")
    hours = client.get(
        f"/api/v1/capacity/heatmap?start={MON}&periods=1&unit=hours", headers=bearer(users["exec"])
    ).json()
    assert (hours["rows"][0]["cells"][0]["demand"], hours["overload"]) == (100.0, 20.0)
    bad = client.get("/api/v1/capacity/heatmap?unit=days", headers=bearer(users["exec"]))
    assert bad.status_code == 422
    causes = client.get(
        f"/api/v1/capacity/causes?by=role&key=Java developer&first={MON}"
        f"&last={MON + dt.timedelta(days=6)}",
        headers=bearer(users["exec"]),
    ).json()
    assert [(c["code"], c["demand"]) for c in causes] == [(a.code, 2.5)]
    other = pool(org, code="java-sz", name="Java developer, Shenzhen")
    week = f"first={MON}&last={MON + dt.timedelta(days=6)}"
    room = client.get(
        f"/api/v1/capacity/room?resource_id={java.pk}&{week}", headers=bearer(users["exec"])
    )
    assert room.status_code == 200, room.content
    assert room.json() == [
        {
            "resource_id": other.pk,
            "label": "Java developer, Shenzhen",
            "capacity": 2.0,
            "demand": 0.0,
            "free": 2.0,
        }
    ]
    missing = client.get(
        f"/api/v1/capacity/room?resource_id=0&{week}", headers=bearer(users["exec"])
    )
    assert missing.status_code == 404 and "no resource 0" in missing.json()["detail"]
    backwards = client.get(
        f"/api/v1/capacity/room?resource_id={java.pk}&first={MON}&last={MON - dt.timedelta(1)}",
        headers=bearer(users["exec"]),
    )
    assert backwards.status_code == 422
    pk = answer.json()["id"]
    stale = _patch(client, f"/api/v1/allocations/{pk}", {"version": 5, "fte": "1"}, users["admin"])
    assert stale.status_code == 409
    gone = client.delete(f"/api/v1/allocations/{pk}?version=1", headers=bearer(users["admin"]))
    assert gone.status_code == 204
    assert Allocation.objects.count() == 0


def test_scenario_round_trip(client: Any, users: Any, org: Any, make_project: Any) -> None:
    java = pool(org)
    a, b = make_project(), make_project()
    allocate(java, a, MON, MON + dt.timedelta(days=4), "1.5")
    allocate(java, b, MON, MON + dt.timedelta(days=4), "1")
    made = _post(client, "/api/v1/scenarios", {"name": "Move B"}, users["member"])
    assert made.status_code == 201
    pk = made.json()["id"]
    shift = _post(
        client, f"/api/v1/scenarios/{pk}/shifts", {"project": b.code, "days": 7}, users["member"]
    )
    assert shift.json() == {"project": b.code, "days": 7, "priority": None, "pinned": False}
    heat = client.get(
        f"/api/v1/capacity/heatmap?start={MON}&periods=2&scenario_id={pk}",
        headers=bearer(users["exec"]),
    ).json()
    assert heat["overloaded_cells"] == 0
    assert _post(client, f"/api/v1/scenarios/{pk}/commit", {}, users["pm"]).status_code == 403
    # the project's manager may propose in the current plan, but a resource manager's what-if
    # is not theirs to change (the page refused it; the API let it through)
    copy = Allocation.objects.get(scenario_id=pk, project=a)
    body = {"resource_id": java.pk, "project": a.code, "first": str(MON), "last": str(MON)}
    body |= {"fte": 0.1, "status": "proposed", "scenario_id": pk}
    assert _post(client, "/api/v1/allocations", body, users["pm"]).status_code == 403
    patched = _patch(
        client, f"/api/v1/allocations/{copy.pk}", {"version": 1, "fte": 3}, users["pm"]
    )
    assert patched.status_code == 403
    gone = client.delete(f"/api/v1/allocations/{copy.pk}?version=1", headers=bearer(users["pm"]))
    assert gone.status_code == 403
    assert Allocation.objects.get(pk=copy.pk).fte == copy.fte
    done = _post(client, f"/api/v1/scenarios/{pk}/commit", {}, users["member"])
    assert (done.status_code, done.json()["updated"]) == (200, 1)
    again = _post(client, f"/api/v1/scenarios/{pk}/discard", {}, users["member"])
    assert again.status_code == 409
    missing = client.get("/api/v1/scenarios/99999", headers=bearer(users["exec"]))
    assert missing.status_code == 404


_HEADER = ["code", "name", "kind", "role", "org_unit", "fte", "available_from"]


def _sheet(
    resources: list[list[Any]],
    capacity: list[list[Any]] | None = None,
    header: list[str] = _HEADER,
) -> BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = "Resources"
    ws.append(header)
    for row in resources:
        ws.append(row)
    if capacity is not None:
        cs = book.create_sheet("Capacity")
        cs.append(["resource", "from", "to", "fte", "reason"])
        for row in capacity:
            cs.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "capacity.xlsx"
    return out


def test_capacity_sheet_import(client: Any, users: Any, org: Any) -> None:
    good = _sheet(
        [
            ["java-sh", "Java developer", "pool", "Java", "sh", 12, None],
            ["ana", "Ana Li", "person", "Analyst", "uk-it", 0.5, dt.date(2026, 4, 1)],
        ],
        [["ana", dt.date(2026, 5, 4), dt.date(2026, 5, 8), 0, "leave"]],
    )
    answer = client.post("/api/v1/capacity/import", {"file": good}, headers=bearer(users["admin"]))
    counts = ("resources_created", "resources_updated", "capacity_changes")
    assert {k: answer.json()[k] for k in counts} == {
        "resources_created": 2,
        "resources_updated": 0,
        "capacity_changes": 1,
    }
    ana = Resource.objects.get(code="ana")
    assert (str(ana.fte), ana.available_from, ana.changes.get().reason) == (
        "0.50",
        dt.date(2026, 4, 1),
        "leave",
    )


def test_capacity_sheet_with_every_column_some_left_empty(
    client: Any, users: Any, org: Any
) -> None:
    # the downloadable template has every column; an empty currency cell used to refuse the row
    header = ["code", "name", "kind", "role", "org_unit", "fte", "cost_rate", "currency"]
    rows = [
        ["java-sh", "Java", "pool", "Java", "sh", 0.333333, 300, None],
        ["qa-ldn", "QA", "pool", "QA", "uk-it", 2, 60.125, "gbp"],
    ]
    out = _sheet(rows, [["qa-ldn", dt.date(2026, 5, 4), dt.date(2026, 5, 8), 1.0 / 3, ""]], header)
    answer = client.post("/api/v1/capacity/import", {"file": out}, headers=bearer(users["admin"]))
    assert answer.status_code == 200, answer.json()
    java, qa = Resource.objects.get(code="java-sh"), Resource.objects.get(code="qa-ldn")
    assert (str(java.fte), java.currency) == ("0.33", "CNY")  # rounded as stored; the default
    assert (str(qa.cost_rate), qa.currency, str(qa.changes.get().fte)) == ("60.13", "GBP", "0.33")
    # an empty currency on a later import keeps the one the resource has
    again = _sheet([["qa-ldn", "QA", "pool", "QA", "uk-it", 2, 60, None]], None, header)
    answer = client.post("/api/v1/capacity/import", {"file": again}, headers=bearer(users["admin"]))
    assert answer.status_code == 200, answer.json()
    assert Resource.objects.get(code="qa-ldn").currency == "GBP"


def test_capacity_sheet_limits_and_repeated_codes(
    client: Any, users: Any, org: Any, monkeypatch: Any
) -> None:
    from pmo.resources import xlsx

    header = ["code", "name", "kind", "role", "org_unit"]
    twice = [["a", "A", "pool", "QA", "sh"], ["b", "B", "pool", "QA", "sh"]] * 2

    def answer() -> dict[str, Any]:
        sheet = {"file": _sheet(twice, None, header)}
        response = client.post("/api/v1/capacity/import", sheet, headers=bearer(users["admin"]))
        assert response.status_code == 422
        return response.json()  # type: ignore[no-any-return]

    refused = answer()
    assert [e["field"] for e in refused["errors"]] == [f"Resources!A{n}" for n in (2, 3, 4, 5)]
    assert "code “a” repeated" in refused["detail"]
    # the answer lists at most MAX_ERRORS errors and says how many there were
    monkeypatch.setattr(xlsx, "MAX_ERRORS", 3)
    refused = answer()
    assert len(refused["errors"]) == 3
    assert "(the first 3 of 4 errors are listed)" in refused["detail"]
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    assert answer()["detail"] == (
        "Nothing was imported: sheet “Resources” has more than 3 rows; split it"
    )
    assert Resource.objects.count() == 0


def test_capacity_sheet_with_chinese_roles(client: Any, users: Any, org: Any) -> None:
    header = ["code", "name", "kind", "role", "role_zh", "org_unit"]
    sheet = _sheet([["java-sh", "Java developer", "pool", "Java", "Java开发", "sh"]], None, header)
    answer = client.post("/api/v1/capacity/import", {"file": sheet}, headers=bearer(users["admin"]))
    assert answer.status_code == 200, answer.content
    assert Resource.objects.get(code="java-sh").role_zh == "Java开发"


def test_capacity_sheet_calendar_names(client: Any, users: Any, org: Any) -> None:
    header = ["code", "name", "kind", "role", "org_unit", "calendar"]
    rows = [
        ["java-sh", "Java", "pool", "Java", "sh", "China"],
        ["qa-ldn", "QA", "pool", "QA", "uk-it", "Mon-Fri"],
        ["mars", "Mars", "pool", "QA", "uk-it", "Mars"],
    ]
    out = _sheet(rows, header=header)
    answer = client.post("/api/v1/capacity/import", {"file": out}, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "Resources!F4" and "“CN”" in error["message"]
    assert Resource.objects.count() == 0
    out = _sheet(rows[:2], header=header)
    answer = client.post("/api/v1/capacity/import", {"file": out}, headers=bearer(users["admin"]))
    assert answer.status_code == 200, answer.json()
    assert dict(Resource.objects.values_list("code", "calendar")) == {"java-sh": "CN", "qa-ldn": ""}


def test_bad_capacity_sheet_changes_nothing(client: Any, users: Any, org: Any) -> None:
    bad = _sheet(
        [
            ["java-sh", "Java developer", "pool", "Java", "sh", 12, None],
            ["x", "X", "robot", "QA", "nowhere", "lots", None],
        ],
        [["ghost", dt.date(2026, 5, 4), dt.date(2026, 5, 1), 1, ""]],
    )
    answer = client.post("/api/v1/capacity/import", {"file": bad}, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    fields = [e["field"] for e in answer.json()["errors"]]
    assert fields == ["Resources!C3", "Resources!E3", "Resources!F3", "Capacity!A2", "Capacity!C2"]
    assert Resource.objects.count() == 0
    # the model's own ranges are checked per cell too (hours per day at most 24, slug codes)
    out = _sheet(
        [["has space", "X", "pool", "QA", "sh", 30]],
        header=["code", "name", "kind", "role", "org_unit", "hours_per_day"],
    )
    answer = client.post("/api/v1/capacity/import", {"file": out}, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    fields = sorted(e["field"] for e in answer.json()["errors"])
    assert fields == ["Resources!A2", "Resources!F2"], answer.json()
    assert Resource.objects.count() == 0
    junk = BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    answer = client.post("/api/v1/capacity/import", {"file": junk}, headers=bearer(users["admin"]))
    assert answer.status_code == 422


def test_heatmap_bad_query_is_422(client: Any, users: Any) -> None:
    for query in ("periods=0", "periods=999", "by=colour", "start=yesterday"):
        answer = client.get(f"/api/v1/capacity/heatmap?{query}", headers=bearer(users["exec"]))
        assert answer.status_code == 422, query
        assert answer.json()["errors"]


def test_level_a_scenario_queues_a_run_and_reads_it(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a, b = make_project(), make_project()
    for project in (a, b):
        allocate(java, project, MON, MON + dt.timedelta(days=4), "1.5")
    scenario = _post(client, "/api/v1/scenarios", {"name": "Level"}, users["admin"]).json()
    url = f"/api/v1/scenarios/{scenario['id']}/level"
    denied = _post(client, url, {"time_limit": 1}, users["viewer"])
    assert denied.status_code == 403
    assert _post(client, url, {"time_limit": 1}, users["exec"]).status_code == 403
    for body, field in (({"time_limit": 0}, "time_limit"), ({"time_limit": 601}, "time_limit")):
        bad = _post(client, url, body, users["admin"])
        assert bad.status_code == 422
        assert field in json.dumps(bad.json()["errors"])
    unknown_pin = _post(client, url, {"pinned": ["NOPE"]}, users["admin"])
    assert (unknown_pin.status_code, unknown_pin.json()["errors"][0]["field"]) == (422, "pinned")
    assert _post(client, "/api/v1/scenarios/999999/level", {}, users["admin"]).status_code == 404
    queued = _post(client, url, {"time_limit": 1, "pinned": [a.code]}, users["admin"])
    assert queued.status_code == 202
    run = queued.json()
    assert (run["state"], run["progress"], run["time_limit"]) == ("queued", 0, 1)
    again = _post(client, url, {"time_limit": 1}, users["admin"])
    assert again.status_code == 409
    assert "under way" in again.json()["detail"]
    read = client.get(f"/api/v1/leveling-runs/{run['id']}", headers=bearer(users["exec"]))
    assert (read.status_code, read.json()["id"]) == (200, run["id"])
    assert (
        client.get("/api/v1/leveling-runs/999999", headers=bearer(users["admin"])).status_code
        == 404
    )
    hidden = client.get(f"/api/v1/leveling-runs/{run['id']}", headers=bearer(users["viewer"]))
    assert hidden.status_code == 403
    cancel = f"/api/v1/leveling-runs/{run['id']}/cancel"
    assert _post(client, cancel, {}, users["exec"]).status_code == 403
    unknown = _post(client, "/api/v1/leveling-runs/999999/cancel", {}, users["admin"])
    assert unknown.status_code == 404
    cancelled = _post(client, cancel, {}, users["admin"])
    assert (cancelled.status_code, cancelled.json()["state"]) == (200, "cancelled")
    twice = _post(client, cancel, {}, users["admin"])
    assert (twice.status_code, "only a queued or running run" in twice.json()["detail"]) == (
        409,
        True,
    )
    assert _post(client, url, {"time_limit": 1}, users["admin"]).status_code == 202


def test_calendar_days_api(client: Any, users: Any) -> None:
    url = "/api/v1/calendar-days"
    body = {"calendar": "CN", "days": "2027-02-06 work 调休\n2027-02-11 off 春节"}
    assert _post(client, url, body, users["pm"]).status_code == 403
    made = _post(client, url, body, users["member"])
    assert (made.status_code, made.json()) == (201, {"saved": 2})
    listed = client.get(url, headers=bearer(users["exec"])).json()
    assert [(d["day"], d["working"], d["name"]) for d in listed] == [
        ("2027-02-06", True, "调休"),
        ("2027-02-11", False, "春节"),
    ]
    bad = _post(client, url, {"calendar": "CN", "days": "soon off"}, users["member"])
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "days", "message": "line 1: “soon” is not a date"}]
    wrong = _post(client, url, {"calendar": "XX", "days": "2027-01-01"}, users["member"])
    assert wrong.status_code == 422
    gone = client.delete(f"{url}/{listed[0]['id']}", headers=bearer(users["member"]))
    assert gone.status_code == 204
    assert client.delete(f"{url}/99999", headers=bearer(users["member"])).status_code == 404
    assert len(client.get(url, headers=bearer(users["exec"])).json()) == 1


def test_refresh_and_reset_a_scenario(client: Any, users: Any, org: Any, make_project: Any) -> None:
    java = pool(org)
    a, b = make_project(), make_project()
    row = allocate(java, a, MON, MON + dt.timedelta(days=4), "1")
    allocate(java, b, MON, MON + dt.timedelta(days=4), "1")
    pk = _post(client, "/api/v1/scenarios", {"name": "Stale"}, users["member"]).json()["id"]
    copy = Allocation.objects.get(scenario_id=pk, origin=row)
    _patch(client, f"/api/v1/allocations/{copy.pk}", {"version": 1, "fte": 2}, users["member"])
    _post(client, f"/api/v1/scenarios/{pk}/shifts", {"project": b.code, "days": 7}, users["member"])
    _patch(client, f"/api/v1/allocations/{row.pk}", {"version": 1, "fte": 0.5}, users["member"])
    url = f"/api/v1/scenarios/{pk}/refresh"
    assert _post(client, url, {}, users["pm"]).status_code == 403
    stale = _post(client, url, {"version": 1}, users["member"])
    assert (stale.status_code, stale.json()["current_version"]) == (409, 2)

    done = _post(client, url, {"version": 2}, users["member"])

    assert done.status_code == 200
    body = done.json()
    assert (body["scenario"]["version"], body["kept"], body["from_plan"]) == (3, 1, 1)
    assert body["scenario"]["shifts"] == [
        {"project": b.code, "days": 7, "priority": None, "pinned": False}
    ]
    assert body["dropped"] == [
        {
            "kind": "allocation",
            "reason": "changed_in_plan",
            "message": "the current plan changed this allocation after the copy; the "
            "scenario now has the plan's version",
            "project": a.code,
            "resource": "java-sh",
            "resource_name": "Java developer, Shanghai",
            "first": str(MON),
            "last": str(MON + dt.timedelta(days=4)),
            "fte": "2.00",
            "plan_first": str(MON),
            "plan_last": str(MON + dt.timedelta(days=4)),
            "plan_fte": "0.50",
        }
    ]
    assert body["leveling_runs_out_of_date"] == 0

    reset = _post(client, f"/api/v1/scenarios/{pk}/projects/{b.code}/reset", {}, users["member"])
    assert reset.status_code == 200
    assert {k: v for k, v in reset.json().items() if k != "scenario"} == {
        "project": b.code,
        "removed": 1,
        "copied": 1,
        "shift_removed": True,
        "leveling_runs_out_of_date": 0,
    }
    assert reset.json()["scenario"]["shifts"] == []
    unknown = _post(client, f"/api/v1/scenarios/{pk}/projects/NOPE/reset", {}, users["member"])
    assert unknown.status_code == 404
    _post(client, f"/api/v1/scenarios/{pk}/discard", {}, users["member"])
    closed = _post(client, url, {}, users["member"])
    assert closed.status_code == 409
    assert "discarded" in closed.json()["detail"]
    gone = _post(client, f"/api/v1/scenarios/{pk}/projects/{a.code}/reset", {}, users["member"])
    assert gone.status_code == 409
