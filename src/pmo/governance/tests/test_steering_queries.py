"""The steering meeting page and API cost the same number of queries for 2 or 12 gate lines."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from pmo.accounts.services import create_token
from pmo.governance import services, steering
from pmo.governance.models import AgendaItem
from pmo.governance.tests.conftest import pass_gate

MEETING_DAY = dt.date(2026, 3, 1)  # every G1 (forecast 2026-02-04) is overdue by then


def _meeting_with_gate_lines(users, governed, count):
    """A meeting whose agenda has ``count`` gate lines: one in two was decided since (Go),
    one in four has an open review."""
    projects = [governed(code=f"Q{count:02d}{i:02d}") for i in range(count)]
    for i, project in enumerate(projects):
        if i % 4 == 1:
            services.request_review(actor=users["pm"], project=project)
    meeting = steering.create_meeting(
        actor=users["admin"], data={"title": "SC", "date": MEETING_DAY, "window_days": 30}
    )
    for i, project in enumerate(projects):
        if i % 2 == 0:
            pass_gate(users, project, on=dt.date(2026, 2, 10))
    assert meeting.agenda.filter(kind="gate").count() >= count  # other tests' projects too
    return meeting


def _page_queries(client, users, meeting):
    client.force_login(users["member"])
    client.get(f"/steering-meetings/{meeting.pk}/")  # sessions and caches warm
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/steering-meetings/{meeting.pk}/")
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_the_meeting_page_costs_the_same_for_few_and_many_gate_lines(client, users, governed):
    # given two meetings, one with 2 gate lines and one with 12
    small = _meeting_with_gate_lines(users, governed, 2)
    large = _meeting_with_gate_lines(users, governed, 12)
    # when each page is read
    few, _ = _page_queries(client, users, small)
    many, page = _page_queries(client, users, large)
    # then the number of queries does not grow with the lines
    assert many == few, (few, many)
    # and the lines still say what happened since the agenda was drawn up
    assert page.count("decided: Go") == 6
    # Q1201, Q1205, Q1209 and the small meeting's Q0201 (its Q0200 is due for G2 now)
    assert page.count("review requested") == 4


def test_the_meeting_page_runs_a_fixed_small_number_of_queries(client, users, governed):
    meeting = _meeting_with_gate_lines(users, governed, 5)
    count, _ = _page_queries(client, users, meeting)
    # session, user, unread notifications (top bar), meeting, the agenda's keys, the lines
    # shown, the gate lines' latest reviews with their decisions, outcomes
    assert count <= 9, count


def test_a_long_agenda_shows_the_first_lines_of_each_topic(client, users, governed, monkeypatch):
    from pmo.governance import steering_views as views

    meeting = _meeting_with_gate_lines(users, governed, 5)
    lines = list(meeting.agenda.values_list("kind", flat=True))
    gates = lines.count("gate")
    monkeypatch.setattr(views, "AGENDA_PER_TOPIC", 3)
    _, page = _page_queries(client, users, meeting)
    assert page.count('data-kind="gate"') == 3
    assert f"and {gates - 3} more lines of “Gate due”" in page
    assert f"{len(lines)} lines: the first of each topic are shown." in page
    # the lines keep their number in the whole agenda
    seen: dict[str, int] = {}
    expected = []
    for number, kind in enumerate(lines, start=1):
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= 3:
            expected.append(number)
    assert [
        int(n) for n in re.findall(r'<tr data-kind="\w+"[^>]*><td class="num">(\d+)</td>', page)
    ] == expected
    whole = client.get(f"/steering-meetings/{meeting.pk}/?all=1").content.decode()
    assert whole.count('data-kind="gate"') == gates
    assert "more lines of" not in whole


def test_the_meeting_api_costs_the_same_for_few_and_many_gate_lines(client, users, governed):
    headers = {"Authorization": f"Bearer {create_token(username='member')}"}
    counts = []
    for meeting in (
        _meeting_with_gate_lines(users, governed, 2),
        _meeting_with_gate_lines(users, governed, 12),
    ):
        url = f"/api/v1/steering-meetings/{meeting.pk}"
        client.get(url, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, headers=headers).json()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    titles = [line["title"] for line in body["agenda"] if line["kind"] == "gate"]
    assert sum("decided: Go" in t for t in titles) == 6


def test_a_line_read_on_its_own_still_finds_the_decision_since(users, governed):
    # the model's label works without the selector (e.g. in the admin or a shell)
    meeting = _meeting_with_gate_lines(users, governed, 1)
    line = AgendaItem.objects.get(meeting=meeting, kind="gate")
    assert line.label == "Gate G1 Approve · decided: Go"
