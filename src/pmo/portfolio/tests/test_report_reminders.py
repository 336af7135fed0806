"""Reminders to report: the PMO chases the managers of projects missing this period's status
report, from the status center (the filtered list or one row), the API and ``pmo
remind-reports``; once a project and day, recorded in the project's history."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.audit.models import AuditEvent
from pmo.cli import main
from pmo.core.errors import PermissionDeniedError
from pmo.portfolio.models import Program, ReportReminder
from pmo.portfolio.services.reminders import remind_reports
from pmo.portfolio.signals import reports_reminded

JSON = "application/json"


@pytest.fixture
def missing(make_project: Callable[..., Any], users: dict[str, Any]) -> dict[str, Any]:
    """Four projects owing this period's report: T001, T002 (``pm``), T003 (``other_pm``, in
    DIGI) and T004 without a manager; T005 is on hold (owes none)."""
    return {
        "T001": make_project(),
        "T002": make_project(),
        "T003": make_project(
            manager=users["other_pm"].person, program=Program.objects.get(code="DIGI")
        ),
        "T004": make_project(manager=None),
        "T005": make_project(state="on_hold"),
    }


@pytest.fixture
def announced() -> Any:
    """The reminders announced to the apps above (each call's list of project codes)."""
    calls: list[tuple[list[str], Any]] = []

    def listen(sender: Any, reminders: list[Any], actor: Any, **kwargs: Any) -> None:
        calls.append(([r.project.code for r in reminders], actor))

    reports_reminded.connect(listen, dispatch_uid="test.reminders")
    yield calls
    reports_reminded.disconnect(dispatch_uid="test.reminders")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


# --- the service --------------------------------------------------------------------------------


def test_the_pmo_reminds_every_project_missing_its_report_once_a_day(
    users: dict[str, Any], missing: dict[str, Any], announced: list[Any]
) -> None:
    today = timezone.localdate()
    # when a PMO member reminds every project missing its report
    result = remind_reports(actor=users["member"])
    # then the two managers who sign in are reminded for their three projects; the project
    # without a manager is skipped, the one on hold owes nothing
    assert [r.project.code for r in result.sent] == ["T001", "T002", "T003"]
    assert [(s.project.code, s.reason) for s in result.skipped] == [("T004", "no_manager")]
    assert result.message() == "3 reminders sent; 1 project skipped: no manager who signs in"
    assert announced == [(["T001", "T002", "T003"], users["member"])]
    reminder = ReportReminder.objects.get(project=missing["T001"])
    assert (reminder.day, reminder.sent_by, reminder.manager) == (
        today,
        users["member"],
        users["pm"].person,
    )
    assert re.fullmatch(r"\d{4}-W\d{2}", reminder.period)
    # and each reminder is in its project's history, by whom and for which period
    event = AuditEvent.objects.get(scope=f"project:{missing['T001'].pk}")
    assert (event.action, event.actor, event.object_type) == (
        "create",
        users["member"],
        "portfolio.reportreminder",
    )
    assert event.changes == {
        "manager": [None, users["pm"].person.pk],
        "period": [None, reminder.period],
    }

    # when it is asked again the same day, nobody is chased twice
    again = remind_reports(actor=users["admin"])
    assert again.sent == []
    assert sorted((s.project.code, s.reason) for s in again.skipped) == [
        ("T001", "reminded_today"),
        ("T002", "reminded_today"),
        ("T003", "reminded_today"),
        ("T004", "no_manager"),
    ]
    assert again.message() == (
        "0 reminders sent; 3 projects skipped: reminded today already; "
        "1 project skipped: no manager who signs in"
    )
    assert len(announced) == 1
    assert ReportReminder.objects.count() == 3

    # and the next day they may be reminded again
    later = remind_reports(actor=users["member"], today=today + dt.timedelta(days=1))
    assert [r.project.code for r in later.sent] == ["T001", "T002", "T003"]


def test_a_project_whose_report_is_in_or_that_is_on_hold_is_not_reminded(
    users: dict[str, Any], missing: dict[str, Any], announced: list[Any]
) -> None:
    result = remind_reports(actor=users["member"], projects=[missing["T005"]])
    assert (result.sent, [(s.project.code, s.reason) for s in result.skipped]) == (
        [],
        [("T005", "not_missing")],
    )
    assert result.message() == "0 reminders sent; 1 project skipped: its report is not missing"
    assert announced == []


@pytest.mark.parametrize("role", ["pm", "exec", "viewer"])
def test_only_the_pmo_reminds(users: dict[str, Any], missing: dict[str, Any], role: str) -> None:
    with pytest.raises(PermissionDeniedError):
        remind_reports(actor=users[role])
    assert ReportReminder.objects.count() == 0


# --- the status center --------------------------------------------------------------------------


def test_the_list_button_reminds_the_filtered_list_and_the_rows_say_so(
    users: dict[str, Any], missing: dict[str, Any]
) -> None:
    client = _client(users["member"])
    # given the CORE program's list: T001, T002, T004 owe their report (T003 is in DIGI)
    page = client.get("/?program=CORE").content.decode()
    assert page.count('data-testid="remind-all"') == 1
    # the button counts who it would remind: not T004, whose manager does not sign in
    assert "Remind the managers of the 2 projects missing their report" in page
    assert 'data-testid="remind-T001"' in page
    assert 'data-testid="remind-T004"' not in page  # no manager who signs in: nobody to remind

    # when the PMO member presses the list's button
    response = client.post("/reminders/", {"query": "program=CORE&page=2"}, follow=True)

    # then the list's projects are reminded, not T003, and the page says how many
    assert response.redirect_chain == [("/?program=CORE", 302)]
    assert sorted(ReportReminder.objects.values_list("project__code", flat=True)) == [
        "T001",
        "T002",
    ]
    html = response.content.decode()
    assert "2 reminders sent; 1 project skipped: no manager who signs in" in html
    # and each reminded row says when and by whom, with no second button today
    today = timezone.localdate().isoformat()
    rows = dict(re.findall(r'<tr data-code="(\w+)"[^>]*>(.*?)</tr>', html, re.S))
    assert f"reminded on {today} by member" in rows["T001"]
    assert 'data-testid="remind-T001"' not in rows["T001"]
    assert "reminded on" not in rows.get("T003", "")
    # and with nobody left to remind today, the list's button is gone
    assert 'data-testid="remind-all"' not in html


def test_a_row_button_reminds_one_project_and_a_second_click_is_skipped(
    users: dict[str, Any], missing: dict[str, Any]
) -> None:
    client = _client(users["member"])
    first = client.post("/reminders/", {"project": "T003", "query": "flag=missing"}, follow=True)
    assert first.redirect_chain == [("/?flag=missing", 302)]
    assert "1 reminder sent" in first.content.decode()
    second = client.post("/reminders/", {"project": "T003", "query": "flag=missing"}, follow=True)
    assert "0 reminders sent; 1 project skipped: reminded today already" in (
        second.content.decode()
    )
    assert list(ReportReminder.objects.values_list("project__code", flat=True)) == ["T003"]


def test_a_row_names_the_person_who_reminded(
    users: dict[str, Any], missing: dict[str, Any]
) -> None:
    remind_reports(actor=users["member"], projects=[missing["T001"]])
    remind_reports(actor=None, projects=[missing["T002"]])  # the command line (cron)
    users["member"].first_name, users["member"].last_name = "Li", "Na"
    users["member"].save()
    html = _client(users["pm"]).get("/?flag=missing").content.decode()
    today = timezone.localdate().isoformat()
    rows = dict(re.findall(r'<tr data-code="(\w+)"[^>]*>(.*?)</tr>', html, re.S))
    assert f"reminded on {today} by Li Na" in rows["T001"]
    assert f"reminded on {today} (scheduled)" in rows["T002"]
    # a project manager reads it but has no button
    assert "remind-all" not in html and 'data-testid="remind-T003"' not in html


@pytest.mark.parametrize("role", ["pm", "exec", "viewer"])
def test_only_the_pmo_may_post_a_reminder(
    users: dict[str, Any], missing: dict[str, Any], role: str
) -> None:
    response = _client(users[role]).post("/reminders/", {"project": "T001"})
    assert response.status_code == 403
    assert ReportReminder.objects.count() == 0


def test_the_reminder_page_takes_posts_only_and_names_a_bad_project(
    users: dict[str, Any], missing: dict[str, Any]
) -> None:
    client = _client(users["member"])
    assert client.get("/reminders/").status_code == 405
    unknown = client.post("/reminders/", {"project": "NOPE", "query": "rag=red"}, follow=True)
    assert unknown.redirect_chain == [("/?rag=red", 302)]
    page = unknown.content.decode()  # the sentence, without the field's key
    assert "no project with code “NOPE”" in page and "project: no" not in page
    too_long = client.post("/reminders/", {"project": "X" * 41}, follow=True)
    assert "Project: Ensure this value has at most 40 characters" in too_long.content.decode()
    assert ReportReminder.objects.count() == 0


# --- the API ------------------------------------------------------------------------------------


def test_the_api_reminds_and_reports_what_it_sent_and_skipped(
    client: Any, users: dict[str, Any], missing: dict[str, Any]
) -> None:
    url, headers = "/api/v1/report-reminders", _bearer(users["admin"])
    body = json.dumps({"projects": ["T002", "T004", "T005"]})
    first = client.post(url, body, content_type=JSON, headers=headers)
    assert first.status_code == 200
    answer = first.json()
    assert [(s["project"], s["manager"]["name"]) for s in answer["sent"]] == [("T002", "Zhang Wei")]
    assert answer["skipped"] == [
        {"project": "T004", "reason": "no_manager"},
        {"project": "T005", "reason": "not_missing"},
    ]
    assert answer["sent"][0]["day"] == timezone.localdate().isoformat()
    # no body: every project missing its report; T002 was reminded a moment ago
    everyone = client.post(url, "{}", content_type=JSON, headers=headers).json()
    assert [s["project"] for s in everyone["sent"]] == ["T001", "T003"]
    assert {s["project"]: s["reason"] for s in everyone["skipped"]} == {
        "T002": "reminded_today",
        "T004": "no_manager",
    }


@pytest.mark.parametrize("role", ["pm", "exec", "viewer"])
def test_the_api_refuses_anyone_but_the_pmo(
    client: Any, users: dict[str, Any], missing: dict[str, Any], role: str
) -> None:
    response = client.post(
        "/api/v1/report-reminders",
        json.dumps({"projects": ["T001"]}),
        content_type=JSON,
        headers=_bearer(users[role]),
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "only the PMO sends reminders to report"
    assert ReportReminder.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"projects": ["T001", "NOPE"]}, "no project with code “NOPE”"),
        ({"projects": []}, "must have at least 1 items"),
        ({"projects": ["T001", ""]}, "must not be empty"),
        ({"projects": "T001"}, "must be a list"),
        ({"project": ["T001"]}, "is not a field of this request (unknown or read-only)"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_sends_nothing(
    client: Any, users: dict[str, Any], missing: dict[str, Any], body: Any, message: str
) -> None:
    response = client.post(
        "/api/v1/report-reminders",
        json.dumps(body),
        content_type=JSON,
        headers=_bearer(users["member"]),
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"].split(".")[0] == next(iter(body))
    assert errors[0]["message"] == message
    assert ReportReminder.objects.count() == 0


# --- the command line ---------------------------------------------------------------------------


def test_the_command_reminds_as_scheduled_and_once_a_day(
    users: dict[str, Any], missing: dict[str, Any], capsys: Any
) -> None:
    call_command("remind-reports")
    assert capsys.readouterr().out.strip() == (
        "3 reminders sent; 1 project skipped: no manager who signs in"
    )
    assert set(ReportReminder.objects.values_list("sent_by", flat=True)) == {None}
    call_command("remind-reports", "--project", "T001")
    assert capsys.readouterr().out.strip() == (
        "0 reminders sent; 1 project skipped: reminded today already"
    )


def test_a_dry_run_sends_and_records_nothing(
    users: dict[str, Any], missing: dict[str, Any], capsys: Any
) -> None:
    call_command("remind-reports", "--dry-run", "--as", "admin", "-v", "2")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("T001 20") and out[0].endswith(": Zhang Wei")
    assert "T004: skipped, no manager who signs in" in out
    assert out[-1] == (
        "dry run, nothing recorded or sent: would send 3 reminders; "
        "would skip 1 (1 no manager who signs in)"
    )
    assert ReportReminder.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="portfolio.reportreminder").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--project", "NOPE"], "--project: no project with code “NOPE”; no reminder was sent"),
        (["--as", "nobody"], "--as: no user 'nobody'; no reminder was sent"),
        (
            ["--as", "pm"],
            "--as: 'pm' is not an active PMO member; only the PMO sends reminders to report, "
            "so no reminder was sent",
        ),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    users: dict[str, Any], missing: dict[str, Any], capsys: Any, arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("remind-reports", *arguments)
    assert str(refused.value) == message
    assert ReportReminder.objects.count() == 0
    # the console script: one line on stderr and exit code 1 (last: Django's command runner
    # closes the database connections when it ends, which on PostgreSQL is the test's own)
    with pytest.raises(SystemExit) as exited:
        main(["remind-reports", *arguments])
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == [f"pmo remind-reports: error: {message}"]


def test_the_project_history_names_the_reminder_in_the_readers_language(
    users: dict[str, Any], missing: dict[str, Any]
) -> None:
    [reminder] = remind_reports(actor=users["member"], projects=[missing["T001"]]).sent
    html = _client(users["exec"]).get("/projects/T001/").content.decode()
    assert f"reminder to report for {reminder.period}" in html
    assert "reminder 20" not in html  # not the row's internal name
