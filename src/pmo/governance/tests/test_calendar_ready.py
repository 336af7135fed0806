"""The gate calendar shows a review submitted for decision as ready, as the review list and
the agenda do (ADR 0002, "Submitting a review for decision"): page, API and iCalendar feed;
a checklist change takes it back to preparation there too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from pmo.accounts.services import create_token
from pmo.governance import calendar, ical, services, submission
from pmo.governance.tests.conftest import START, tick_all

WINDOW = {"start": "2026-01-01", "days": "731"}  # START's lifecycles, today in 2026

pytestmark = pytest.mark.usefixtures("in_2026")


def _row(page: str, code: str) -> str:
    return page.split(f'data-code="{code}" data-gate="G1"')[1].split("</tr>")[0]


def _ready_and_preparing(users: Any, governed: Any) -> tuple[Any, Any]:
    day = dt.date.today() + dt.timedelta(days=5)
    ready = services.request_review(
        actor=users["pm"], project=governed(code="RDY1"), scheduled_for=day
    )
    ready = tick_all(users, ready)
    submission.submit_review(actor=users["pm"], review=ready, version=ready.version)
    preparing = services.request_review(actor=users["pm"], project=governed(code="PRP1"))
    return ready, preparing


def test_the_page_marks_the_review_ready_for_decision(client, users, governed):
    ready, _preparing = _ready_and_preparing(users, governed)
    governed(code="NONE1")
    client.force_login(users["exec"])
    page = client.get("/gate-calendar/", WINDOW).content.decode()
    row = _row(page, "RDY1")
    assert 'data-state="scheduled" data-stage="ready"' in row
    assert '<span class="badge ok" data-testid="review-ready">Ready for decision</span>' in row
    assert 'data-state="requested" data-stage="preparing"' in _row(page, "PRP1")
    for code in ("PRP1", "NONE1"):
        assert "review-ready" not in _row(page, code)
    assert "data-stage" not in _row(page, "NONE1")
    # a checklist change takes it back to preparation: no longer ready on the calendar
    ready.refresh_from_db()
    check = ready.checks.first()
    services.prepare_review(
        actor=users["pm"],
        review=ready,
        version=ready.version,
        checks=[{"criterion_id": check.criterion_id, "met": False}],
    )
    page = client.get("/gate-calendar/", WINDOW).content.decode()
    assert 'data-stage="preparing"' in _row(page, "RDY1")
    assert "review-ready" not in _row(page, "RDY1")


def test_the_api_gives_the_review_stage(client, users, governed):
    _ready_and_preparing(users, governed)
    governed(code="NONE1")
    token = create_token(username="exec")
    body = client.get(
        "/api/v1/gate-calendar", WINDOW, headers={"Authorization": f"Bearer {token}"}
    ).json()
    g1 = {e["project"]: e for e in body["items"] if e["gate"] == "G1"}
    assert {code: (e["review_stage"], e["review_ready"]) for code, e in g1.items()} == {
        "RDY1": ("ready", True),
        "PRP1": ("preparing", False),
        "NONE1": (None, False),
    }


def test_the_feed_says_ready_for_decision(users, governed):
    ready, _preparing = _ready_and_preparing(users, governed)
    entries = calendar.gate_calendar(users["exec"], START, START + dt.timedelta(days=731))
    with translation.override("en"):
        text = ical.gate_calendar_ics(entries, host="h", name="n").replace("\r\n ", "")
    events = {e.split("SUMMARY:")[1].split("\r\n")[0]: e for e in text.split("BEGIN:VEVENT")[1:]}
    (ready_event,) = [e for s, e in events.items() if "RDY1" in s and s.startswith("G1")]
    (summary,) = [s for s in events if "RDY1" in s and s.startswith("G1")]
    assert summary.endswith("· ready for decision")
    day = ready.scheduled_for
    assert f"\\; review on {day}\\; ready for decision\r\n" in ready_event
    others = [e for s, e in events.items() if "RDY1" not in s]
    assert others and all("ready for decision" not in e for e in others)
