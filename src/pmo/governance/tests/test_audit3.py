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
from pmo.governance import ended, reviews, services, steering, steering_agenda
from pmo.governance.models import AgendaItem, ProjectGate
from pmo.governance.reviews import AgendaKind
from pmo.governance.tests.conftest import START, pass_gate, tick_all
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
    # then each week is labelled as the one-page board and the heat map label it (ISO week
    # with its ISO year), then its Monday to Sunday
    weeks = [h for h in _headings(page) if "-W" in h]
    assert weeks == [
        "2026-W53 · 2026-12-28 – 2027-01-03",
        "2027-W01 · 2027-01-04 – 2027-01-10",
    ]
    # and the same label in Chinese
    zh = client.get(
        "/gate-calendar/", {"start": "2026-12-28", "days": "14"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "阶段门日历" in zh
    assert [h for h in _headings(zh) if "-W" in h] == weeks


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
    assert 'data-testid="agenda-ended"' in page and 'id="regenerate-ended"' in page
    assert "1 line is about a project cancelled or closed after the agenda was drawn up" in page
    assert f'data-code="AGC1" data-ended="{TODAY:%Y-%m-%d}" data-ended-as="cancelled"' in page
    held_page = client.get(f"/steering-meetings/{held.pk}/").content.decode()
    assert 'data-testid="agenda-ended"' not in held_page
    # the API says it too
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(username='admin')}"}
    agenda = client.get(f"/api/v1/steering-meetings/{planned.pk}", **auth).json()["agenda"]
    mine = [a for a in agenda if a["project"] == "AGC1" and a["kind"] == "gate"]
    assert mine[0]["project_cancelled_on"] == f"{TODAY:%Y-%m-%d}"
    assert (mine[0]["project_ended_on"], mine[0]["project_ended_as"]) == (
        f"{TODAY:%Y-%m-%d}",
        "cancelled",
    )
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


def _close_by_hand(users: Any, project: Any) -> None:
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"],
        project=project,
        data={"state": ProjectState.CLOSED},
        version=project.version,
    )


def test_closing_by_hand_marks_the_lines_but_the_closure_gate_and_conditions(
    client, users, governed
):
    # given a project at its first gate, red for two periods, with an overdue condition, and
    # a project whose next gate is its closure gate, all on a planned agenda
    early = governed(code="AGX1")
    services.request_review(actor=users["pm"], project=early)
    late = governed(code="AGX2")
    pass_gate(users, late, START)
    pass_gate(users, late, START)
    planned = _meeting(users, TODAY + dt.timedelta(days=3))
    red = AgendaItem.objects.create(
        meeting=planned, order=90, kind=AgendaKind.RED, project=early, title=""
    )
    condition = AgendaItem.objects.create(
        meeting=planned, order=91, kind=AgendaKind.CONDITION, project=early, title="Fix it"
    )
    escalated = AgendaItem.objects.create(
        meeting=planned, order=92, kind=AgendaKind.ESCALATED, project=early, title="Vendor"
    )
    # when the PMO closes both by hand
    _close_by_hand(users, early)
    _close_by_hand(users, late)
    # then the early project's gate and red lines say it was closed and ask for nothing
    line = _gate_line(planned, early)
    assert (line.project_ended_on, line.project_ended_as) == (TODAY, "closed")
    assert line.label == f"Gate G1 Approve · project closed on {TODAY:%Y-%m-%d}"
    assert line.project_cancelled_on is None  # the first version's field is for cancellations
    red.refresh_from_db()
    assert red.label == f"Red for two or more periods · project closed on {TODAY:%Y-%m-%d}"
    # its escalated issue is marked too: a regenerated agenda would leave it out
    escalated.refresh_from_db()
    assert (escalated.project_ended_on, escalated.project_ended_as) == (TODAY, "closed")
    # its overdue condition is still owed, and the closure gate may still be passed
    condition.refresh_from_db()
    assert condition.project_ended_on is None
    closure = _gate_line(planned, late)
    assert (closure.gate.code, closure.project_ended_on) == ("G3", None)
    # one rule: the lines left unmarked are the lines a regenerated agenda keeps
    lines = list(AgendaItem.objects.filter(meeting=planned, project__in=[early, late]))
    assert {i.pk for i in ended.still_on_agenda(lines)} == {
        i.pk for i in lines if i.project_ended_on is None
    }
    # the page counts the closed project's two lines, in Chinese too
    client.force_login(users["admin"])
    page = client.get(f"/steering-meetings/{planned.pk}/").content.decode()
    assert "3 lines are about projects cancelled or closed after the agenda was drawn up" in page
    assert f'data-code="AGX1" data-ended="{TODAY:%Y-%m-%d}" data-ended-as="closed"' in page
    zh = client.get(f"/steering-meetings/{planned.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"项目已于 {TODAY:%Y-%m-%d} 关闭" in zh.content.decode()
    # regenerating keeps the closure gate and the condition, and drops the rest of AGX1
    client.post(f"/steering-meetings/{planned.pk}/", {"action": "agenda"})
    kinds = set(AgendaItem.objects.filter(meeting=planned).values_list("project__code", "kind"))
    assert ("AGX2", AgendaKind.GATE) in kinds
    assert ("AGX1", AgendaKind.GATE) not in kinds and ("AGX1", AgendaKind.RED) not in kinds


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

    monkeypatch.setattr(steering_agenda, "AGENDA_SOURCES", [source])
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
    assert '<td class="topic">Change request</td>' in page


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
    AgendaItem.objects.update(project_ended_on=None, project_ended_as="")
    old_apps = _migrate(BEFORE)
    try:
        Item = old_apps.get_model("governance", "AgendaItem")
        Item.objects.create(
            meeting_id=planned.pk, order=99, kind="other", ref="change_request:7", title="x"
        )
        # when migrating forward
        Then = _migrate(AFTER).get_model("governance", "AgendaItem")
        # then the change request is of its kind, and only the planned meeting's line is marked
        assert Then.objects.get(order=99, meeting_id=planned.pk).kind == "change_request"

        def marked(meeting: Any) -> Any:
            line = Then.objects.get(meeting_id=meeting.pk, project_id=gone.pk, kind="gate")
            return line.project_cancelled_on

        assert (marked(planned), marked(held)) == (TODAY, None)
        # and the next migration says the marked line's project was cancelled
        _migrate()
        line = _gate_line(planned, gone)
        assert (line.project_ended_on, line.project_ended_as) == (TODAY, "cancelled")
        assert line.project_cancelled_on == TODAY
        assert _gate_line(held, gone).project_ended_on is None
        # and backwards the change request is "other" again
        _migrate(BEFORE)
        # (found by its reference: 0010 renumbered the planned agenda section by section)
        assert Item.objects.get(ref="change_request:7", meeting_id=planned.pk).kind == "other"
    finally:
        _migrate()
