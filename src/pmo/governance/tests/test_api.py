"""The governance API end to end: templates, lifecycle, gate reviews, decisions, meetings."""

import datetime as dt
import json

import pytest

from pmo.accounts.models import Role, User
from pmo.accounts.services import create_token
from pmo.governance.builtin import GENERIC
from pmo.governance.models import LifecycleTemplate


@pytest.fixture
def api(client):
    class Api:
        token = None

        def as_user(self, user):
            self.token = create_token(username=user.username)
            return self

        def _headers(self):
            return {"Authorization": f"Bearer {self.token}"}

        def get(self, url, **params):
            return client.get(url, params, headers=self._headers())

        def send(self, method, url, body=None):
            return getattr(client, method)(
                url,
                body if isinstance(body, str) else json.dumps(body or {}, default=str),
                content_type="application/json",
                headers=self._headers(),
            )

    return Api()


def test_templates_are_listed_paginated_with_their_use(api, users, governed):
    governed()
    body = api.as_user(users["viewer"]).get("/api/v1/lifecycle-templates").json()
    assert body["count"] == 6
    assert {t["code"]: t["in_use"] for t in body["items"]}["generic"] == 1


def test_a_template_shows_phases_gates_and_criteria(api, users, generic):
    body = api.as_user(users["pm"]).get(f"/api/v1/lifecycle-templates/{generic.pk}").json()
    assert [p["key"] for p in body["phases"]] == ["idea", "planning", "execution", "closed"]
    assert body["phases"][0]["gate"] is None
    gate = body["phases"][1]["gate"]
    assert (gate["code"], [c["text"] for c in gate["criteria"]]) == (
        "G1",
        ["Sponsor confirms the need", "Budget and resources committed"],
    )


def test_the_admin_posts_a_template_and_a_pm_gets_403(api, users):
    definition = {**GENERIC, "code": "api-made", "description_zh": "接口创建"}
    response = api.as_user(users["admin"]).send("post", "/api/v1/lifecycle-templates", definition)
    assert response.status_code == 201
    assert (response.json()["revision"], len(response.json()["phases"])) == (1, 4)
    assert response.json()["description_zh"] == "接口创建"
    response = api.as_user(users["pm"]).send("post", "/api/v1/lifecycle-templates", definition)
    assert response.status_code == 403
    assert "PMO admin" in response.json()["detail"]


def test_a_bad_template_gets_422_with_fields(api, users):
    body = {"code": "x", "name": "X", "phases": [{"key": "a", "name": "A", "category": "idea"}]}
    response = api.as_user(users["admin"]).send("post", "/api/v1/lifecycle-templates", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "phases"
    body["phases"].append({"key": "b", "name": "B", "category": "planning"})
    response = api.as_user(users["admin"]).send("post", "/api/v1/lifecycle-templates", body)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "phases.1.gate")


def test_deleting_a_template_in_use_is_refused(api, users, governed, generic):
    governed()
    response = api.as_user(users["admin"]).send(
        "delete", f"/api/v1/lifecycle-templates/{generic.pk}"
    )
    assert response.status_code == 409
    assert "in use by 1 project" in response.json()["detail"]
    spare = LifecycleTemplate.objects.get(code="assistant")
    response = api.as_user(users["admin"]).send("delete", f"/api/v1/lifecycle-templates/{spare.pk}")
    assert response.status_code == 204


