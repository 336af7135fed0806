"""Gate reviews: request, prepare, decide (go, conditions, hold, recycle, stop), audit."""

import datetime as dt

import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError, ValidationFailed
from pmo.governance import services
from pmo.governance.models import (
    GateCondition,
    GateDecision,
    GateReview,
    PhaseEntry,
    ProjectGate,
    ProjectLifecycle,
)
from pmo.governance.tests.conftest import START, pass_gate, tick_all


def later(days: int) -> dt.date:
    """A condition's due date: after the decision, which is made today."""
    return dt.date.today() + dt.timedelta(days=days)


def lifecycle_of(project):
    return ProjectLifecycle.objects.select_related("current_phase", "next_gate").get(
        project=project
    )


def test_the_pm_requests_the_next_gate_with_its_checklist(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    assert review.gate.code == "G1"
    assert [(c.criterion.text, c.met) for c in review.checks.order_by("criterion__order")] == [
        ("Sponsor confirms the need", False),
        ("Budget and resources committed", False),
    ]
    assert [d.deliverable.name for d in review.deliverables.all()] == ["Project charter"]


def test_another_pm_may_not_request_a_review(users, governed):
    with pytest.raises(PermissionDeniedError):
        services.request_review(actor=users["other_pm"], project=governed())


def test_gates_are_requested_in_order_and_one_at_a_time(users, governed):
    project = governed()
    with pytest.raises(ConflictError, match="next gate of T001 is G1, not G2"):
        services.request_review(actor=users["pm"], project=project, gate_code="G2")
    services.request_review(actor=users["pm"], project=project)
    with pytest.raises(ConflictError, match="already open"):
        services.request_review(actor=users["pm"], project=project)


def test_unmet_mandatory_criteria_block_a_go(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    with pytest.raises(ConflictError, match="unmet mandatory requirements: criterion: Sponsor"):
        services.decide_gate(actor=users["exec"], review=review, outcome="go")
    assert GateDecision.objects.count() == 0
    assert lifecycle_of(project).current_phase.key == "idea"


def test_a_waiver_needs_a_reason_and_is_recorded(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    with pytest.raises(FieldError, match="waiver_reason"):
        services.decide_gate(actor=users["exec"], review=review, outcome="go", waive=True)
    decision = services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="go",
        waive=True,
        waiver_reason="Sponsor on leave; CFO confirmed",
        decided_on=dt.date(2026, 2, 1),
    )
    assert decision.waived == [
        "criterion: Sponsor confirms the need",
        "criterion: Budget and resources committed",
        "deliverable: Project charter",
    ]
    project.refresh_from_db()
    assert (lifecycle_of(project).current_phase.key, project.phase) == ("planning", "planning")
    # the review page names what was waived in the reader's language
    from django.utils import translation

    from pmo.governance.checklist import waived_shown

    with translation.override("zh-hans"):
        shown = waived_shown(review, decision.waived)
    assert [s.split("：")[0] for s in shown] == ["标准", "标准", "交付物"]
    assert waived_shown(review, ["something else"]) == ["something else"]


def test_only_the_deciders_of_the_gate_decide(users, governed):
    project = governed()
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    for who in ("pm", "member", "viewer"):
        with pytest.raises(PermissionDeniedError, match="may not decide gate G1"):
            services.decide_gate(actor=users[who], review=review, outcome="go")
    services.decide_gate(actor=users["admin"], review=review, outcome="go")
    assert lifecycle_of(project).current_phase.key == "planning"


def test_a_gate_is_decided_once(users, governed):
    project = governed()
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    services.decide_gate(actor=users["exec"], review=review, outcome="go")
    with pytest.raises(ConflictError, match="already decided"):
        services.decide_gate(actor=users["admin"], review=review, outcome="stop", rationale="x")
    assert GateDecision.objects.filter(review=review).count() == 1


def test_a_stale_version_is_refused(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    tick_all(users, review)  # bumps the version
    with pytest.raises(ConflictError, match="your version 1, current version 2"):
        services.decide_gate(actor=users["exec"], review=review, outcome="go", version=1)


def test_go_with_conditions_tracks_each_condition_until_closed(users, governed):
    project = governed()
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    owner = users["pm"].person
    with pytest.raises(FieldError, match="at least one condition"):
        services.decide_gate(actor=users["exec"], review=review, outcome="go_conditions")
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="go_conditions",
        conditions=[
            {"text": "Confirm vendor quote", "owner_id": owner.pk, "due_date": later(90)},
            {"text": "Hire architect", "owner_id": owner.pk, "due_date": later(120)},
        ],
    )
    assert lifecycle_of(project).open_conditions == 2
    condition = GateCondition.objects.get(text="Confirm vendor quote")
    services.close_condition(actor=users["pm"], condition=condition, note="quote signed", version=1)
    assert lifecycle_of(project).open_conditions == 1
    with pytest.raises(ConflictError, match="closed already"):
        services.close_condition(actor=users["pm"], condition=condition)


def test_a_condition_needs_a_real_owner_and_a_due_date(users, governed):
    review = tick_all(users, services.request_review(actor=users["pm"], project=governed()))
    with pytest.raises(Exception) as caught:
        services.decide_gate(
            actor=users["exec"],
            review=review,
            outcome="go_conditions",
            conditions=[{"text": "", "owner_id": 999999, "due_date": None}],
        )
    assert [e["field"] for e in caught.value.errors] == [
        "conditions.0.text",
        "conditions.0.owner_id",
        "conditions.0.due_date",
    ]


def test_hold_keeps_the_phase_and_a_new_review_can_follow(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    with pytest.raises(FieldError, match="rationale"):
        services.decide_gate(actor=users["exec"], review=review, outcome="hold")
    services.decide_gate(actor=users["exec"], review=review, outcome="hold", rationale="No budget")
    assert lifecycle_of(project).current_phase.key == "idea"
    again = services.request_review(actor=users["pm"], project=project)
    assert again.gate.code == "G1"


def test_recycle_goes_back_and_gates_must_be_passed_again(users, governed):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 2, 1))
    pass_gate(users, project, on=dt.date(2026, 3, 1))
    review = services.request_review(actor=users["pm"], project=project)
    with pytest.raises(FieldError, match="recycle_to"):
        services.decide_gate(
            actor=users["exec"],
            review=review,
            outcome="recycle",
            rationale="r",
            recycle_to="closed",
        )
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="recycle",
        rationale="Scope unclear",
        recycle_to="planning",
        decided_on=dt.date(2026, 6, 1),
    )
    project.refresh_from_db()
    lifecycle = lifecycle_of(project)
    assert (lifecycle.current_phase.key, project.phase, lifecycle.next_gate.code) == (
        "planning",
        "planning",
        "G2",
    )
    actual = dict(
        ProjectGate.objects.filter(lifecycle=lifecycle).values_list("gate__code", "actual")
    )
    assert actual == {"G1": dt.date(2026, 2, 1), "G2": None, "G3": None}
    entries = PhaseEntry.objects.filter(lifecycle=lifecycle).order_by("id")
    assert [(e.phase.key, e.entered_on, e.left_on) for e in entries] == [
        ("idea", START, dt.date(2026, 2, 1)),
        ("planning", dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
        ("execution", dt.date(2026, 3, 1), dt.date(2026, 6, 1)),
        ("planning", dt.date(2026, 6, 1), None),
    ]


def test_stop_cancels_the_project_with_its_reason(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    with pytest.raises(FieldError, match="rationale"):
        services.decide_gate(actor=users["exec"], review=review, outcome="stop")
    services.decide_gate(actor=users["exec"], review=review, outcome="stop", rationale="No market")
    project.refresh_from_db()
    lifecycle = lifecycle_of(project)
    # cancelled in the phase it was stopped in: a kill is not a normal completion
    assert (project.state, project.phase, lifecycle.state, lifecycle.next_gate) == (
        "cancelled",
        "idea",
        "stopped",
        None,
    )
    assert PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True).count() == 0
    with pytest.raises(ConflictError, match="is cancelled: it takes no new gate review"):
        services.request_review(actor=users["pm"], project=project)


def test_passing_the_last_gate_closes_the_project(users, governed):
    project = governed()
    for day in (dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 9, 1)):
        pass_gate(users, project, on=day)
    project.refresh_from_db()
    lifecycle = lifecycle_of(project)
    assert (lifecycle.state, lifecycle.current_phase.key, project.state) == (
        "completed",
        "closed",
        "closed",
    )
    with pytest.raises(ConflictError):
        services.request_review(actor=users["pm"], project=project)


