"""Impact analysis and change requests from raise to an applied, audited change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

from pmo.audit.models import AuditEvent
from pmo.dependencies.models import ChangeRequest
from pmo.dependencies.tests.conftest import auth, link
from pmo.portfolio.models import Milestone, Project


def _wire(client: Any, users: Any, web: Any) -> None:
    for supplier, consumer, pcode, ccode in [
        ("build", "integration", "CORE1", "APP1"),
        ("golive", "pilot", "CORE1", "WEB1"),
    ]:
        response = link(
            client,
            users["pm"],
            supplier_project=pcode,
            supplier_milestone=web[supplier].pk,
            consumer_project=ccode,
            consumer_milestone=web[consumer].pk,
        )
        assert response.status_code == 201


def test_impact_moves_only_what_the_slack_does_not_absorb(
    client: Any, users: Any, web: Any
) -> None:
    _wire(client, users, web)
    # when CORE's build (Fri 03-06) slips 8 working days; APP's integration (Mon 03-16) has
    # 5 days of room, WEB's pilot (06-01) months of room
    response = client.post(
        "/api/v1/impact",
        {"project": "CORE1", "milestone": web["build"].pk, "days": 8},
        content_type="application/json",
        headers=auth(users["exec"]),  # reads the whole portfolio (APP1 is in London IT)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    moved = {(i["project"], i["name"]): (i["delay"], i["new_date"]) for i in body["items"]}
    assert moved == {
        ("CORE1", "Build done"): (8, "2026-03-18"),
        ("CORE1", "Go-live"): (8, "2026-04-01"),
        ("CORE1", "CORE1"): (8, "2026-04-13"),  # CORE1 is in China: Qingming, Mon 04-06
        ("APP1", "Integration"): (3, "2026-03-19"),
        ("APP1", "Launch"): (3, "2026-04-15"),
        ("APP1", "APP1"): (3, "2026-05-05"),
    }
    assert [(p["project"], p["max_delay"], p["finish_delay"]) for p in body["projects"]] == [
        ("CORE1", 8, 8),
        ("APP1", 3, 3),
    ]


def test_impact_bad_input_is_4xx(client: Any, users: Any, web: Any) -> None:
    for body in [
        {"project": "CORE1", "days": 3},
        {"project": "CORE1", "milestone": web["pilot"].pk, "days": 3},
        {"project": "CORE1", "milestone": web["build"].pk, "days": 0},
        {"project": "NOPE", "milestone": web["build"].pk, "days": 3},
    ]:
        response = client.post(
            "/api/v1/impact", body, content_type="application/json", headers=auth(users["pm"])
        )
        assert 400 <= response.status_code < 500, body
        assert response.json()["detail"]


def _step(client: Any, user: Any, cr_id: int, action: str, note: str = "") -> Any:
    return client.post(
        f"/api/v1/change-requests/{cr_id}/transitions",
        {"action": action, "note": note},
        content_type="application/json",
        headers=auth(user),
    )


def test_change_request_goes_through_approval_to_an_applied_audited_change(
    client: Any, users: Any, web: Any
) -> None:
    from pmo.governance.steering import create_meeting

    _wire(client, users, web)
    # given a change request raised by CORE's PM: the build slips 12 working days
    created = client.post(
        "/api/v1/change-requests",
        {
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": web["build"].pk,
            "slip_days": 12,
            "cost_impact": "250000",
        },
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert created.status_code == 201, created.content
    cr = created.json()
    assert cr["state"] == "draft"
    assert cr["affected_projects"] == ["APP1"]
    assert cr["needs_steering"] is True  # 12 > 10 working days
    assert cr["actions"] == ["submit", "withdraw"]
    # an invalid transition is refused with the possible ones
    bad = _step(client, users["pm"], cr["id"], "apply")
    assert bad.status_code == 409
    assert bad.json()["detail"] == (
        f"cannot apply change request {cr['code']} in state “Draft”; possible now: submit, withdraw"
    )
    submitted = _step(client, users["pm"], cr["id"], "submit").json()
    # CORE's PM raised it: the PM review is skipped (theirs is the request), the PMO's is next
    assert submitted["state"] == "pmo_review"
    assert [(s["action"], s["to_state"], s["actor"], s["note"]) for s in submitted["steps"]] == [
        ("submit", "pm_review", "pm", ""),
        ("skip", "pmo_review", "", "raised by the project manager"),
    ]
    # the affected project's PM is notified in the app
    assert users["other_pm"].notifications.filter(message__contains=cr["code"]).exists()
    assert _step(client, users["viewer"], cr["id"], "approve").status_code == 403
    assert _step(client, users["pm"], cr["id"], "approve").status_code == 403
    assert _step(client, users["member"], cr["id"], "approve").json()["state"] == "steering_review"
    # the steering agenda lists it
    meeting = create_meeting(
        actor=users["admin"], data={"title": "SC", "date": dt.date(2026, 3, 2), "window_days": 30}
    )
    assert any(cr["code"] in item.title for item in meeting.agenda.all())
    # drawn up in English, the line reads in each reader's language (a reference, not text)
    line = next(item for item in meeting.agenda.all() if item.ref)
    with translation.override("zh-hans"):
        assert "个工作日" in line.label and "working day" not in line.label
    assert "working days" in line.label
    approved = _step(client, users["exec"], cr["id"], "approve", "accepted: vendor risk")
    assert approved.json()["state"] == "approved"
    # when CORE's PM applies it
    applied = _step(client, users["pm"], cr["id"], "apply")
    assert applied.status_code == 200, applied.content
    assert applied.json()["state"] == "applied"
    # then the forecasts moved as the impact said, traced to the request
    assert Milestone.objects.get(pk=web["build"].pk).forecast_date == dt.date(2026, 3, 24)
    assert Milestone.objects.get(pk=web["integration"].pk).forecast_date == dt.date(2026, 3, 25)
    assert Project.objects.get(code="APP1").forecast_finish == dt.date(2026, 5, 11)
    assert Milestone.objects.get(pk=web["pilot"].pk).forecast_date == dt.date(2026, 6, 1)
    traced = AuditEvent.objects.filter(action="apply", object_type="portfolio.milestone")
    assert traced.count() == 4
    assert all(e.changes["change_request"] == [None, cr["code"]] for e in traced)
    assert (
        AuditEvent.objects.filter(
            object_type="dependencies.changerequest", scope=f"project:{web['app'].pk}"
        ).count()
        == 6
    )  # create, submit, the skipped PM review, 2 approvals, apply
    steps = applied.json()["steps"]
    assert [s["to_state"] for s in steps] == [
        "pm_review",
        "pmo_review",
        "steering_review",
        "approved",
        "applied",
    ]
    assert ChangeRequest.objects.get().applied_by == users["pm"]


def test_small_change_skips_the_steering_committee_and_reject_needs_a_reason(
    client: Any, users: Any, web: Any
) -> None:
    _wire(client, users, web)
    cr = client.post(
        "/api/v1/change-requests",
        {
            "project": "CORE1",
            "type": "scope",
            "title": "Small",
            "slip_milestone": web["build"].pk,
            "slip_days": 2,
        },
        content_type="application/json",
        headers=auth(users["pm"]),
    ).json()
    assert cr["needs_steering"] is False
    assert cr["affected_projects"] == []  # 2 days fit in APP's 5 days of room
    _step(client, users["pm"], cr["id"], "submit")
    assert _step(client, users["member"], cr["id"], "reject").status_code == 422
    assert _step(client, users["member"], cr["id"], "approve").json()["state"] == "approved"
    done = _step(client, users["pm"], cr["id"], "apply").json()
    assert done["state"] == "applied"
    closed = _step(client, users["pm"], cr["id"], "apply")
    assert closed.status_code == 409
    assert "nothing (closed)" in closed.json()["detail"]


def test_pm_enters_cost_impact_before_the_pmo_review(client: Any, users: Any, web: Any) -> None:
    cr = client.post(
        "/api/v1/change-requests",
        {
            "project": "CORE1",
            "type": "cost",
            "title": "Licences",
            "slip_milestone": web["build"].pk,
            "slip_days": 2,
        },
        content_type="application/json",
        headers=auth(users["pm"]),
    ).json()
    url = f"/api/v1/change-requests/{cr['id']}"
    patched = client.patch(
        url,
        {"version": 1, "cost_impact": "2000000", "effort_impact": "30"},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["needs_steering"] is True  # cost above 1,000,000
    assert patched.json()["version"] == 2
    stale = client.patch(
        url,
        {"version": 1, "title": "x"},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert stale.status_code == 409
    other = client.patch(
        url,
        {"version": 2, "title": "x"},
        content_type="application/json",
        headers=auth(users["other_pm"]),
    )
    assert other.status_code == 403
    _step(client, users["pm"], cr["id"], "submit")  # the PM's own: on to the PMO review
    late = client.patch(
        url,
        {"version": 4, "title": "x"},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert late.status_code == 409
    assert late.json()["detail"] == (  # the state by its label, quoted
        f"change request {cr['code']} is in state “PMO review”: "
        "it can only be changed as a draft or in the PM review"
    )


def test_program_level_change_request_is_decided_by_the_pmo(
    client: Any, users: Any, web: Any
) -> None:
    _wire(client, users, web)
    body = {
        "program": "CORE",
        "type": "scope",
        "title": "Shared API scope grows",
        "slip_milestone": web["build"].pk,
        "slip_days": 8,
    }
    refused = client.post(
        "/api/v1/change-requests", body, content_type="application/json", headers=auth(users["pm"])
    )
    assert refused.status_code == 403  # a project manager does not lead the program
    both = client.post(
        "/api/v1/change-requests",
        {**body, "project": "CORE1"},
        content_type="application/json",
        headers=auth(users["member"]),
    )
    assert both.status_code == 422
    created = client.post(
        "/api/v1/change-requests",
        body,
        content_type="application/json",
        headers=auth(users["member"]),
    )
    assert created.status_code == 201, created.content
    cr = created.json()
    assert (cr["project"], cr["program"]) == (None, "CORE")
    assert cr["affected_projects"] == ["APP1", "CORE1"]
    assert _step(client, users["member"], cr["id"], "submit").status_code == 200
    # the requester does not review their own request: another PMO member does both reviews
    assert _step(client, users["member"], cr["id"], "approve").status_code == 403
    for action in ("approve", "approve"):
        assert _step(client, users["admin"], cr["id"], action).status_code == 200
    assert _step(client, users["member"], cr["id"], "apply").json()["state"] == "applied"
    assert AuditEvent.objects.filter(
        object_type="dependencies.changerequest", scope="program:CORE"
    ).exists()
    listed = client.get("/api/v1/change-requests", headers=auth(users["viewer"])).json()
    assert [row["program"] for row in listed["items"]] == ["CORE"]
    client.force_login(users["member"])
    assert "Program CORE" in client.get(f"/change-requests/{cr['id']}/").content.decode()


def test_an_item_that_cannot_slip_is_refused_at_the_field_that_named_it(
    client: Any, users: Any, web: Any
) -> None:
    web["build"].actual_date = dt.date(2026, 3, 6)  # done: it slips no more
    web["build"].save()
    done = "this item is done or has no date, so it cannot slip any more"
    impact = client.post(
        "/api/v1/impact",
        {"project": "CORE1", "milestone": web["build"].pk, "days": 3},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert (impact.status_code, impact.json()["errors"]) == (
        422,
        [{"field": "milestone", "message": done}],
    )
    raised = client.post(
        "/api/v1/change-requests",
        {
            "project": "CORE1",
            "type": "schedule",
            "title": "Build slips",
            "slip_milestone": web["build"].pk,
            "slip_days": 3,
        },
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert (raised.status_code, raised.json()["errors"]) == (
        422,
        [{"field": "slip_milestone", "message": done}],
    )
    assert not ChangeRequest.objects.exists()


def test_an_approved_slip_of_an_item_done_since_is_not_applied(users: Any, web: Any) -> None:
    import pytest

    from pmo.core.errors import ConflictError
    from pmo.dependencies.changes import create_change_request, transition

    cr = create_change_request(
        actor=users["pm"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Build slips",
            "slip_milestone": web["build"].pk,
            "slip_days": 1,
        },
    )
    cr = transition(actor=users["pm"], cr=cr, action="submit")
    while cr.state != "approved":
        reviewer = users["member"] if cr.state == "pmo_review" else users["exec"]
        cr = transition(actor=reviewer, cr=cr, action="approve", note="ok")
    Milestone.objects.filter(pk=web["build"].pk).update(actual_date=dt.date(2026, 3, 6))
    with pytest.raises(ConflictError, match=f"{cr.code} cannot be applied: this item is done"):
        transition(actor=users["pm"], cr=cr, action="apply")
    cr.refresh_from_db()
    assert cr.state == "approved"
    assert Milestone.objects.get(pk=web["integration"].pk).forecast_date == dt.date(2026, 3, 16)


def test_raising_a_change_on_a_project_someone_else_manages_names_the_project(
    client: Any, users: Any, web: Any
) -> None:
    refused = client.post(
        "/api/v1/change-requests",
        {"project": "APP1", "type": "scope", "title": "Not mine"},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    message = "only the PMO or the manager of APP1 may raise a change request on it"
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": message, "errors": [{"field": "project", "message": message}]},
    )
    assert not ChangeRequest.objects.exists()
