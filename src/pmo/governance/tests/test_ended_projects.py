"""A project that has ended (closed or cancelled) takes no new lifecycle, gate review, gate
decision, agenda line or steering outcome, but for what is still needed after its end
(ADR 0002, "Ended projects")."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError
from pmo.governance import services, steering, steering_agenda
from pmo.governance.ended import ProjectEndedError
from pmo.governance.models import (
    AgendaItem,
    GateDecision,
    GateReview,
    LifecycleState,
    MeetingOutcome,
    ProjectLifecycle,
    ReviewState,
)
from pmo.governance.reviews import AgendaKind
from pmo.governance.tests.conftest import START, pass_gate, tick_all
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project, ProjectState
from pmo.portfolio.raid import Decision, Issue

TODAY = timezone.localdate()


def _end(users: Any, project: Any, state: str = ProjectState.CLOSED) -> Project:
    """The PMO sets the project's state by hand (closing leaves the lifecycle running)."""
    project.refresh_from_db()
    return portfolio_services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )


def _end_quietly(project: Any, state: str = ProjectState.CLOSED) -> None:
    """The project's state written without the ``project_ended`` signal: a project loaded
    ended, or closed before its open reviews were withdrawn on closure; the services' checks
    still guard it."""
    Project.objects.filter(pk=project.pk).update(state=state)
    project.refresh_from_db()


def _footprint(project: Any) -> dict[str, Any]:
    """What a refused request must leave as it was."""
    lifecycle = ProjectLifecycle.objects.filter(project=project).first()
    fresh = Project.objects.get(pk=project.pk)
    return {
        "audit": AuditEvent.objects.count(),
        "reviews": list(GateReview.objects.values_list("pk", "state", "version")),
        "decisions": GateDecision.objects.count(),
        "outcomes": MeetingOutcome.objects.count(),
        "raid_decisions": Decision.objects.count(),
        "project": (fresh.state, fresh.phase, fresh.version),
        "lifecycle": (lifecycle.state, lifecycle.current_phase_id, lifecycle.version)
        if lifecycle
        else None,
    }


