"""A steering agenda's gate line says "overdue" only for a gate overdue today (or, for a
held meeting, on its day) and "overdue by the meeting" for one due before the meeting but
not overdue yet (ADR 0002, "Overdue on an agenda"): page, API and the line's title."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.governance import steering
from pmo.governance.models import SteeringMeeting

DUE = dt.date(2026, 2, 4)  # the generic G1's forecast (conftest START + 30 days)
MEETING = dt.date(2026, 3, 1)


@pytest.fixture
def today(monkeypatch: Any) -> Any:
    """Set what ``timezone.localdate()`` answers (with no argument)."""
    real = timezone.localdate

    def set_to(day: dt.date) -> None:
        monkeypatch.setattr(
            timezone, "localdate", lambda value=None, tz=None: real(value, tz) if value else day
        )

    return set_to


def _meeting(users: Any, governed: Any, day: dt.date = MEETING) -> SteeringMeeting:
    governed(code="OVD1")
    return steering.create_meeting(
        actor=users["admin"], data={"title": "SteerCo", "date": day, "window_days": 0}
    )


def _api_line(client: Any, users: Any, meeting: SteeringMeeting) -> dict[str, Any]:
    token = create_token(username=users["admin"].username)
    body = client.get(
        f"/api/v1/steering-meetings/{meeting.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    (line,) = [a for a in body["agenda"] if a["project"] == "OVD1"]
    return line


@pytest.mark.parametrize(
    ("day", "title", "overdue", "state"),
    [
        # before the gate's date: not overdue today, but it will be when the committee meets
        (dt.date(2026, 1, 20), "Gate G1 Approve · overdue by the meeting", False, "by_meeting"),
        (DUE, "Gate G1 Approve · overdue by the meeting", False, "by_meeting"),
        # past the gate's date, before the meeting: overdue today
        (DUE + dt.timedelta(days=1), "Gate G1 Approve · overdue", True, "overdue"),
        # the meeting is held: the gate was overdue on its day
        (MEETING + dt.timedelta(days=30), "Gate G1 Approve · overdue", True, "overdue"),
    ],
)
def test_a_gate_line_says_overdue_only_when_it_is(
    client, users, governed, today, day, title, overdue, state
):
    today(day)
    meeting = _meeting(users, governed)
    line = _api_line(client, users, meeting)
    assert (line["title"], line["overdue"], line["overdue_by_meeting"]) == (title, overdue, True)
    client.force_login(users["admin"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    row = page.split('data-code="OVD1"')[1].split("</tr>")[0]
    assert f'data-due="{state}"' in row
    assert title.split(" · ")[1] in page


def test_a_gate_due_after_the_meeting_says_neither(client, users, governed, today):
    today(dt.date(2026, 1, 20))
    meeting = _meeting(users, governed, day=dt.date(2026, 1, 30))
    steering.update_meeting(  # window_days 7 brings the 2026-02-04 gate in
        actor=users["admin"], meeting=meeting, data={"window_days": 7}, version=meeting.version
    )
    meeting = steering.regenerate_agenda(actor=users["admin"], meeting=meeting)
    line = _api_line(client, users, meeting)
    assert (line["title"], line["overdue"], line["overdue_by_meeting"]) == (
        "Gate G1 Approve",
        False,
        False,
    )


def test_a_meeting_moved_before_the_gate_no_longer_calls_it_overdue(users, governed, today):
    today(dt.date(2026, 1, 20))
    meeting = _meeting(users, governed)
    (line,) = meeting.agenda.all()
    assert line.due_state == "by_meeting"
    steering.update_meeting(
        actor=users["admin"],
        meeting=meeting,
        data={"date": dt.date(2026, 2, 1)},
        version=meeting.version,
    )
    (line,) = SteeringMeeting.objects.get(pk=meeting.pk).agenda.all()
    assert (line.due_state, line.label) == ("", "Gate G1 Approve")
