"""The Django admin in a browser: a project's manager is picked by name (autocomplete under the
Content-Security-Policy), no page asks for a missing favicon, and the change is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pmo.audit.models import AuditEvent
from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def test_the_admin_picks_a_manager_by_name_and_asks_for_no_missing_file(
    page: Any,
    sign_in: Callable[[str], Any],
    users: dict[str, Any],
    make_project: Callable[..., Any],
) -> None:
    # given a project without a manager and the PMO admin signed in as superuser
    project = make_project(code="ADM1", manager=None)
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save(update_fields=["is_staff", "is_superuser"])
    missing: list[str] = []
    refused: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in("admin")

    # when the manager is searched by name on the project's admin page and the page saved
    page.goto(f"/admin/portfolio/project/{project.pk}/change/")
    page.locator(".field-manager .select2-selection").click()
    # the list opens with everyone (Zhang Wei too) and is drawn again when the search answers:
    # a click on the first list's option may land as it is replaced, so the answer comes first
    with page.expect_response(lambda r: "/admin/autocomplete/" in r.url and "term=Zhang" in r.url):
        page.locator(".select2-search__field").fill("Zhang")
    page.locator(".select2-results__option", has_text="Zhang Wei").click()
    expect(page.locator(".field-manager .select2-selection__rendered")).to_contain_text("Zhang Wei")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    # then the manager is stored, the change is in the trail, nothing was missing or refused
    project.refresh_from_db()
    assert project.manager is not None and project.manager.name == "Zhang Wei"
    event = AuditEvent.objects.get(object_type="portfolio.project")
    assert event.changes == {"manager": [None, project.manager_id]}
    assert missing == []
    assert refused == []
