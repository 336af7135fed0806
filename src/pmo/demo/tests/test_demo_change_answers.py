"""The demo's pending change request: the affected projects' answers are plausible."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.django_db
def test_the_demo_requester_agrees_for_their_own_project_and_another_pm_objects() -> None:
    from pmo.demo.loader import load_demo
    from pmo.dependencies.models import ChangeRequest, ChangeResponse
    from pmo.dependencies.responses import requester_manages

    load_demo(projects=32, as_of=dt.date(2026, 11, 16))
    cr = ChangeRequest.objects.get(state="pmo_review")
    affected = list(cr.affected_projects.select_related("manager").order_by("code"))
    answers = {
        r.project.code: r
        for r in ChangeResponse.objects.filter(change=cr).select_related("project")
    }
    own = [p.code for p in affected if requester_manages(cr, p)]
    assert own, "the demo shows a requester who also manages an affected project"
    # the requester's own project agrees (by the request), never objects
    for code in own:
        assert (answers[code].answer, answers[code].responder_id) == ("agree", cr.requested_by_id)
    assert not any(
        r.answer == "object" and r.responder_id == cr.requested_by_id for r in answers.values()
    )
    # another project's manager objects with a reason; one has not answered yet
    objections = [r for r in answers.values() if r.answer == "object"]
    assert objections and all(r.reason and r.project.code not in own for r in objections)
    assert all(r.responder_id == r.project.manager.user_id for r in objections)
    assert len(answers) < len(affected)
