"""Who sees what: viewers are limited to their org unit, PMs report only on their projects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import codes, expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_units(users: dict[str, Any], make_project: Callable[..., Any]) -> None:
    """T001 in Shanghai R&D (PM ``pm``), T002 in London IT (PM ``other_pm``)."""
    make_project(name="Shanghai lab")
    make_project(name="London ledger", manager=users["other_pm"].person)


@pytest.mark.usefixtures("two_units")
def test_viewer_sees_only_projects_of_their_org_unit(sign_in: Callable[[str], Any]) -> None:
    # when the Shanghai viewer opens the status center
    page = sign_in("viewer")

    # then only the Shanghai project is listed
    assert codes(page) == ["T001"]
    expect(page.locator("[data-testid=project-count]")).to_have_text("1 project")

    # and the London project cannot be opened by its URL either
    response = page.goto("/projects/T002/")
    assert response is not None
    assert response.status == 404
    response = page.goto("/projects/T001/")
    assert response is not None
    assert response.status == 200


@pytest.mark.usefixtures("two_units")
def test_london_viewer_sees_only_london(sign_in: Callable[[str], Any]) -> None:
    page = sign_in("uk_viewer")
    assert codes(page) == ["T002"]


@pytest.mark.usefixtures("two_units")
def test_pm_cannot_report_on_someone_elses_project(sign_in: Callable[[str], Any]) -> None:
    # given the PM of T001 (who lands on their own projects and may read T002 too)
    page = sign_in("pm")
    assert codes(page) == ["T001"]
    page.goto("/?scope=all")
    assert codes(page) == ["T001", "T002"]

    # their own project offers the report form
    page.goto("/projects/T001/")
    expect(page.locator("#new-report")).to_be_visible()

    # when they open the report form of the other PM's project
    page.goto("/projects/T002/reports/new/")

    # then they are sent to the project page with a message and no way to submit
    assert urlparse(page.url).path == "/projects/T002/"
    expect(page.locator(".flash.error")).to_have_text(
        "You may read this project but not report on it."
    )
    expect(page.locator("#new-report")).to_have_count(0)
    expect(page.locator("#report-form")).to_have_count(0)
    expect(page.locator("#submit-report")).to_have_count(0)


def test_a_page_for_another_role_explains_itself_and_leads_back(
    sign_in: Callable[[str], Any],
) -> None:
    # given a viewer, who may not create resources
    page = sign_in("viewer")

    # when they open "New resource" by its URL
    response = page.goto("/resources/new/")

    # then the answer is a page of the site saying why, not Django's bare "403 Forbidden"
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    # the reason leads, then the role and whom to ask
    expect(page.locator("[data-testid=reason]")).to_have_text(
        "Reason: only the PMO and resource managers change resources"
    )
    expect(page.locator("[data-testid=error-page]")).to_contain_text(
        "Your role is Viewer. If you need this for your work, ask the PMO."
    )
    expect(page.locator("[data-testid=error-page]")).not_to_contain_text("change your role")

    # and its link leads back to the status center
    page.locator("[data-testid=error-page] a", has_text="Status center").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    expect(page.locator("h1")).to_have_count(1)


def test_the_api_docs_work_without_the_internet(
    sign_in: Callable[[str], Any], live_server: Any
) -> None:
    # given a signed-in user (the docs are part of the site, served from its own files)
    page = sign_in("pm")
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )

    # when they open the API's interactive docs
    page.goto("/api/v1/docs")

    # then Swagger UI draws the operations, and nothing was fetched from another host (a CDN
    # is unreachable on many company networks: the page stayed blank)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("PMO Hub")
    expect(page.locator(".opblock").first).to_be_visible()
    assert elsewhere == []
