"""Findings of the second UX audit on governance: each test fails without its fix."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.core.errors import ValidationFailed
from pmo.governance import selectors, services, steering
from pmo.governance.models import GateDecision, GateReview
from pmo.governance.tests.conftest import START, pass_gate, tick_all


def login(client, user):
    client.force_login(user)
    return client


def _review(users, project):
    review = services.request_review(actor=users["pm"], project=project)
    return tick_all(users, review)


def _url(project, review):
    return f"/projects/{project.code}/gate-reviews/{review.pk}/"


# --- 2 / 7 / 23: decision errors next to their fields, rows named as on screen -------------


def test_a_future_decision_date_is_shown_next_to_the_field_with_the_input_kept(
    client, users, governed
):
    project = governed()
    review = _review(users, project)
    login(client, users["exec"])
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        _url(project, review),
        {
            "action": "decide",
            "version": review.version,
            "outcome": "go",
            "rationale": "Fine",
            "decided_on": future,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="decision-errors"' in page  # not silent: the decision was not recorded
    assert "a decision cannot be dated in the future" in page
    assert f'value="{future}"' in page
    assert not GateDecision.objects.filter(review=review).exists()


def test_condition_errors_name_the_row_and_sit_in_its_cells(client, users, governed):
    project = governed()
    review = _review(users, project)
    login(client, users["exec"])
    response = client.post(
        _url(project, review),
        {
            "action": "decide",
            "version": review.version,
            "outcome": "go_conditions",
            "rationale": "Fine",
            "condition_0": "Sign the contract",
            "owner_0": users["pm"].person.pk,
            # row 2: no owner and no due date
            "condition_1": "Hire an architect",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    row2 = page[page.index('data-row="2"') : page.index('data-row="3"')]
    assert "choose the owner" in row2 and "give the due date" in row2
    assert "Hire an architect" in row2  # typed input kept
    assert "conditions.1" not in page and "no such person" not in page


def test_the_service_message_names_conditions_one_based():
    with pytest.raises(ValidationFailed) as caught:
        from pmo.governance.decisions import _check_conditions

        _check_conditions(
            [{"text": "x", "owner_id": None, "due_date": dt.date(2027, 1, 1)}],
            dt.date(2026, 12, 6),
        )
    assert caught.value.message == "Condition 1: choose the owner"
    assert caught.value.errors[0]["field"] == "conditions.0.owner_id"  # the API keeps the path


def test_a_condition_due_before_the_decision_is_refused(users, governed):
    project = governed()
    review = _review(users, project)
    day = timezone.localdate()
    with pytest.raises(ValidationFailed, match="before the decision"):
        services.decide_gate(
            actor=users["exec"],
            review=review,
            outcome="go_conditions",
            conditions=[
                {
                    "text": "Late",
                    "owner_id": users["pm"].person.pk,
                    "due_date": day - dt.timedelta(days=5),
                }
            ],
        )


def test_a_backdated_decision_with_a_condition_already_due_warns(client, users, governed):
    project = governed()
    review = _review(users, project)
    login(client, users["exec"])
    today = timezone.localdate()
    response = client.post(
        _url(project, review),
        {
            "action": "decide",
            "version": review.version,
            "outcome": "go_conditions",
            "decided_on": (today - dt.timedelta(days=10)).isoformat(),
            "condition_0": "Sign the contract",
            "owner_0": users["pm"].person.pk,
            "due_0": (today - dt.timedelta(days=2)).isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Decision recorded." in page
    assert "1 condition was already due when recorded" in page


def test_template_editor_errors_name_the_row_and_label(client, users, generic):
    from pmo.governance.forms import template_error_text

    assert template_error_text("phases.1.key", "is required") == "Phase row 2, Key: is required"
    assert (
        template_error_text("phases.2.gate.criteria.0.text", "is required", [0, 1, 3])
        == "Phase row 4, Criteria, line 1: is required"
    )
    assert template_error_text("code", "bad") == "Code: bad"


def test_phase_row_form_errors_are_shown_and_the_heading_names_the_revision(client, users, generic):
    login(client, users["admin"])
    page = client.get(f"/lifecycle-templates/new/?from={generic.pk}").content.decode()
    assert f"New revision of {generic}" in page
    data = {
        "mode": "form",
        "code": "mini",
        "name": "Mini",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-key": "a",
        "form-0-name": "A",
        "form-0-category": "idea",
        "form-0-expected_days": "99999",
    }
    page = client.post("/lifecycle-templates/new/", data).content.decode()
    assert "Phase row 1, Expected days:" in page


# --- 4: hold and stop in the project's status ---------------------------------------------


def test_hold_puts_the_project_on_hold_and_a_later_go_makes_it_active(users, governed):
    project = governed()
    review = _review(users, project)
    services.decide_gate(actor=users["exec"], review=review, outcome="hold", rationale="Wait")
    project.refresh_from_db()
    assert (project.phase, project.state) == ("idea", "on_hold")
    pass_gate(users, project, on=timezone.localdate())
    project.refresh_from_db()
    assert (project.phase, project.state) == ("planning", "active")


def test_stop_keeps_the_phase_it_was_stopped_in(users, governed):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 2, 1))
    review = _review(users, project)
    services.decide_gate(actor=users["exec"], review=review, outcome="stop", rationale="No")
    project.refresh_from_db()
    assert (project.phase, project.state) == ("planning", "cancelled")


# --- 5 / 11: recycle -------------------------------------------------------------------------


def _recycled(users, governed):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 2, 1))
    pass_gate(users, project, on=dt.date(2026, 3, 1))
    review = _review(users, project)
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="recycle",
        recycle_to="idea",
        rationale="Back to the drawing board",
        decided_on=dt.date(2026, 4, 1),
    )
    return project


def test_days_in_phase_start_over_after_a_recycle(users, governed):
    project = _recycled(users, governed)
    lifecycle = selectors.get_lifecycle(project)
    assert lifecycle is not None
    rows = {r.phase.key: r for r in selectors.phase_rows(lifecycle, dt.date(2026, 4, 11))}
    assert rows["idea"].days == 10  # since the recycle, not 27 + 10
    assert (rows["planning"].days, rows["planning"].visited) == (0, False)
    assert (rows["execution"].days, rows["execution"].visited) == (0, False)


def test_the_agenda_does_not_show_a_gate_decision_undone_by_a_recycle(users, governed):
    project = _recycled(users, governed)
    meeting = steering.create_meeting(
        actor=users["admin"],
        data={"title": "SteerCo", "date": dt.date(2026, 4, 20), "window_days": 366},
    )
    lines = [
        i for i in selectors.list_agenda(meeting) if i.kind == "gate" and i.project_id == project.pk
    ]
    assert lines and all("decided" not in line.label for line in lines)
    assert all("decided" not in str(line) for line in meeting.agenda.filter(kind="gate"))


# --- 8: deliverable upload feedback ----------------------------------------------------------


def test_upload_without_a_file_says_so_and_nothing_else(client, users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    link = review.deliverables.first()
    login(client, users["pm"])
    response = client.post(
        _url(project, review),
        {"action": "prepare", "version": review.version, "upload": str(link.deliverable_id)},
        follow=True,
    )
    page = response.content.decode()
    assert "Choose a file first" in page
    assert "Review prepared." not in page


def test_a_refused_file_gives_one_error_and_no_success(client, users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    link = review.deliverables.first()
    login(client, users["pm"])
    response = client.post(
        _url(project, review),
        {
            "action": "prepare",
            "version": review.version,
            "upload": str(link.deliverable_id),
            f"file_{link.deliverable_id}": SimpleUploadedFile("evil.sh", b"#!/bin/sh\n"),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Not attached:" in page and link.deliverable.display_name in page
    assert "Review prepared." not in page and "flash success" not in page


# --- 14: the review date can be set after the request ---------------------------------------


def test_the_review_date_can_be_set_on_the_review_page(client, users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    login(client, users["pm"])
    page = client.get(_url(project, review)).content.decode()
    assert "not set yet" in page and 'name="scheduled_for"' in page
    client.post(
        _url(project, review),
        {"action": "prepare", "version": review.version, "scheduled_for": "2027-01-20"},
    )
    assert GateReview.objects.get(pk=review.pk).scheduled_for == dt.date(2027, 1, 20)


# --- 13: the iCalendar feed in its owner's language ----------------------------------------


def test_the_calendar_feed_speaks_its_owners_language(client, users, governed, monkeypatch):
    from pmo.governance import ical

    governed()
    user = users["admin"]
    user.language = "zh-hans"
    user.save()
    token = create_token(username="admin", name="cal", scope="calendar")
    seen = []
    real = ical.gettext

    def spy(message):
        from django.utils import translation

        seen.append((message, translation.get_language()))
        return real(message)

    monkeypatch.setattr(ical, "gettext", spy)
    body = client.get(
        "/gate-calendar.ics", {"token": token, "start": START.isoformat(), "days": "400"}
    ).content.decode()
    assert "X-WR-CALNAME:阶段门日历" in body  # no session: the token owner's language
    assert ("planned %(planned)s, forecast %(due)s", "zh-hans") in seen  # translatable


# --- 22: people's names, not usernames -------------------------------------------------------


def test_review_page_names_people_not_usernames(client, users, governed):
    project = governed()
    review = _review(users, project)
    login(client, users["pm"])
    page = client.get(_url(project, review)).content.decode()
    assert "requested by Zhang Wei" in page and "requested by pm" not in page


# --- 22 / 26: the lifecycle page --------------------------------------------------------------


def test_lifecycle_page_names_the_decider_and_marks_overruns(client, users, governed):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 3, 1))  # idea: 55 days against 30 expected
    users["exec"].first_name, users["exec"].last_name = "Robert", "Hale"
    users["exec"].save()
    login(client, users["pm"])
    page = client.get(f"/projects/{project.code}/lifecycle/").content.decode()
    idea = page[page.index('data-phase="idea"') : page.index('data-phase="planning"')]
    assert '<span class="late"' in idea  # the overrun stands out
    execution = page[page.index('data-phase="execution"') :]
    assert "days expected" in execution and 'muted">/ ' not in execution  # no bare "/ 30"
    reviews = page[page.index('id="reviews"') :]
    assert "Robert Hale" in reviews and "<td>exec</td>" not in reviews
