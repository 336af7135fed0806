"""Separation of duties: the requester of a change request does not decide it (ADR 0005)."""

from __future__ import annotations

from typing import Any

import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import PermissionDeniedError
from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest, Notification
from pmo.dependencies.tests.conftest import auth
from pmo.dependencies.tests.test_changes import _step, _wire


def _raise(users: Any, web: Any, who: str, days: int = 12) -> ChangeRequest:
    """CORE1 (PM ``pm``): the build slips ``days`` working days (12: above the thresholds)."""
    return changes.create_change_request(
        actor=users[who],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": web["build"].pk,
            "slip_days": days,
        },
    )


def _run(users: Any, cr: ChangeRequest, *steps: tuple[str, str]) -> ChangeRequest:
    for who, action in steps:
        cr = changes.transition(actor=users[who], cr=cr, action=action, note="fine")
    return cr


def test_a_pmo_member_cannot_approve_their_own_change_at_the_pmo_review(
    client: Any, users: Any, web: Any
) -> None:
    # given a change request a PMO member raised on CORE1, approved by CORE1's PM
    _wire(client, users, web)
    cr = _run(users, _raise(users, web, "member"), ("member", "submit"), ("pm", "approve"))
    assert cr.state == "pmo_review"
    # then the requester may only withdraw it; another PMO member may decide it
    assert changes.allowed_actions(users["member"], cr) == ["withdraw"]
    assert changes.allowed_actions(users["admin"], cr) == ["approve", "reject", "withdraw"]
    # when the requester approves it through the API anyway
    refused = _step(client, users["member"], cr.pk, "approve")
    # then it is a 403 that says why and who may
    assert refused.status_code == 403
    assert refused.json()["detail"] == (f"you raised {cr.code}; another PMO member must review it")
    assert ChangeRequest.objects.get(pk=cr.pk).state == "pmo_review"
    # and another PMO member approves it
    assert _step(client, users["admin"], cr.pk, "approve").json()["state"] == "steering_review"


def test_the_requester_rejects_nothing_of_their_own_they_withdraw_it(
    client: Any, users: Any, web: Any
) -> None:
    # given a change the PMO member raised, in the PMO review
    _wire(client, users, web)
    cr = _run(users, _raise(users, web, "member"), ("member", "submit"), ("pm", "approve"))
    # when the requester rejects it
    refused = _step(client, users["member"], cr.pk, "reject", "changed my mind")
    # then they are told to withdraw it, and withdrawing works
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        f"you raised {cr.code}; withdraw it instead of rejecting it"
    )
    assert _step(client, users["member"], cr.pk, "withdraw").json()["state"] == "withdrawn"


def test_the_pm_review_of_a_change_its_project_manager_raised_is_skipped(
    users: Any, web: Any
) -> None:
    # given a change CORE1's PM raised on their own project
    cr = _raise(users, web, "pm")
    # when they submit it
    cr = _run(users, cr, ("pm", "submit"))
    # then the PM review is recorded as skipped, by nobody, and the PMO review is next
    assert cr.state == "pmo_review"
    steps = [(s.action, s.from_state, s.to_state, s.actor) for s in cr.steps.all()]
    assert steps == [
        ("submit", "draft", "pm_review", users["pm"]),
        ("skip", "pm_review", "pmo_review", None),
    ]
    assert changes.step_note(cr, cr.steps.get(action="skip")) == "raised by the project manager"
    skip_events = AuditEvent.objects.filter(object_type="dependencies.changerequest", action="skip")
    scopes = {f"project:{p.pk}" for p in [web["core"], *cr.affected_projects.all()]}
    assert {e.scope for e in skip_events} == scopes
    assert all(
        (e.actor, e.actor_name, e.changes["state"]) == (None, "system", ["pm_review", "pmo_review"])
        for e in skip_events
    )
    # the PMO is asked for its review; the requester may only withdraw it
    assert Notification.objects.filter(
        user=users["member"], change=cr, message=f"{cr.code} awaits the PMO review"
    ).exists()
    assert changes.allowed_actions(users["pm"], cr) == ["withdraw"]
    assert changes.allowed_actions(users["member"], cr) == ["approve", "reject", "withdraw"]
    with pytest.raises(PermissionDeniedError) as info:
        changes.transition(actor=users["pm"], cr=cr, action="approve")
    assert info.value.message == f"you may not approve change request {cr.code} now"


def test_the_pm_review_of_a_program_change_its_program_manager_raised_is_skipped(
    users: Any, web: Any
) -> None:
    from pmo.portfolio.models import Program

    Program.objects.filter(code="CORE").update(manager=users["pm"].person)
    cr = changes.create_change_request(
        actor=users["pm"], data={"program": "CORE", "type": "scope", "title": "Shared API"}
    )
    cr = _run(users, cr, ("pm", "submit"))
    assert cr.state == "pmo_review"
    assert changes.step_note(cr, cr.steps.get(action="skip")) == "raised by the program manager"


