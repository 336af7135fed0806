"""Asking the affected projects: their managers agree or object to a change request (ADR 0005).

The ``scoped`` bank web: CORE1's build slipping 12 working days reaches APP1 (PM Emma Clarke,
``other_pm``), WEB1 (PM Zhang Wei, ``pm``, who also raises the request on CORE1: WEB1 agrees
by the request itself) and LOAN1 (``other_pm``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest, ChangeResponse
from pmo.dependencies.responses import respond_to_change
from pmo.dependencies.tests.conftest import auth


def _raise(users: Any, scoped: Any, *, submit: bool = True) -> ChangeRequest:
    cr = changes.create_change_request(
        actor=users["pm"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": scoped["build"].pk,
            "slip_days": 12,
        },
    )
    if submit:
        cr = changes.transition(actor=users["pm"], cr=cr, action="submit")
    return cr


def _others() -> Any:
    """The answers of the projects the requester does not manage (WEB1 agrees by the
    request itself)."""
    return ChangeResponse.objects.exclude(project__code="WEB1")


def _answer(user: Any, cr: Any, project: str, answer: str, reason: str = "", **kw: Any) -> Any:
    return respond_to_change(
        actor=user, cr=cr, project_code=project, answer=answer, reason=reason, **kw
    )


def test_the_affected_projects_are_the_request_s_consumers(users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    assert sorted(cr.affected_projects.values_list("code", flat=True)) == ["APP1", "LOAN1", "WEB1"]


def test_an_affected_pm_agrees_then_objects_with_a_reason_audited(users: Any, scoped: Any) -> None:
    # given a submitted request affecting APP1
    cr = _raise(users, scoped)
    # when APP1's manager agrees
    response, created = _answer(users["other_pm"], cr, "APP1", "agree")
    assert created is True
    assert (response.answer, response.reason, response.responder, response.version) == (
        "agree",
        "",
        users["other_pm"],
        1,
    )
    # then objecting needs a reason, named as the field
    with pytest.raises(FieldError) as missing:
        _answer(users["other_pm"], cr, "APP1", "object", "   ")
    assert missing.value.field == "reason"
    # and the answer changes in place (one current answer per project)
    response, created = _answer(users["other_pm"], cr, "app1", "object", " Our UAT slot is gone ")
    assert created is False
    assert _others().filter(change=cr).count() == 1
    row = _others().get(change=cr)
    assert (row.answer, row.reason, row.version) == ("object", "Our UAT slot is gone", 2)
    events = AuditEvent.objects.filter(
        object_type="dependencies.changeresponse",
        scope=f"project:{scoped['app'].pk}",
        object_id=str(row.pk),
    ).order_by("id")
    assert [(e.action, e.changes.get("answer")) for e in events] == [
        ("create", [None, "agree"]),
        ("update", ["agree", "object"]),
    ]
    assert events[1].changes["reason"] == ["", "Our UAT slot is gone"]
    assert events[1].actor == users["other_pm"]
    # the requesting project's history has it too
    assert (
        AuditEvent.objects.filter(
            object_type="dependencies.changeresponse",
            scope=f"project:{scoped['core'].pk}",
            object_id=str(row.pk),
        ).count()
        == 2
    )


@pytest.mark.parametrize("who", ["pm", "exec", "uk_viewer"])
def test_only_the_project_s_manager_or_the_pmo_answers_for_it(
    users: Any, scoped: Any, who: str
) -> None:
    cr = _raise(users, scoped)
    with pytest.raises(PermissionDeniedError) as refused:
        _answer(users[who], cr, "LOAN1", "agree")
    assert "only the manager of LOAN1 or the PMO" in refused.value.message
    assert not _others().exists()


def test_a_viewer_who_cannot_read_the_project_is_told_it_is_unknown(
    users: Any, scoped: Any
) -> None:
    cr = _raise(users, scoped)
    with pytest.raises(FieldError) as unknown:
        _answer(users["viewer"], cr, "LOAN1", "agree")  # London IT's: not readable from Shanghai
    assert unknown.value.field == "project"
    with pytest.raises(PermissionDeniedError):
        _answer(users["viewer"], cr, "WEB1", "agree")


def test_the_pmo_answers_for_a_project_and_is_named_as_the_responder(
    users: Any, scoped: Any
) -> None:
    cr = _raise(users, scoped)
    response, _created = _answer(users["member"], cr, "LOAN1", "agree")
    assert response.responder == users["member"]


def test_the_requester_s_own_project_agrees_by_the_request_and_is_not_asked(
    users: Any, scoped: Any
) -> None:
    # given Zhang Wei raises a request on CORE1 that also affects WEB1, which he manages
    draft = _raise(users, scoped, submit=False)
    assert not ChangeResponse.objects.exists()
    # when he submits it
    cr = changes.transition(actor=users["pm"], cr=draft, action="submit")
    # then WEB1's answer is "agree", by him, audited; the others are still to answer
    own = ChangeResponse.objects.get(change=cr)
    assert (own.project.code, own.answer, own.responder, own.reason) == (
        "WEB1",
        "agree",
        users["pm"],
        "",
    )
    assert AuditEvent.objects.filter(
        object_type="dependencies.changeresponse",
        object_id=str(own.pk),
        action="create",
        scope=f"project:{scoped['web'].pk}",
    ).exists()
    # and nobody, he or the PMO, answers for WEB1 otherwise: raising it was the answer
    for who in ("pm", "member"):
        with pytest.raises(ConflictError) as refused:
            _answer(users[who], cr, "WEB1", "object", "on second thoughts")
        assert "WEB1 is managed by the requester of" in refused.value.message
    assert ChangeResponse.objects.get(pk=own.pk).answer == "agree"


def test_a_requester_s_project_is_not_asked_when_the_pmo_submits(users: Any, scoped: Any) -> None:
    draft = _raise(users, scoped, submit=False)
    changes.transition(actor=users["member"], cr=draft, action="submit")
    asked = users["pm"].notifications.filter(message__contains="please say whether you agree")
    assert not asked.exists()
    assert ChangeResponse.objects.get().project.code == "WEB1"


def test_a_project_that_is_not_affected_or_unknown_is_refused_at_the_field(
    users: Any, scoped: Any, make_project: Any
) -> None:
    cr = _raise(users, scoped)
    make_project(code="FAR1", manager=users["other_pm"].person)
    for code in ("CORE1", "FAR1", "NOPE", ""):
        with pytest.raises(FieldError) as refused:
            _answer(users["member"], cr, code, "agree")
        assert refused.value.field == "project", code
    with pytest.raises(FieldError) as bad:
        _answer(users["member"], cr, "APP1", "maybe")
    assert bad.value.field == "answer"


def test_answers_are_taken_while_the_request_is_pending_only(users: Any, scoped: Any) -> None:
    draft = _raise(users, scoped, submit=False)
    with pytest.raises(ConflictError) as early:
        _answer(users["other_pm"], draft, "APP1", "agree")
    assert "still a draft" in early.value.message
    cr = changes.transition(actor=users["pm"], cr=draft, action="submit")
    _answer(users["other_pm"], cr, "APP1", "agree")
    for who in ("member", "exec"):  # (the PM review of the PM's own request is skipped)
        cr = changes.transition(actor=users[who], cr=cr, action="approve")
    assert cr.state == "approved"
    with pytest.raises(ConflictError) as late:
        _answer(users["other_pm"], cr, "APP1", "object", "too late")
    assert late.value.message == (
        f"change request {cr.code} is closed (Approved): the answers of the affected projects "
        "can no longer change"
    )
    assert _others().get().answer == "agree"


def test_approval_does_not_wait_for_answers(users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    cr = changes.transition(actor=users["member"], cr=cr, action="approve")
    assert cr.state == "steering_review"
    assert not _others().exists()


def test_a_second_writer_with_a_stale_version_gets_a_conflict(users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    _answer(users["other_pm"], cr, "APP1", "agree", version=0)
    with pytest.raises(ConflictError) as stale:
        _answer(users["member"], cr, "APP1", "object", "no", version=0)
    assert stale.value.payload()["current_version"] == 1
    assert _others().get().answer == "agree"


def test_a_new_slip_clears_the_answers_and_asks_again(users: Any, scoped: Any) -> None:
    from pmo.accounts.models import Person

    # given WEB1 run by a PMO member who raises the request on CORE1 (so CORE1's manager
    # takes its PM review) and WEB1 agreeing by the request
    web_manager = Person.objects.create(
        name="Li Na", org_unit=scoped["web"].org_unit, user=users["member"]
    )
    type(scoped["web"]).objects.filter(pk=scoped["web"].pk).update(manager=web_manager)
    cr = changes.create_change_request(
        actor=users["member"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": scoped["build"].pk,
            "slip_days": 12,
        },
    )
    cr = changes.transition(actor=users["member"], cr=cr, action="submit")
    assert cr.state == "pm_review"
    _answer(users["other_pm"], cr, "APP1", "object", "UAT slot")
    users["other_pm"].notifications.all().delete()
    # when the PM enters another slip in the PM review
    cr = changes.update_change_request(
        actor=users["pm"], cr=cr, data={"slip_days": 15}, version=cr.version
    )
    # then the answer given to the old impact is gone (audited) and the PMs are asked again
    assert not _others().exists()
    assert AuditEvent.objects.filter(
        object_type="dependencies.changeresponse", action="delete"
    ).exists()
    # the requester's own project agrees with the new impact too (a new answer)
    assert ChangeResponse.objects.get().project.code == "WEB1"
    asked = users["other_pm"].notifications.get()
    assert "please say again whether your project agrees" in asked.message
    assert asked.url == f"/change-requests/{cr.pk}/#responses"


def test_submitting_asks_the_affected_managers_to_answer(users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    note = users["other_pm"].notifications.get(change=cr)  # APP1 and LOAN1: one message
    assert "please say whether you agree or object" in note.message
    assert note.url == f"/change-requests/{cr.pk}/#responses"


# --- API -------------------------------------------------------------------------------------


def _post(client: Any, user: Any, ref: Any, **body: Any) -> Any:
    return client.post(
        f"/api/v1/change-requests/{ref}/responses",
        body,
        content_type="application/json",
        headers=auth(user),
    )


def test_api_lists_the_answers_and_takes_one(client: Any, users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    url = f"/api/v1/change-requests/{cr.code}/responses"
    empty = client.get(url, headers=auth(users["member"])).json()
    assert (empty["agree"], empty["object"], empty["unanswered"]) == (1, 0, 2)
    assert empty["summary"] == "1 agrees, 2 not answered"
    assert [
        (r["project"], r["manager"], r["answer"], r["by_requester"]) for r in empty["responses"]
    ] == [
        ("APP1", "Emma Clarke", None, False),
        ("LOAN1", "Emma Clarke", None, False),
        ("WEB1", "Zhang Wei", "agree", True),
    ]
    first = _post(client, users["other_pm"], cr.code, project="APP1", answer="object", reason="UAT")
    assert first.status_code == 201, first.content
    assert first.json() | {"answered_at": None} == {
        "project": "APP1",
        "project_name": "Test project 2",
        "manager": "Emma Clarke",
        "answer": "object",
        "reason": "UAT",
        "responder": "Emma Clarke",
        "answered_at": None,
        "version": 1,
        "can_answer": True,
        "by_requester": False,
        "ended": False,
    }
    again = _post(client, users["other_pm"], cr.pk, project="LOAN1", answer="agree")
    assert again.status_code == 201
    changed = _post(client, users["other_pm"], cr.code.lower(), project="LOAN1", answer="agree")
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    body = client.get(url, headers=auth(users["exec"])).json()
    assert body["summary"] == "2 agree, 1 objects (APP1)"
    assert body["objecting"] == ["APP1"]
    assert {r["project"]: r["can_answer"] for r in body["responses"]} == {
        "APP1": False,
        "LOAN1": False,
        "WEB1": False,
    }


def test_api_bad_input_names_the_field(client: Any, users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"project": "NOPE", "answer": "agree"}, "project"),
        ({"project": "CORE1", "answer": "agree"}, "project"),
        ({"project": "APP1", "answer": "object"}, "reason"),
        ({"project": "APP1", "answer": "object", "reason": " "}, "reason"),
        ({"project": "APP1", "answer": "maybe"}, "answer"),
        ({"project": "APP1"}, "answer"),
        ({"answer": "agree"}, "project"),
        ({"project": "APP1", "answer": "agree", "version": -1}, "version"),
    ]
    for body, field in cases:
        response = _post(client, users["member"], cr.code, **body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["errors"][0]["field"] == field, body
    refused = _post(client, users["viewer"], cr.code, project="WEB1", answer="agree")
    assert refused.status_code == 403
    assert (
        _post(client, users["member"], "CR-99999", project="APP1", answer="agree").status_code
        == 404
    )
    nul = client.get("/api/v1/change-requests/x%00/responses", headers=auth(users["pm"]))
    assert 400 <= nul.status_code < 500
    assert not _others().exists()


def test_api_decided_request_is_a_conflict(client: Any, users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    changes.transition(actor=users["pm"], cr=cr, action="withdraw")
    response = _post(client, users["other_pm"], cr.code, project="APP1", answer="agree")
    assert response.status_code == 409
    assert "can no longer change" in response.json()["detail"]


def test_api_viewer_sees_only_projects_they_may_read(client: Any, users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    body = client.get(
        f"/api/v1/change-requests/{cr.code}/responses", headers=auth(users["viewer"])
    ).json()
    assert [r["project"] for r in body["responses"]] == ["WEB1"]  # APP1, LOAN1 are London IT's
    assert body["hidden_projects"] == 2


# --- web page ---------------------------------------------------------------------------------


def _page(client: Any, user: Any, cr: Any) -> str:
    client.force_login(user)
    response = client.get(f"/change-requests/{cr.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_panel_and_buttons_per_role(client: Any, users: Any, scoped: Any) -> None:
    cr = _raise(users, scoped)
    _answer(users["member"], cr, "LOAN1", "object", "Loans are promised to the regulator")
    page = _page(client, users["other_pm"], cr)
    assert "Responses of affected projects" in page
    assert 'data-respond="APP1"' in page and 'data-respond="LOAN1"' in page
    assert 'data-respond="WEB1"' not in page  # Zhang Wei's project
    assert page.count("no answer yet") == 1
    assert "Loans are promised to the regulator" in page
    # agreeing reads as good news, objecting as a warning; WEB1 agrees by raising the request
    assert (
        '<tr data-project="WEB1" data-answer="agree">' in page
        and '<span class="badge ok" data-testid="answer">Agree</span> '
        '<span class="muted" data-testid="by-requester">raised the request</span>'
        in page
    )
    assert '<span class="badge warn" data-testid="answer">Object</span>' in page
    assert page.count('data-testid="by-requester"') == 1
    assert '<td data-testid="manager">Zhang Wei</td>' in page
    assert '<td data-testid="manager">Emma Clarke</td>' in page
    # the requester does not answer for WEB1 (raising it was the answer); the viewer sees
    # no button
    page = _page(client, users["pm"], cr)
    assert "data-respond=" not in page
    page = _page(client, users["viewer"], cr)
    assert "data-respond=" not in page and "Responses of affected projects" in page
    assert "LOAN1" not in page
    # the PMO may answer for every other affected project, folded away as on the manager's
    # behalf
    page = _page(client, users["member"], cr)
    assert page.count("data-respond=") == 2
    assert page.count("<details><summary>Answer for") == 2
    assert "<details>" not in _page(client, users["other_pm"], cr)


def test_page_answer_confirmed_and_objection_needs_a_reason_at_the_field(
    client: Any, users: Any, scoped: Any
) -> None:
    cr = _raise(users, scoped)
    client.force_login(users["other_pm"])
    url = f"/change-requests/{cr.pk}/responses/"
    refused = client.post(url, {"project": "APP1", "answer": "object", "reason": "", "version": 0})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-testid="respond-error" data-field="reason"' in html
    assert "say why the project objects" in html
    assert not _others().exists()
    done = client.post(
        url,
        {"project": "APP1", "answer": "object", "reason": "UAT slot", "version": 0},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == f"/change-requests/{cr.pk}/#responses"
    page = done.content.decode()
    assert f"Your answer for APP1 is recorded: you object to {cr.code}." in page
    assert 'data-project="APP1" data-answer="object"' in page
    # a stale form (version 0 once answered) is refused with a message, the answer stays
    stale = client.post(url, {"project": "APP1", "answer": "agree", "version": 0}, follow=True)
    assert "was changed meanwhile" in stale.content.decode()
    assert _others().get().answer == "object"
    # someone else's project: no answer recorded
    client.force_login(users["viewer"])
    assert client.post(url, {"project": "WEB1", "answer": "agree"}).status_code == 403
    assert ChangeResponse.objects.count() == 2


def test_pmo_review_shows_the_one_line_summary(client: Any, users: Any, scoped: Any) -> None:
    draft = _raise(users, scoped, submit=False)
    page = _page(client, users["member"], draft)
    assert 'data-testid="review-responses"' not in page  # a draft has asked nobody yet
    # submitted by CORE1's manager, who raised it: on to the PMO review
    cr = changes.transition(actor=users["pm"], cr=draft, action="submit")
    _answer(users["other_pm"], cr, "APP1", "agree")
    _answer(users["other_pm"], cr, "LOAN1", "object", "Loans go live first")
    page = _page(client, users["member"], cr)
    # the reviewer reads which projects object
    assert '<a href="#responses">2 agree, 1 objects (LOAN1)</a>' in page


def test_panel_names_projects_and_people_in_the_reader_s_language(
    client: Any, users: Any, scoped: Any
) -> None:
    cr = _raise(users, scoped)
    client.force_login(users["member"])
    client.cookies["pmo_language"] = "zh-hans"
    with translation.override("zh-hans"):
        page = client.get(f"/change-requests/{cr.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "LOAN1 · 隐藏贷款" in html
    assert '<td data-testid="manager">张伟</td>' in html


def test_steering_agenda_line_carries_the_answers(users: Any, scoped: Any) -> None:
    from pmo.governance.steering import create_meeting

    cr = _raise(users, scoped)
    _answer(users["other_pm"], cr, "APP1", "object", "UAT slot")
    meeting = create_meeting(
        actor=users["admin"], data={"title": "SC", "date": dt.date(2026, 3, 2), "window_days": 7}
    )
    line = next(item for item in meeting.agenda.all() if item.ref == f"change_request:{cr.pk}")
    assert line.label.endswith("· affected projects: 1 agrees, 1 objects, 1 not answered")
    # later answers show without drawing the agenda up again
    _answer(users["other_pm"], cr, "LOAN1", "agree")
    line = meeting.agenda.get(pk=line.pk)
    assert line.label.endswith("· affected projects: 2 agree, 1 objects")


def test_an_answer_tells_the_requester_and_an_objection_the_pmo_reviewers(
    users: Any, scoped: Any
) -> None:
    cr = _raise(users, scoped)
    for user in users.values():
        user.notifications.all().delete()

    def told(who: str) -> list[str]:
        return [n.message for n in users[who].notifications.filter(change=cr).order_by("id")]

    # an agreement: the requester hears it, the PMO does not, nor the one who answered
    _answer(users["other_pm"], cr, "APP1", "agree")
    assert told("pm") == [f"APP1 agrees with {cr.code} Vendor patch late (answered by Emma Clarke)"]
    assert told("admin") == told("member") == told("other_pm") == []
    # an objection: the requester and the PMO reviewers hear it, with the reason
    _answer(users["other_pm"], cr, "LOAN1", "object", "Loans go live first")
    objection = (
        f"LOAN1 objects to {cr.code} Vendor patch late (answered by Emma Clarke): "
        "Loans go live first"
    )
    assert told("pm")[-1] == objection
    assert told("admin") == told("member") == [objection]
    assert told("other_pm") == [] and told("exec") == []
    note = users["member"].notifications.get()
    assert note.url == f"/change-requests/{cr.pk}/#responses"
    # the PMO answering on the manager's behalf is not told of its own answer
    _answer(users["member"], cr, "APP1", "object", "UAT slot")
    assert len(told("member")) == 1
    assert told("admin")[-1].startswith("APP1 objects to")
    # the same answer again changes nothing and tells nobody
    before = len(told("pm"))
    _answer(users["other_pm"], cr, "LOAN1", "object", "Loans go live first")
    assert len(told("pm")) == before


def test_an_objection_without_a_reason_marks_the_box_invalid(
    client: Any, users: Any, scoped: Any
) -> None:
    cr = _raise(users, scoped)
    client.force_login(users["other_pm"])
    refused = client.post(
        f"/change-requests/{cr.pk}/responses/",
        {"project": "APP1", "answer": "object", "reason": "", "version": 0},
    )
    html = refused.content.decode()
    form = html[
        html.index('data-respond="APP1"') : html.index("</form>", html.index('data-respond="APP1"'))
    ]
    assert 'name="reason" rows="2" cols="60" maxlength="5000" aria-invalid="true"' in form
    assert 'aria-describedby="respond-error-APP1"' in form
    assert '<ul class="errorlist" id="respond-error-APP1"' in form
    # the other project's box is not marked
    other = html[html.index('data-respond="LOAN1"') :]
    assert "aria-invalid" not in other[: other.index("</form>")]
