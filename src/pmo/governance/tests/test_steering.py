"""The steering agenda is generated from the portfolio; outcomes go to the RAID log."""

import datetime as dt

import pytest

from pmo.core.errors import PermissionDeniedError, ValidationFailed
from pmo.governance import steering
from pmo.portfolio import services as portfolio_services


def report(users, project, period, overall):
    reason = "" if overall == 1 else "slipping"
    portfolio_services.create_status_report(
        actor=users["admin"],
        project=project,
        period=period,
        data={
            "overall": overall,
            "overall_reason": reason,
            **{d: 1 for d in ("schedule", "cost", "scope", "resources", "quality")},
            "summary": "s",
        },
        today=dt.date(2026, 12, 31),
    )


def test_agenda_lists_gates_due_red_projects_and_escalated_issues(users, governed, make_project):
    due = governed(code="DUE")  # G1 forecast 2026-02-04
    governed(code="ALSO")
    red = make_project(code="RED")
    once = make_project(code="ONCE")
    for period, a, b in (("2026-W44", 3, 1), ("2026-W45", 3, 3)):
        report(users, red, period, a)
        report(users, once, period, b)
    portfolio_services.create_raid_item(
        actor=users["admin"],
        project=once,
        kind="issues",
        data={"title": "Vendor insolvent", "severity": 4, "escalation": 3},
    )
    portfolio_services.create_raid_item(
        actor=users["admin"], project=red, kind="issues", data={"title": "Minor", "escalation": 1}
    )
    items = steering.agenda_candidates(dt.date(2026, 2, 1), 7)
    # to decide (gates, then escalated issues), then to watch (red projects)
    assert [(i.kind, i.project.code, i.label) for i in items] == [
        ("gate", "ALSO", "Gate G1 Approve"),
        ("gate", "DUE", "Gate G1 Approve"),
        ("escalated", "ONCE", "Vendor insolvent"),
        ("red", "RED", "Red for two or more periods"),
    ]
    assert due.code == "DUE"
    assert [i.project.code for i in steering.agenda_candidates(dt.date(2026, 1, 20), 7)] == [
        "ONCE",
        "RED",
    ]
    overdue = steering.agenda_candidates(dt.date(2026, 3, 1), 0)[0]
    assert overdue.label == "Gate G1 Approve · overdue"


def test_only_the_pmo_plans_meetings_and_records_outcomes(users, governed):
    project = governed()
    with pytest.raises(PermissionDeniedError):
        steering.create_meeting(actor=users["exec"], data={"title": "t", "date": dt.date.today()})
    meeting = steering.create_meeting(
        actor=users["member"], data={"title": "SteerCo", "date": dt.date(2026, 2, 1)}
    )
    with pytest.raises(ValidationFailed, match=r"^Kind: decision or action$") as refused:
        steering.record_outcome(
            actor=users["member"], meeting=meeting, project=project, kind="memo", title="x"
        )
    assert refused.value.errors == [{"field": "kind", "message": "decision or action"}]
    outcome = steering.record_outcome(
        actor=users["member"], meeting=meeting, project=project, kind="decision", title="Fund it"
    )
    decision = project.decisions.get()
    assert (outcome.raid_id, decision.decision_status, decision.decided_on) == (
        decision.pk,
        "decided",
        dt.date(2026, 2, 1),
    )


def test_agenda_shows_recent_gate_decisions_and_overdue_conditions(users, governed):
    from pmo.governance import services

    project = governed(code="DEC")
    review = services.request_review(actor=users["pm"], project=project)
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="go_conditions",
        waive=True,
        waiver_reason="sponsor away",
        conditions=[
            {
                "text": "Hire architect",
                "owner_id": users["pm"].person.pk,
                "due_date": dt.date(2026, 2, 20),
            }
        ],
        decided_on=dt.date(2026, 2, 10),
    )
    items = steering.agenda_candidates(dt.date(2026, 3, 1), 30)
    assert [(i.kind, i.label) for i in items] == [
        ("gate", "Gate G2 Plan approved"),  # forecast 45 days after G1: 27 March
        ("condition", "Hire architect (Zhang Wei)"),
        ("decided", "Gate G1 Approve: Go with conditions"),
    ]
    # the condition's line names its owner in the reader's language, with Chinese brackets
    person = users["pm"].person
    person.name_zh = "张伟"
    person.save()
    from django.utils import translation

    with translation.override("zh-hans"):
        assert items[1].label == "Hire architect（张伟）"


def test_agenda_lines_read_in_the_viewers_language(users, governed):
    from django.utils import translation

    governed()
    item = steering.agenda_candidates(dt.date(2026, 3, 1), 0)[0]
    with translation.override("zh-hans"):
        assert item.label == "阶段门 G1 立项批准 · 已逾期"
    assert item.label == "Gate G1 Approve · overdue"
