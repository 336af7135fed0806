"""Every 4xx the API answers to a bad body names the body's field at fault (ADR 0013).

A sweep over every write operation of the OpenAPI document (an unknown key, a value of the
wrong type, ``null`` where none is allowed, a version that is no whole number) and a table
of bodies that name an object no database holds: each answer is a 4xx whose ``errors`` list
names the field as the body spells it. Before, a project code in a what-if, a scenario shift
or a meeting outcome was a 404 naming nothing (as if the address were wrong), a template id
too; a huge link UID or decider id was "a number in the request is out of range"; a
resource's person was ``person`` (the body says ``person_id``); a gate asked for out of
order and a project manager's allocation on another's project named nothing; and
``"version": true`` was taken as version 1 by the portfolio's bodies (a risk saved).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.accounts.models import OrgUnit, User
from pmo.demo.loader import load_demo
from pmo.governance.models import SteeringMeeting
from pmo.portfolio.models import Project
from pmo.resources.models import Resource
from pmo.scheduling.models import Plan

HUGE = 10**25
NOBODY = 987654  # an id no row of the demo has
JSON = "application/json"


@pytest.fixture
def demo(client: Any) -> Any:
    load_demo(projects=6, as_of=dt.date(2026, 11, 20))
    client.force_login(User.objects.get(username="admin"))
    client.raise_request_exception = False  # a 500 is a finding below, not an exception
    return client


def _send(client: Any, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type=JSON)


def _fields(response: Any) -> list[str]:
    body = response.json()
    return [e["field"] for e in body.get("errors", [])] if isinstance(body, dict) else []


def _names(response: Any, field: str) -> bool:
    """A 4xx whose errors name ``field`` (or a part of it: ``phases.1.key``)."""
    return 400 <= response.status_code < 500 and any(
        f == field or f.startswith(field + ".") for f in _fields(response)
    )


# --- the sweep over the OpenAPI document ------------------------------------------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kinds(schema: dict[str, Any], components: dict[str, Any]) -> set[str]:
    """The JSON types a property's schema allows."""
    schema = _resolve(schema, components)
    kinds = {schema["type"]} if "type" in schema else set()
    for member in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        kinds |= _kinds(member, components)
    if "properties" in schema:
        kinds.add("object")
    return kinds


def _bad_bodies(
    schema: dict[str, Any], components: dict[str, Any]
) -> list[tuple[str, dict[str, Any], str]]:
    """(what, body, the field the answer must name) for one request body schema."""
    bodies = [("unknown key", {"zz_not_a_field": 1}, "zz_not_a_field")]
    for name, prop in schema.get("properties", {}).items():
        kinds = _kinds(prop, components)
        wrong = 12345 if "object" in kinds else {"zz": 1}
        bodies.append(("wrong type", {name: wrong}, name))
        if "null" not in kinds:
            bodies.append(("null", {name: None}, name))
        if name == "version":  # a row version is a whole number: not true, not "2"
            bodies += [("version true", {name: True}, name), ("version text", {name: "2"}, name)]
    return bodies


@pytest.mark.django_db
def test_every_write_body_that_is_wrong_in_shape_is_a_4xx_naming_the_field(demo: Any) -> None:
    schema = demo.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    code = Project.objects.order_by("code").first().code
    sent, failed = [], []
    for path, operations in schema["paths"].items():
        # the body is checked before the view looks the address up: any id will do
        url = re.sub(r"\{[a-z_]+\}", "1", path.replace("{code}", code).replace("{fmt}", "xlsx"))
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "multipart/form-data" in content:
                answer = demo.post(url, {})
                sent.append((method, path, "no file"))
                if not _names(answer, "file"):
                    failed.append((method, path, "no file", answer.status_code, answer.json()))
            if JSON not in content:
                continue
            body_schema = _resolve(content[JSON]["schema"], components)
            for what, body, field in _bad_bodies(body_schema, components):
                answer = _send(demo, method, url, body)
                sent.append((method, path, what))
                if not _names(answer, field):
                    failed.append((method, path, what, answer.status_code, answer.json()))
    assert failed == []
    operations = {(m, p) for m, p, _ in sent}
    assert len(operations) >= 50 and len(sent) >= 600
    assert ("patch", "/api/v1/projects/{code}", "version true") in sent
    assert ("post", "/api/v1/projects/{code}/plan/import/{fmt}", "no file") in sent


