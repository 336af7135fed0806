"""The API of requests to commit: ``GET /allocations/requests`` lists the proposed
allocations with whether each fits beside the committed work; ``POST /allocations/decisions``
commits and declines several at once, all or none, and every refusal is a 4xx naming the
field or the request."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pmo.audit.models import AuditEvent
from pmo.resources.models import Allocation, Scenario
from pmo.resources.tests.factories import MON, allocate, bearer, pool

# requests are judged from today on: today is the Monday the fixtures book
pytestmark = pytest.mark.usefixtures("on_mon")

FRI = MON + dt.timedelta(days=4)
WEEK2_FRI = MON + dt.timedelta(days=11)
LIST = "/api/v1/allocations/requests"
DECIDE = "/api/v1/allocations/decisions"


@pytest.fixture
def world(org: Any, make_project: Any) -> dict[str, Any]:
    """A 2-FTE pool with 1.5 committed in week 1, and two requests over two weeks: 0.5 (fits)
    and 0.6 (overloads the five working days of week 1)."""
    java = pool(org)
    first, second = make_project(), make_project()
    committed = allocate(java, first, MON, FRI, "1.5", status="committed")
    small = allocate(java, first, MON, WEEK2_FRI, "0.5", note="backend")
    big = allocate(java, second, MON + dt.timedelta(days=1), WEEK2_FRI, "0.6")
    return {
        "java": java,
        "first": first,
        "second": second,
        "committed": committed,
        "small": small,
        "big": big,
    }


def _get(client: Any, user: Any, query: str = "") -> Any:
    return client.get(LIST + query, headers=bearer(user))


def _decide(client: Any, user: Any, body: Any) -> Any:
    return client.post(
        DECIDE, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def _fields(response: Any) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def _choice(allocation: Allocation) -> dict[str, int]:
    return {"id": allocation.pk, "version": allocation.version}


def test_the_list_says_which_requests_fit_earliest_first(
    client: Any, users: Any, world: dict[str, Any]
) -> None:
    answer = _get(client, users["exec"])
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 2
    small, big = body["items"]  # by start date: the committed row is no request
    assert {k: small[k] for k in ("id", "version", "project", "resource", "fte", "note")} == {
        "id": world["small"].pk,
        "version": 1,
        "project": world["first"].code,
        "resource": "java-sh",
        "fte": 0.5,
        "note": "backend",
    }
    assert (small["resource_name"], small["first"], small["last"]) == (
        "Java developer, Shanghai",
        str(MON),
        str(WEEK2_FRI),
    )
    assert (small["fits"], small["least_free"], small["over_days"]) == (True, 0.5, 0)
    # 0.6 beside 1.5 of 2 overloads Tuesday to Friday of week 1 ... and no weekend day
    assert (big["id"], big["fits"], big["least_free"], big["over_days"]) == (
        world["big"].pk,
        False,
        0.5,
        4,
    )
    # the other proposal counted too, neither fits
    assert (small["with_proposals"], big["with_proposals"]) == (False, False)
    assert (small["asked_by"], small["asked_at"]) == ("", None)  # made without the services


def test_five_overloaded_days_when_the_request_covers_the_whole_week(
    client: Any, users: Any, world: dict[str, Any]
) -> None:
    Allocation.objects.filter(pk=world["big"].pk).update(first=MON)
    rows = {r["id"]: r for r in _get(client, users["pm"]).json()["items"]}
    assert (rows[world["big"].pk]["fits"], rows[world["big"].pk]["over_days"]) == (False, 5)
    assert rows[world["small"].pk]["fits"] is True


def test_who_asked_is_named(client: Any, users: Any, org: Any, make_project: Any) -> None:
    java = pool(org)
    project = make_project()
    made = client.post(
        "/api/v1/allocations",
        json.dumps(
            {
                "resource_id": java.pk,
                "project": project.code,
                "first": str(MON),
                "last": str(FRI),
                "fte": "0.5",
            }
        ),
        content_type="application/json",
        headers=bearer(users["pm"]),
    )
    assert made.status_code == 201, made.content
    (row,) = _get(client, users["exec"]).json()["items"]
    assert row["asked_by"] == "Zhang Wei"
    assert row["asked_at"] is not None


def test_filters_by_project_org_unit_and_role(
    client: Any, users: Any, org: Any, world: dict[str, Any]
) -> None:
    london = pool(org, code="uk-java", name="Java, London", role="Tester", org_unit=org["it"])
    far = allocate(london, world["second"], MON, FRI, "0.5")
    scenario = Scenario.objects.create(name="What if")
    allocate(world["java"], world["first"], MON, FRI, "0.5", scenario=scenario)  # no request

    def ids(query: str) -> list[int]:
        answer = _get(client, users["exec"], query)
        assert answer.status_code == 200, answer.content
        return [r["id"] for r in answer.json()["items"]]

    small, big = world["small"].pk, world["big"].pk
    assert ids("") == [small, far.pk, big]  # earliest first, then by project code
    assert ids(f"?project={world['second'].code}") == [far.pk, big]
    assert ids("?org_unit=cn") == [small, big]
    assert ids(f"?org_unit={org['uk'].pk}") == [far.pk]
    assert ids("?role=tester") == [far.pk]
    assert ids(f"?project={world['first'].code}&role=Tester") == []
    page = _get(client, users["exec"], "?page_size=2&page=2").json()
    assert (page["count"], [r["id"] for r in page["items"]]) == (3, [big])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?role=Astronaut", "role"),
        ("?project=NOPE", "project"),
        ("?org_unit=nowhere", "org_unit"),
        ("?org_unit=987654", "org_unit"),
        ("?page_size=501", "page_size"),
        ("?projet=T001", "projet"),
    ],
)
def test_unknown_filters_are_a_422_naming_them(
    client: Any, users: Any, world: dict[str, Any], query: str, field: str
) -> None:
    answer = _get(client, users["exec"], query)
    assert answer.status_code == 422, answer.content
    assert field in _fields(answer)


def test_who_may_not_read_capacity_reads_no_requests(
    client: Any, users: Any, world: dict[str, Any]
) -> None:
    answer = _get(client, users["viewer"])
    assert answer.status_code == 403
    assert "capacity" in answer.json()["detail"]
    assert client.get(LIST).status_code == 401


def test_the_paths_are_not_taken_for_an_allocation_id(
    client: Any, users: Any, world: dict[str, Any]
) -> None:
    # /allocations/{pk} has PATCH and DELETE only: a path read as {pk} would be a 405/422
    assert _get(client, users["exec"]).status_code == 200
    answer = _decide(client, users["member"], {"commit": [_choice(world["small"])]})
    assert answer.status_code == 200, answer.content
    patched = client.patch(
        f"/api/v1/allocations/{world['big'].pk}",
        json.dumps({"version": 1, "note": "still mine"}),
        content_type="application/json",
        headers=bearer(users["member"]),
    )
    assert patched.status_code == 200, patched.content
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"][LIST]) == {"get"}
    assert set(schema["paths"][DECIDE]) == {"post"}
    for path, method in ((LIST, "get"), (DECIDE, "post")):
        described = schema["paths"][path][method]["description"]
        assert "overloads its resource on no day it works" in described
        assert "with_proposals counts them" in described


def test_committing_and_declining_at_once(client: Any, users: Any, world: dict[str, Any]) -> None:
    answer = _decide(
        client,
        users["member"],
        {
            "commit": [_choice(world["small"])],
            "decline": [_choice(world["big"])],
            "reason": "  No one free in week 1 ",
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"committed": [world["small"].pk], "declined": [world["big"].pk]}
    world["small"].refresh_from_db()
    assert (world["small"].status, world["small"].version) == ("committed", 2)
    assert not Allocation.objects.filter(pk=world["big"].pk).exists()
    event = AuditEvent.objects.get(object_id=str(world["big"].pk), action="delete")
    assert event.changes["declined"] == [None, "No one free in week 1"]
    assert _get(client, users["exec"]).json() == {"count": 0, "items": []}


def _unchanged(world: dict[str, Any]) -> None:
    assert sorted(
        Allocation.objects.filter(status="proposed").values_list("pk", "version")
    ) == sorted([(world["small"].pk, 1), (world["big"].pk, 1)])


def test_a_project_manager_may_not_decide(client: Any, users: Any, world: dict[str, Any]) -> None:
    answer = _decide(client, users["pm"], {"commit": [_choice(world["small"])]})
    assert answer.status_code == 403
    assert "only resource managers" in answer.json()["detail"]
    _unchanged(world)


def test_a_stale_request_refuses_the_lot_naming_it(
    client: Any, users: Any, world: dict[str, Any]
) -> None:
    Allocation.objects.filter(pk=world["big"].pk).update(version=3)  # changed since read
    answer = _decide(
        client,
        users["member"],
        {"commit": [_choice(world["small"]), _choice(world["big"])]},
    )
    assert answer.status_code == 409, answer.content
    body = answer.json()
    assert f"request {world['big'].pk} ({world['big']})" in body["detail"]
    assert body["current_version"] == 3
    world["small"].refresh_from_db()
    assert world["small"].status == "proposed"  # nothing half-written


def test_a_decided_request_is_a_409(client: Any, users: Any, world: dict[str, Any]) -> None:
    assert _decide(client, users["member"], {"commit": [_choice(world["small"])]}).status_code == (
        200
    )
    again = _decide(client, users["member"], {"commit": [_choice(world["small"])]})
    assert again.status_code == 409
    assert "committed already" in again.json()["detail"]
    # declined by another resource manager meanwhile: a 409 naming who, not "no allocation"
    declined = {"decline": [_choice(world["big"])], "reason": "no room"}
    assert _decide(client, users["admin"], declined).status_code == 200
    late = _decide(client, users["member"], declined)
    assert late.status_code == 409
    assert "was declined already by admin; reload the requests" in late.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"decline": ["big"]}, "reason", "say why"),
        ({"decline": ["big"], "reason": "   "}, "reason", "say why"),
        ({"decline": ["big"], "reason": "x" * 201}, "reason", "at most 200 characters"),
        ({}, "commit", "choose at least one"),
        ({"commit": [{"id": 987654, "version": 1}]}, "commit", "no allocation 987654"),
        ({"decline": [{"id": 987654, "version": 1}], "reason": "no"}, "decline", "no allocation"),
        ({"commit": ["small"], "decline": ["small"], "reason": "no"}, "decline", "both"),
        ({"commit": ["small", "small"]}, "commit.1.id", "listed twice"),
        ({"commit": ["committed"]}, "", "committed already"),
    ],
)
def test_refusals_name_the_field_and_change_nothing(
    client: Any, users: Any, world: dict[str, Any], body: dict[str, Any], field: str, words: str
) -> None:
    sent = {
        key: [_choice(world[v]) if isinstance(v, str) else v for v in value]
        if isinstance(value, list)
        else value
        for key, value in body.items()
    }
    answer = _decide(client, users["member"], sent)
    assert answer.status_code == (409 if not field else 422), answer.content
    assert words in answer.json()["detail"]
    if field:
        assert _fields(answer) == [field]
    _unchanged(world)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"commit": [{"id": 1}]}, "commit.0.version"),
        ({"commit": [{"version": 1}]}, "commit.0.id"),
        ({"commit": [{"id": -1, "version": 1}]}, "commit.0.id"),
        ({"commit": [{"id": 1, "version": 0}]}, "commit.0.version"),
        ({"commit": [{"id": 1, "version": -2}]}, "commit.0.version"),
        ({"commit": [{"id": 1, "version": "1"}]}, "commit.0.version"),
        ({"commit": [{"id": 1, "version": True}]}, "commit.0.version"),
        ({"commit": [{"id": 10**25, "version": 1}]}, "commit.0.id"),
        ({"commit": [{"id": True, "version": 1}]}, "commit.0.id"),
        ({"commit": [{"id": "12", "version": 1}]}, "commit.0.id"),
        ({"commit": [{"id": 0, "version": 1}]}, "commit.0.id"),
        ({"commit": [{"id": "one", "version": 1}]}, "commit.0.id"),
        ({"commit": [{"id": 1, "version": 1, "status": "committed"}]}, "commit.0.status"),
        ({"commit": 1}, "commit"),
        ({"commit": None}, "commit"),
        ({"decline": {"id": 1}}, "decline"),
        ({"reason": 5}, "reason"),
        ({"reason": None}, "reason"),
        ({"comit": []}, "comit"),
        ({"commit": [{"id": n, "version": 1} for n in range(501)]}, "commit"),
    ],
)
def test_malformed_bodies_are_a_422_naming_the_field(
    client: Any, users: Any, world: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    answer = _decide(client, users["member"], body)
    assert answer.status_code == 422, answer.content
    assert field in _fields(answer)
    _unchanged(world)


@pytest.mark.parametrize("raw", ["", "[]", "not json", '"commit"', "null"])
def test_a_body_that_is_no_object_is_a_4xx(
    client: Any, users: Any, world: dict[str, Any], raw: str
) -> None:
    answer = client.post(
        DECIDE, raw, content_type="application/json", headers=bearer(users["member"])
    )
    assert 400 <= answer.status_code < 500, answer.content
    _unchanged(world)
