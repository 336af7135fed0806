"""The gate calendar reads as a planning calendar: a card per week (overdue first), a row per
gate with its day, planned date, review date and state; the API and the iCalendar feed carry
the review date too. And the template page names each phase once."""

import datetime as dt
import re

import pytest
from django.utils import translation

from pmo.accounts.services import create_token
from pmo.governance import calendar, ical, services
from pmo.governance.models import GateDefinition, LifecycleTemplate
from pmo.governance.tests.conftest import START
from pmo.portfolio.models import Project

WINDOW = {"start": "2026-01-01", "days": "731"}  # START's lifecycles, today in 2026

pytestmark = pytest.mark.usefixtures("in_2026")


def rows(page):
    """(date, code, gate, state) of each gate row, in page order."""
    return re.findall(
        r'data-code="(\w+)" data-gate="(\w+)" data-date="([\d-]+)" data-state="(\w+)"', page
    )


def test_weeks_and_days_group_the_entries_overdue_first():
    def entry(day, overdue=False):
        return calendar.CalendarEntry(
            project=Project(code="P"),
            gate=GateDefinition(code="G1"),
            due=day,
            planned=day,
            overdue=overdue,
            next=True,
            review=None,
        )

    entries = [
        entry(dt.date(2026, 2, 4), overdue=True),
        entry(dt.date(2026, 2, 4), overdue=True),
        entry(dt.date(2026, 12, 28)),  # Monday of ISO week 53
        entry(dt.date(2027, 1, 3)),  # its Sunday, in 2027
        entry(dt.date(2027, 1, 4)),  # week 1 of 2027
    ]
    weeks = calendar.calendar_weeks(entries)
    assert [(w.overdue, w.year, w.week, w.first, w.last, w.count) for w in weeks] == [
        (True, 0, 0, None, None, 2),
        (False, 2026, 53, dt.date(2026, 12, 28), dt.date(2027, 1, 3), 2),
        (False, 2027, 1, dt.date(2027, 1, 4), dt.date(2027, 1, 10), 1),
    ]
    assert [[(d.date, len(d.entries)) for d in w.days] for w in weeks][:2] == [
        [(dt.date(2026, 2, 4), 2)],
        [(dt.date(2026, 12, 28), 1), (dt.date(2027, 1, 3), 1)],
    ]


def test_the_page_shows_weeks_days_review_dates_and_states(client, users, governed):
    overdue, scheduled = governed(), governed()  # G1 of both due 2026-02-04: overdue
    review = services.request_review(
        actor=users["pm"], project=scheduled, scheduled_for=dt.date.today() + dt.timedelta(days=3)
    )
    requested = governed()
    services.request_review(actor=users["pm"], project=requested)
    client.force_login(users["exec"])
    page = client.get("/gate-calendar/", WINDOW).content.decode()
    shown = rows(page)
    review_day = review.scheduled_for.isoformat()
    assert (scheduled.code, "G1", review_day, "scheduled") in shown  # the forecast follows it
    assert (overdue.code, "G1", "2026-02-04", "not_requested") in shown
    assert (requested.code, "G1", "2026-02-04", "requested") in shown
    assert (overdue.code, "G2", "2026-03-21", "later") in shown
    link = f'/projects/{scheduled.code}/gate-reviews/{review.pk}/" data-testid="review-date">'
    assert f"{link}{review_day}</a>" in page
    # overdue first, the two overdue gates of one day under one date cell
    sections = re.findall(r'data-week="([\w-]+)"', page)
    assert sections[0] == "overdue" and sections[1:] == sorted(sections[1:])
    overdue_card = page.split('data-week="overdue"')[1].split("</section>")[0]
    assert overdue_card.count('rowspan="2"') == 1 and "Overdue" in overdue_card
    assert overdue_card.count('class="badge warn"') == 2
    card = page.split('data-week="2026-W12"')[1].split("</section>")[0]  # 21 March 2026
    assert '<h2>2026-W12 · <span class="nowrap">2026-03-16 – 2026-03-22</span>' in card
    assert "3 gates" in card  # the G2 of each project


def test_the_api_and_the_feed_carry_the_review_date(client, users, governed):
    project = governed()
    day = dt.date.today() + dt.timedelta(days=5)
    services.request_review(actor=users["pm"], project=project, scheduled_for=day)
    token = create_token(username="exec")
    body = client.get(
        "/api/v1/gate-calendar", WINDOW, headers={"Authorization": f"Bearer {token}"}
    ).json()
    by_gate = {e["gate"]: e for e in body["items"]}
    assert {g: (e["due"], e["review_date"], e["state"]) for g, e in by_gate.items()} == {
        "G1": (day.isoformat(), day.isoformat(), "scheduled"),  # the forecast follows it
        "G2": ("2026-03-21", None, "later"),
        "G3": ("2026-12-31", None, "later"),
    }
    entries = calendar.gate_calendar(users["exec"], START, START + dt.timedelta(days=731))
    with translation.override("en"):
        text = ical.gate_calendar_ics(entries, host="h", name="n")
    assert f"DESCRIPTION:planned 2026-02-04\\, forecast {day}\\; review on {day}" in text


def test_a_start_date_out_of_range_falls_back_to_today(client, users, governed):
    governed()
    client.force_login(users["exec"])
    response = client.get("/gate-calendar/", {"start": "9999-12-31", "days": "731"})
    assert response.status_code == 200  # year 9999 + 731 days overflowed: a 500
    assert f'name="start" value="{dt.date.today().isoformat()}"' in response.content.decode()


def test_the_template_page_names_each_phase_once(client, users, generic):
    client.force_login(users["admin"])
    for language, idea in (("en", "Idea"), ("zh-hans", "构想")):
        client.cookies["pmo_language"] = language
        page = client.get(f"/lifecycle-templates/{generic.pk}/").content.decode()
        card = page.split('data-phase="idea"')[1].split("</section>")[0]
        assert card.count(idea) == 1, card  # was "Idea · Idea" / "构想 · 构想"
        assert 'class="category"' not in card
    client.cookies["pmo_language"] = "en"
    rnd = LifecycleTemplate.objects.get(code="rnd")
    page = client.get(f"/lifecycle-templates/{rnd.pk}/").content.decode()
    card = page.split('data-phase="concept"')[1].split("</section>")[0]
    assert "<strong>Concept</strong>" in card  # a phase named otherwise says what it counts as
    assert '<span class="category" title="Status-center phase">Idea</span>' in card
    assert "30 days expected" in card