def test_a_pm_takes_a_project_through_a_gate_to_a_decision_with_conditions(
    api, users, make_project, generic
):
    project = make_project()
    response = api.as_user(users["member"]).send(
        "post",
        f"/api/v1/projects/{project.code}/lifecycle",
        {"template_id": generic.pk, "started_on": "2026-01-05"},
    )
    assert (response.status_code, response.json()["current_phase"]) == (201, "idea")
    pm = api.as_user(users["pm"])
    response = pm.send("post", f"/api/v1/projects/{project.code}/gate-reviews", {"gate": "G1"})
    assert response.status_code == 201
    review = response.json()
    url = f"/api/v1/projects/{project.code}/gate-reviews/{review['id']}"
    response = pm.send(
        "patch",
        url,
        {
            "version": review["version"],
            "checks": [
                {"criterion_id": c["criterion_id"], "met": True, "evidence_url": "https://e/1"}
                for c in review["checks"]
            ],
            "deliverables": [
                {"deliverable_id": d["deliverable_id"], "url": "https://d/1"}
                for d in review["deliverables"]
            ],
        },
    )
    assert response.status_code == 200
    assert [c["met"] for c in response.json()["checks"]] == [True, True]
    decision = {
        "outcome": "go_conditions",
        "conditions": [
            {"text": "Confirm budget", "owner_id": users["pm"].person.pk, "due_date": "2026-03-01"}
        ],
        "decided_on": "2026-02-02",
    }
    response = pm.send("post", f"{url}/decide", decision)
    assert response.status_code == 403
    assert "may not decide gate G1" in response.json()["detail"]
    response = api.as_user(users["exec"]).send("post", f"{url}/decide", decision)
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["decision"]["outcome"], body["decision"]["decided_by"]) == (
        "decided",
        "go_conditions",
        "exec",
    )
    assert [c["text"] for c in body["decision"]["conditions"]] == ["Confirm budget"]
    response = api.as_user(users["admin"]).send("post", f"{url}/decide", {"outcome": "go"})
    assert response.status_code == 409
    assert "already decided" in response.json()["detail"]
    lifecycle = api.get(f"/api/v1/projects/{project.code}/lifecycle").json()
    assert (lifecycle["current_phase"], lifecycle["next_gate"], lifecycle["open_conditions"]) == (
        "planning",
        "G2",
        1,
    )
    assert api.get(f"/api/v1/projects/{project.code}").json()["phase"] == "planning"
    listed = api.get(f"/api/v1/projects/{project.code}/gate-reviews").json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, review["id"])


def test_a_gate_out_of_order_gets_409(api, users, governed):
    project = governed()
    response = api.as_user(users["pm"]).send(
        "post", f"/api/v1/projects/{project.code}/gate-reviews", {"gate": "G3"}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "gates are passed in order: the next gate of T001 is G1, not G3"
    )


def test_bad_input_gets_422_never_500(api, users, governed):
    project = governed()
    pm = api.as_user(users["pm"])
    review = pm.send("post", f"/api/v1/projects/{project.code}/gate-reviews", {}).json()
    url = f"/api/v1/projects/{project.code}/gate-reviews/{review['id']}/decide"
    exec_ = api.as_user(users["exec"])
    for body in (
        {"outcome": "maybe"},
        {"outcome": "go_conditions", "conditions": [{"text": "x", "owner_id": 1}]},
        "{not json",
        {"outcome": "recycle", "rationale": "r", "recycle_to": "nowhere"},
        {"outcome": "hold", "decided_on": "2026-02-30"},
        {
            "outcome": "go_conditions",
            "conditions": [{"text": "x", "owner_id": 99999, "due_date": "2026-01-01"}],
        },
    ):
        response = exec_.send("post", url, body)
        assert response.status_code in (400, 422), (body, response.json())
        assert response.json()["detail"], body


def test_unknown_review_is_404_and_invisible_project_is_404(api, users, governed):
    project = governed()
    response = api.as_user(users["pm"]).get(f"/api/v1/projects/{project.code}/gate-reviews/999")
    assert response.status_code == 404
    response = api.as_user(users["uk_viewer"]).get(f"/api/v1/projects/{project.code}/lifecycle")
    assert response.status_code == 404


def test_steering_meeting_agenda_lists_gates_due_and_outcomes_go_to_the_raid_log(
    api, users, governed
):
    project = governed()
    api.as_user(users["pm"]).send("post", f"/api/v1/projects/{project.code}/gate-reviews", {})
    admin = api.as_user(users["admin"])
    response = admin.send(
        "post",
        "/api/v1/steering-meetings",
        {"title": "SteerCo February", "date": "2026-02-01", "window_days": 14},
    )
    assert response.status_code == 201
    meeting = response.json()
    assert [(a["kind"], a["project"], a["title"]) for a in meeting["agenda"]] == [
        ("gate", "T001", "Gate G1 Approve · review requested"),
    ]
    response = admin.send(
        "post",
        f"/api/v1/steering-meetings/{meeting['id']}/outcomes",
        {"project": project.code, "kind": "action", "title": "Re-plan the pilot"},
    )
    assert response.status_code == 201
    actions = admin.get(f"/api/v1/projects/{project.code}/actions").json()
    assert [a["title"] for a in actions["items"]] == ["Re-plan the pilot"]
    response = admin.send(
        "patch",
        f"/api/v1/steering-meetings/{meeting['id']}",
        {"version": 1, "minutes": "G1 discussed."},
    )
    assert (response.status_code, response.json()["minutes"]) == (200, "G1 discussed.")
    response = admin.send(
        "patch", f"/api/v1/steering-meetings/{meeting['id']}", {"version": 1, "minutes": "x"}
    )
    assert response.status_code == 409
    assert api.as_user(users["viewer"]).get("/api/v1/steering-meetings").status_code == 403
    director = User.objects.create_user(username="dir", role=Role.RESOURCE_MANAGER)
    assert api.as_user(director).get("/api/v1/steering-meetings").json()["count"] == 1
    assert (
        api.as_user(users["pm"])
        .send("post", "/api/v1/steering-meetings", {"title": "t", "date": "2026-02-01"})
        .status_code
        == 403
    )


