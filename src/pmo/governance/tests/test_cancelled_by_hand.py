"""A project the PMO sets to Cancelled by hand stops its lifecycle as a Stop decision would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pmo.governance import services
from pmo.governance.models import LifecycleState, PhaseEntry, ProjectLifecycle, ReviewState
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import ProjectState


def _cancel(users: Any, project: Any, state: str = ProjectState.CANCELLED) -> ProjectLifecycle:
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )
    return ProjectLifecycle.objects.get(project=project)


def test_cancelling_by_hand_stops_the_lifecycle_and_withdraws_its_review(
    users: Any, governed: Any
) -> None:
    project = governed(code="HC1")
    review = services.request_review(actor=users["pm"], project=project)
    lifecycle = _cancel(users, project)
    assert lifecycle.state == LifecycleState.STOPPED
    assert lifecycle.next_gate is None and lifecycle.next_gate_due is None
    review.refresh_from_db()
    assert review.state == ReviewState.WITHDRAWN
    assert not PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True).exists()


def test_holding_by_hand_leaves_the_lifecycle_running(users: Any, governed: Any) -> None:
    lifecycle = _cancel(users, governed(code="HC3"), ProjectState.ON_HOLD)
    assert lifecycle.state == LifecycleState.ACTIVE


def test_closing_by_hand_before_the_closure_gate_stops_the_lifecycle_as_closed(
    users: Any, governed: Any
) -> None:
    from pmo.governance.selectors import stopped_at

    # given a project in its first phase with its G1 review requested
    project = governed(code="HC2")
    review = services.request_review(actor=users["pm"], project=project)
    # when the PMO closes it by hand (G1, G2 and the closure gate G3 not passed)
    lifecycle = _cancel(users, project, ProjectState.CLOSED)
    # then no gate of it is expected any more: stopped, review withdrawn, nothing next
    assert lifecycle.state == LifecycleState.STOPPED
    assert lifecycle.next_gate is None and lifecycle.next_gate_due is None
    review.refresh_from_db()
    assert review.state == ReviewState.WITHDRAWN
    stopped = stopped_at(lifecycle)
    assert stopped is not None and (stopped.gate.code, stopped.closed) == ("G1", True)


def test_a_lifecycle_closed_by_hand_reads_closed_not_stopped(
    client: Any, users: Any, governed: Any
) -> None:
    # a Stop decision cancels a project; a closure by hand is said as such
    project = governed(code="HC3")
    _cancel(users, project, ProjectState.CLOSED)
    client.force_login(users["admin"])
    page = client.get("/projects/HC3/lifecycle/").content.decode()
    assert '<span id="lifecycle-state">Closed by hand</span>' in page
    status = client.get("/", {"state": "closed"}).content.decode()
    row = status.split('data-code="HC3"')[1].split("</tr>")[0]
    assert 'data-state="stopped">closed in Idea<' in row and "stopped in" not in row


def test_a_stop_decision_is_not_stopped_twice(users: Any, governed: Any) -> None:
    from pmo.governance.tests.conftest import tick_all

    project = governed(code="HC4")
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    services.decide_gate(actor=users["exec"], review=review, outcome="stop", rationale="market")
    lifecycle = ProjectLifecycle.objects.get(project=project)
    project.refresh_from_db()
    assert (project.state, lifecycle.state) == (ProjectState.CANCELLED, LifecycleState.STOPPED)
    assert lifecycle.version == 2  # started (1), the stop (2): the hand-cancel path did nothing


def test_a_cancelled_project_s_open_conditions_are_closed(users: Any, governed: Any) -> None:
    from pmo.governance.models import GateCondition
    from pmo.governance.tests.conftest import tick_all

    project = governed(code="HC5")
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="go_conditions",
        conditions=[
            {
                "text": "Sign the contract",
                "owner_id": users["pm"].person.pk,
                "due_date": dt.date(2149, 12, 31),
            }
        ],
    )
    assert ProjectLifecycle.objects.get(project=project).open_conditions == 1
    lifecycle = _cancel(users, project)
    condition = GateCondition.objects.get(project=project)
    assert (condition.status, condition.closing_note) == (
        "closed",
        "closed: the project was cancelled",
    )
    assert lifecycle.open_conditions == 0


def test_a_review_withdrawn_by_the_end_of_its_project_says_why(
    client: Any, users: Any, governed: Any
) -> None:
    # given two projects with a requested review: one closed, one cancelled by hand
    for code, state, said in (
        ("HW1", ProjectState.CLOSED, "closed"),
        ("HW2", ProjectState.CANCELLED, "cancelled"),
    ):
        project = governed(code=code)
        review = services.request_review(actor=users["pm"], project=project)
        _cancel(users, project, state)
        # then its page says the review went with the project
        client.force_login(users["pm"])
        page = client.get(f"/projects/{code}/gate-reviews/{review.pk}/").content.decode()
        today = timezone.localdate()
        # (the date kept on one line: gatereview_detail.html)
        day = f'<span class="nowrap">{today:%Y-%m-%d}</span>'
        assert f"Withdrawn when the project was {said} on {day}." in page
    # a review the manager withdrew while the project ran says nothing of the kind
    running = governed(code="HW3")
    own = services.request_review(actor=users["pm"], project=running)
    services.withdraw_review(actor=users["pm"], review=own, version=own.version)
    page = client.get(f"/projects/HW3/gate-reviews/{own.pk}/").content.decode()
    assert 'id="withdrawn-why"' not in page
