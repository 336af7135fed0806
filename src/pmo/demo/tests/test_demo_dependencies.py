"""The demo's web of dependencies and the "what if the core upgrade slips" flow."""

from __future__ import annotations

import datetime as dt

import pytest

from pmo.demo.loader import load_demo

AS_OF = dt.date(2026, 11, 16)


@pytest.mark.django_db
def test_core_upgrade_slip_hits_channel_projects_and_is_applied_through_a_change() -> None:
    from pmo.accounts.models import User
    from pmo.audit.models import AuditEvent
    from pmo.dependencies.changes import compute_impact, create_change_request, transition
    from pmo.dependencies.models import ChangeRequest, Dependency
    from pmo.governance.models import SteeringMeeting
    from pmo.portfolio.models import Milestone

    load_demo(projects=32, as_of=AS_OF)
    assert Dependency.objects.count() >= 12
    statuses = set(Dependency.objects.values_list("status", flat=True))
    assert {"at_risk", "broken"} <= statuses
    pending = ChangeRequest.objects.get(state="pmo_review")  # its PM raised it: no PM review
    agenda = SteeringMeeting.objects.get().agenda.values_list("title", flat=True)
    assert any(pending.code in t for t in agenda)
    # what if the core upgrade's go-live slips 15 working days
    go_live = Milestone.objects.get(project__code="P0001", name="Go-live")
    impact = compute_impact(milestone=go_live, days=15)
    hit = {p["project"] for p in impact["projects"]}
    assert "P0001" in hit and len(hit - {"P0001"}) >= 2
    assert any(i["kind"] == "gate" for i in impact["items"])
    # the mobile app's go-live is driven by the core upgrade through a binding link
    from pmo.dependencies.adapters import critical_chain, load_network

    app_live = Milestone.objects.get(project__code="P0002", name="Go-live")
    chain = critical_chain(load_network(), f"m:{app_live.pk}")
    assert chain[0]["project"] == "P0001"
    assert any(step["dependency"] for step in chain)
    # raise the change with that impact, approve it all the way, apply it
    users = {u.username: u for u in User.objects.all()}
    cr = create_change_request(
        actor=users["pm"],
        data={
            "project": "P0001",
            "type": "schedule",
            "title": "Core upgrade slips 15 days",
            "slip_milestone": go_live.pk,
            "slip_days": 15,
        },
    )
    assert cr.needs_steering
    for actor, action in [
        ("pm", "submit"),  # the PM raised it: the PM review is skipped, recorded as such
        ("pmo", "approve"),
        ("exec", "approve"),
        ("pm", "apply"),
    ]:
        cr = transition(actor=users[actor], cr=cr, action=action, note="ok")
    assert cr.state == "applied"
    assert cr.impact["applied"]
    # the status center's "next gate" date follows the gate forecasts the change moved
    from pmo.governance.models import ProjectGate, ProjectLifecycle

    moved = {i["project"] for i in cr.impact["items"] if i["kind"] == "gate"}
    assert moved
    for lifecycle in ProjectLifecycle.objects.filter(project__code__in=moved):
        forecast = ProjectGate.objects.get(lifecycle=lifecycle, gate=lifecycle.next_gate).forecast
        assert lifecycle.next_gate_due == forecast, lifecycle.project.code
    assert AuditEvent.objects.filter(action="apply", changes__has_key="change_request").exists()