def _api(client: Any, user: str, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(
        url,
        json.dumps(body, default=str),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {create_token(username=user)}",
    )


# --- services ---------------------------------------------------------------------------------


def test_a_project_closed_by_hand_takes_no_new_review_request(users, governed):
    # closing by hand before the closure gate stops the lifecycle; the refusal names the
    # project's state, not its lifecycle's
    project = governed(code="END1")
    _end(users, project)
    before = _footprint(project)
    with pytest.raises(ProjectEndedError) as refused:
        services.request_review(actor=users["pm"], project=project)
    message = "project END1 is closed: it takes no new gate review"
    assert (refused.value.status_code, refused.value.message) == (409, message)
    assert refused.value.errors == [{"field": "project", "message": message}]
    assert _footprint(project) == before


def test_a_cancelled_project_was_refused_already_by_its_stopped_lifecycle(users, governed):
    project = governed(code="END0")
    pass_gate(users, project, START)
    pass_gate(users, project, START)  # its closure gate is next: no exception for a cancelled one
    _end(users, project, ProjectState.CANCELLED)
    before = _footprint(project)
    with pytest.raises(ConflictError, match=r"^project END0 is cancelled: it takes no new gate "):
        services.request_review(actor=users["pm"], project=project)
    assert _footprint(project) == before


def test_an_open_review_of_a_project_closed_by_hand_is_not_decided(users, governed):
    # closing by hand withdraws it (its lifecycle stops)
    withdrawn = governed(code="END9")
    open_ = services.request_review(actor=users["pm"], project=withdrawn)
    _end(users, withdrawn)
    assert GateReview.objects.get(pk=open_.pk).state == ReviewState.WITHDRAWN
    # given a review of G1 requested and ready, of a project that ended without the signal
    project = governed(code="END2")
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    _end_quietly(project)
    before = _footprint(project)
    # when the executive decides it: a Go would set the project active again
    with pytest.raises(ProjectEndedError, match=r"^project END2 is closed: it takes no further "):
        services.decide_gate(actor=users["exec"], review=review, outcome="go")
    # then nothing moved: still closed, still in its first phase, the review still open
    assert _footprint(project) == before
    # the review can still be withdrawn (clearing up after the end)
    review.refresh_from_db()
    services.withdraw_review(actor=users["pm"], review=review, version=review.version)
    assert GateReview.objects.get(pk=review.pk).state == ReviewState.WITHDRAWN


def test_an_open_review_of_an_ended_project_is_not_prepared_nor_given_files(
    users, governed, settings, tmp_path
):
    # given an open review of a project that ended without the signal (loaded ended)
    settings.MEDIA_ROOT = tmp_path / "media"
    project = governed(code="ENDP")
    review = services.request_review(actor=users["pm"], project=project)
    _end_quietly(project, ProjectState.CANCELLED)
    before = _footprint(project)
    charter = review.deliverables.first()
    # when its manager ticks a criterion or attaches a document
    with pytest.raises(ProjectEndedError) as refused:
        services.prepare_review(
            actor=users["pm"], review=review, version=review.version, notes="ready"
        )
    with pytest.raises(ProjectEndedError):
        services.attach_deliverable_file(
            actor=users["pm"],
            review=review,
            deliverable_id=charter.deliverable_id,
            upload=SimpleUploadedFile("charter.pdf", b"%PDF-1.4 x", "application/pdf"),
            version=review.version,
        )
    # then both are refused naming the project's state, and nothing changed or was stored
    assert refused.value.message == (
        "project ENDP is cancelled: its review of gate G1 will not be decided and cannot "
        "change (withdraw it)"
    )
    assert refused.value.errors == [{"field": "project", "message": refused.value.message}]
    assert _footprint(project) == before
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.pdf"))


def test_the_closure_gate_review_of_a_closed_project_is_still_prepared(users, governed):
    project = governed(code="ENDQ")
    pass_gate(users, project, START)
    pass_gate(users, project, START)
    _end(users, project)
    review = services.request_review(actor=users["pm"], project=project)
    prepared = services.prepare_review(
        actor=users["pm"], review=review, version=review.version, notes="handover done"
    )
    assert (prepared.gate.code, prepared.notes) == ("G3", "handover done")


def test_the_closure_gate_of_a_project_closed_by_hand_can_still_be_passed(users, governed):
    # given a project in execution (G1, G2 passed) that the PMO closed by hand
    project = governed(code="END3")
    pass_gate(users, project, START)
    pass_gate(users, project, START)
    _end(users, project)
    # when its closure gate G3 is reviewed
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    assert review.gate.code == "G3"
    # then it cannot be held, recycled or stopped: only passed
    before = _footprint(project)
    with pytest.raises(ProjectEndedError) as refused:
        services.decide_gate(actor=users["exec"], review=review, outcome="hold", rationale="wait")
    assert refused.value.message == (
        "project END3 is closed: its closure gate G3 can only be passed (Go or Go with conditions)"
    )
    assert _footprint(project) == before
    # and passing it completes the lifecycle in its Closed phase; the project stays closed
    services.decide_gate(actor=users["exec"], review=review, outcome="go")
    lifecycle = ProjectLifecycle.objects.get(project=project)
    project.refresh_from_db()
    assert (lifecycle.state, lifecycle.current_phase.key) == (LifecycleState.COMPLETED, "closed")
    assert (project.state, project.phase) == (ProjectState.CLOSED, "closed")


def test_an_ended_project_starts_no_lifecycle(users, make_project, generic):
    project = make_project(code="END5", state=ProjectState.CANCELLED)
    before = _footprint(project)
    with pytest.raises(ProjectEndedError) as refused:
        services.start_lifecycle(actor=users["admin"], project=project, template=generic)
    assert refused.value.message == (
        "project END5 is cancelled: a project that has ended starts no lifecycle"
    )
    assert _footprint(project) == before
    assert not ProjectLifecycle.objects.filter(project=project).exists()


def test_outcomes_are_taken_from_meetings_up_to_the_day_the_project_ended(users, governed):
    # given a project cancelled by hand today, and meetings before, on and after that day
    project = governed(code="END6")
    meetings = {
        name: steering.create_meeting(
            actor=users["admin"], data={"title": name, "date": TODAY + dt.timedelta(days=delta)}
        )
        for name, delta in (("before", -7), ("same day", 0), ("after", 3))
    }
    _end(users, project, ProjectState.CANCELLED)
    # when outcomes are recorded: those of meetings held while it ran or on its last day are
    # taken (the minutes are written up afterwards)
    for name in ("before", "same day"):
        steering.record_outcome(
            actor=users["admin"],
            meeting=meetings[name],
            project=project,
            kind="decision",
            title=f"Wind down ({name})",
        )
    assert MeetingOutcome.objects.filter(project=project).count() == 2
    # then a meeting after its end records nothing for it
    before = _footprint(project)
    with pytest.raises(ProjectEndedError) as refused:
        steering.record_outcome(
            actor=users["admin"],
            meeting=meetings["after"],
            project=project,
            kind="action",
            title="Restart it",
        )
    after = TODAY + dt.timedelta(days=3)
    message = (
        f"project END6 is cancelled since {TODAY:%Y-%m-%d}: a meeting on {after:%Y-%m-%d} "
        "records no outcome for it"
    )
    assert refused.value.errors == [{"field": "project", "message": message}]
    assert _footprint(project) == before


def test_a_project_loaded_ended_gets_no_outcome(users, make_project):
    project = make_project(code="END7", state=ProjectState.CLOSED)  # no recorded ending
    meeting = steering.create_meeting(
        actor=users["admin"], data={"title": "SC", "date": TODAY - dt.timedelta(days=30)}
    )
    with pytest.raises(ProjectEndedError, match=r"^project END7 is closed: a steering meeting "):
        steering.record_outcome(
            actor=users["admin"], meeting=meeting, project=project, kind="decision", title="x"
        )
    assert not MeetingOutcome.objects.exists()


def test_the_agenda_leaves_ended_projects_out_but_for_what_is_still_due(
    users, governed, monkeypatch
):
    # given a running project, one closed by hand in its first phase, one closed by hand
    # before its closure gate, one stopped today; each with a gate due and an escalated issue
    running = governed(code="RUN")
    closed = governed(code="CLO")
    at_closure = governed(code="CLG")
    pass_gate(users, at_closure, START)
    pass_gate(users, at_closure, START)
    stopped = governed(code="STP")
    review = tick_all(users, services.request_review(actor=users["pm"], project=stopped))
    services.decide_gate(actor=users["exec"], review=review, outcome="stop", rationale="market")
    for project in (running, closed, at_closure, stopped):
        portfolio_services.create_raid_item(
            actor=users["admin"],
            project=project,
            kind="issues",
            data={"title": f"Escalated {project.code}", "escalation": 3},
        )
    _end(users, closed)
    _end(users, at_closure)

    def source(date: dt.date, window: int) -> list[AgendaItem]:  # another app's lines
        return [
            AgendaItem(kind=AgendaKind.OTHER, project=p, title=f"CR {p.code}", ref=f"cr:{p.pk}")
            for p in (running, closed)
        ]

    monkeypatch.setattr(steering_agenda, "AGENDA_SOURCES", [source])
    # when a meeting a year ahead is planned (every gate is due by then)
    meeting = steering.create_meeting(
        actor=users["admin"],
        data={"title": "SC", "date": TODAY + dt.timedelta(days=365), "window_days": 366},
    )
    lines = sorted(
        (i.kind, i.project.code, i.gate.code if i.gate else "")
        for i in AgendaItem.objects.filter(meeting=meeting).select_related("project", "gate")
    )
    # then: the running project as before; the closed one's closure gate (still to pass);
    # the stop decision for information; nothing else about the ended projects
    assert lines == [
        ("decided", "STP", "G1"),
        ("escalated", "RUN", ""),
        ("gate", "CLG", "G3"),
        ("gate", "RUN", "G1"),
        ("other", "RUN", ""),
    ]


# --- API --------------------------------------------------------------------------------------


def test_the_api_refuses_a_review_request_and_a_decision_with_the_project_named(
    client, users, governed
):
    project = governed(code="API1")
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    _end_quietly(project)
    before = _footprint(project)
    decided = _api(
        client,
        "exec",
        "post",
        f"/api/v1/projects/API1/gate-reviews/{review.pk}/decide",
        {"outcome": "go"},
    )
    message = "project API1 is closed: it takes no further gate decision"
    assert decided.status_code == 409
    assert decided.json() == {
        "detail": message,
        "errors": [{"field": "project", "message": message}],
    }
    assert _footprint(project) == before
    services.withdraw_review(actor=users["pm"], review=review, version=review.version)
    before = _footprint(project)
    requested = _api(client, "pm", "post", "/api/v1/projects/API1/gate-reviews", {})
    message = "project API1 is closed: it takes no new gate review"
    assert requested.status_code == 409
    assert requested.json()["errors"] == [{"field": "project", "message": message}]
    assert _footprint(project) == before


def test_the_api_refuses_an_outcome_after_the_end_and_writes_nothing(client, users, governed):
    project = governed(code="API2")
    meeting = steering.create_meeting(
        actor=users["admin"], data={"title": "SC", "date": TODAY + dt.timedelta(days=7)}
    )
    _end(users, project, ProjectState.CANCELLED)
    before = _footprint(project)
    response = _api(
        client,
        "admin",
        "post",
        f"/api/v1/steering-meetings/{meeting.pk}/outcomes",
        {"project": "API2", "kind": "decision", "title": "Fund phase 2"},
    )
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "field": "project",
            "message": f"project API2 is cancelled since {TODAY:%Y-%m-%d}: a meeting on "
            f"{TODAY + dt.timedelta(days=7):%Y-%m-%d} records no outcome for it",
        }
    ]
    assert _footprint(project) == before
    assert not Issue.objects.filter(project=project).exists()


