"""A draft status report is edited in the form it was written in and saved incomplete; only
submitting checks it (a reason for each amber or red, a summary)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from pmo.portfolio import services
from pmo.portfolio.models import ReportState
from pmo.portfolio.periods import period_of

pytestmark = pytest.mark.django_db

RED_WITHOUT_REASON = {
    "overall": "3",
    "schedule": "1",
    "cost": "1",
    "scope": "1",
    "resources": "1",
    "quality": "1",
    "summary": "",
    "percent_complete": "",
}


@pytest.fixture
def draft(users: Any, make_project: Any, green: Any) -> Any:
    project = make_project(code="D1")
    return services.create_status_report(
        actor=users["pm"],
        project=project,
        period="2026-W46",
        data=green(overall=3, summary=""),
        submit=False,
    )


def test_save_draft_keeps_a_red_without_reason_and_no_summary(
    client: Any, users: Any, make_project: Any
) -> None:
    project = make_project(code="D2", percent_complete=20)
    client.force_login(users["pm"])
    response = client.post(
        "/projects/D2/reports/new/",
        # this week: the form offers the last eight periods only (a fixed week ran out)
        {
            **RED_WITHOUT_REASON,
            "period": period_of(timezone.localdate(), "weekly").key,
            "action": "draft",
        },
    )
    assert response.status_code == 302
    saved = project.reports.get()
    assert (saved.state, saved.overall, saved.summary, saved.percent_complete) == (
        ReportState.DRAFT,
        3,
        "",
        20,
    )


def test_the_draft_page_offers_edit_and_no_empty_trend(client: Any, users: Any, draft: Any) -> None:
    client.force_login(users["pm"])
    page = client.get(f"/projects/D1/reports/{draft.pk}/").content.decode()
    assert f'href="/projects/D1/reports/{draft.pk}/edit/"' in page
    assert "trend" not in page


def test_the_edit_form_is_prefilled_and_saves_incomplete(
    client: Any, users: Any, draft: Any
) -> None:
    client.force_login(users["pm"])
    url = f"/projects/D1/reports/{draft.pk}/edit/"
    form = client.get(url).content.decode()
    assert 'name="overall" value="3" class="rag-radio" required id="id_overall_2" checked' in form
    assert f'name="version" value="{draft.version}"' in form
    assert 'value="2026-W46" selected' in form
    # the period is fixed, whatever is posted
    data = {**RED_WITHOUT_REASON, "summary": "Half written", "period": "2026-W45"}
    response = client.post(url, {**data, "version": draft.version, "action": "draft"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.period, draft.summary, draft.version) == (
        ReportState.DRAFT,
        "2026-W46",
        "Half written",
        2,
    )


def test_submit_from_the_edit_form_checks_the_draft(client: Any, users: Any, draft: Any) -> None:
    client.force_login(users["pm"])
    url = f"/projects/D1/reports/{draft.pk}/edit/"
    data = {**RED_WITHOUT_REASON, "summary": "Done", "percent_complete": "50"}
    refused = client.post(url, {**data, "version": draft.version, "action": "submit"})
    assert refused.status_code == 200
    assert "a reason is required when “Overall” is amber or red" in refused.content.decode()
    draft.refresh_from_db()
    assert (draft.state, draft.summary) == (ReportState.DRAFT, "")  # nothing half-written
    accepted = client.post(
        url,
        {**data, "overall_reason": "Vendor gone", "version": draft.version, "action": "submit"},
    )
    assert accepted.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.overall_reason, draft.percent_complete) == (
        ReportState.SUBMITTED,
        "Vendor gone",
        50,
    )


def test_a_stale_edit_is_refused_and_nothing_saved(client: Any, users: Any, draft: Any) -> None:
    client.force_login(users["pm"])
    url = f"/projects/D1/reports/{draft.pk}/edit/"
    response = client.post(
        url, {**RED_WITHOUT_REASON, "summary": "Mine", "version": "99", "action": "draft"}
    )
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == ""


def test_submitting_an_incomplete_draft_from_its_page_leads_back_to_its_form(
    client: Any, users: Any, draft: Any
) -> None:
    client.force_login(users["pm"])
    response = client.post(f"/projects/D1/reports/{draft.pk}/submit/")
    assert response.headers["Location"] == f"/projects/D1/reports/{draft.pk}/edit/"
    draft.refresh_from_db()
    assert draft.state == ReportState.DRAFT


@pytest.mark.parametrize("who", ["viewer", "exec"])
def test_who_may_not_report_is_not_offered_the_edit(
    client: Any, users: Any, draft: Any, who: str
) -> None:
    client.force_login(users[who])
    response = client.get(f"/projects/D1/reports/{draft.pk}/edit/")
    assert response.status_code in (302, 404)
    assert draft.__class__.objects.get(pk=draft.pk).summary == ""
