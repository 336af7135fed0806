"""One review, one label: an open gate review reads the same on the gate calendar as on the
steering agenda (and in the iCalendar feed), in both languages. The calendar used to call a
review with a date "Review scheduled" (评审已排期) where the agenda said "review requested"
(已申请评审) of the same review: two label sources for one state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmo.governance import services, steering, submission
from pmo.governance.tests.conftest import tick_all

WINDOW = {"start": "2026-01-01", "days": "731"}  # START's lifecycles, today in 2026
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

pytestmark = pytest.mark.usefixtures("in_2026")


def _calendar_state(client: Any, code: str, **headers: Any) -> str:
    page = client.get("/gate-calendar/", WINDOW, **headers).content.decode()
    row = page.split(f'data-code="{code}" data-gate="G1"')[1].split("</tr>")[0]
    return row.split('<td class="state">')[1].split("</td>")[0]


def _agenda_line(client: Any, meeting: Any, code: str, **headers: Any) -> str:
    page = client.get(f"/steering-meetings/{meeting.pk}/", **headers).content.decode()
    return page.split(f'data-kind="gate" data-code="{code}"')[1].split("</tr>")[0]


def test_a_dated_review_reads_as_requested_on_the_calendar_and_the_agenda(
    client: Any, users: Any, governed: Any
) -> None:
    # given a G1 review with a date, and a steering meeting whose agenda has it
    today = dt.date.today()
    services.request_review(
        actor=users["pm"], project=governed(code="LBL1"), scheduled_for=today + dt.timedelta(5)
    )
    meeting = steering.create_meeting(
        actor=users["admin"],
        data={"title": "SC", "date": today + dt.timedelta(days=7), "window_days": 30},
    )
    client.force_login(users["admin"])
    # then both pages call it the same, in English and in Chinese
    state = _calendar_state(client, "LBL1")
    assert '<span class="badge info" data-testid="review-requested">Review requested</span>' in (
        state
    )
    assert "review requested" in _agenda_line(client, meeting, "LBL1")
    state = _calendar_state(client, "LBL1", **ZH)
    assert "已申请评审" in state and "评审已排期" not in state
    assert "已申请评审" in _agenda_line(client, meeting, "LBL1", **ZH)


def test_a_review_submitted_for_decision_reads_as_ready_on_both(
    client: Any, users: Any, governed: Any
) -> None:
    today = dt.date.today()
    review = services.request_review(
        actor=users["pm"], project=governed(code="LBL2"), scheduled_for=today + dt.timedelta(5)
    )
    review = tick_all(users, review)
    submission.submit_review(actor=users["pm"], review=review, version=review.version)
    meeting = steering.create_meeting(
        actor=users["admin"],
        data={"title": "SC", "date": today + dt.timedelta(days=7), "window_days": 30},
    )
    client.force_login(users["admin"])
    state = _calendar_state(client, "LBL2", **ZH)
    # ready, as the agenda says it: not "scheduled" (or "requested") beside it
    assert '<span class="badge ok" data-testid="review-ready">待决策</span>' in state
    assert "review-requested" not in state and "评审已排期" not in state
    line = _agenda_line(client, meeting, "LBL2", **ZH)
    assert "待决策" in line and "已申请评审" not in line
