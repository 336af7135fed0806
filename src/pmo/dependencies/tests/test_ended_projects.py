"""Change requests and projects that have ended (closed or cancelled) (ADR 0005).

The ``scoped`` bank web: CORE1's build slipping 12 working days reaches APP1 (Emma Clarke,
``other_pm``), through APP1 WEB1 (Zhang Wei, ``pm``, the requester) and, through CORE1's
go-live, LOAN1 (``other_pm``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.forms import modelform_factory
from django.utils import timezone

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError
from pmo.dependencies import changes
from pmo.dependencies.admin import ChangeRequestForm
from pmo.dependencies.ended import check_affected
from pmo.dependencies.models import ChangeRequest, ChangeResponse, Notification
from pmo.dependencies.responses import respond_to_change
from pmo.dependencies.tests.conftest import auth
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import ProjectState


def _end(users: Any, project: Any, state: str) -> None:
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )
    project.refresh_from_db()


def _today() -> str:
    return timezone.localdate().isoformat()


def _core_slip(scoped: Any, **extra: Any) -> dict[str, Any]:
    return {
        "project": "CORE1",
        "type": "schedule",
        "title": "Vendor patch late",
        "slip_milestone": scoped["build"].pk,
        "slip_days": 12,
        **extra,
    }


def _change_rows() -> tuple[int, int]:
    """Change requests and their audit events: what a refused raise must leave as it was."""
    return (
        ChangeRequest.objects.count(),
        AuditEvent.objects.filter(object_type="dependencies.changerequest").count(),
    )


def test_no_change_request_is_raised_on_a_cancelled_project(users: Any, scoped: Any) -> None:
    # given CORE1 cancelled
    _end(users, scoped["core"], ProjectState.CANCELLED)
    before = _change_rows()
    # when its manager raises a change request on it
    with pytest.raises(FieldError) as refused:
        changes.create_change_request(actor=users["pm"], data=_core_slip(scoped))
    # then it is refused at the project, naming the project and its state; nothing is written
    assert refused.value.field == "project"
    assert refused.value.errors[0]["message"] == (
        f"CORE1 was cancelled on {_today()}: no change request can be raised on it"
    )
    assert _change_rows() == before


def test_the_api_refuses_a_change_request_on_a_closed_project_naming_the_field(
    client: Any, users: Any, scoped: Any
) -> None:
    _end(users, scoped["core"], ProjectState.CLOSED)
    before = _change_rows()
    answer = client.post(
        "/api/v1/change-requests",
        _core_slip(scoped),
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "project",
            "message": f"CORE1 was closed on {_today()}: no change request can be raised on it",
        }
    ]
    assert _change_rows() == before


def test_a_program_level_change_is_not_raised_on_an_ended_project_s_milestone(
    client: Any, users: Any, scoped: Any
) -> None:
    # given APP1 (program CORE) cancelled
    _end(users, scoped["app"], ProjectState.CANCELLED)
    before = _change_rows()
    # when the PMO raises a program-level change whose slipping milestone is APP1's
    answer = client.post(
        "/api/v1/change-requests",
        {"program": "CORE", "type": "schedule", "title": "Launch late"}
        | {"slip_milestone": scoped["launch"].pk, "slip_days": 5},
        content_type="application/json",
        headers=auth(users["admin"]),
    )
    # then the milestone is the field at fault
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["field"] == "slip_milestone"
    assert error["message"].startswith(f"APP1 was cancelled on {_today()}:")
    assert _change_rows() == before


def test_the_what_if_page_says_an_ended_project_s_items_no_longer_move_and_the_form_marks_the_field(
    client: Any, users: Any, scoped: Any
) -> None:
    _end(users, scoped["core"], ProjectState.CANCELLED)
    client.force_login(users["pm"])
    message = f"CORE1 was cancelled on {_today()}: no change request can be raised on it"
    # the what-if says why there is nothing to analyse, as soon as the project is chosen, and
    # offers nothing to choose, analyse or raise
    notice = (
        f'<div class="flash error">CORE1 was cancelled on {_today()}: its '
        "milestones, tasks and gates no longer move</div>"
    )
    for query in ("", f"&source=milestone&milestone={scoped['build'].pk}&days=12"):
        page = client.get(f"/impact/?project=CORE1{query}").content.decode()
        assert notice in page
        assert 'id="impact-projects"' not in page
        assert 'id="raise-change"' not in page
        assert 'id="impact-source"' not in page
    # a form posted from a page read before the cancellation: the project field has the error
    before = _change_rows()
    posted = client.post(
        "/change-requests/new/",
        {
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": scoped["build"].pk,
            "slip_days": 12,
        },
    )
    assert posted.status_code == 422
    page = posted.content.decode()
    project_input = page.split('name="project_text"')[1].split(">")[0]
    assert 'aria-invalid="true" aria-describedby="raise-error"' in project_input
    assert f'data-field="project"><li>Project: {message}</li>' in page
    assert _change_rows() == before


def test_a_closed_project_is_left_out_of_a_new_request_s_impact_and_affected_projects(
    users: Any, scoped: Any
) -> None:
    # given APP1 closed (its links stay open)
    _end(users, scoped["app"], ProjectState.CLOSED)
    Notification.objects.all().delete()
    # when CORE1's build slips
    cr = changes.create_change_request(actor=users["pm"], data=_core_slip(scoped))
    # then APP1's items no longer move, so the slip no longer reaches WEB1 through it; only
    # LOAN1 (through CORE1's go-live) is affected (test_ended_impact.py)
    assert {p["project"] for p in cr.impact["projects"]} == {"CORE1", "LOAN1"}
    assert sorted(cr.affected_projects.values_list("code", flat=True)) == ["LOAN1"]


def test_a_project_that_ends_before_submission_is_not_asked(users: Any, scoped: Any) -> None:
    from pmo.accounts.models import Person, Role, User

    # given APP1 run by Li Lei, a draft affecting it, then APP1 cancelled
    li = User.objects.create_user(username="li", password="pw-12345", role=Role.PROJECT_MANAGER)
    person = Person.objects.create(name="Li Lei", org_unit=scoped["app"].org_unit, user=li)
    type(scoped["app"]).objects.filter(pk=scoped["app"].pk).update(manager=person)
    cr = changes.create_change_request(actor=users["pm"], data=_core_slip(scoped))
    assert "APP1" in set(cr.affected_projects.values_list("code", flat=True))
    _end(users, scoped["app"], ProjectState.CANCELLED)
    # when the request is submitted
    changes.transition(actor=users["pm"], cr=cr, action="submit")
    # then LOAN1's manager is asked, APP1's is not
    assert Notification.objects.filter(user=users["other_pm"], change=cr).exists()
    assert not Notification.objects.filter(user=li, change=cr).exists()


def test_an_ended_project_is_not_named_among_the_affected_projects(users: Any, scoped: Any) -> None:
    _end(users, scoped["app"], ProjectState.CANCELLED)
    with pytest.raises(FieldError) as refused:
        check_affected([scoped["web"], scoped["app"]])
    assert refused.value.field == "affected_projects"
    assert refused.value.errors[0]["message"] == (
        f"APP1 was cancelled on {_today()}: it cannot be among the affected projects"
    )
    check_affected([scoped["web"], scoped["loans"]])  # running projects are fine


def test_the_admin_form_refuses_adding_an_ended_project_to_the_affected_ones(
    users: Any, scoped: Any
) -> None:
    # given a request affecting WEB1 and LOAN1, and APP1 cancelled
    _end(users, scoped["app"], ProjectState.CANCELLED)
    cr = changes.create_change_request(actor=users["pm"], data=_core_slip(scoped))
    form_class = modelform_factory(
        ChangeRequest, form=ChangeRequestForm, fields=["affected_projects"]
    )
    # when an administrator adds APP1
    ids = [scoped["web"].pk, scoped["loans"].pk]
    form = form_class({"affected_projects": [*ids, scoped["app"].pk]}, instance=cr)
    # then the field says why; the projects already named (ended or not) may stay
    assert not form.is_valid()
    assert form.errors["affected_projects"] == [
        f"APP1 was cancelled on {_today()}: it cannot be among the affected projects"
    ]
    assert form_class({"affected_projects": ids}, instance=cr).is_valid()


@pytest.fixture
def asked(users: Any, scoped: Any) -> ChangeRequest:
    """The CORE1 slip, submitted (APP1, LOAN1 asked; WEB1 agrees by the request); then APP1
    is cancelled."""
    cr = changes.create_change_request(actor=users["admin"], data=_core_slip(scoped))
    cr = changes.transition(actor=users["admin"], cr=cr, action="submit")
    _end(users, scoped["app"], ProjectState.CANCELLED)
    return cr


def test_a_cancelled_project_gives_no_answer_to_an_open_request(
    users: Any, scoped: Any, asked: ChangeRequest
) -> None:
    # (the PMO raised it: no project agrees by the request)
    responses_before = ChangeResponse.objects.count()
    with pytest.raises(FieldError) as refused:
        respond_to_change(actor=users["other_pm"], cr=asked, project_code="APP1", answer="agree")
    assert refused.value.field == "project"
    assert refused.value.errors[0]["message"] == (
        f"APP1 was cancelled on {_today()}: its answer to change requests is no longer needed"
    )
    assert ChangeResponse.objects.count() == responses_before
    # the projects that still run answer as before
    response, created = respond_to_change(
        actor=users["other_pm"], cr=asked, project_code="LOAN1", answer="agree"
    )
    assert created and response.project == scoped["loans"]


def test_the_api_refuses_an_answer_for_a_cancelled_project_and_stops_counting_it(
    client: Any, users: Any, scoped: Any, asked: ChangeRequest
) -> None:
    url = f"/api/v1/change-requests/{asked.code}/responses"
    refused = client.post(
        url,
        {"project": "APP1", "answer": "object", "reason": "too late"},
        content_type="application/json",
        headers=auth(users["other_pm"]),
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["project"]
    assert not ChangeResponse.objects.filter(project=scoped["app"]).exists()
    # APP1's missing answer is no longer awaited: only LOAN1 and WEB1 are counted
    body = client.get(url, headers=auth(users["member"])).json()
    rows = {r["project"]: (r["ended"], r["can_answer"]) for r in body["responses"]}
    assert rows["APP1"] == (True, False)
    assert rows["LOAN1"] == (False, True)  # the PMO may answer for a running one
    assert (body["agree"], body["object"], body["unanswered"]) == (0, 0, 2)
    assert body["summary"] == "2 not answered"


def test_the_answer_form_shows_the_refusal_at_the_cancelled_project_s_row(
    client: Any, users: Any, scoped: Any, asked: ChangeRequest
) -> None:
    client.force_login(users["other_pm"])
    url = f"/change-requests/{asked.pk}/"
    page = client.get(url).content.decode()
    # the page offers no form for APP1 and says why
    assert 'data-respond="APP1"' not in page and 'data-respond="LOAN1"' in page
    row = page.split('<tr data-project="APP1"')[2].split("</tr>")[0]
    assert 'data-testid="ended">Cancelled · no answer needed</span>' in row
    # an answer posted from a page read before the cancellation comes back at that row
    posted = client.post(
        f"{url}responses/", {"project": "APP1", "answer": "agree", "reason": "", "version": 0}
    )
    assert posted.status_code == 422
    page = posted.content.decode()
    assert (
        '<ul class="errorlist" id="respond-error-APP1" data-testid="respond-error" '
        'data-field="project"><li>APP1 was cancelled on'
    ) in page
    assert not ChangeResponse.objects.filter(project=scoped["app"]).exists()


def test_the_request_goes_on_for_the_projects_that_still_run(
    users: Any, scoped: Any, asked: ChangeRequest
) -> None:
    respond_to_change(actor=users["other_pm"], cr=asked, project_code="LOAN1", answer="agree")
    cr = changes.transition(actor=users["pm"], cr=asked, action="approve", note="ok")
    cr = changes.transition(actor=users["member"], cr=cr, action="approve", note="ok")
    assert cr.state == "steering_review"


def test_a_draft_whose_project_ended_meanwhile_is_not_submitted(
    client: Any, users: Any, scoped: Any
) -> None:
    # given a draft on CORE1, then CORE1 closed without the ending signal (a project loaded
    # ended: closing it the usual way withdraws the draft, test_ended_withdrawal.py)
    cr = changes.create_change_request(actor=users["pm"], data=_core_slip(scoped))
    type(scoped["core"]).objects.filter(pk=scoped["core"].pk).update(state=ProjectState.CLOSED)
    cr.refresh_from_db()
    # then nobody is offered Submit, and submitting anyway is a 409 that says why
    assert changes.allowed_actions(users["pm"], cr) == ["withdraw"]
    with pytest.raises(ConflictError) as refused:
        changes.transition(actor=users["pm"], cr=cr, action="submit")
    assert refused.value.message == (
        f"CORE1 was closed on {_today()}: {cr.code} can no longer be submitted; withdraw it"
    )
    answer = client.post(
        f"/api/v1/change-requests/{cr.pk}/transitions",
        {"action": "submit"},
        content_type="application/json",
        headers=auth(users["admin"]),
    )
    assert answer.status_code == 409
    assert ChangeRequest.objects.get(pk=cr.pk).state == "draft"
    assert not Notification.objects.filter(change=cr).exists()
    # withdrawing it works
    assert changes.transition(actor=users["pm"], cr=cr, action="withdraw").state == "withdrawn"


@pytest.mark.parametrize(
    ("side", "state", "word"),
    [
        ("supplier", ProjectState.CLOSED, "closed"),
        ("consumer", ProjectState.CANCELLED, "cancelled"),
    ],
)
def test_no_new_dependency_is_registered_on_an_ended_project(
    client: Any, users: Any, scoped: Any, side: str, state: str, word: str
) -> None:
    from pmo.dependencies.models import Dependency

    ended = scoped["core"] if side == "supplier" else scoped["app"]
    _end(users, ended, state)
    before = Dependency.objects.count()
    answer = client.post(
        "/api/v1/dependencies",
        {
            "supplier_project": "CORE1",
            "supplier_milestone": scoped["golive"].pk,
            "consumer_project": "APP1",
            "consumer_milestone": scoped["launch"].pk,
        },
        content_type="application/json",
        headers=auth(users["admin"]),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": f"{side}_project",
            "message": f"{ended.code} was {word} on {_today()}: no new dependency is registered "
            "on it",
        }
    ]
    assert Dependency.objects.count() == before
    # and the register's project pickers do not offer it (they search running projects)
    client.force_login(users["admin"])
    page = client.get("/dependencies/").content.decode()
    url = page.split('data-picker="')[1].split('"')[0].replace("&amp;", "&")
    offered = [item["value"] for item in client.get(url).json()["items"]]
    assert ended.code not in offered
    running = "APP1" if side == "supplier" else "CORE1"
    assert running in offered
