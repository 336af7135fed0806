"""A held meeting's date is fixed, and the API's agenda lines carry the page they lead to
(ADR 0002, "A held meeting's date is fixed", "Agenda lines carry their URL")."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import ValidationFailed
from pmo.governance import reviews, services, steering
from pmo.governance.api.steering import AgendaItemOut
from pmo.governance.models import AgendaItem, SteeringMeeting
from pmo.governance.reviews import AgendaKind
from pmo.governance.tests.conftest import pass_gate

TODAY = dt.date.today()


def _meeting(users: Any, day: dt.date) -> SteeringMeeting:
    return steering.create_meeting(
        actor=users["admin"], data={"title": "SteerCo", "date": day, "window_days": 14}
    )


def _api(client: Any, user: str, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(
        url,
        json.dumps(body, default=str) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {create_token(username=user)}",
    )


# --- 1. a held meeting's date is fixed ----------------------------------------------------------


def test_a_meeting_before_today_keeps_its_date_and_says_why(users):
    held = _meeting(users, TODAY - dt.timedelta(days=2))
    with pytest.raises(ValidationFailed) as caught:
        steering.update_meeting(
            actor=users["admin"],
            meeting=held,
            data={"date": TODAY + dt.timedelta(days=5)},
            version=held.version,
        )
    assert [e["field"] for e in caught.value.errors] == ["date"]
    assert "was held on" in caught.value.errors[0]["message"]
    held.refresh_from_db()
    assert held.date == TODAY - dt.timedelta(days=2)
    # the rest of it still changes, and the same date is no change
    steering.update_meeting(
        actor=users["admin"],
        meeting=held,
        data={"date": held.date, "minutes": "Agreed.", "location": "Room 2"},
        version=held.version,
    )
    held.refresh_from_db()
    assert (held.minutes, held.location) == ("Agreed.", "Room 2")


def test_a_meeting_of_today_with_minutes_or_outcomes_is_held(users, governed):
    project = governed(code="HLD2")
    with_minutes = _meeting(users, TODAY)
    assert steering.date_fixed_reason(with_minutes) is None
    steering.update_meeting(
        actor=users["admin"], meeting=with_minutes, data={"minutes": "m"}, version=1
    )
    with_minutes.refresh_from_db()
    assert steering.date_fixed_reason(with_minutes) is not None
    with_outcome = _meeting(users, TODAY + dt.timedelta(days=1))
    steering.record_outcome(
        actor=users["admin"], meeting=with_outcome, project=project, kind="decision", title="Go"
    )
    with pytest.raises(ValidationFailed) as caught:
        steering.update_meeting(
            actor=users["admin"],
            meeting=with_outcome,
            data={"date": TODAY + dt.timedelta(days=9)},
            version=with_outcome.version,
        )
    assert caught.value.errors[0]["field"] == "date"
    assert "minutes or outcomes are recorded" in caught.value.errors[0]["message"]
    # a planned meeting with nothing recorded moves, audited
    planned = _meeting(users, TODAY + dt.timedelta(days=3))
    steering.update_meeting(
        actor=users["admin"],
        meeting=planned,
        data={"date": TODAY + dt.timedelta(days=4)},
        version=planned.version,
    )
    planned.refresh_from_db()
    assert planned.date == TODAY + dt.timedelta(days=4)
    event = AuditEvent.objects.filter(scope=f"meeting:{planned.pk}").order_by("-id").first()
    assert event.changes["date"] == [
        str(TODAY + dt.timedelta(days=3)),
        str(TODAY + dt.timedelta(days=4)),
    ]


def test_the_api_refuses_a_held_meetings_date_naming_the_field(client, users):
    held = _meeting(users, TODAY - dt.timedelta(days=1))
    url = f"/api/v1/steering-meetings/{held.pk}"
    answer = _api(client, "admin", "patch", url, {"version": held.version, "date": str(TODAY)})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["date"]
    answer = _api(client, "admin", "patch", url, {"version": held.version, "minutes": "ok"})
    assert answer.status_code == 200 and answer.json()["minutes"] == "ok"
    planned = _meeting(users, TODAY + dt.timedelta(days=2))
    listed = _api(client, "admin", "get", "/api/v1/steering-meetings").json()["items"]
    assert {m["id"]: m["date_fixed"] for m in listed} == {held.pk: True, planned.pk: False}
    one = _api(client, "admin", "get", f"/api/v1/steering-meetings/{planned.pk}").json()
    assert one["date_fixed"] is False


def test_the_page_shows_a_held_meetings_date_read_only_with_the_reason(client, users):
    held = _meeting(users, TODAY - dt.timedelta(days=1))
    planned = _meeting(users, TODAY + dt.timedelta(days=2))
    client.force_login(users["admin"])
    page = client.get(f"/steering-meetings/{held.pk}/").content.decode()
    date_input = re.search(r'<input[^>]*name="meeting-date"[^>]*>', page).group(0)
    assert "readonly" in date_input and 'aria-describedby="date-fixed"' in date_input
    assert 'data-testid="date-fixed">The meeting was held on' in page
    page = client.get(f"/steering-meetings/{planned.pk}/").content.decode()
    date_input = re.search(r'<input[^>]*name="meeting-date"[^>]*>', page).group(0)
    assert "readonly" not in date_input and "date-fixed" not in page
    # a changed date posted anyway (page read before the meeting was held) is refused there
    form = {
        "action": "details",
        "version": held.version,
        "meeting-title": "SteerCo",
        "meeting-date": str(TODAY + dt.timedelta(days=7)),
        "meeting-window_days": 14,
        "meeting-location": "",
    }
    answer = client.post(f"/steering-meetings/{held.pk}/", form)
    assert answer.status_code == 200
    shown = answer.content.decode()
    errors = re.search(
        r'name="meeting-date"([^>]*)>.*?<ul class="errorlist[^>]*>(.*?)</ul>', shown, re.S
    )
    assert errors and "was held on" in errors.group(2)
    assert f'value="{TODAY - dt.timedelta(days=1)}"' in errors.group(1)  # the date it keeps
    held.refresh_from_db()
    assert held.date == TODAY - dt.timedelta(days=1)
    # the planned one moves from the page
    form |= {"version": planned.version, "meeting-title": "Moved"}
    answer = client.post(f"/steering-meetings/{planned.pk}/", form)
    assert answer.status_code == 302
    planned.refresh_from_db()
    assert (planned.title, planned.date) == ("Moved", TODAY + dt.timedelta(days=7))


# --- 3. the API's agenda lines carry their URL -------------------------------------------------


def test_api_agenda_lines_carry_the_url_the_page_links_to(client, users, governed, monkeypatch):
    requested = governed(code="URL1")
    review = services.request_review(actor=users["pm"], project=requested)
    governed(code="URL2")
    decided = governed(code="URL3")
    passed = pass_gate(users, decided, on=TODAY - dt.timedelta(days=2))
    meeting = _meeting(users, TODAY + dt.timedelta(days=3))
    for n, ref in enumerate(("change_request:5", "change_request:6")):
        AgendaItem.objects.create(
            meeting=meeting, order=90 + n, kind=AgendaKind.OTHER, title="t", ref=ref
        )
    AgendaItem.objects.create(meeting=meeting, order=99, kind=AgendaKind.OTHER, title="AOB")
    monkeypatch.setitem(reviews.AGENDA_LABELS, "change_request", lambda keys: {"5": "CR text"})
    monkeypatch.setitem(
        reviews.AGENDA_URLS, "change_request", lambda keys: {k: f"/cr/{k}/" for k in keys}
    )
    body = _api(client, "exec", "get", f"/api/v1/steering-meetings/{meeting.pk}").json()
    by_project = {(a["project"], a["kind"]): a["url"] for a in body["agenda"] if a["project"]}
    assert by_project[("URL1", "gate")] == f"/projects/URL1/gate-reviews/{review.pk}/"
    assert by_project[("URL2", "gate")] == "/projects/URL2/lifecycle/"
    assert by_project[("URL3", "decided")] == f"/projects/URL3/gate-reviews/{passed.review_id}/"
    by_ref = {a["ref"]: a["url"] for a in body["agenda"] if not a["project"]}
    assert by_ref == {"change_request:5": "/cr/5/", "change_request:6": None, "": None}
    # the page links each line to the same address
    client.force_login(users["exec"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    linked = set(re.findall(r'<a href="([^"]+)" data-testid="line-link">', page))
    assert linked == {u for u in by_project.values()} | {"/cr/5/"}
    line = AgendaItemOut.model_json_schema()["properties"]["url"]  # documented in OpenAPI
    assert "relative" in line["description"]
