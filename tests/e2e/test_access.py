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
    # given the PM of T001 (who may read T002 too)
    page = sign_in("pm")
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
