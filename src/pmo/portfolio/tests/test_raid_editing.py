"""RAID entries changed in the browser: the edit form (rights, versions, the owner, a decision's
contradictions), closing and reopening from the project page, and the same rules in the API."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.models import Person
from pmo.accounts.services import create_token
from pmo.portfolio import services
from pmo.portfolio.raid import Decision, Issue, Risk

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _risk(project: Any, **fields: Any) -> Risk:
    values = {"title": "Vendor late", "probability": 3, "impact": 4, **fields}
    return Risk.objects.create(project=project, **values)


def _risk_post(risk: Risk, **overrides: Any) -> dict[str, Any]:
    data = {
        "version": risk.version,
        "title": risk.title,
        "description": risk.description,
        "owner": "",
        "probability": risk.probability,
        "impact": risk.impact,
        "response": risk.response,
        "mitigation": risk.mitigation,
        "due_date": "",
        "status": risk.status,
    }
    data.update(overrides)
    return data


def _decision_post(decision: Decision, **overrides: Any) -> dict[str, Any]:
    data = {
        "version": decision.version,
        "title": decision.title,
        "description": "",
        "owner": "",
        "decision_status": decision.decision_status,
        "decided_by": decision.decided_by,
        "decided_on": "",
        "outcome": "",
        "due_date": "",
        "status": decision.status,
    }
    data.update(overrides)
    return data


def _url(risk: Any, kind: str = "risks") -> str:
    return f"/projects/{risk.project.code}/raid/{kind}/{risk.pk}/"


def _api(user: Any) -> Any:
    token = create_token(username=user.username)
    client = Client()

    def send(method: str, url: str, body: dict[str, Any]) -> Any:
        return getattr(client, method)(
            url,
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    return send


def test_the_edit_form_is_the_create_form_filled_in_with_a_version_and_a_way_back(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given a risk owned by the PM
    project = make_project()
    risk = _risk(project, owner=users["pm"].person, mitigation="Second vendor")

    # when the PM opens it
    html = _client(users["pm"]).get(_url(risk)).content.decode()

    # then the form holds its values, the owner among people, the version and a Cancel link
    assert 'value="Vendor late"' in html
    assert f'<option value="{users["pm"].person.pk}" selected>Zhang Wei</option>' in html
    assert "Second vendor</textarea>" in html
    assert f'name="version" value="{risk.version}"' in html
    assert f'href="/projects/{project.code}/#raid-risks" data-testid="cancel">Cancel</a>' in html
    # labels stand above their fields without Django's colon
    assert re.search(r'<label for="id_title">Title</label>', html)
    assert "Title:" not in html


def test_the_manager_changes_a_risk_and_its_owner(make_project: Any, users: dict[str, Any]) -> None:
    project = make_project()
    risk = _risk(project)
    owner = Person.objects.get(name="Wang Fang")

    response = _client(users["pm"]).post(
        _url(risk), _risk_post(risk, title="Vendor very late", impact=5, owner=owner.pk)
    )

    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.code}/#raid-risks"
    risk.refresh_from_db()
    assert (risk.title, risk.impact, risk.score, risk.owner, risk.version) == (
        "Vendor very late",
        5,
        15,
        owner,
        2,
    )


@pytest.mark.parametrize("username", ["other_pm", "exec", "viewer"])
def test_readers_see_the_entry_read_only_and_cannot_post(
    make_project: Any, users: dict[str, Any], username: str
) -> None:
    # given a risk of a project ``pm`` manages, and a user who may only read it
    project = make_project()
    risk = _risk(project, mitigation="Second vendor")
    client = _client(users[username])

    # when they open it, they read it (the mitigation is on no table) with nothing to save
    page = client.get(_url(risk))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="read-only"' in html and "Second vendor" in html
    assert 'data-testid="save"' not in html
    assert 'name="title" value="Vendor late" maxlength="255" required disabled' in html

    # and a post of their own is refused as the API refuses it
    response = client.post(_url(risk), _risk_post(risk, title="Hijacked"))
    assert response.status_code == 403
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("Vendor late", 1)


def test_the_pmo_edits_any_project(make_project: Any, users: dict[str, Any]) -> None:
    risk = _risk(make_project())

    response = _client(users["member"]).post(_url(risk), _risk_post(risk, title="By the PMO"))

    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.title == "By the PMO"


def test_a_stale_version_keeps_what_was_typed_and_shows_what_is_saved_now(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given a form opened at version 1, and someone else's save since (version 2)
    project = make_project()
    risk = _risk(project)
    opened = _risk_post(risk, title="Mine", mitigation="My plan")
    services.update_raid_item(
        actor=users["member"], item=risk, kind="risks", data={"impact": 2}, version=1
    )
    client = _client(users["pm"])

    # when the form is saved
    response = client.post(_url(risk), opened)

    # then nothing is saved, the page says so, keeps the typing and lists what is saved now
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this risk while you were editing it." in html
    assert 'value="Mine"' in html and "My plan</textarea>" in html
    assert re.search(r'data-testid="saved-meanwhile">.*<li>Impact \(1-5\): 2</li>', html, re.S)
    assert 'name="version" value="2"' in html
    risk.refresh_from_db()
    assert (risk.title, risk.impact, risk.version) == ("Vendor late", 2, 2)

    # and saving again, knowingly, keeps the typed version
    again = client.post(_url(risk), {**opened, "version": 2})
    assert again.status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.impact, risk.mitigation, risk.version) == ("Mine", 4, "My plan", 3)


def test_a_damaged_version_is_a_message_not_a_500(make_project: Any, users: dict[str, Any]) -> None:
    risk = _risk(make_project())

    response = _client(users["pm"]).post(_url(risk), _risk_post(risk, version="x" * 30))

    assert response.status_code == 422
    assert "This page is out of date or damaged: reload it and retry." in response.content.decode()


def test_a_decision_still_needed_with_a_decider_is_refused_at_the_field(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project()
    decision = Decision.objects.create(project=project, title="Second vendor?")

    response = _client(users["pm"]).post(
        _url(decision, "decisions"),
        _decision_post(decision, decided_by="CFO", decided_on="2026-11-30"),
    )

    html = response.content.decode()
    assert response.status_code == 422
    message = "must stay empty while the decision is still needed: choose “Decided” or clear it"
    assert html.count(message) == 2  # at "decided by" and at "decided on"
    assert 'value="CFO"' in html  # what was typed stays
    decision.refresh_from_db()
    assert (decision.decided_by, decision.decided_on, decision.version) == ("", None, 1)


def test_a_new_decision_still_needed_with_a_day_is_refused_too(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project()
    body = {
        "title": "Second vendor?",
        "owner": "",
        "decision_status": "pending",
        "decided_by": "",
        "decided_on": "2026-11-30",
        "status": "open",
    }

    response = _client(users["pm"]).post(f"/projects/{project.code}/raid/decisions/new/", body)

    assert response.status_code == 422
    assert "must stay empty while the decision is still needed" in response.content.decode()
    assert not Decision.objects.filter(project=project).exists()


def test_the_api_refuses_the_same_contradiction_naming_the_field(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project(code="API1")
    send = _api(users["pm"])

    created = send(
        "post", "/api/v1/projects/API1/decisions", {"title": "Buy?", "decided_by": "CFO"}
    )
    assert created.status_code == 422
    assert [e["field"] for e in created.json()["errors"]] == ["decided_by"]

    decision = Decision.objects.create(
        project=project, title="Buy?", decision_status="decided", decided_by="CFO"
    )
    patched = send(
        "patch",
        f"/api/v1/projects/API1/decisions/{decision.pk}",
        {"version": 1, "decision_status": "pending"},
    )
    assert patched.status_code == 422
    assert [e["field"] for e in patched.json()["errors"]] == ["decided_by"]

    cleared = send(
        "patch",
        f"/api/v1/projects/API1/decisions/{decision.pk}",
        {"version": 1, "decision_status": "pending", "decided_by": ""},
    )
    assert cleared.status_code == 200
    assert (cleared.json()["decision_status"], cleared.json()["decided_by"]) == ("pending", "")


def test_a_decision_still_needed_is_not_closed_through_the_api_either(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project(code="API2")
    decision = Decision.objects.create(project=project, title="Second vendor?")
    send = _api(users["pm"])
    url = f"/api/v1/projects/API2/decisions/{decision.pk}"

    closed = send("patch", url, {"version": 1, "status": "closed"})

    assert closed.status_code == 422
    assert [e["field"] for e in closed.json()["errors"]] == ["status"]
    decision.refresh_from_db()
    assert decision.status == "open"
    # recorded as withdrawn, it closes
    done = send("patch", url, {"version": 1, "decision_status": "withdrawn", "status": "closed"})
    assert (done.status_code, done.json()["status"]) == (200, "closed")


def test_a_decision_recorded_as_taken_without_a_day_is_dated_today(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project()
    decision = Decision.objects.create(project=project, title="Buy?")
    today = dt.date(2026, 12, 6)

    services.update_raid_item(
        actor=users["pm"],
        item=decision,
        kind="decisions",
        data={"decision_status": "decided", "decided_by": "Steering committee"},
        version=1,
        today=today,
    )

    decision.refresh_from_db()
    assert (decision.decision_status, decision.decided_on) == ("decided", today)
    # a day given is kept, and a decision taken earlier keeps its day when edited later
    services.update_raid_item(
        actor=users["pm"],
        item=decision,
        kind="decisions",
        data={"decided_on": dt.date(2026, 12, 1)},
        version=2,
        today=dt.date(2026, 12, 9),
    )
    decision.refresh_from_db()
    assert decision.decided_on == dt.date(2026, 12, 1)


def test_the_decision_form_offers_the_projects_people_as_deciders(
    make_project: Any, users: dict[str, Any], org: dict[str, Any]
) -> None:
    sponsor = Person.objects.create(name="Lin Xiaoyun", org_unit=org["sh"])
    project = make_project(sponsor=sponsor)
    Decision.objects.create(
        project=project, title="Earlier", decision_status="decided", decided_by="Steering committee"
    )

    html = _client(users["pm"]).get(f"/projects/{project.code}/raid/decisions/new/").content
    text = html.decode()

    assert 'list="decided-by-suggestions"' in text
    options = re.findall(r'<option value="([^"]+)"></option>', text)
    assert options == ["Lin Xiaoyun", "Zhang Wei", "Steering committee"]


def test_the_project_page_links_every_entry_and_offers_close_to_editors(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given a risk, an issue, a decision still needed and a closed action
    project = make_project()
    risk = _risk(project)
    issue = Issue.objects.create(project=project, title="Test rig down")
    pending = Decision.objects.create(project=project, title="Second vendor?")
    url = f"/projects/{project.code}/"

    html = _client(users["pm"]).get(url).content.decode()

    assert f'<a href="/projects/{project.code}/raid/risks/{risk.pk}/">Vendor late</a>' in html
    assert f'action="/projects/{project.code}/raid/issues/{issue.pk}/status/"' in html
    assert 'aria-label="Close “Test rig down”">Close</button>' in html
    # a decision still needed is resolved by recording it, not closed from the list
    assert f"/raid/decisions/{pending.pk}/status/" not in html
    # a reader follows the links but gets no buttons
    reader = _client(users["exec"]).get(url).content.decode()
    assert f"/raid/risks/{risk.pk}/" in reader and 'data-testid="close-item"' not in reader


def test_close_and_reopen_from_the_project_page(make_project: Any, users: dict[str, Any]) -> None:
    project = make_project()
    issue = Issue.objects.create(project=project, title="Test rig down")
    client = _client(users["pm"])
    action = f"/projects/{project.code}/raid/issues/{issue.pk}/status/"

    closed = client.post(action, {"status": "closed", "version": 1}, follow=True)
    issue.refresh_from_db()
    assert (issue.status, issue.version) == ("closed", 2)
    assert "Closed: Test rig down" in closed.content.decode()
    assert 'aria-label="Reopen “Test rig down”"' in closed.content.decode()

    # a button of a page read before that change is refused, naming the clash
    stale = client.post(action, {"status": "open", "version": 1}, follow=True)
    issue.refresh_from_db()
    assert issue.status == "closed"
    assert "issue was changed by someone else" in stale.content.decode()

    client.post(action, {"status": "open", "version": 2})
    issue.refresh_from_db()
    assert (issue.status, issue.version) == ("open", 3)


def test_close_is_refused_to_readers_and_checks_its_input(
    make_project: Any, users: dict[str, Any]
) -> None:
    project = make_project()
    issue = Issue.objects.create(project=project, title="Test rig down")
    action = f"/projects/{project.code}/raid/issues/{issue.pk}/status/"

    assert _client(users["other_pm"]).post(action, {"status": "closed"}).status_code == 403
    assert _client(users["pm"]).get(action).status_code == 405
    odd = _client(users["pm"]).post(action, {"status": "gone", "version": 1}, follow=True)
    assert "Choose open or closed." in odd.content.decode()
    assert (
        _client(users["pm"]).post(f"/projects/{project.code}/raid/nope/1/status/").status_code
        == 404
    )
    issue.refresh_from_db()
    assert (issue.status, issue.version) == ("open", 1)


def _opened_with(post: dict[str, Any], opened: dict[str, Any]) -> dict[str, Any]:
    """A post carrying what the form showed when it was opened (``initial-<field>``)."""
    return {**post, **{f"initial-{k}": v for k, v in opened.items() if k != "version"}}


def test_a_stale_save_keeps_the_other_persons_change_to_a_field_left_alone(
    make_project: Any, users: dict[str, Any]
) -> None:
    # given two tabs opened at version 1; tab A raises the probability 3 -> 5 and saves
    risk = _risk(make_project())
    opened = _risk_post(risk)
    services.update_raid_item(
        actor=users["member"], item=risk, kind="risks", data={"probability": 5}, version=1
    )
    client = _client(users["pm"])

    # when tab B, which changed only the title, saves
    response = client.post(_url(risk), _opened_with({**opened, "title": "Mine"}, opened))

    # then the form keeps B's title, shows A's probability, and lists no conflict
    html = response.content.decode()
    assert response.status_code == 409
    assert 'value="Mine"' in html
    assert re.search(r'<option value="5" selected>5</option>', html)
    assert 'data-testid="saved-meanwhile"' not in html
    assert re.search(r'data-testid="taken-meanwhile">.*<li>Probability \(1-5\): 5</li>', html, re.S)
    assert 'name="initial-probability" value="5"' in html

    # and saving the form as shown keeps both changes
    shown = {
        **_risk_post(risk, title="Mine", probability=5, version=2),
        **{f"initial-{k}": v for k, v in _risk_post(risk, probability=5).items() if k != "version"},
    }
    assert client.post(_url(risk), shown).status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.probability, risk.version) == ("Mine", 5, 3)


def test_a_stale_save_lists_a_field_both_changed_and_keeps_what_was_typed(
    make_project: Any, users: dict[str, Any]
) -> None:
    risk = _risk(make_project())
    opened = _risk_post(risk)
    services.update_raid_item(
        actor=users["member"], item=risk, kind="risks", data={"impact": 2}, version=1
    )

    response = _client(users["pm"]).post(_url(risk), _opened_with({**opened, "impact": 5}, opened))

    html = response.content.decode()
    assert response.status_code == 409
    assert re.search(r'<option value="5" selected>5</option>', html)
    assert re.search(r'data-testid="saved-meanwhile">.*<li>Impact \(1-5\): 2</li>', html, re.S)
    assert 'name="initial-impact" value="2"' in html
    assert 'data-testid="taken-meanwhile"' not in html


def test_the_edit_form_carries_what_it_was_opened_with(
    make_project: Any, users: dict[str, Any]
) -> None:
    risk = _risk(make_project(), title="Vendor late")

    html = _client(users["pm"]).get(_url(risk)).content.decode()

    assert 'name="initial-title" value="Vendor late"' in html
    assert 'name="initial-probability" value="3"' in html


def test_raid_tables_list_open_entries_first_and_keep_the_order_after_close_and_reopen(
    make_project: Any,
) -> None:
    from pmo.portfolio.selectors import list_raid_items

    project = make_project()
    _risk(project, title="High", probability=5, impact=5)
    _risk(project, title="Low", probability=1, impact=1)
    middle = _risk(project, title="Middle", probability=3, impact=3)

    def titles() -> list[str]:
        return [r.title for r in list_raid_items(project, "risks")]

    assert titles() == ["High", "Middle", "Low"]
    Risk.objects.filter(pk=middle.pk).update(status="closed")
    assert titles() == ["High", "Low", "Middle"]  # a closed entry goes to the bottom
    Risk.objects.filter(pk=middle.pk).update(status="open")
    assert titles() == ["High", "Middle", "Low"]  # and reopened, back where it was