# --- bodies that name what is not there ---------------------------------------------------------


def _cases(client: Any) -> list[tuple[str, str, Any, int, str]]:
    """(method, url, body, status, field) with one field of a body at fault each."""
    code = Project.objects.order_by("code").first().code
    other = Project.objects.order_by("code").exclude(code=code).first().code
    unit = OrgUnit.objects.order_by("pk").first()
    resource = Resource.objects.order_by("pk").first()
    meeting = SteeringMeeting.objects.order_by("pk").first()
    scenario = _send(client, "post", "/api/v1/scenarios", {"name": "What if"}).json()["id"]
    window = {"first": "2026-12-01", "last": "2026-12-31", "fte": "1"}
    allocation = {"resource_id": resource.pk, "project": code, **window}
    new_resource = {"code": "NEW", "name": "New", "kind": "pool", "role": "Dev"}
    new_project = {"code": "NEW", "name": "New", "pmo_type": "delivery", "org_unit": unit.code}
    phases = [
        {"key": "one", "name": "One", "category": "idea"},
        {
            "key": "two",
            "name": "Two",
            "category": "closing",
            "gate": {"code": "G1", "name": "Gate", "decider_ids": [HUGE]},
        },
    ]
    return [
        # a 404 naming nothing before (the body's object is missing, not the address's)
        ("post", f"/api/v1/projects/{code}/lifecycle", {"template_id": NOBODY}, 422, "template_id"),
        ("post", "/api/v1/impact", {"project": "NOPE", "days": 3}, 422, "project"),
        (
            "post",
            f"/api/v1/scenarios/{scenario}/shifts",
            {"project": "NOPE", "days": 3},
            422,
            "project",
        ),
        (
            "post",
            f"/api/v1/steering-meetings/{meeting.pk}/outcomes",
            {"project": "NOPE", "kind": "action", "title": "Follow up"},
            422,
            "project",
        ),
        # "a number in the request is out of range", naming nothing
        (
            "put",
            f"/api/v1/projects/{code}/plan/links",
            {"pred_uid": HUGE, "succ_uid": 1},
            422,
            "pred_uid",
        ),
        (
            "post",
            "/api/v1/lifecycle-templates",
            {"code": "T", "name": "T", "phases": phases},
            422,
            "phases.1.gate.decider_ids.0",
        ),
        # the model's name instead of the body's
        (
            "post",
            "/api/v1/resources",
            {**new_resource, "org_unit_id": unit.pk, "person_id": NOBODY},
            422,
            "person_id",
        ),
        # a state that refuses what the body asks for: 409, naming the field
        ("post", f"/api/v1/projects/{code}/gate-reviews", {"gate": "NOPE"}, 409, "gate"),
        # kept so: the body's names
        ("post", "/api/v1/allocations", {**allocation, "resource_id": NOBODY}, 422, "resource_id"),
        ("post", "/api/v1/allocations", {**allocation, "scenario_id": NOBODY}, 422, "scenario_id"),
        ("post", "/api/v1/allocations", {**allocation, "project": "NOPE"}, 422, "project"),
        (
            "post",
            f"/api/v1/resources/{resource.pk}/capacity",
            {**window, "scenario_id": NOBODY},
            422,
            "scenario_id",
        ),
        ("post", "/api/v1/resources", {**new_resource, "org_unit_id": NOBODY}, 422, "org_unit_id"),
        ("post", "/api/v1/projects", {**new_project, "portfolio": "NOPE"}, 422, "portfolio"),
        ("patch", f"/api/v1/projects/{code}", {"version": 1, "zz_colour": "red"}, 422, "zz_colour"),
        (
            "post",
            "/api/v1/dependencies",
            {"supplier_project": "NOPE", "consumer_project": other},
            422,
            "supplier_project",
        ),
        (
            "post",
            "/api/v1/change-requests",
            {"project": "NOPE", "type": "scope", "title": "T"},
            422,
            "project",
        ),
        (
            "post",
            "/api/v1/org-units",
            {"code": "U", "name": "U", "kind": "team", "parent": "NOPE"},
            422,
            "parent",
        ),
    ]


