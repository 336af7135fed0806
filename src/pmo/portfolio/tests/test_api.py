"""The REST API end to end through the Django test client (auth, errors, versions, roles)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from pmo.accounts.services import create_token


@pytest.fixture
def api(client):
    """A client that sends JSON with a bearer token of the given user."""

    class Api:
        def __init__(self):
            self.token = None

        def as_user(self, user):
            self.token = create_token(username=user.username)
            return self

        def _headers(self):
            return {"Authorization": f"Bearer {self.token}"} if self.token else {}

        def get(self, url, **params):
            return client.get(url, params, headers=self._headers())

        def send(self, method, url, body):
            payload = body if isinstance(body, str) else json.dumps(body, default=str)
            return getattr(client, method)(
                url, payload, content_type="application/json", headers=self._headers()
            )

        def post(self, url, body):
            return self.send("post", url, body)

        def patch(self, url, body):
            return self.send("patch", url, body)

    return Api()


REPORT = {
    "period": "2026-W46",
    "overall": "green",
    "schedule": "green",
    "cost": "green",
    "scope": "green",
    "resources": "green",
    "quality": "green",
    "summary": "On plan",
    "percent_complete": 30,
}


def test_anonymous_gets_401_json(client, make_project):
    make_project()
    response = client.get("/api/v1/projects")
    assert response.status_code == 401
    assert "authentication required" in response.json()["detail"]


def test_bad_token_gets_401(client, make_project):
    response = client.get("/api/v1/projects", headers={"Authorization": "Bearer pmo_nope"})
    assert response.status_code == 401


def test_session_auth_works(client, users, make_project):
    make_project(code="S1")
    client.force_login(users["exec"])
    response = client.get("/api/v1/projects")
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["items"]] == ["S1"]


def test_list_is_paginated_with_items_and_count(api, users, make_project):
    for _ in range(7):
        make_project()
    body = api.as_user(users["exec"]).get("/api/v1/projects", page=2, page_size=5).json()
    assert body["count"] == 7
    assert [p["code"] for p in body["items"]] == ["T006", "T007"]


def test_list_filters_and_sorts(api, users, make_project, green):
    from pmo.portfolio import services

    red = make_project(code="RED")
    make_project(code="GRN", phase="planning")
    services.create_status_report(
        actor=users["pm"],
        project=red,
        period="2026-W46",
        data=green(overall=3, overall_reason="late"),
        today=dt.date(2026, 11, 20),
    )
    api.as_user(users["exec"])
    assert [p["code"] for p in api.get("/api/v1/projects", rag="red").json()["items"]] == ["RED"]
    assert [p["code"] for p in api.get("/api/v1/projects", phase="planning").json()["items"]] == [
        "GRN"
    ]
    items = api.get("/api/v1/projects", sort="-rag").json()["items"]
    assert [p["code"] for p in items] == ["RED", "GRN"]
    assert items[0]["status"]["overall"] == "red"
    assert items[1]["status"]["overall"] is None


def test_bad_filter_value_is_a_422_naming_the_field(api, users):
    response = api.as_user(users["exec"]).get("/api/v1/projects", rag="purple")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rag"


def test_create_project_and_read_it_back(api, users, portfolio):
    body = {
        "code": "API1",
        "name": "Via API",
        "name_zh": "接口创建",
        "portfolio": "STRAT",
        "program": "DIGI",
        "pmo_type": "business",
        "org_unit": "sh",
        "manager": users["pm"].person.pk,
        "planned_finish": "2027-03-31",
    }
    response = api.as_user(users["member"]).post("/api/v1/projects", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["code"], created["version"], created["baseline_finish"]) == (
        "API1",
        1,
        "2027-03-31",
    )
    assert created["manager"]["name_zh"] == "张伟"
    assert api.get("/api/v1/projects/API1").json()["name_zh"] == "接口创建"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pmo_type": "space"}, "pmo_type"),
        ({"priority": 9}, "priority"),
        ({"planned_finish": "2027-02-30"}, "planned_finish"),
        ({"code": "has space"}, "code"),
        ({"program": "NOPE"}, "program"),
        ({"budget": -1}, "budget"),
    ],
)
def test_bad_project_input_is_a_4xx_naming_the_field(api, users, portfolio, change, field):
    body = {"code": "B1", "name": "n", "portfolio": "STRAT", "pmo_type": "rnd", "org_unit": "sh"}
    body.update(change)
    response = api.as_user(users["admin"]).post("/api/v1/projects", body)
    assert response.status_code in (400, 422)
    assert field in [e["field"] for e in response.json()["errors"]]


def test_malformed_json_is_a_4xx(api, users, portfolio):
    response = api.as_user(users["admin"]).post("/api/v1/projects", "{not json")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_missing_required_field(api, users, portfolio):
    response = api.as_user(users["admin"]).post("/api/v1/projects", {"code": "X"})
    assert response.status_code == 422
    assert {"name", "portfolio", "pmo_type", "org_unit"} <= {
        e["field"] for e in response.json()["errors"]
    }


def test_patch_with_stale_version_gets_409_and_the_current_version(api, users, make_project):
    make_project(code="V1")
    api.as_user(users["pm"])
    first = api.patch("/api/v1/projects/V1", {"version": 1, "description": "first"})
    assert (first.status_code, first.json()["version"]) == (200, 2)
    stale = api.patch("/api/v1/projects/V1", {"version": 1, "description": "second"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert api.get("/api/v1/projects/V1").json()["description"] == "first"


def test_patch_names_an_unknown_or_read_only_key_and_changes_nothing(api, users, make_project):
    make_project(code="V3")
    api.as_user(users["pm"])
    before = api.get("/api/v1/projects/V3").json()
    typo = api.patch("/api/v1/projects/V3", {"version": 1, "priorty": 1, "name": "renamed"})
    assert typo.status_code == 422
    assert typo.json()["errors"] == [
        {"field": "priorty", "message": "is not a field of this request (unknown or read-only)"}
    ]
    echoed = api.patch("/api/v1/projects/V3", {"version": 1, "id": 7, "rag": "red"})
    assert [e["field"] for e in echoed.json()["errors"]] == ["id", "rag"]
    after = api.get("/api/v1/projects/V3").json()
    assert (after["name"], after["version"]) == (before["name"], 1)


def test_a_pm_is_told_which_field_only_the_pmo_changes(api, users, make_project):
    make_project(code="V4")
    refused = api.as_user(users["pm"]).patch(
        "/api/v1/projects/V4", {"version": 1, "state": "on_hold"}
    )
    assert refused.status_code == 403
    assert refused.json()["errors"] == [
        {"field": "state", "message": "only the PMO may change this field"}
    ]
    assert api.get("/api/v1/projects/V4").json()["state"] == "active"


def test_patch_without_version_is_refused(api, users, make_project):
    make_project(code="V2")
    response = api.as_user(users["pm"]).patch("/api/v1/projects/V2", {"name": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "version"


@pytest.mark.parametrize(
    ("role", "status"), [("pm", 200), ("member", 200), ("exec", 403), ("other_pm", 403)]
)
def test_who_may_patch_a_project(api, users, make_project, role, status):
    make_project(code="R1")
    response = api.as_user(users[role]).patch("/api/v1/projects/R1", {"version": 1, "name": "y"})
    assert response.status_code == status


def test_viewer_gets_404_for_other_org_units(api, users, make_project):
    make_project(code="UKP", manager=users["other_pm"].person)
    api.as_user(users["viewer"])
    assert api.get("/api/v1/projects/UKP").status_code == 404
    assert api.get("/api/v1/projects").json()["count"] == 0


def test_status_report_flow(api, users, make_project):
    make_project(code="SR1")
    api.as_user(users["pm"])
    # submitted at once, an amber needs its reason
    refused = api.post("/api/v1/projects/SR1/status-reports", {**REPORT, "overall": "amber"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "overall_reason",
            "message": "a reason is required when “Overall” is amber or red",
        }
    ]
    # a draft may be incomplete: submitting it checks it
    amber = api.post(
        "/api/v1/projects/SR1/status-reports", {**REPORT, "submit": False, "overall": "amber"}
    )
    assert (amber.status_code, amber.json()["state"]) == (201, "draft")
    incomplete = api.post(
        f"/api/v1/projects/SR1/status-reports/{amber.json()['id']}/submit",
        {"version": amber.json()["version"]},
    )
    assert incomplete.status_code == 422
    assert [e["field"] for e in incomplete.json()["errors"]] == ["overall_reason"]
    report = amber.json()
    assert report["state"] == "draft"
    url = f"/api/v1/projects/SR1/status-reports/{report['id']}"
    emptied = api.patch(url, {"version": report["version"], "percent_complete": None})
    assert (emptied.status_code, emptied.json()["errors"]) == (
        422,
        [{"field": "percent_complete", "message": "a value is required; null is not allowed"}],
    )
    edited = api.patch(
        url, {"version": report["version"], "summary": "Edited", "overall_reason": "Late"}
    )
    assert edited.json()["summary"] == "Edited"
    assert edited.json()["percent_complete"] == 30
    submitted = api.post(url + "/submit", {"version": edited.json()["version"]})
    assert submitted.json()["state"] == "submitted"
    frozen = api.patch(url, {"version": submitted.json()["version"], "summary": "again"})
    assert frozen.status_code == 409
    revision = api.post("/api/v1/projects/SR1/status-reports", {**REPORT, "summary": "Fixed"})
    assert (revision.json()["revision"], revision.json()["supersedes"]) == (2, report["id"])
    listing = api.get("/api/v1/projects/SR1/status-reports", current_only="true").json()
    assert [(r["revision"], r["summary"]) for r in listing["items"]] == [(2, "Fixed")]
    project = api.get("/api/v1/projects/SR1").json()
    assert project["status"]["period"] == "2026-W46"


def test_executive_cannot_report(api, users, make_project):
    make_project(code="SR2")
    response = api.as_user(users["exec"]).post("/api/v1/projects/SR2/status-reports", REPORT)
    assert response.status_code == 403
    assert "not change it" in response.json()["detail"]


@pytest.mark.parametrize(
    ("kind", "body", "check"),
    [
        ("risks", {"title": "Vendor", "probability": 3, "impact": 5}, ("score", 15)),
        ("issues", {"title": "Env down", "severity": 4, "escalation": 2}, ("severity", 4)),
        ("actions", {"title": "Call vendor", "due_date": "2026-12-01"}, ("status", "open")),
        ("decisions", {"title": "Approve budget"}, ("decision_status", "pending")),
        ("assumptions", {"title": "APIs stable", "validated": True}, ("validated", True)),
    ],
)
def test_raid_create_list_patch(api, users, make_project, kind, body, check):
    make_project(code="RA1")
    api.as_user(users["pm"])
    created = api.post(f"/api/v1/projects/RA1/{kind}", body)
    assert created.status_code == 201, created.content
    item = created.json()
    assert item[check[0]] == check[1]
    listing = api.get(f"/api/v1/projects/RA1/{kind}").json()
    assert (listing["count"], listing["items"][0]["id"]) == (1, item["id"])
    close = {"version": 1, "status": "closed"}
    if kind == "decisions":  # a decision still needed stays open
        close["decision_status"] = "decided"
    patched = api.patch(f"/api/v1/projects/RA1/{kind}/{item['id']}", close)
    assert (patched.status_code, patched.json()["status"]) == (200, "closed")
    stale = api.patch(f"/api/v1/projects/RA1/{kind}/{item['id']}", {"version": 1, "title": "z"})
    assert stale.status_code == 409


def test_raid_bad_input(api, users, make_project):
    make_project(code="RA2")
    api.as_user(users["pm"])
    response = api.post("/api/v1/projects/RA2/risks", {"title": "x", "probability": 0})
    assert response.status_code == 422
    assert {"probability", "impact"} == {e["field"] for e in response.json()["errors"]}
    assert api.get("/api/v1/projects/RA2/risks/999").status_code == 404


def test_audit_endpoint_reads_back_changes(api, users, make_project):
    make_project(code="AU1")
    api.as_user(users["pm"])
    api.patch("/api/v1/projects/AU1", {"version": 1, "description": "now documented"})
    events = api.get("/api/v1/projects/AU1/audit").json()["items"]
    assert events[0]["actor"] == "pm"
    assert events[0]["changes"] == {"description": ["", "now documented"]}


def test_org_units_and_people(api, users, org):
    api.as_user(users["admin"])
    created = api.post(
        "/api/v1/org-units", {"code": "bj", "name": "Beijing", "kind": "department", "parent": "cn"}
    )
    assert created.status_code == 201
    assert created.json()["parent"] == "cn"
    dup = api.post("/api/v1/org-units", {"code": "bj", "name": "Again", "kind": "department"})
    assert (dup.status_code, dup.json()["errors"][0]["field"]) == (422, "code")
    person = api.post("/api/v1/people", {"name": "Li Lei", "name_zh": "李雷", "org_unit": "bj"})
    assert person.status_code == 201
    people = api.get("/api/v1/people", q="李雷").json()
    assert [p["name"] for p in people["items"]] == ["Li Lei"]
    assert api.get("/api/v1/org-units").json()["count"] == 6


def test_pm_cannot_change_the_organisation(api, users, org):
    response = api.as_user(users["pm"]).post(
        "/api/v1/org-units", {"code": "zz", "name": "Z", "kind": "team"}
    )
    assert response.status_code == 403


def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/projects/{code}/status-reports" in schema["paths"]
    assert "/api/v1/projects/{code}/risks" in schema["paths"]


def test_token_command_prints_a_working_token(client, users, make_project, capsys):
    make_project(code="TK1")
    call_command("token", "create", "exec")
    token = capsys.readouterr().out.strip()
    assert token.startswith("pmo_")
    response = client.get("/api/v1/projects/TK1", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    call_command("token", "create", "exec", "--calendar")
    feed = capsys.readouterr().out.strip()
    response = client.get("/api/v1/projects/TK1", headers={"Authorization": f"Bearer {feed}"})
    assert response.status_code == 401  # a calendar token opens the calendar feed only


def test_token_command_unknown_user_fails_cleanly(users):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no user named “ghost”"):
        call_command("token", "create", "ghost")
