"""Change requests in the Django admin: a decided (approved, rejected) or applied request is
deleted neither alone, nor by the list's action, nor with its project, and its decision is
not typed in there; a draft, one under review or a withdrawn one may be deleted, on record.
(A PMO admin used to delete a decided request, the steering committee's decision with it.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pmo.audit.models import AuditEvent
from pmo.dependencies.changes import create_change_request, transition
from pmo.dependencies.models import ChangeRequest, ChangeState
from pmo.portfolio.models import Project

KEPT = "Decided and applied change requests are kept on record: they are never deleted"


def _raised(users: Any, project: Project, title: str) -> ChangeRequest:
    return create_change_request(
        actor=users["pm"],
        data={"project": project.code, "type": "cost", "title": title, "cost_impact": 1000},
    )


def _decided(users: Any, project: Project, state: str) -> ChangeRequest:
    """A request of ``project`` taken to ``state`` by its workflow (applied: written so, the
    apply step's plan work being beside the point here)."""
    cr = transition(actor=users["pm"], cr=_raised(users, project, state), action="submit")
    assert cr.state == ChangeState.PMO_REVIEW  # its own PM raised it: the PMO reviews it
    if state == ChangeState.REJECTED:
        return transition(actor=users["admin"], cr=cr, action="reject", note="not now")
    cr = transition(actor=users["admin"], cr=cr, action="approve", note="go")
    assert cr.state == ChangeState.APPROVED
    if state == ChangeState.APPLIED:
        ChangeRequest.objects.filter(pk=cr.pk).update(
            state=ChangeState.APPLIED, applied_by=users["pm"], applied_at=timezone.now()
        )
        cr.refresh_from_db()
    return cr


@pytest.mark.parametrize("state", [ChangeState.APPROVED, ChangeState.REJECTED, ChangeState.APPLIED])
def test_a_decided_request_is_not_deleted_in_the_admin(
    admin_client: Client, users: Any, make_project: Any, state: str
) -> None:
    cr = _decided(users, make_project(code="DEC1"), state)
    events = AuditEvent.objects.count()
    url = f"/admin/dependencies/changerequest/{cr.pk}"

    opened = admin_client.get(f"{url}/delete/", follow=True)
    posted = admin_client.post(f"{url}/delete/", {"post": "yes"})
    # sent back to its page, told why (not the role's 403 page)
    assert opened.redirect_chain == [(f"{url}/change/", 302)]
    assert KEPT in opened.content.decode()
    assert "not open to your role" not in opened.content.decode()
    assert (posted.status_code, posted["Location"]) == (302, f"{url}/change/")
    page = admin_client.get(f"{url}/change/").content.decode()
    assert "deletelink" not in page
    assert 'name="decision_note"' not in page  # the decision reads as taken

    stored = ChangeRequest.objects.get(pk=cr.pk)
    assert (stored.state, stored.decision_note) == (state, cr.decision_note)
    assert cr.decision_note in ("go", "not now")
    assert AuditEvent.objects.count() == events


def test_the_delete_action_deletes_nothing_when_a_decided_request_is_selected(
    admin_client: Client, users: Any, make_project: Any
) -> None:
    project = make_project(code="DEC2")
    decided = _decided(users, project, ChangeState.APPROVED)
    draft = _raised(users, project, "Still a draft")
    events = AuditEvent.objects.count()
    action = {"action": "delete_selected", "_selected_action": [decided.pk, draft.pk]}

    confirm = admin_client.post("/admin/dependencies/changerequest/", action, follow=True)
    assert KEPT in confirm.content.decode()
    assert "permission to delete" not in confirm.content.decode()
    refused = admin_client.post("/admin/dependencies/changerequest/", {**action, "post": "yes"})
    assert refused.status_code == 302

    assert ChangeRequest.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_a_project_with_a_decided_request_is_not_deleted_in_the_admin(
    admin_client: Client, users: Any, make_project: Any
) -> None:
    project = make_project(code="DEC3")
    _decided(users, project, ChangeState.REJECTED)
    url = f"/admin/portfolio/project/{project.pk}/delete/"

    confirm = admin_client.get(url, follow=True).content.decode()
    assert "Nothing was deleted: it holds records that are kept (change request)" in confirm
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert Project.objects.filter(pk=project.pk).exists()
    assert ChangeRequest.objects.filter(project=project).count() == 1


@pytest.mark.parametrize("step", ["draft", "under review", "withdrawn"])
def test_an_undecided_request_is_deleted_in_the_admin_on_record(
    admin_client: Client, users: Any, make_project: Any, step: str
) -> None:
    project = make_project(code="DEC4")
    cr = _raised(users, project, "Undecided")
    if step != "draft":
        cr = transition(actor=users["pm"], cr=cr, action="submit")
    if step == "withdrawn":
        cr = transition(actor=users["pm"], cr=cr, action="withdraw")
    url = f"/admin/dependencies/changerequest/{cr.pk}/delete/"

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert not ChangeRequest.objects.filter(pk=cr.pk).exists()
    deleted = AuditEvent.objects.get(action="delete", object_id=str(cr.pk))
    assert (deleted.actor, deleted.scope) == (users["admin"], f"project:{project.pk}")
    assert deleted.changes["state"] == [cr.state, None]
