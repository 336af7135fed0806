"""A project that is closed or cancelled withdraws the change requests raised on it (ADR 0005,
"Ended projects and change requests").

The ``scoped`` bank web: CORE1 (Zhang Wei, ``pm``) slipping reaches APP1 and LOAN1 (Emma
Clarke, ``other_pm``) and WEB1 (``pm``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation

from pmo.audit.models import AuditEvent
from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest, Notification
from pmo.dependencies.tests.conftest import auth
from pmo.governance.steering import create_meeting, regenerate_agenda
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import ProjectState


def _end(user: Any, project: Any, state: str) -> None:
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=user, project=project, data={"state": state}, version=project.version
    )
    project.refresh_from_db()


def _today() -> str:
    return timezone.localdate().isoformat()


def _raise(users: Any, scoped: Any, by: str, days: int, *steps: tuple[str, str]) -> ChangeRequest:
    """A change request on CORE1 (its build slips ``days``) raised by ``by`` and taken
    through ``steps`` ((who, action), ...)."""
    cr = changes.create_change_request(
        actor=users[by],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": scoped["build"].pk,
            "slip_days": days,
        },
    )
    for who, action in steps:
        cr = changes.transition(actor=users[who], cr=cr, action=action, note="no")
    return cr


def _told(cr: ChangeRequest) -> set[str]:
    return set(Notification.objects.filter(change=cr).values_list("user__username", flat=True))


def test_cancelling_a_project_withdraws_every_open_request_raised_on_it(
    users: Any, scoped: Any
) -> None:
    # given CORE1's requests in every state
    submit, pmo_ok = ("pm", "submit"), ("member", "approve")
    crs = {
        "draft": _raise(users, scoped, "pm", 3),
        "pm_review": _raise(users, scoped, "admin", 3, ("admin", "submit")),
        "pmo_review": _raise(users, scoped, "pm", 3, submit),
        "steering_review": _raise(users, scoped, "pm", 12, submit, pmo_ok),
        "approved": _raise(users, scoped, "pm", 3, submit, pmo_ok),
        "rejected": _raise(users, scoped, "pm", 3, submit, ("member", "reject")),
    }
    assert {state: cr.state for state, cr in crs.items()} == {s: s for s in crs}
    applied = _raise(users, scoped, "pm", 3, submit, pmo_ok, ("pm", "apply"))
    Notification.objects.all().delete()
    versions = {state: cr.version for state, cr in crs.items()}
    # when a PMO member cancels CORE1
    _end(users["member"], scoped["core"], ProjectState.CANCELLED)
    # then every request before its decision or application is withdrawn, the others stay
    now = {s: ChangeRequest.objects.get(pk=cr.pk) for s, cr in crs.items()}
    assert {s: cr.state for s, cr in now.items()} == {
        "draft": "withdrawn",
        "pm_review": "withdrawn",
        "pmo_review": "withdrawn",
        "steering_review": "withdrawn",
        "approved": "withdrawn",
        "rejected": "rejected",
    }
    assert ChangeRequest.objects.get(pk=applied.pk).state == "applied"
    assert now["approved"].version == versions["approved"] + 1
    assert now["rejected"].version == versions["rejected"]
    # each as a system step (nobody acted) from the state it was in
    for state in ("draft", "pm_review", "pmo_review", "steering_review", "approved"):
        step = now[state].steps.order_by("-at", "-id").first()
        assert (step.action, step.from_state, step.to_state, step.actor, step.note) == (
            "project_ended",
            state,
            "withdrawn",
            None,
            "",
        )
    assert not now["rejected"].steps.filter(action="project_ended").exists()
    # audited in every scope of the request, as caused by the member who cancelled CORE1
    events = AuditEvent.objects.filter(
        object_type="dependencies.changerequest",
        object_id=str(crs["steering_review"].pk),
        action="withdraw",
    )
    affected = {scoped[k].pk for k in ("core", "app", "web", "loans")}
    assert {e.scope for e in events} == {f"project:{pk}" for pk in affected}
    assert {(e.actor, e.changes["state"][1], e.changes["reason"][1]) for e in events} == {
        (users["member"], "withdrawn", "its project was cancelled")
    }
    # and the project's history reads it in words, in the reader's language
    from django.utils import translation

    from pmo.audit.display import shown_events

    with translation.override("zh-hans"):
        shown = shown_events([events[0]])[0]
        assert shown.event.get_action_display() == "已撤回"
        assert ("原因", "其项目已取消") in {(c.label, c.after) for c in shown.changes}
    assert events[0].changes["state"][0] == "steering_review"
    # the requester, whoever was asked to review it and the managers asked for their answer
    # are told; the member who cancelled is not
    assert {s: _told(cr) for s, cr in crs.items()} == {
        "draft": {"pm"},
        "pm_review": {"admin", "pm", "other_pm"},  # CORE1's manager reviews it
        "pmo_review": {"pm", "admin", "other_pm"},  # the other PMO reviewer
        "steering_review": {"pm", "exec", "other_pm"},
        "approved": {"pm"},
        "rejected": set(),
    }
    notice = Notification.objects.get(change=crs["draft"])
    assert notice.message == (
        f"{crs['draft'].code} Vendor patch late is withdrawn: CORE1 was cancelled on {_today()}"
    )
    assert notice.url == f"/change-requests/{crs['draft'].pk}/"
    # and nothing is left to do on them
    assert changes.allowed_actions(users["admin"], now["approved"]) == []


def test_closing_a_project_withdraws_its_program_level_requests_too(
    client: Any, users: Any, scoped: Any
) -> None:
    # given two program-level requests of CORE: one slips CORE1's build, one APP1's launch
    def program_level(milestone: Any) -> ChangeRequest:
        return changes.create_change_request(
            actor=users["admin"],
            data={"program": "CORE", "type": "schedule", "title": "Late"}
            | {"slip_milestone": milestone.pk, "slip_days": 2},
        )

    on_core, on_app = program_level(scoped["build"]), program_level(scoped["launch"])
    # when CORE1 is closed
    _end(users["admin"], scoped["core"], ProjectState.CLOSED)
    # then the request whose slip is CORE1's is withdrawn, the other goes on
    assert ChangeRequest.objects.get(pk=on_core.pk).state == "withdrawn"
    assert ChangeRequest.objects.get(pk=on_app.pk).state == "draft"
    # the API shows the step, by nobody, with the note in the reader's language
    body = client.get(f"/api/v1/change-requests/{on_core.pk}", headers=auth(users["member"])).json()
    assert body["state"] == "withdrawn" and body["actions"] == []
    assert body["steps"][-1] | {"at": None} == {
        "action": "project_ended",
        "from_state": "draft",
        "to_state": "withdrawn",
        "actor": "",
        "note": f"CORE1 was closed on {_today()}",
        "at": None,
    }
    chinese = client.get(
        f"/api/v1/change-requests/{on_core.pk}",
        headers=auth(users["member"]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).json()
    assert chinese["steps"][-1]["note"] == f"CORE1 已于 {_today()} 关闭"
    # the requester (the admin) closed it: nobody is told
    assert not Notification.objects.filter(change=on_core).exists()


def test_a_request_the_ended_project_is_only_affected_by_goes_on(users: Any, scoped: Any) -> None:
    # given CORE1's pending request affecting APP1
    cr = _raise(users, scoped, "pm", 3, ("pm", "submit"))
    assert "APP1" in set(cr.affected_projects.values_list("code", flat=True))
    # when APP1 is cancelled
    _end(users["admin"], scoped["app"], ProjectState.CANCELLED)
    # then the request waits for the PMO as before
    assert ChangeRequest.objects.get(pk=cr.pk).state == "pmo_review"


def test_the_request_page_shows_the_system_step_and_the_agenda_line_says_withdrawn(
    client: Any, users: Any, scoped: Any
) -> None:
    # given a request above the thresholds on a drawn-up steering agenda
    cr = _raise(users, scoped, "pm", 12, ("pm", "submit"))
    meeting = create_meeting(
        actor=users["admin"],
        data={"title": "SC", "date": timezone.localdate() + dt.timedelta(days=7)},
    )
    client.force_login(users["member"])
    url = f"/steering-meetings/{meeting.pk}/"
    assert f"{cr.code} Vendor patch late (+12 working days" in client.get(url).content.decode()
    # when CORE1 is cancelled
    _end(users["admin"], scoped["core"], ProjectState.CANCELLED)
    # then the request's page shows the withdrawal by nobody, with the ending
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    row = page.split('<tr data-action="project_ended">')[1].split("</tr>")[0]
    assert '<td data-testid="step-actor">—</td>' in row
    assert "<td>Withdraw (the project ended)</td>" in row
    assert f"CORE1 was cancelled on {_today()}" in row
    # nobody is waited for any more: no "not answered", no "no answer yet"
    summary = page.split('data-testid="responses-summary">')[1].split("</strong>")[0]
    assert "not answered" not in summary
    assert "no answer yet" not in page.split('id="responses"')[1]
    with translation.override("zh-hans"):
        client.cookies["pmo_language"] = "zh-hans"
        chinese = client.get(f"/change-requests/{cr.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"CORE1 已于 {_today()} 取消" in chinese.content.decode()
    client.cookies["pmo_language"] = "en"
    # the agenda drawn up before says the line is withdrawn; drawn up again, it is gone
    line = client.get(url).content.decode()
    assert f"{cr.code} Vendor patch late (+12 working days, 0.00 CNY) · withdrawn" in line
    regenerate_agenda(actor=users["admin"], meeting=meeting)
    assert cr.code not in client.get(url).content.decode()
