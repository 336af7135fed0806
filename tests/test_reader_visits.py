"""What a reader's visit to an edit page answers, beside the 403 a post gets
(:mod:`tests.test_reader_posts`): the page of what would be changed, with a message saying
why; and what an executive (reads everything, manages nothing) reads of the scenarios."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from pmo.portfolio import services
from pmo.portfolio.models import Project, ReportState, StatusReport
from pmo.resources.models import Allocation
from tests.test_refused_edit_pages import world  # noqa: F401  (the fixture, reused)

RAG = {"overall": 1, "schedule": 1, "cost": 1, "scope": 1, "resources": 1, "quality": 1}


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _said(answer: Any) -> list[str]:
    return [str(m) for m in get_messages(answer.wsgi_request)]


@pytest.fixture
def draft(world: dict[str, Any], users: dict[str, Any]) -> StatusReport:  # noqa: F811
    return services.create_status_report(
        actor=users["pm"],
        project=Project.objects.get(code=world["code"]),
        period="2026-W40",
        data={**RAG, "summary": "On plan.", "percent_complete": 40},
        submit=False,
        today=dt.date(2026, 10, 10),
    )


@pytest.mark.parametrize("reader", ["viewer", "exec"])
def test_a_readers_visit_to_a_report_form_goes_back_with_a_message(
    users: dict[str, Any], draft: StatusReport, reader: str
) -> None:
    client = _client(users[reader])
    code = draft.project.code
    refused = "You may read this project but not report on it."

    new = client.get(f"/projects/{code}/reports/new/")
    assert (new.status_code, new["Location"]) == (302, f"/projects/{code}/")
    assert _said(new) == [refused]

    edit = _client(users[reader]).get(f"/projects/{code}/reports/{draft.pk}/edit/")
    assert (edit.status_code, edit["Location"]) == (302, f"/projects/{code}/reports/{draft.pk}/")
    assert _said(edit) == [refused]


@pytest.mark.parametrize("reader", ["viewer", "exec"])
def test_a_readers_posted_report_is_a_403_and_nothing_changes(
    users: dict[str, Any], draft: StatusReport, reader: str
) -> None:
    client = _client(users[reader])
    code = draft.project.code
    complete = {**RAG, "period": "2026-W41", "summary": "Done.", "percent_complete": "50"}

    assert client.post(f"/projects/{code}/reports/new/", complete).status_code == 403
    assert client.post(f"/projects/{code}/reports/{draft.pk}/edit/", complete).status_code == 403
    assert client.post(f"/projects/{code}/reports/{draft.pk}/submit/").status_code == 403

    assert list(StatusReport.objects.values_list("pk", "state", "summary")) == [
        (draft.pk, ReportState.DRAFT, "On plan.")
    ]


def test_the_project_manager_still_submits_a_draft(
    users: dict[str, Any], draft: StatusReport
) -> None:
    client = _client(users["pm"])
    answer = client.post(f"/projects/{draft.project.code}/reports/{draft.pk}/submit/")
    assert (answer.status_code, answer["Location"]) == (302, f"/projects/{draft.project.code}/")
    draft.refresh_from_db()
    assert draft.state == ReportState.SUBMITTED


def test_an_executive_reads_the_scenarios_but_is_sent_back_from_their_edits(
    users: dict[str, Any],
    world: dict[str, Any],  # noqa: F811
) -> None:
    client = _client(users["exec"])
    scenario, code = world["scenario"], world["code"]

    compared = client.get(f"/resources/scenarios/compare/?ids={scenario}")
    assert compared.status_code == 200
    assert "What if" in compared.content.decode()
    staffing = f"/resources/scenarios/{scenario}/staffing/?project={code}"
    assert client.get(staffing).status_code == 200

    edit = client.get(
        f"/resources/scenarios/{scenario}/allocations/{world['scenario_allocation']}/"
    )
    assert (edit.status_code, edit["Location"]) == (302, staffing)
    assert _said(edit) == ["Only resource managers may change a draft scenario."]
    plan = _client(users["exec"]).get(f"/resources/allocations/{world['allocation']}/")
    assert (plan.status_code, plan["Location"]) == (302, f"/projects/{code}/staffing/")

    posted = client.post(f"/resources/scenarios/{scenario}/staffing/", {"project": code})
    assert posted.status_code == 403
    assert Allocation.objects.filter(scenario_id=scenario).count() == 1


def test_a_viewer_reads_no_scenario_staffing(
    users: dict[str, Any],
    world: dict[str, Any],  # noqa: F811
) -> None:
    client = _client(users["viewer"])
    page = f"/resources/scenarios/{world['scenario']}/staffing/?project={world['code']}"
    assert client.get(page).status_code == 403


def test_a_scenario_key_no_scenario_can_have_is_a_404_not_the_current_plan(
    users: dict[str, Any],
    world: dict[str, Any],  # noqa: F811
) -> None:
    client = _client(users["admin"])
    huge = "9" * 25
    staffing = client.get(f"/resources/scenarios/{huge}/staffing/?project={world['code']}")
    assert staffing.status_code == 404
    edit = client.post(
        f"/resources/scenarios/{huge}/allocations/{world['allocation']}/", {"action": "delete"}
    )
    assert edit.status_code == 404
    assert Allocation.objects.filter(pk=world["allocation"]).exists()
