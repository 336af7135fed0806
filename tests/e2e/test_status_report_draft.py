"""A status report kept as a draft: saved incomplete (a red without its reason, no summary
yet), then opened again in the same form, filled in and submitted; submitting is what checks
it. The draft's page has no "trend" label without a value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

DIMENSIONS = ("overall", "schedule", "cost", "scope", "resources", "quality")


def test_a_draft_saves_incomplete_then_is_edited_and_submitted(
    sign_in: Callable[[str], Any], make_project: Callable[..., Any]
) -> None:
    project = make_project(name="Data platform")
    page = sign_in("pm")

    # a red overall without its reason and no summary yet: kept as a draft
    page.goto(f"/projects/{project.code}/reports/new/")
    for name in DIMENSIONS:
        page.check(f"input[name={name}][value='{3 if name == 'overall' else 1}']")
    page.fill("input[name=percent_complete]", "45")
    page.click("[data-testid=save-draft]")
    page.wait_for_url(lambda url: urlparse(url).path == f"/projects/{project.code}/")
    draft = project.reports.get()
    assert (draft.state, draft.overall, draft.overall_reason, draft.summary) == (
        "draft",
        3,
        "",
        "",
    )

    # its page offers to edit it, and says no "trend" without a value
    page.goto(f"/projects/{project.code}/reports/{draft.pk}/")
    expect(page.locator("main")).not_to_contain_text("trend")
    page.click("[data-testid=edit-draft]")
    page.wait_for_url(f"**/reports/{draft.pk}/edit/")

    # the same form, filled in as saved
    expect(page.locator("input[name=overall][value='3']")).to_be_checked()
    expect(page.locator("input[name=percent_complete]")).to_have_value("45")
    page.fill("textarea[name=summary]", "Vendor gone; looking for another.")
    page.click("[data-testid=save-draft]")
    page.wait_for_url(lambda url: urlparse(url).path == f"/projects/{project.code}/")
    draft.refresh_from_db()
    assert (draft.state, draft.summary) == ("draft", "Vendor gone; looking for another.")

    # submitting checks it: the red needs its reason
    page.goto(f"/projects/{project.code}/reports/{draft.pk}/edit/")
    expect(page.locator("textarea[name=summary]")).to_have_value(
        "Vendor gone; looking for another."
    )
    page.click("#submit-report")
    expect(page.locator("#report-form .errorlist")).to_contain_text(
        "a reason is required when “Overall” is amber or red"
    )
    draft.refresh_from_db()
    assert draft.state == "draft"
    page.fill("input[name=overall_reason]", "No vendor for the core module.")
    page.click("#submit-report")
    page.wait_for_url(lambda url: urlparse(url).path == f"/projects/{project.code}/")
    expect(page.locator(".flash.success")).to_contain_text("submitted")
    draft.refresh_from_db()
    assert (draft.state, draft.overall_reason) == ("submitted", "No vendor for the core module.")
