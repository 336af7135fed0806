"""Separation of duties: the requester of a change request does not decide it (ADR 0005)."""

from __future__ import annotations

from typing import Any

import pytest

from pmo.core.errors import PermissionDeniedError
from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest
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


def test_the_project_manager_approves_the_pm_review_of_their_own_change(
    users: Any, web: Any
) -> None:
    # given a change CORE1's PM raised on their own project, submitted
    cr = _run(users, _raise(users, web, "pm"), ("pm", "submit"))
    # then they may approve the PM review (it is their project) but not reject it
    assert changes.allowed_actions(users["pm"], cr) == ["approve", "withdraw"]
    with pytest.raises(PermissionDeniedError, match="withdraw it instead of rejecting it"):
        changes.transition(actor=users["pm"], cr=cr, action="reject", note="no")
    cr = _run(users, cr, ("pm", "approve"))
    # and the PMO review that follows is someone else's
    assert cr.state == "pmo_review"
    assert changes.allowed_actions(users["member"], cr) == ["approve", "reject", "withdraw"]


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
    cr = _run(users, _raise(users, web, "pm"), ("pm", "submit"), ("pm", "approve"))
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