def test_gate_calendar_api_lists_due_and_overdue_gates(api, users, governed):
    governed()
    body = (
        api.as_user(users["exec"]).get("/api/v1/gate-calendar", start="2026-01-01", days=60).json()
    )
    assert body["count"] == 1
    items = body["items"]
    assert [(e["project"], e["gate"], e["due"]) for e in items] == [("T001", "G1", "2026-02-04")]
    assert dt.date(2026, 2, 4) < dt.date.today()
    assert items[0]["overdue"] is True


def test_gate_calendar_api_pages_the_calendar(api, users, governed, django_assert_max_num_queries):
    for _ in range(3):
        governed()
    client = api.as_user(users["exec"])
    window = {"start": "2026-01-01", "days": 400}
    everything = client.get("/api/v1/gate-calendar", **window).json()
    assert everything["count"] == len(everything["items"]) > 3
    pages = []
    for number in (1, 2, 3):
        with django_assert_max_num_queries(12):
            body = client.get("/api/v1/gate-calendar", page=number, page_size=2, **window).json()
        assert body["count"] == everything["count"]
        pages.extend(body["items"])
    assert pages == everything["items"][:6]


def test_the_review_list_reads_a_fixed_number_of_queries(
    api, users, governed, django_assert_max_num_queries
):
    from pmo.governance import services

    project = governed()
    for _ in range(3):
        review = services.request_review(actor=users["pm"], project=project)
        services.decide_gate(actor=users["exec"], review=review, outcome="hold", rationale="r")
    client = api.as_user(users["pm"])
    with django_assert_max_num_queries(14):
        body = client.get(f"/api/v1/projects/{project.code}/gate-reviews").json()
    assert [r["decision"]["outcome"] for r in body["items"]] == ["hold", "hold", "hold"]
    assert [len(r["checks"]) for r in body["items"]] == [2, 2, 2]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/api/v1/lifecycle-templates", {**GENERIC, "pmo_type": "nope"}, 422),
        ("post", "/api/v1/lifecycle-templates", {**GENERIC, "phases": "x"}, 422),
        ("post", "/api/v1/lifecycle-templates", {**GENERIC, "code": "a b"}, 422),
        ("delete", "/api/v1/lifecycle-templates/999999", None, 404),
        ("post", "/api/v1/projects/{code}/lifecycle", {"template_id": 999999}, 422),
        ("post", "/api/v1/projects/{code}/lifecycle", {"template_id": "x"}, 422),
        ("post", "/api/v1/projects/NOPE/gate-reviews", {}, 404),
        ("post", "/api/v1/projects/{code}/gate-reviews", {"scheduled_for": "soon"}, 422),
        (
            "patch",
            "/api/v1/projects/{code}/gate-reviews/{review}",
            {"version": 1, "checks": [{"criterion_id": 999999, "met": True}]},
            422,
        ),
        ("patch", "/api/v1/projects/{code}/gate-reviews/{review}", {"version": 7}, 409),
        (
            "post",
            "/api/v1/projects/{code}/gate-reviews/{review}/decide",
            {"outcome": "go", "recycle_to": "idea"},
            422,
        ),
        (
            "post",
            "/api/v1/projects/{code}/gate-reviews/{review}/decide",
            {
                "outcome": "hold",
                "rationale": "r",
                "conditions": [{"text": "c", "owner_id": 1, "due_date": "2026-01-01"}],
            },
            422,
        ),
        ("post", "/api/v1/projects/{code}/gate-conditions/999999/close", {}, 404),
        ("post", "/api/v1/steering-meetings", {"title": "", "date": "2026-01-01"}, 422),
        (
            "post",
            "/api/v1/steering-meetings",
            {"title": "t", "date": "2026-01-01", "window_days": -1},
            422,
        ),
        (
            "post",
            "/api/v1/steering-meetings/999999/outcomes",
            {"project": "x", "kind": "action", "title": "t"},
            404,
        ),
        ("get", "/api/v1/gate-calendar?start=yesterday", None, 422),
    ],
)
def test_bad_requests_get_a_4xx_with_a_detail(api, users, governed, method, path, body, status):
    from pmo.governance import services

    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    url = path.format(code=project.code, review=review.pk)
    client = api.as_user(users["admin"])
    response = client.get(url) if method == "get" else client.send(method, url, body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
