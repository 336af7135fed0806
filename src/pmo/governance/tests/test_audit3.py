"""Third UX audit of governance (fifteenth session): week headings with their year, steering
agendas that follow a cancellation, the meeting API's fields and change-request lines, and
the lifecycle panel of a stopped project."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pmo.accounts.services import create_token
from pmo.governance import reviews, services, steering
from pmo.governance.models import AgendaItem, ProjectGate
from pmo.governance.reviews import AgendaKind
from pmo.governance.tests.conftest import START, tick_all
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project, ProjectState

TODAY = dt.date.today()


def _headings(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(
            r'class="card gate-week"[^>]*>\s*<h2>(.*?) <span class="muted count', page
        )
    ]


def test_week_headings_carry_their_iso_year_across_the_new_year(client, users, governed):
    # given gates forecast in ISO week 53 of 2026 and week 1 of 2027
    late, early = governed(), governed()
    ProjectGate.objects.filter(lifecycle__project=late, gate__code="G2").update(
        forecast=dt.date(2026, 12, 30)
    )
    ProjectGate.objects.filter(lifecycle__project=early, gate__code="G2").update(
        forecast=dt.date(2027, 1, 5)
    )
    client.force_login(users["exec"])
    # when the calendar shows the turn of the year
    page = client.get("/gate-calendar/", {"start": "2026-12-28", "days": "14"}).content.decode()
    # then each week says which year its number counts in
    weeks = [h for h in _headings(page) if h.startswith("Week")]
    assert weeks == [
        "Week 53, 2026 · 2026-12-28 – 2027-01-03",
        "Week 1, 2027 · 2027-01-04 – 2027-01-10",
    ]
    zh = client.get(
        "/gate-calendar/", {"start": "2026-12-28", "days": "14"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    week_one = next(h for h in _headings(zh.content.decode()) if "2027-01-04 – " in h)
    assert week_one.count("2027") == 3  # the year and both dates


def _meeting(users: Any, day: dt.date, title: str = "SC") -> Any:
    return steering.create_meeting(
        actor=users["admin"], data={"title": title, "date": day, "window_days": 30}
    )


def _gate_line(meeting: Any, project: Any) -> AgendaItem:
    return AgendaItem.objects.get(meeting=meeting, project=project, kind=AgendaKind.GATE)


def _cancel_by_hand(users: Any, project: Any) -> None:
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"],
        project=project,
        data={"state": ProjectState.CANCELLED},
        version=project.version,
    )


def test_cancelling_by_hand_marks_the_lines_of_meetings_not_held_yet(client, users, governed):
    # given a project whose gate review is requested, on a held and on a planned agenda
    project = governed(code="AGC1")
    other = governed(code="AGC2")
    services.request_review(actor=users["pm"], project=project)
    held = _meeting(users, TODAY - dt.timedelta(days=7), "Held")
    planned = _meeting(users, TODAY + dt.timedelta(days=7), "Planned")
    assert _gate_line(planned, project).label.endswith("review requested")
    # when the PMO cancels the project by hand (its review is withdrawn)
    _cancel_by_hand(users, project)
    # then the planned meeting's line says so and no longer asks for a decision
    line = _gate_line(planned, project)
    assert line.project_cancelled_on == TODAY
    assert line.label == f"Gate G1 Approve · project cancelled on {TODAY:%Y-%m-%d}"
    assert _gate_line(planned, other).project_cancelled_on is None
    # and the held meeting's agenda is as it was (the minutes refer to it)
    assert _gate_line(held, project).project_cancelled_on is None
    assert _gate_line(held, project).label.endswith("review requested")
    # the meeting page says which lines are moot and offers to regenerate without them
    client.force_login(users["admin"])
    page = client.get(f"/steering-meetings/{planned.pk}/").content.decode()
    assert 'data-testid="agenda-cancelled"' in page and 'id="regenerate-cancelled"' in page
    assert "1 line is about a project cancelled after the agenda was drawn up" in page
    assert f'data-code="AGC1" data-cancelled="{TODAY:%Y-%m-%d}"' in page
    held_page = client.get(f"/steering-meetings/{held.pk}/").content.decode()
    assert 'data-testid="agenda-cancelled"' not in held_page
    # the API says it too
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(username='admin')}"}
    agenda = client.get(f"/api/v1/steering-meetings/{planned.pk}", **auth).json()["agenda"]
    mine = [a for a in agenda if a["project"] == "AGC1" and a["kind"] == "gate"]
    assert mine[0]["project_cancelled_on"] == f"{TODAY:%Y-%m-%d}"
    assert "review requested" not in mine[0]["title"]
    # regenerating leaves the cancelled project out
    client.post(f"/steering-meetings/{planned.pk}/", {"action": "agenda"})
    assert not AgendaItem.objects.filter(meeting=planned, project=project).exists()
    assert AgendaItem.objects.filter(meeting=planned, project=other).exists()


def test_a_stop_decision_marks_the_lines_and_the_line_says_the_decision(users, governed):
    project = governed(code="AGS1")
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    planned = _meeting(users, TODAY + dt.timedelta(days=3))
    services.decide_gate(actor=users["exec"], review=review, outcome="stop", rationale="market")
    line = _gate_line(planned, project)
    assert line.project_cancelled_on == TODAY
    assert line.label == "Gate G1 Approve · decided: Stop"  # the decision says it all


def test_closing_a_project_leaves_its_agenda_lines_alone(users, governed):
    project = governed(code="AGX1")
    planned = _meeting(users, TODAY + dt.timedelta(days=3))
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"],
        project=project,
        data={"state": ProjectState.CLOSED},
        version=project.version,
    )
    assert _gate_line(planned, project).project_cancelled_on is None


def test_the_meeting_api_reads_like_the_list_and_numbers_lines_as_the_page(
    client, users, governed, monkeypatch
):
    # given a change request line (as the change-control app contributes it) whose app
    # gives the request's code
    governed(code="API1")
    project = governed(code="API2")

    def source(date: dt.date, window: int) -> list[AgendaItem]:
        return [
            AgendaItem(
                kind=AgendaKind.OTHER, project=project, title="stored", ref="change_request:5"
            )
        ]

    monkeypatch.setattr(steering, "AGENDA_SOURCES", [source])
    monkeypatch.setitem(reviews.AGENDA_LABELS, "change_request", lambda keys: {"5": "CR text"})
    monkeypatch.setitem(reviews.AGENDA_CODES, "change_request", lambda keys: {"5": "CR-00005"})
    meeting = _meeting(users, TODAY + dt.timedelta(days=3))
    steering.update_meeting(
        actor=users["admin"], meeting=meeting, data={"minutes": "Agreed."}, version=1
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(username='admin')}"}
    # when the meeting is read alone and in the list
    one = client.get(f"/api/v1/steering-meetings/{meeting.pk}", **auth).json()
    listed = client.get("/api/v1/steering-meetings", **auth).json()["items"]
    summary = next(m for m in listed if m["id"] == meeting.pk)
    # then it carries the list's state and has_minutes
    assert (one["state"], one["has_minutes"]) == ("planned", True)
    assert (summary["state"], summary["has_minutes"]) == ("planned", True)
    # lines keep their 0-based order and carry the page's 1-based number
    assert [(a["order"], a["number"]) for a in one["agenda"]] == [
        (i, i + 1) for i in range(len(one["agenda"]))
    ]
    # and the change request's line is of its own kind, with its code and reference
    cr = one["agenda"][-1]
    assert (cr["kind"], cr["code"], cr["ref"], cr["title"]) == (
        "change_request",
        "CR-00005",
        "change_request:5",
        "CR text",
    )
    assert summary["agenda_by_kind"]["change_request"] == 1
    assert summary["agenda_by_kind"]["other"] == 0
    gate = one["agenda"][0]
    assert (gate["kind"], gate["code"], gate["ref"]) == ("gate", None, "")
    # the page lists it under its own topic
    client.force_login(users["admin"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    assert '<tr data-kind="change_request" data-code="API2">' in page
    assert "<td>Change request</td>" in page


def test_the_lifecycle_panel_of_a_stopped_project_says_where_it_stopped(client, users, governed):
    # given a project stopped by a decision at its first gate
    stopped = governed(code="LPS1")
    review = tick_all(users, services.request_review(actor=users["pm"], project=stopped))
    services.decide_gate(
        actor=users["exec"], review=review, outcome="stop", rationale="No market left"
    )
    client.force_login(users["admin"])
    for url in ("/projects/LPS1/", "/projects/LPS1/lifecycle/"):
        page = client.get(url).content.decode()
        panel = page.split('id="lifecycle-stopped"')[1].split("</table>")[0]
        # then it says where, when and why, and runs no counter
        assert f"Stopped at gate G1 on {TODAY:%Y-%m-%d}" in panel, url
        assert '<span data-testid="stop-rationale">No market left</span>' in panel
        assert "▶" not in panel and "■ Idea" in panel
        assert f"{(TODAY - START).days} days, then stopped" in panel
        # and the gates after the stop do not apply: no forecast, no expected days
        assert panel.count("not applicable") == 6  # 3 later phases: forecast and days
        assert "days expected" not in panel
        assert 'data-testid="stopped-gate"' in panel
    # a project cancelled by hand says so
    governed(code="LPS2")
    _cancel_by_hand(users, Project.objects.get(code="LPS2"))
    page = client.get("/projects/LPS2/").content.decode()
    assert f"Stopped at gate G1 on {TODAY:%Y-%m-%d}" in page
    assert "cancelled by hand, without a gate decision" in page
    # a running project shows its counter as before
    governed(code="LPS3")
    page = client.get("/projects/LPS3/").content.decode()
    assert "▶ Idea" in page and 'id="lifecycle-stopped"' not in page
    assert "not applicable" not in page


BEFORE = [("governance", "0007_cancel_stopped_projects")]
AFTER = [("governance", "0008_agenda_cancelled_and_change_requests")]


def _migrate(targets: Any = None) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_change_requests_their_kind_and_marks_cancelled_lines(users, governed):
    # given agendas as they were written before: a change request line of kind "other" and
    # a gate line of a project cancelled by hand, in a planned and in a held meeting
    gone = governed(code="MIG1")
    planned = _meeting(users, TODAY + dt.timedelta(days=5), "Planned")
    held = _meeting(users, TODAY - dt.timedelta(days=5), "Held")
    _cancel_by_hand(users, gone)
    AgendaItem.objects.update(project_cancelled_on=None)
    old_apps = _migrate(BEFORE)
    try:
        Item = old_apps.get_model("governance", "AgendaItem")
        Item.objects.create(
            meeting_id=planned.pk, order=99, kind="other", ref="change_request:7", title="x"
        )
        # when migrating forward
        _migrate(AFTER)
        # then the change request is of its kind, and only the planned meeting's line is marked
        assert AgendaItem.objects.get(order=99, meeting=planned).kind == "change_request"
        assert _gate_line(planned, gone).project_cancelled_on == TODAY
        assert _gate_line(held, gone).project_cancelled_on is None
        # and backwards the change request is "other" again
        _migrate(BEFORE)
        assert Item.objects.get(order=99, meeting_id=planned.pk).kind == "other"
    finally:
        _migrate()
