"""What an integration driving capacity planning through the API alone needs: capacity
changes changed and removed, resources by org-unit code, every field the web form edits,
filters on the list (unknown query parameters refused), calendar days without duplicates."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from pmo.accounts.models import OrgUnit
from pmo.audit.models import AuditEvent
from pmo.resources.models import CalendarDay, CapacityChange, Resource, Scenario
from pmo.resources.tests.factories import bearer, pool


def _send(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    call = getattr(client, method)
    return call(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def _change(resource: Resource, first: str, last: str, fte: str = "0") -> CapacityChange:
    return CapacityChange.objects.create(
        resource=resource,
        first=dt.date.fromisoformat(first),
        last=dt.date.fromisoformat(last),
        fte=Decimal(fte),
    )


# --- capacity changes -------------------------------------------------------------------


def test_overlap_names_the_endpoints_that_remove_or_change_the_other(
    client: Any, users: Any, org: Any
) -> None:
    java = pool(org)
    leave = _change(java, "2026-03-02", "2026-03-13")
    body = {"first": "2026-03-09", "last": "2026-03-20", "fte": "1"}
    answer = _send(client, "post", f"/api/v1/resources/{java.pk}/capacity", body, users["admin"])
    assert answer.status_code == 422
    message = answer.json()["errors"][0]["message"]
    assert f"DELETE /api/v1/resources/{java.pk}/capacity/{leave.pk}?version=1" in message
    assert "PATCH" in message
    assert answer.json()["errors"][0]["field"] == "first"


def test_capacity_change_removed_by_the_api_is_audited(client: Any, users: Any, org: Any) -> None:
    java = pool(org)
    leave = _change(java, "2026-03-02", "2026-03-13")
    url = f"/api/v1/resources/{java.pk}/capacity/{leave.pk}"
    assert client.delete(url + "?version=1", headers=bearer(users["exec"])).status_code == 403
    assert client.delete(url + "?version=2", headers=bearer(users["admin"])).status_code == 409
    answer = client.delete(url + "?version=1", headers=bearer(users["admin"]))
    assert answer.status_code == 204
    assert not CapacityChange.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    assert (event.scope, event.actor_id) == ("resources", users["admin"].pk)
    again = client.delete(url + "?version=1", headers=bearer(users["admin"]))
    assert again.status_code == 404


def test_capacity_change_of_another_resource_is_a_404(client: Any, users: Any, org: Any) -> None:
    java = pool(org)
    other = pool(org, code="net-sh", name=".NET")
    leave = _change(java, "2026-03-02", "2026-03-13")
    url = f"/api/v1/resources/{other.pk}/capacity/{leave.pk}?version=1"
    assert client.delete(url, headers=bearer(users["admin"])).status_code == 404
    assert CapacityChange.objects.count() == 1


def test_capacity_change_patched_with_the_overlap_rule(client: Any, users: Any, org: Any) -> None:
    java = pool(org)
    leave = _change(java, "2026-03-02", "2026-03-06")
    later = _change(java, "2026-04-01", "2026-04-30", "1")
    url = f"/api/v1/resources/{java.pk}/capacity/{leave.pk}"
    longer = {"version": 1, "last": "2026-03-13", "fte": "0.5", "reason": "part time"}
    answer = _send(client, "patch", url, longer, users["admin"])
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["last"], answer.json()["fte"], answer.json()["version"]) == (
        "2026-03-13",
        0.5,
        2,
    )
    event = AuditEvent.objects.get(action="update")
    assert event.changes["last"] == ["2026-03-06", "2026-03-13"]
    into = _send(client, "patch", url, {"version": 2, "last": "2026-04-02"}, users["admin"])
    assert into.status_code == 422
    assert f"/capacity/{later.pk}?version=1" in into.json()["detail"]
    stale = _send(client, "patch", url, {"version": 1, "fte": "0"}, users["admin"])
    assert (stale.status_code, stale.json()["current_version"]) == (409, 2)
    backwards = _send(client, "patch", url, {"version": 2, "first": "2026-03-20"}, users["admin"])
    assert (backwards.status_code, backwards.json()["errors"][0]["field"]) == (422, "last")
    denied = _send(client, "patch", url, {"version": 2, "fte": "0"}, users["pm"])
    assert denied.status_code == 403
    digits = _send(client, "patch", url, {"version": 2, "fte": "12345.678"}, users["admin"])
    assert digits.status_code == 422
    assert "Ensure" not in digits.json()["detail"]
    leave.refresh_from_db()
    assert (leave.last, leave.fte, leave.version) == (dt.date(2026, 3, 13), Decimal("0.5"), 2)


# --- resources: org units by code, the web form's fields, no raw framework messages ---------


def _new(org: Any, **fields: Any) -> dict[str, Any]:
    return {"code": "ok", "name": "N", "kind": "pool", "role": "R", **fields}


def test_resource_created_with_the_org_unit_code(client: Any, users: Any, org: Any) -> None:
    answer = _send(client, "post", "/api/v1/resources", _new(org, org_unit="sh"), users["admin"])
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["org_unit"], answer.json()["org_unit_id"]) == ("sh", org["sh"].pk)
    by_id = _send(
        client,
        "post",
        "/api/v1/resources",
        _new(org, code="b", org_unit_id=org["it"].pk),
        users["admin"],
    )
    assert (by_id.status_code, by_id.json()["org_unit"]) == (201, "uk-it")


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"org_unit_id": 999}, "org_unit_id", "999"),
        ({"org_unit": "acme-hr"}, "org_unit", "acme-hr"),
        ({}, "org_unit_id", "org_unit"),
        ({"org_unit": "sh", "person_id": 999}, "person_id", "999"),
        ({"org_unit": "sh", "fte": "12345.678"}, "fte", "7"),
        ({"org_unit": "sh", "calendar": "US"}, "calendar", "CN"),
        ({"org_unit": "sh", "hours_per_day": "0.2"}, "hours_per_day", "0.5"),
        ({"org_unit": "sh", "currency": "US"}, "currency", "3"),
        ({"org_unit": "sh", "currency": "ABC"}, "currency", "ISO 4217"),
        ({"org_unit": "sh", "code": "Java-SH"}, "code", "case"),
    ],
)
def test_bad_resource_names_field_and_what_is_allowed(
    client: Any, users: Any, org: Any, fields: Any, field: str, words: str
) -> None:
    pool(org)
    answer = _send(client, "post", "/api/v1/resources", _new(org, **fields), users["admin"])
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert words in errors[0]["message"]
    for raw in ("instance with id", "Ensure that", "is not a valid choice"):
        assert raw not in answer.json()["detail"]
    assert Resource.objects.count() == 1


def test_patch_changes_what_the_web_form_changes(client: Any, users: Any, org: Any) -> None:
    java = pool(org)
    person = users["pm"].person
    body = {
        "version": 1,
        "hours_per_day": "7.5",
        "calendar": "",
        "currency": "usd",
        "person_id": person.pk,
        "org_unit": "uk-it",
    }
    answer = _send(client, "patch", f"/api/v1/resources/{java.pk}", body, users["admin"])
    assert answer.status_code == 200, answer.json()
    got = answer.json()
    assert (got["hours_per_day"], got["calendar"], got["currency"]) == (7.5, "", "USD")
    assert (got["person_id"], got["org_unit"], got["version"]) == (person.pk, "uk-it", 2)
    event = AuditEvent.objects.get(action="update")
    assert event.changes["calendar"] == ["CN", ""]
    unlinked = _send(
        client,
        "patch",
        f"/api/v1/resources/{java.pk}",
        {"version": 2, "person_id": None},
        users["admin"],
    )
    assert (unlinked.status_code, unlinked.json()["person_id"]) == (200, None)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"calendar": "US"}, "calendar"),
        ({"calendar": None}, "calendar"),
        ({"hours_per_day": "25"}, "hours_per_day"),
        ({"currency": "XXX"}, "currency"),
        ({"person_id": 999}, "person_id"),
        ({"org_unit_id": 999}, "org_unit_id"),
        ({"org_unit_id": None}, "org_unit_id"),
        ({"org_unit": "acme-hr"}, "org_unit"),
        ({"fte": "12345.678"}, "fte"),
    ],
)
def test_patch_refusals_name_the_field(
    client: Any, users: Any, org: Any, fields: Any, field: str
) -> None:
    java = pool(org)
    answer = _send(
        client, "patch", f"/api/v1/resources/{java.pk}", {"version": 1, **fields}, users["admin"]
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    for raw in ("instance with id", "Ensure that", "is not a valid choice"):
        assert raw not in answer.json()["detail"]
    java.refresh_from_db()
    assert java.version == 1


def test_schema_lists_the_calendars(client: Any, users: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["ResourceIn"]["properties"]["calendar"]["enum"] == ["CN", ""]
    assert "id" in schema["OrgUnitOut"]["properties"]


# --- the list: filters, lookup by code, unknown parameters -----------------------------


def _codes(client: Any, user: Any, query: str) -> Any:
    answer = client.get(f"/api/v1/resources?{query}", headers=bearer(user))
    if answer.status_code != 200:
        return answer.status_code, answer.json()
    return sorted(r["code"] for r in answer.json()["items"])


def test_resource_list_filters(client: Any, users: Any, org: Any) -> None:
    pool(org)
    pool(org, code="wang-fang", name="Wang Fang", kind="person", fte=1, org_unit=org["it"])
    pool(org, code="old", name="Gone", active=False, role="Tester")
    exec_ = users["exec"]
    assert _codes(client, exec_, "q=WANG") == ["wang-fang"]
    assert _codes(client, exec_, "kind=person") == ["wang-fang"]
    assert _codes(client, exec_, "active=false") == ["old"]
    assert _codes(client, exec_, "org_unit=uk") == ["wang-fang"]  # a sub-unit of London HQ
    assert _codes(client, exec_, f"org_unit={org['sh'].pk}") == ["java-sh", "old"]
    assert _codes(client, exec_, "role=tester") == ["old"]
    assert _codes(client, exec_, "code=JAVA-SH") == ["java-sh"]
    assert _codes(client, exec_, "kind=person&active=false") == []
    status, body = _codes(client, exec_, "org_unit=acme-hr")
    assert (status, body["errors"][0]["field"]) == (422, "org_unit")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/resources?ordering=-code",
        "/api/v1/calendar-days?year=2027",
        "/api/v1/capacity/heatmap?org_unti=sh",
        "/api/v1/lookup/resources?search=wang",
        "/api/v1/people?search=wang",
        "/api/v1/org-units?parent=cn",
    ],
)
def test_unknown_query_parameters_are_refused(client: Any, users: Any, org: Any, url: str) -> None:
    answer = client.get(url, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    name = url.split("?")[1].split("=")[0]
    assert [e["field"] for e in answer.json()["errors"]] == [name]
    takes = answer.json()["errors"][0]["message"]
    assert takes.startswith("unknown query parameter; this operation takes ")
    assert ("none" in takes) == url.startswith("/api/v1/calendar-days")


def test_unknown_query_parameter_of_the_capacity_list(client: Any, users: Any, org: Any) -> None:
    java = pool(org)
    url = f"/api/v1/resources/{java.pk}/capacity?pk=3&page=2"
    answer = client.get(url, headers=bearer(users["admin"]))
    assert answer.status_code == 422
    assert sorted(e["field"] for e in answer.json()["errors"]) == ["page", "pk"]
    assert "scenario_id" in answer.json()["errors"][0]["message"]
    ok = client.get(f"/api/v1/resources/{java.pk}/capacity", headers=bearer(users["admin"]))
    assert ok.status_code == 200


def test_paged_list_keeps_its_page_parameters(client: Any, users: Any, org: Any) -> None:
    pool(org)
    answer = client.get("/api/v1/resources?page=1&page_size=5", headers=bearer(users["admin"]))
    assert answer.status_code == 200
    assert answer.json()["count"] == 1


# --- calendar days ---------------------------------------------------------------------


def test_two_lines_for_one_day_are_refused(client: Any, users: Any, org: Any) -> None:
    body = {"calendar": "CN", "days": "2027-02-08 off 春节\n2027-02-09 off\n2027-02-08 work x"}
    answer = _send(client, "post", "/api/v1/calendar-days", body, users["admin"])
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "days", "message": "line 3: 2027-02-08 is already given on line 1"}
    ]
    assert not CalendarDay.objects.exists()


def test_heat_map_filters_by_org_unit_code(client: Any, users: Any, org: Any) -> None:
    pool(org)
    pool(org, code="uk-pool", name="UK", role="Tester", org_unit=org["it"])
    url = "/api/v1/capacity/heatmap?start=2026-03-02&periods=1&org_unit="
    by_code = client.get(url + "uk", headers=bearer(users["exec"]))
    assert by_code.status_code == 200, by_code.json()
    assert [r["key"] for r in by_code.json()["rows"]] == ["Tester"]
    by_id = client.get(url + str(org["uk"].pk), headers=bearer(users["exec"])).json()
    assert by_id["rows"] == by_code.json()["rows"]
    unknown = client.get(url + "acme-hr", headers=bearer(users["exec"]))
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "org_unit")
    assert OrgUnit.objects.count() == 5


def test_scenario_comparison_filters_by_org_unit_code(client: Any, users: Any, org: Any) -> None:
    pool(org)
    pool(org, code="uk-pool", name="UK", role="Tester", org_unit=org["it"])
    plan = Scenario.objects.create(name="What if")
    url = f"/api/v1/scenarios/compare?ids={plan.pk}&start=2026-03-02&periods=1&org_unit="
    by_code = client.get(url + "uk-it", headers=bearer(users["exec"]))
    assert by_code.status_code == 200, by_code.json()
    by_id = client.get(url + str(org["it"].pk), headers=bearer(users["exec"]))
    assert by_id.json() == by_code.json()
    unknown = client.get(url + "acme-hr", headers=bearer(users["exec"]))
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "org_unit")


def test_a_capacity_change_patched_by_the_api_shows_in_the_resources_history(
    client: Any, users: Any, org: Any
) -> None:
    from pmo.resources.selectors.history import resource_history

    java = pool(org)
    leave = _change(java, "2026-03-02", "2026-03-06")
    url = f"/api/v1/resources/{java.pk}/capacity/{leave.pk}"

    answer = _send(client, "patch", url, {"version": 1, "fte": "0.5"}, users["admin"])

    assert answer.status_code == 200, answer.json()
    event = AuditEvent.objects.get(action="update", object_type="resources.capacitychange")
    assert event.pk in [shown.event.pk for shown in resource_history(java)]