@pytest.mark.django_db
def test_a_body_naming_what_is_not_there_names_the_field(demo: Any) -> None:
    failed = []
    for method, url, body, status, field in _cases(demo):
        answer = _send(demo, method, url, body)
        if answer.status_code != status or field not in _fields(answer):
            failed.append((method, url, field, answer.status_code, answer.json()))
    assert failed == []


@pytest.mark.django_db
def test_a_project_manager_is_told_which_field_is_not_theirs(demo: Any) -> None:
    pm = User.objects.get(username="pm")
    mine = Project.objects.filter(manager__user=pm).order_by("code").first()
    other = Project.objects.exclude(manager__user=pm).order_by("code").first()
    demo.force_login(pm)
    resource = Resource.objects.order_by("pk").first()
    window = {"resource_id": resource.pk, "first": "2026-12-01", "last": "2026-12-31", "fte": "1"}
    state = _send(
        demo,
        "patch",
        f"/api/v1/projects/{mine.code}",
        {"version": mine.version, "state": "on_hold"},
    )
    assert (state.status_code, _fields(state)) == (403, ["state"])
    # these two named nothing
    others = _send(demo, "post", "/api/v1/allocations", {**window, "project": other.code})
    assert (others.status_code, _fields(others)) == (403, ["project"])
    committed = {**window, "project": mine.code, "status": "committed"}
    commit = _send(demo, "post", "/api/v1/allocations", committed)
    assert (commit.status_code, _fields(commit)) == (403, ["status"])


@pytest.mark.django_db
def test_plan_files_and_schedule_errors_name_the_field_and_the_task(demo: Any) -> None:
    plan = Plan.objects.select_related("project").order_by("project__code").first()
    base = f"/api/v1/projects/{plan.project.code}/plan"
    broken = SimpleUploadedFile("plan.xml", b"<Project>\n  <Tasks></Task>\n</Project>")
    answer = demo.post(f"{base}/import/msproject", {"file": broken})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "file", "message": "not well-formed XML at line 2, column 11 (mismatched tag)"}
    ]
    # a constraint past the horizon in the file names the task (and charges the file)
    exported = demo.get(f"{base}/export/msproject").content.decode()
    far = exported.replace(
        "<ConstraintType>0</ConstraintType>",
        "<ConstraintType>4</ConstraintType><ConstraintDate>2149-01-01T08:00:00</ConstraintDate>",
        1,
    )
    answer = demo.post(
        f"{base}/import/msproject", {"file": SimpleUploadedFile("p.xml", far.encode())}
    )
    assert answer.status_code == 422 and _fields(answer) == ["file"]
    assert re.match(
        r"Task UID \d+: constraint date: 2149-01-01 08:00 is outside the plan's "
        r"horizon",
        answer.json()["errors"][0]["message"],
    )
    # the same through a task's edit: the edited fields, the task named in the message
    task = demo.get(f"{base}/tasks").json()["items"][-1]
    edit = {"version": task["version"], "constraint": "SNET", "constraint_date": "2149-01-01T08:00"}
    answer = _send(demo, "patch", f"{base}/tasks/{task['uid']}", edit)
    assert answer.status_code == 422 and _fields(answer) == ["constraint", "constraint_date"]
    assert answer.json()["errors"][1]["message"].startswith(f"Task UID {task['uid']}: ")