def test_the_api_refuses_a_lifecycle_for_an_ended_project(client, users, make_project, generic):
    project = make_project(code="API3", state=ProjectState.CLOSED)
    response = _api(
        client, "admin", "post", "/api/v1/projects/API3/lifecycle", {"template_id": generic.pk}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "project"
    assert not ProjectLifecycle.objects.filter(project=project).exists()
    assert Project.objects.get(pk=project.pk).state == ProjectState.CLOSED


# --- web forms --------------------------------------------------------------------------------


def test_the_outcome_form_shows_the_refusal_at_the_project_field(client, users, governed):
    project = governed(code="WEB1")
    meeting = steering.create_meeting(
        actor=users["admin"], data={"title": "SC", "date": TODAY + dt.timedelta(days=7)}
    )
    _end(users, project)
    before = _footprint(project)
    client.force_login(users["admin"])
    response = client.post(
        f"/steering-meetings/{meeting.pk}/",
        {"action": "outcome", "project": "WEB1", "kind": "decision", "title": "Go on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="outcome-errors"' in page
    assert f"project WEB1 is closed since {TODAY:%Y-%m-%d}: a meeting on" in page
    assert 'value="Go on"' in page  # what was typed is kept
    assert _footprint(project) == before


def test_the_review_request_form_shows_the_refusal(client, users, governed):
    # closed by hand in its first phase: the lifecycle stops, the page says so and the
    # refusal of a request sent from an older page is a message
    stopped = governed(code="WEB4")
    client.force_login(users["pm"])
    _end(users, stopped)
    answer = client.post("/projects/WEB4/gate-reviews/new/", {"notes": "x"}, follow=True)
    page = answer.content.decode()
    assert "project WEB4 is closed: it takes no new gate review" in page
    assert "closed by hand before its remaining gates" in page
    assert 'id="request-review"' not in page
    # given the lifecycle page opened while the project ran, then the project closed (as
    # data loaded ended: its lifecycle still runs)
    project = governed(code="WEB2")
    assert 'id="request-review"' in client.get("/projects/WEB2/lifecycle/").content.decode()
    _end_quietly(project)
    before = _footprint(project)
    # when the form is sent
    response = client.post(
        "/projects/WEB2/gate-reviews/new/", {"scheduled_for": "", "notes": "please"}
    )
    # then the page says why in the form, keeps the notes and writes nothing
    page = response.content.decode()
    assert response.status_code == 409
    assert 'id="request-errors"' in page
    assert "project WEB2 is closed: it takes no new gate review" in page
    assert "please</textarea>" in page
    assert _footprint(project) == before
    # and the page no longer offers the form, it says why
    page = client.get("/projects/WEB2/lifecycle/").content.decode()
    assert 'id="request-review"' not in page
    assert 'id="review-refused"' in page and "it takes no new gate review" in page


def test_the_decision_form_shows_the_refusal(client, users, governed):
    project = governed(code="WEB3")
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    _end_quietly(project, ProjectState.CLOSED)
    before = _footprint(project)
    client.force_login(users["exec"])
    response = client.post(
        f"/projects/WEB3/gate-reviews/{review.pk}/",
        {"action": "decide", "outcome": "go", "version": str(review.version)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="decision-errors"' in page
    assert "project WEB3 is closed: it takes no further gate decision" in page
    assert _footprint(project) == before


def test_the_gate_calendar_keeps_only_the_closure_gate_of_a_project_closed_by_hand(users, governed):
    from pmo.governance.calendar import gate_calendar_rows

    # given a project in its first phase (gates G1..G3 ahead) and one in execution (G3 ahead)
    early, late = governed(code="CAL1"), governed(code="CAL2")
    pass_gate(users, late, START)
    pass_gate(users, late, START)
    window = (START - dt.timedelta(days=400), START + dt.timedelta(days=4000))

    def listed() -> set[tuple[str, str]]:
        rows = gate_calendar_rows(users["admin"], *window, today=START)
        return {(r.lifecycle.project.code, r.gate.code) for r in rows}

    assert {("CAL1", "G1"), ("CAL1", "G3"), ("CAL2", "G3")} <= listed()
    # when the PMO closes both by hand
    _end(users, early)
    _end(users, late)
    # then only the closure gate that is next stays on the calendar (its review is still
    # taken); nothing of the project closed early will be reviewed any more
    assert {row for row in listed() if row[0] in ("CAL1", "CAL2")} == {("CAL2", "G3")}