def test_withdrawn_reviews_cannot_be_decided(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    services.withdraw_review(actor=users["pm"], review=review, version=1)
    with pytest.raises(ConflictError, match="the review is withdrawn: nothing to decide"):
        services.decide_gate(actor=users["exec"], review=review, outcome="go")


def test_decisions_are_audited_on_the_project(users, governed):
    project = governed()
    pass_gate(users, project)
    events = AuditEvent.objects.filter(scope=f"project:{project.pk}").order_by("id")
    assert [(e.object_type, e.action) for e in events] == [
        ("governance.projectlifecycle", "start"),
        ("governance.gatereview", "create"),
        ("governance.gatereview", "update"),
        ("governance.gatedecision", "create"),
        ("portfolio.project", "update"),
    ]
    assert events[3].changes["outcome"] == [None, "go"]
    assert events[4].changes == {"phase": ["idea", "planning"]}


def test_an_evidence_link_must_be_a_link(users, governed):
    review = services.request_review(actor=users["pm"], project=governed())
    check = review.checks.first()
    with pytest.raises(ValidationFailed) as refused:
        services.prepare_review(
            actor=users["pm"],
            review=review,
            version=1,
            checks=[{"criterion_id": check.criterion_id, "met": True, "evidence_url": "ftp://x"}],
        )
    problem = "enter a link that starts with http:// or https://"
    assert refused.value.errors == [{"field": "checks.0.evidence_url", "message": problem}]
    assert refused.value.message == f"Criteria row 1, evidence link: {problem}"
    assert GateReview.objects.get(pk=review.pk).version == 1


def test_a_decision_date_is_neither_in_the_future_nor_before_the_current_phase(users, governed):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 3, 1))
    review = services.request_review(actor=users["pm"], project=project)
    with pytest.raises(FieldError, match="before the project entered its current phase"):
        services.decide_gate(
            actor=users["exec"],
            review=review,
            outcome="hold",
            rationale="r",
            decided_on=dt.date(2026, 2, 1),
        )
    with pytest.raises(FieldError, match="future"):
        services.decide_gate(
            actor=users["exec"],
            review=review,
            outcome="hold",
            rationale="r",
            decided_on=dt.date.today() + dt.timedelta(days=2),
        )
    assert GateDecision.objects.filter(review=review).count() == 0
