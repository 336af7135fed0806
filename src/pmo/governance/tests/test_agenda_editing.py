"""A PMO head's week with the steering agenda (ADR 0002, "Editing an agenda"): decisions asked
in status reports become lines, the agenda reads in sections, the PMO removes, moves and adds
lines (web and API, version-checked), gate lines lead to their review, and every meeting edit
is confirmed."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from pmo.governance import reviews, services, steering, steering_edit
from pmo.governance.ended import ProjectEndedError
from pmo.governance.models import AgendaItem, SteeringMeeting
from pmo.governance.reviews import AgendaKind
from pmo.governance.tests.conftest import pass_gate, tick_all
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import ProjectState, StatusReport
from pmo.portfolio.periods import period_of

TODAY = dt.date.today()
LAST_WEEK = TODAY - dt.timedelta(days=7)
STARTED = TODAY - dt.timedelta(days=60)
FINISH = TODAY + dt.timedelta(days=400)


@pytest.fixture
def governed(users: Any, make_project: Any, generic: Any) -> Any:
    """The conftest's factory with dates kept around today, whatever the day: started 60 days
    ago (G1, 30 days in, is overdue) and finishing in 400 days, so a passed G1's next gate
    falls after every window here. The conftest's fixed dates (start 2026-01-05, finish
    2026-12-31) put that gate on 2026-12-31, a line of its own from mid-December 2026 on."""

    def make(**fields: Any) -> Any:
        dates = {"start_date": STARTED, "planned_finish": FINISH, "baseline_finish": FINISH}
        project = make_project(**{**dates, "forecast_finish": FINISH, **fields})
        services.start_lifecycle(
            actor=users["admin"], project=project, template=generic, started_on=STARTED
        )
        project.refresh_from_db()
        return project

    return make


def _report(users: Any, project: Any, day: dt.date, overall: int = 1, **fields: Any) -> Any:
    data = {
        "overall": overall,
        "overall_reason": "" if overall == 1 else "slipping",
        **{d: 1 for d in ("schedule", "cost", "scope", "resources", "quality")},
        "summary": "s",
        **fields,
    }
    return portfolio_services.create_status_report(
        actor=users["admin"],
        project=project,
        period=period_of(day, project.cadence).key,
        data=data,
        today=TODAY,
    )


def _meeting(users: Any, day: dt.date | None = None, window: int = 14) -> SteeringMeeting:
    return steering.create_meeting(
        actor=users["admin"],
        data={
            "title": "SteerCo",
            "date": day or TODAY + dt.timedelta(days=3),
            "window_days": window,
        },
    )


def _lines(meeting: SteeringMeeting) -> list[tuple[int, str, str, str]]:
    """(order, section, kind, project code) of every line, in order."""
    return [
        (line.order, line.section, line.kind, line.project.code if line.project else "")
        for line in meeting.agenda.select_related("project").order_by("order")
    ]


def _api(client: Any, user: str, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(
        url,
        json.dumps(body, default=str) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {create_token(username=user)}",
    )


def _cancel(users: Any, project: Any) -> None:
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"],
        project=project,
        data={"state": ProjectState.CANCELLED},
        version=project.version,
    )


# --- 1. decisions asked in status reports -----------------------------------------------------


def test_decisions_asked_in_the_latest_report_of_the_window_become_lines(
    client, users, make_project
):
    # given reports asking for a decision, settled since, too old, and of an ended project
    asks = make_project(code="ASK1")
    report = _report(
        users, asks, LAST_WEEK, help_needed="Approve two more testers", decision_needed=True
    )
    only_box = make_project(code="ASK2")
    _report(users, only_box, LAST_WEEK, decision_needed=True)
    settled = make_project(code="ASK3")
    _report(users, settled, TODAY - dt.timedelta(days=14), help_needed="Budget +10 %")
    _report(users, settled, LAST_WEEK)  # the next report asks for nothing: settled
    old = make_project(code="ASK4")
    _report(users, old, TODAY - dt.timedelta(days=42), help_needed="Long ago")
    gone = make_project(code="ASK5")
    _report(users, gone, LAST_WEEK, help_needed="Stop or go?")
    _cancel(users, gone)
    # when a meeting is planned
    meeting = _meeting(users)
    lines = {line.project.code: line for line in meeting.agenda.filter(kind="report_decision")}
    # then the running projects' latest reports of the window ask for the decisions
    assert sorted(lines) == ["ASK1", "ASK2"]
    line = lines["ASK1"]
    period = period_of(LAST_WEEK, "weekly").key
    assert (line.section, line.title, line.ref, line.report_id) == (
        "decide",
        "Approve two more testers",
        f"status_report:{report.pk}",
        report.pk,
    )
    assert line.label == f"Approve two more testers (status report {period})"
    assert lines["ASK2"].label == f"A decision is needed (status report {period})"
    # and the page links the line to the report
    client.force_login(users["member"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    assert (
        f'<a href="/projects/ASK1/reports/{report.pk}/" data-testid="line-link">'
        f"Approve two more testers (status report {period})</a>"
    ) in page
    assert '<td class="topic">Decision asked in a status report</td>' in page
    # a meeting planned further ahead than its window still reads the latest reports
    later = _meeting(users, TODAY + dt.timedelta(days=60), window=14)
    assert later.agenda.filter(kind="report_decision").count() == 2


def test_a_decision_line_of_a_project_that_ends_is_marked_and_left_out_on_regeneration(
    users, make_project
):
    # given a drawn-up agenda with a decision asked by a running project
    project = make_project(code="ASK6")
    _report(users, project, LAST_WEEK, help_needed="Extend the contract")
    meeting = _meeting(users)
    assert meeting.agenda.filter(kind="report_decision").count() == 1
    # when the project is cancelled: the line says so (kept_on_agenda's default for its kind)
    _cancel(users, project)
    line = meeting.agenda.get(kind="report_decision")
    assert (line.project_ended_on, line.project_ended_as) == (TODAY, "cancelled")
    # and drawn up again, the agenda leaves it out
    steering.regenerate_agenda(actor=users["admin"], meeting=meeting)
    assert not meeting.agenda.filter(kind="report_decision").exists()


# --- 2. sections ------------------------------------------------------------------------------


def _week_of_lines(users: Any, governed: Any, make_project: Any) -> SteeringMeeting:
    """A meeting with a line of every section: a gate due, a decision asked and an escalated
    issue (to decide), a red project and an overdue condition (to watch), a gate decided (for
    information)."""
    due = governed(code="SEC1")  # its G1 is overdue
    portfolio_services.create_raid_item(
        actor=users["admin"],
        project=due,
        kind="issues",
        data={"title": "Vendor insolvent", "severity": 4, "escalation": 3},
    )
    decided = governed(code="SEC2")
    review = tick_all(users, services.request_review(actor=users["pm"], project=decided))
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="go_conditions",
        conditions=[
            {
                "text": "Hire an architect",
                "owner_id": users["pm"].person.pk,
                "due_date": TODAY - dt.timedelta(days=2),
            }
        ],
        decided_on=TODAY - dt.timedelta(days=5),
    )
    red = make_project(code="SEC3")
    _report(users, red, TODAY - dt.timedelta(days=14), overall=3)
    _report(users, red, LAST_WEEK, overall=3, help_needed="Re-plan the release")
    return _meeting(users)


def test_the_agenda_reads_in_sections_with_stable_numbers(client, users, governed, make_project):
    meeting = _week_of_lines(users, governed, make_project)
    # the lines are stored section by section, numbered through the whole agenda
    assert [(section, kind) for _o, section, kind, _c in _lines(meeting)] == [
        ("decide", "gate"),
        ("decide", "report_decision"),
        ("decide", "escalated"),
        ("watch", "red"),
        ("watch", "condition"),
        ("info", "decided"),
    ]
    # the page shows the sections in order, "for information" folded with its count
    client.force_login(users["exec"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    headings = re.findall(
        r'data-section="(\w+)"><(?:summary><)?h3>([^<]+) <span class="count">([^<]+)<', page
    )
    assert headings == [
        ("decide", "To decide", "3 lines"),
        ("watch", "To watch", "2 lines"),
        ("info", "For information", "1 line"),
    ]
    assert '<details class="agenda-section" data-section="info">' in page  # not open
    numbers = [
        int(n) for n in re.findall(r'<tr data-kind="\w+"[^>]*><td class="num">(\d+)</td>', page)
    ]
    assert numbers == [1, 2, 3, 4, 5, 6]
    # a reader who is not the PMO gets no editing controls
    assert 'name="line"' not in page and 'id="add-line"' not in page
    # the API says the same: order from 0, number from 1, the section of each line
    body = _api(client, "exec", "get", f"/api/v1/steering-meetings/{meeting.pk}").json()
    assert [(a["order"], a["number"], a["section"]) for a in body["agenda"]] == [
        (0, 1, "decide"),
        (1, 2, "decide"),
        (2, 3, "decide"),
        (3, 4, "watch"),
        (4, 5, "watch"),
        (5, 6, "info"),
    ]
    listed = _api(client, "exec", "get", "/api/v1/steering-meetings").json()["items"][0]
    assert listed["agenda_by_kind"]["report_decision"] == 1


# --- 3. editing -------------------------------------------------------------------------------


def test_the_pmo_removes_moves_and_adds_lines_and_regeneration_keeps_the_added_ones(
    users, governed, make_project
):
    meeting = _week_of_lines(users, governed, make_project)
    lines = list(meeting.agenda.order_by("order"))
    gate_sec1, asked, escalated = lines[0], lines[1], lines[2]
    # remove the first gate line: the others move up one place
    meeting = steering_edit.remove_agenda_line(
        actor=users["member"], meeting=meeting, line_id=gate_sec1.pk, version=1
    )
    assert meeting.version == 2
    assert [c for _o, _s, _k, c in _lines(meeting)] == ["SEC3", "SEC1", "SEC3", "SEC2", "SEC2"]
    # move the escalated issue above the decision asked
    meeting = steering_edit.move_agenda_line(
        actor=users["member"], meeting=meeting, line_id=escalated.pk, order=0, version=2
    )
    assert [(o, k) for o, _s, k, _c in _lines(meeting)][:2] == [
        (0, "escalated"),
        (1, "report_decision"),
    ]
    # add a line by hand to "to watch" and one without a project to "to decide"
    steering_edit.add_agenda_line(
        actor=users["member"],
        meeting=meeting,
        title="Vendor audit findings",
        project="SEC1",
        section="watch",
        version=3,
    )
    line = steering_edit.add_agenda_line(
        actor=users["member"], meeting=meeting, title="  Budget 2027  ", version=4
    )
    assert (line.kind, line.by_hand, line.title, line.order, line.label) == (
        "other",
        True,
        "Budget 2027",
        2,
        "Budget 2027",
    )
    assert [(s, k, c) for _o, s, k, c in _lines(meeting)] == [
        ("decide", "escalated", "SEC1"),
        ("decide", "report_decision", "SEC3"),
        ("decide", "other", ""),
        ("watch", "red", "SEC3"),
        ("watch", "condition", "SEC2"),
        ("watch", "other", "SEC1"),
        ("info", "decided", "SEC2"),
    ]
    assert SteeringMeeting.objects.get(pk=meeting.pk).version == 5
    # every edit is in the meeting's history
    actions = list(
        AuditEvent.objects.filter(
            scope=f"meeting:{meeting.pk}", object_type="governance.agendaitem"
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["delete", "update", "create", "create"]
    # regenerating brings back the removed line and the generated order, keeps the hand lines
    steering.regenerate_agenda(actor=users["admin"], meeting=meeting)
    assert [(s, k, c) for _o, s, k, c in _lines(meeting)] == [
        ("decide", "gate", "SEC1"),
        ("decide", "report_decision", "SEC3"),
        ("decide", "escalated", "SEC1"),
        ("decide", "other", ""),
        ("watch", "red", "SEC3"),
        ("watch", "condition", "SEC2"),
        ("watch", "other", "SEC1"),
        ("info", "decided", "SEC2"),
    ]
    assert SteeringMeeting.objects.get(pk=meeting.pk).version == 6
    assert asked.pk not in meeting.agenda.values_list("pk", flat=True)  # drawn anew
    # a hand line about a project that has ended since is left out, as every other line
    _cancel(users, _project("SEC1"))
    steering.regenerate_agenda(actor=users["admin"], meeting=meeting)
    assert [(k, c) for _o, _s, k, c in _lines(meeting) if k == "other"] == [("other", "")]


def _project(code: str) -> Any:
    from pmo.portfolio.models import Project

    return Project.objects.get(code=code)


def test_agenda_edits_are_refused_with_the_field_named(users, governed, make_project):
    meeting = _week_of_lines(users, governed, make_project)
    red = meeting.agenda.get(kind="red")
    # a line stays in its section
    with pytest.raises(ValidationFailed) as refused:
        steering_edit.move_agenda_line(
            actor=users["admin"], meeting=meeting, line_id=red.pk, order=0, version=1
        )
    assert refused.value.errors == [
        {"field": "order", "message": "between 3 and 4: a line stays in its section (to watch)"}
    ]
    assert refused.value.message.startswith("Place: between 3 and 4")
    # a hand line needs a title; a project must exist; a section must be one of three
    with pytest.raises(ValidationFailed) as refused:
        steering_edit.add_agenda_line(
            actor=users["admin"],
            meeting=meeting,
            title=" ",
            project="NOPE",
            section="later",
            version=1,
        )
    assert [e["field"] for e in refused.value.errors] == ["title", "section", "project"]
    # an ended project takes no new line
    _cancel(users, _project("SEC1"))
    with pytest.raises(ProjectEndedError) as ended:
        steering_edit.add_agenda_line(
            actor=users["admin"], meeting=meeting, title="x", project="SEC1", version=1
        )
    assert ended.value.errors[0]["field"] == "project"
    # a stale version, a PM, a held meeting
    meeting.refresh_from_db()
    with pytest.raises(ConflictError, match="changed by someone else"):
        steering_edit.remove_agenda_line(
            actor=users["admin"], meeting=meeting, line_id=red.pk, version=meeting.version - 1
        )
    with pytest.raises(PermissionDeniedError):
        steering_edit.remove_agenda_line(
            actor=users["pm"], meeting=meeting, line_id=red.pk, version=meeting.version
        )
    held = _meeting(users, TODAY - dt.timedelta(days=1))
    with pytest.raises(ConflictError, match="is held: its agenda stays as it was"):
        steering_edit.add_agenda_line(actor=users["admin"], meeting=held, title="x", version=1)
    assert meeting.agenda.count() == 6


def test_the_api_edits_an_agenda_and_names_the_field_of_bad_input(
    client, users, governed, make_project
):
    meeting = _week_of_lines(users, governed, make_project)
    url = f"/api/v1/steering-meetings/{meeting.pk}/agenda/lines"
    red = meeting.agenda.get(kind="red")
    # add, move, remove: each returns the meeting, renumbered, with its new version
    added = _api(
        client, "member", "post", url, {"version": 1, "title": "Budget 2027", "section": "info"}
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["version"] == 2
    hand = body["agenda"][-1]
    assert (hand["kind"], hand["section"], hand["by_hand"], hand["title"], hand["number"]) == (
        "other",
        "info",
        True,
        "Budget 2027",
        7,
    )
    moved = _api(client, "member", "patch", f"{url}/{red.pk}", {"version": 2, "order": 4})
    assert moved.status_code == 200, moved.content
    assert [a["kind"] for a in moved.json()["agenda"]][3:5] == ["condition", "red"]
    removed = _api(client, "member", "delete", f"{url}/{hand['id']}?version=3")
    assert removed.status_code == 200, removed.content
    assert (removed.json()["version"], len(removed.json()["agenda"])) == (4, 6)
    # bad input: 422 naming the field, never a 500
    bad = {
        "order": (
            "patch",
            f"{url}/{red.pk}",
            [
                {"version": 4, "order": 0},  # outside its section
                {"version": 4, "order": "3"},
                {"version": 4, "order": True},
                {"version": 4, "order": -1},
                {"version": 4},
            ],
        ),
        "title": ("post", url, [{"version": 4, "title": ""}, {"version": 4, "title": "x" * 301}]),
        "section": ("post", url, [{"version": 4, "title": "t", "section": "later"}]),
        "project": ("post", url, [{"version": 4, "title": "t", "project": "NOPE"}]),
        "version": ("post", url, [{"title": "t"}, {"version": True, "title": "t"}]),
        "priority": ("post", url, [{"version": 4, "title": "t", "priority": 1}]),
    }
    for field, (method, where, bodies) in bad.items():
        for sent in bodies:
            response = _api(client, "member", method, where, sent)
            assert response.status_code == 422, (field, sent, response.content)
            fields = [e["field"] for e in response.json()["errors"]]
            assert any(f.split(".")[-1] == field for f in fields), (field, sent, fields)
    assert _api(client, "member", "delete", f"{url}/{red.pk}?version=x").status_code == 422
    # stale version 409; a line of another meeting 404; a huge id 404
    assert _api(client, "member", "delete", f"{url}/{red.pk}?version=1").status_code == 409
    other = _meeting(users)
    foreign = other.agenda.first()
    assert _api(client, "member", "delete", f"{url}/{foreign.pk}?version=4").status_code == 404
    huge = _api(client, "member", "delete", f"{url}/{10**25}?version=4")
    assert huge.status_code == 404, huge.content
    # an ended project: 409 at project
    _cancel(users, _project("SEC1"))
    ended = _api(client, "member", "post", url, {"version": 4, "title": "t", "project": "SEC1"})
    assert ended.status_code == 409 and ended.json()["errors"][0]["field"] == "project"
    # a PM and a viewer are refused
    for user in ("pm", "viewer"):
        assert _api(client, user, "post", url, {"version": 4, "title": "t"}).status_code == 403
        assert _api(client, user, "delete", f"{url}/{red.pk}?version=4").status_code == 403
        assert (
            _api(client, user, "patch", f"{url}/{red.pk}", {"version": 4, "order": 3}).status_code
            == 403
        )
    assert SteeringMeeting.objects.get(pk=meeting.pk).version == 4


def test_the_page_edits_the_agenda_and_confirms_every_meeting_edit(
    client, users, governed, make_project
):
    meeting = _week_of_lines(users, governed, make_project)
    url = f"/steering-meetings/{meeting.pk}/"
    client.force_login(users["member"])
    page = client.get(url).content.decode()
    red = meeting.agenda.get(kind="red")
    condition = meeting.agenda.get(kind="condition")
    # the first line of a section cannot move up, the last cannot move down
    assert f'value="up:{red.pk}" disabled' in page
    assert f'value="down:{condition.pk}" disabled' in page
    assert f'value="down:{red.pk}" aria-label="Move line 4 down"' in page
    assert "data-confirm=" in page.split('id="regenerate"')[1].split(">")[0]
    # move the red line down, then remove it, then add one: each says it was done
    moved = client.post(url, {"action": "agenda_line", "version": "1", "line": f"down:{red.pk}"})
    assert moved["Location"] == f"{url}#line-{red.pk}"
    assert "Line 4 is now line 5." in client.get(url).content.decode()
    assert meeting.agenda.get(pk=red.pk).order == 4
    removed = client.post(
        url, {"action": "agenda_line", "version": "2", "line": f"remove:{red.pk}"}, follow=True
    )
    assert "Line 5 removed from the agenda." in removed.content.decode()
    added = client.post(
        url,
        {
            "action": "agenda_add",
            "version": "3",
            "line-title": "Vendor audit",
            "line-project": "SEC3",
            "line-section": "decide",
        },
        follow=True,
    )
    page = added.content.decode()
    assert "Line added to the agenda." in page
    assert '<tr data-kind="other" data-code="SEC3" data-by-hand><td class="num">4</td>' in page
    # a refused line keeps what was typed and says why at the field
    refused = client.post(
        url,
        {
            "action": "agenda_add",
            "version": "4",
            "line-title": "Audit",
            "line-project": "NOPE",
            "line-section": "watch",
        },
    ).content.decode()
    assert "Not added: correct the fields marked." in refused
    assert "no project with code NOPE" in refused
    assert 'value="Audit"' in refused
    # a stale page and a damaged button say so, and change nothing
    stale = client.post(
        url, {"action": "agenda_line", "version": "1", "line": f"up:{condition.pk}"}, follow=True
    )
    assert "changed by someone else" in stale.content.decode()
    damaged = client.post(
        url, {"action": "agenda_line", "version": "4", "line": "up:²"}, follow=True
    )
    assert "This page is out of date or damaged" in damaged.content.decode()
    # minutes and regeneration are confirmed too
    saved = client.post(
        url, {"action": "minutes", "version": "4", "minutes": "Agreed."}, follow=True
    )
    assert '<div class="flash success" role="status">Minutes saved.</div>' in saved.content.decode()
    again = client.post(url, {"action": "agenda"}, follow=True).content.decode()
    assert "Agenda drawn up again from the portfolio; the lines added by hand are kept." in again
    assert 'data-kind="other" data-code="SEC3" data-by-hand' in again
    # a PM reads the meeting but edits nothing; a viewer does not read it
    client.force_login(users["pm"])
    before = SteeringMeeting.objects.get(pk=meeting.pk).version
    condition = meeting.agenda.get(kind="condition")  # drawn anew by the regeneration
    pm = client.post(
        url, {"action": "agenda_line", "version": str(before), "line": f"remove:{condition.pk}"}
    )
    assert pm.status_code == 403  # the 403 page saying why (refuse_unless)
    assert "only the PMO prepares steering committee meetings" in pm.content.decode()
    assert SteeringMeeting.objects.get(pk=meeting.pk).version == before
    assert meeting.agenda.filter(pk=condition.pk).exists()
    client.force_login(users["viewer"])
    assert client.post(url, {"action": "agenda_add", "line-title": "x"}).status_code == 403


def test_a_held_meeting_shows_no_editing_controls(client, users, governed):
    governed(code="HLD1")
    held = _meeting(users, TODAY - dt.timedelta(days=1))
    client.force_login(users["admin"])
    page = client.get(f"/steering-meetings/{held.pk}/").content.decode()
    assert 'name="line"' not in page and 'id="add-line"' not in page
    assert 'id="save-minutes"' in page  # the minutes are written up after the meeting


# --- 4. gate lines lead to their review --------------------------------------------------------


def test_gate_lines_link_to_the_requested_review_else_to_the_lifecycle(client, users, governed):
    requested = governed(code="LNK1")
    review = services.request_review(actor=users["pm"], project=requested)
    governed(code="LNK2")
    decided = governed(code="LNK3")
    passed = pass_gate(users, decided, on=TODAY - dt.timedelta(days=2))
    meeting = _meeting(users)
    client.force_login(users["exec"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    rows = re.findall(
        r'<tr data-kind="(gate|decided)" data-code="(LNK\d)">.*?'
        r'<a href="([^"]+)" data-testid="line-link">',
        page,
        re.S,
    )
    assert sorted(rows) == [
        ("decided", "LNK3", f"/projects/LNK3/gate-reviews/{passed.review_id}/"),
        ("gate", "LNK1", f"/projects/LNK1/gate-reviews/{review.pk}/"),
        ("gate", "LNK2", "/projects/LNK2/lifecycle/"),
    ]
    body = _api(client, "exec", "get", f"/api/v1/steering-meetings/{meeting.pk}").json()
    assert {(a["project"], a["kind"], a["review_id"]) for a in body["agenda"]} >= {
        ("LNK1", "gate", review.pk),
        ("LNK2", "gate", None),
        ("LNK3", "decided", passed.review_id),
    }


# --- the migration ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_puts_planned_agendas_in_sections_and_back(users, governed):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("governance", "0009_agenda_project_ended")]
    after = [("governance", "0010_agenda_sections")]

    def migrate(targets: Any = None) -> Any:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets or executor.loader.graph.leaf_nodes())
        return executor.loader.project_state(targets).apps if targets else None

    governed(code="MIG1")
    planned = _meeting(users)
    held = _meeting(users, TODAY - dt.timedelta(days=3))
    old = migrate(before)
    try:
        Item = old.get_model("governance", "AgendaItem")
        for meeting in (planned, held):  # as drawn up before: a decision, then a red line
            Item.objects.filter(meeting_id=meeting.pk).delete()
            Item.objects.create(meeting_id=meeting.pk, order=0, kind="decided", title="d")
            Item.objects.create(meeting_id=meeting.pk, order=1, kind="red", title="r")
            Item.objects.create(meeting_id=meeting.pk, order=2, kind="gate", title="g")
        Then = migrate(after).get_model("governance", "AgendaItem")

        def rows(meeting: Any) -> list[tuple[int, str, str]]:
            return list(
                Then.objects.filter(meeting_id=meeting.pk)
                .order_by("order")
                .values_list("order", "kind", "section")
            )

        assert rows(planned) == [(0, "gate", "decide"), (1, "red", "watch"), (2, "decided", "info")]
        assert rows(held) == [(0, "decided", "info"), (1, "red", "watch"), (2, "gate", "decide")]
        Then.objects.create(meeting_id=planned.pk, order=3, kind="report_decision", title="a")
        Back = migrate(before).get_model("governance", "AgendaItem")
        assert Back.objects.get(meeting_id=planned.pk, title="a").kind == "other"
    finally:
        migrate()


def test_kinds_have_a_section_and_a_label():
    from pmo.governance.meetings import SECTION_OF_KIND

    assert set(SECTION_OF_KIND) == set(AgendaKind.values)
    assert AgendaKind.REPORT_DECISION.label == "Decision asked in a status report"
    assert StatusReport._meta.get_field("help_needed")  # the text a line quotes
    assert AgendaItem._meta.get_field("by_hand").default is False


def test_garbled_agenda_forms_never_fail_with_a_server_error(client, users, governed):
    governed(code="GRB1")
    meeting = _meeting(users)
    line = meeting.agenda.first()
    url = f"/steering-meetings/{meeting.pk}/"
    client.force_login(users["admin"])
    client.raise_request_exception = False
    forms = [
        {"action": "agenda_line", "version": "1", "line": f"down:{line.pk}"},
        {
            "action": "agenda_add",
            "version": "1",
            "line-title": "t",
            "line-project": "GRB1",
            "line-section": "decide",
        },
    ]
    for form in forms:
        for name in [n for n in form if n != "action"]:
            for value in ("10000000000000000000000000", "1e400", "abc", "a\x00b", "up:²"):
                response = client.post(url, {**form, name: value})
                assert response.status_code < 500, (name, value)
    # a garbled title is still a title: the first one posted was added, the rest were stale
    assert list(meeting.agenda.filter(by_hand=True).values_list("title", flat=True)) == [
        "10000000000000000000000000"
    ]


def test_a_line_of_a_higher_app_links_to_the_page_it_registers(
    client, users, governed, monkeypatch
):
    project = governed()
    meeting = steering.create_meeting(
        actor=users["admin"],
        data={"title": "SC", "date": dt.date.today() + dt.timedelta(days=3), "window_days": 7},
    )
    for n, ref in enumerate(("change_request:5", "change_request:6")):
        AgendaItem.objects.create(
            meeting=meeting,
            order=90 + n,
            kind=AgendaKind.OTHER,
            project=project,
            title="t",
            ref=ref,
        )
    # request 6 is gone: its line reads its stored title and leads nowhere
    monkeypatch.setitem(reviews.AGENDA_LABELS, "change_request", lambda keys: {"5": "CR text"})
    monkeypatch.setitem(
        reviews.AGENDA_URLS, "change_request", lambda keys: {k: f"/cr/{k}/" for k in keys}
    )
    client.force_login(users["admin"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    assert '<a href="/cr/5/" data-testid="line-link">CR text</a>' in page
    assert "/cr/6/" not in page
