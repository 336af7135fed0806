"""Writing a status report in the browser: validation, submission and where it shows up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

DIMENSIONS = ("overall", "schedule", "cost", "scope", "resources", "quality")


def test_amber_needs_a_reason_then_the_report_reaches_project_page_and_status_center(
    sign_in: Callable[[str], Any], make_project: Callable[..., Any]
) -> None:
    # given the PM's own project without any report
    project = make_project(name="Data platform")
    page = sign_in("pm")
    expect(page.locator("tr[data-code=T001] td.overall .rag-none")).to_have_count(1)

    # when the PM reports overall amber without a reason
    page.goto(f"/projects/{project.code}/reports/new/")
    for name in DIMENSIONS:
        page.check(f"input[name={name}][value='{2 if name in ('overall', 'schedule') else 1}']")
    page.fill("input[name=schedule_reason]", "Vendor delivered two weeks late.")
    page.fill("textarea[name=summary]", "Integration tests slipped a sprint.")
    page.fill("input[name=percent_complete]", "45")
    page.click("#submit-report")

    # then the form comes back with the error on the overall reason, nothing saved
    error = page.locator("#report-form .errorlist")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("a reason is required when “Overall” is amber or red")
    assert urlparse(page.url).path == f"/projects/{project.code}/reports/new/"
    assert project.reports.count() == 0

    # when the reason is given (the rest of the form kept its values) and it is submitted again
    expect(page.locator("textarea[name=summary]")).to_have_value(
        "Integration tests slipped a sprint."
    )
    page.fill("input[name=overall_reason]", "Schedule at risk.")
    page.click("#submit-report")

    # then the project page shows it as the latest report
    page.wait_for_url(lambda url: urlparse(url).path == f"/projects/{project.code}/")
    expect(page.locator(".flash.success")).to_contain_text("submitted")
    expect(page.locator("#latest-summary")).to_have_text("Integration tests slipped a sprint.")
    expect(page.locator("#latest-report .rag[data-rag='2']").first).to_be_visible()
    saved = project.reports.get()
    assert (saved.state, saved.overall, saved.overall_reason, saved.percent_complete) == (
        "submitted",
        2,
        "Schedule at risk.",
        45,
    )

    # and the status center shows the project amber
    page.goto("/")
    chip = page.locator("tr[data-code=T001] td.overall .rag")
    expect(chip).to_have_attribute("data-rag", "2")
    expect(page.locator("tr[data-code=T001]")).to_contain_text("45%")