def test_a_pm_review_of_one_s_own_change_left_from_before_is_the_pmo_s(
    users: Any, web: Any
) -> None:
    # given a change CORE1's PM raised and submitted before the PM review was skipped for
    # its own manager: it waits in the PM review
    cr = _raise(users, web, "pm")
    ChangeRequest.objects.filter(pk=cr.pk).update(state="pm_review")
    cr = ChangeRequest.objects.get(pk=cr.pk)
    # then the requester neither approves nor rejects it, and is told who may
    assert changes.allowed_actions(users["pm"], cr) == ["withdraw"]
    with pytest.raises(PermissionDeniedError) as info:
        changes.transition(actor=users["pm"], cr=cr, action="approve")
    assert info.value.message == f"you raised {cr.code}; a PMO member must take its PM review"
    with pytest.raises(PermissionDeniedError, match="withdraw it instead of rejecting it"):
        changes.transition(actor=users["pm"], cr=cr, action="reject", note="no")
    assert ChangeRequest.objects.get(pk=cr.pk).state == "pm_review"
    # and a PMO member takes the PM review
    assert changes.allowed_actions(users["member"], cr) == ["approve", "reject", "withdraw"]
    assert _run(users, cr, ("member", "approve")).state == "pmo_review"


def test_the_change_page_offers_the_requesting_pm_no_review_button_at_any_stage(
    client: Any, users: Any, web: Any
) -> None:
    cr = _raise(users, web, "pm")
    url = f"/change-requests/{cr.pk}/"
    client.force_login(users["pm"])
    client.post(f"{url}transition/", {"action": "submit", "version": cr.version})
    page = client.get(url).content.decode()
    assert 'data-testid="cr-state">PMO review<' in page
    buttons = _workflow(page)
    assert 'data-action="approve"' not in buttons and 'data-action="reject"' not in buttons
    assert 'data-action="withdraw"' in buttons


def test_a_pmo_member_does_not_take_the_pm_review_of_a_change_they_raised(
    users: Any, web: Any
) -> None:
    # given a change a PMO member raised on CORE1 (not a project they manage), submitted
    cr = _run(users, _raise(users, web, "member"), ("member", "submit"))
    # then the project's PM or another PMO member reviews it, not the requester
    assert changes.allowed_actions(users["member"], cr) == ["withdraw"]
    with pytest.raises(PermissionDeniedError) as info:
        changes.transition(actor=users["member"], cr=cr, action="approve")
    assert info.value.message == (
        f"you raised {cr.code}; the project manager or another PMO member must review it"
    )
    assert _run(users, cr, ("admin", "approve")).state == "pmo_review"


def test_a_pmo_admin_does_not_decide_their_own_change_at_the_steering_review(
    users: Any, web: Any
) -> None:
    # given a change above the thresholds a PMO admin raised, through the PM and PMO reviews
    cr = _run(
        users,
        _raise(users, web, "admin"),
        ("admin", "submit"),
        ("pm", "approve"),
        ("member", "approve"),
    )
    assert cr.state == "steering_review"
    # then the admin (who sits on the steering committee) may neither approve nor reject it
    assert changes.allowed_actions(users["admin"], cr) == []
    for action in ("approve", "reject"):
        with pytest.raises(PermissionDeniedError) as info:
            changes.transition(actor=users["admin"], cr=cr, action=action, note="x")
        assert info.value.message == (
            f"you raised {cr.code}; another member of the steering committee must decide it"
        )
    # and an executive decides it
    assert _run(users, cr, ("exec", "approve")).state == "approved"


def test_a_user_without_the_role_still_gets_the_plain_refusal(users: Any, web: Any) -> None:
    # given a change in the PMO review raised by CORE1's PM
    cr = _run(users, _raise(users, web, "pm"), ("pm", "submit"))
    # when the PM (no PMO role) approves it: the reason is the role, not the requester
    with pytest.raises(PermissionDeniedError) as info:
        changes.transition(actor=users["pm"], cr=cr, action="approve")
    assert info.value.message == f"you may not approve change request {cr.code} now"


def _workflow(page: str) -> str:
    """The workflow form of a change-request page (its buttons)."""
    return page.split('id="workflow"')[1].split("</form>")[0]


def test_the_change_page_offers_the_requester_no_review_buttons(
    client: Any, users: Any, web: Any
) -> None:
    # given a change a PMO member raised, in the PMO review
    cr = _run(users, _raise(users, web, "member"), ("member", "submit"), ("pm", "approve"))
    url = f"/change-requests/{cr.pk}/"
    # when the requester opens it: only Withdraw
    client.force_login(users["member"])
    buttons = _workflow(client.get(url).content.decode())
    assert 'data-action="withdraw"' in buttons
    assert 'data-action="approve"' not in buttons and 'data-action="reject"' not in buttons
    # and posting Approve anyway says why, and changes nothing
    answer = client.post(
        f"{url}transition/", {"action": "approve", "version": cr.version}, follow=True
    )
    assert f"you raised {cr.code}; another PMO member must review it" in answer.content.decode()
    assert ChangeRequest.objects.get(pk=cr.pk).state == "pmo_review"
    # when another PMO member opens it: Approve and Reject
    client.force_login(users["admin"])
    buttons = _workflow(client.get(url).content.decode())
    assert 'data-action="approve"' in buttons and 'data-action="reject"' in buttons


def test_the_api_lists_the_actions_the_requester_has(client: Any, users: Any, web: Any) -> None:
    cr = _run(users, _raise(users, web, "member"), ("member", "submit"), ("pm", "approve"))
    body = client.get(f"/api/v1/change-requests/{cr.pk}", headers=auth(users["member"])).json()
    assert body["actions"] == ["withdraw"]
