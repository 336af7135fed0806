"""A new organisation's PMO member opens the first project from the empty status center and edits
it, in English and in Chinese (a refused save names every problem in a summary that links to
each field); the project form and the empty status center pass axe (WCAG 2.1 A/AA, serious and
critical)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_pmo_creates_the_first_project_and_edits_it(
    lang: str, sign_in: Callable[[str], Any], users: dict[str, Any], portfolio: Any
) -> None:
    from pmo.audit.models import AuditAction, AuditEvent
    from pmo.portfolio.models import Project

    users["member"].language = lang
    users["member"].save(update_fields=["language"])
    page = sign_in("member")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if lang != "en" else "en")

    # the empty status center offers the first project
    expect(page.locator("[data-testid=empty-new-project]")).to_be_visible()
    page.click("#new-project")
    page.wait_for_url("**/projects/new/")

    # a finish before the start is refused at the finish, with what was typed kept
    page.fill("input[name=code]", "WH-1")
    page.fill("input[name=name]", "New warehouse")
    page.fill("input[name=name_zh]", "新仓库")
    page.select_option("select[name=portfolio]", value=str(portfolio.pk))
    page.select_option("select[name=org_unit]", value=str(users["pm"].person.org_unit_id))
    page.select_option("select[name=pmo_type]", "delivery")
    page.select_option("select[name=manager]", value=str(users["pm"].person.pk))
    page.check("input[name=strategic]")
    page.fill("input[name=start_date]", "2027-03-01")
    page.fill("input[name=planned_finish]", "2027-02-01")
    page.fill("input[name=budget]", "12345678901234567890")
    page.click("[data-testid=save]")
    expect(page.locator("#id_planned_finish_error")).to_contain_text("2027-02-01")
    expect(page.locator("input[name=code]")).to_have_value("WH-1")
    assert not Project.objects.exists()
    # ... together with the budget's error: a summary, read first, links to both fields
    expect(page.locator("#id_budget_error")).to_be_visible()
    summary = page.locator("[data-testid=error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(2)
    summary.locator("a[href='#id_budget']").click()
    expect(page.locator("input[name=budget]")).to_be_focused()

    # corrected, it is created and the project page shows it
    page.fill("input[name=budget]", "1200000")
    page.fill("input[name=planned_finish]", "2027-09-30")
    page.click("[data-testid=save]")
    page.wait_for_url(lambda url: urlparse(url).path == "/projects/WH-1/")
    project = Project.objects.get(code="WH-1")
    assert (project.baseline_finish.isoformat(), project.strategic) == ("2027-09-30", True)
    expect(page.locator("h1")).to_contain_text("新仓库" if lang != "en" else "New warehouse")
    expect(page.locator("[data-testid=planned-finish]")).to_contain_text("2027-09-30")

    # Edit changes the name and the priority
    page.click("#edit-project")
    page.wait_for_url("**/projects/WH-1/edit/")
    expect(page.locator("input[name=name]")).to_have_value("New warehouse")
    page.fill("input[name=name]", "Central warehouse")
    page.fill("input[name=name_zh]", "中央仓库")
    page.select_option("select[name=priority]", "1")
    expect(page.locator("input[name=planned_finish]")).to_have_value("2027-09-30")
    page.fill("input[name=planned_finish]", "2027-10-29")
    page.click("[data-testid=save]")
    page.wait_for_url(lambda url: urlparse(url).path == "/projects/WH-1/")
    expect(page.locator("h1")).to_contain_text("中央仓库" if lang != "en" else "Central warehouse")
    project.refresh_from_db()
    assert (project.name, project.priority, project.version) == ("Central warehouse", 1, 2)
    assert (project.planned_finish.isoformat(), project.baseline_finish.isoformat()) == (
        "2027-10-29",
        "2027-09-30",
    )
    event = AuditEvent.objects.get(scope=f"project:{project.pk}", action=AuditAction.UPDATE)
    assert event.changes["name"] == ["New warehouse", "Central warehouse"]


def test_the_project_form_and_the_empty_status_center_pass_axe(
    sign_in: Callable[[str], Any], make_project: Callable[..., Any]
) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("the 'axe-playwright-python' package is missing (pip install -e '.[dev]')")
    axe, problems = Axe(), []
    page = sign_in("admin")
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    for lang in ("en", "zh"):
        page.goto("/")
        page.click(f"[data-testid=lang-{lang}]")
        page.wait_for_load_state()
        for path in ("/", "/projects/new/"):
            page.goto(path)
            for rule in axe.run(page, options=options).response["violations"]:
                if rule["impact"] in ("serious", "critical"):
                    problems.append(f"[{lang}] {path}: {rule['id']}")
        # a refused save shows its errors at the fields, and those pass too
        page.goto("/projects/new/")
        page.fill("input[name=code]", "bad code")
        page.fill("input[name=name]", "X")
        page.select_option("select[name=portfolio]", index=1)
        page.select_option("select[name=org_unit]", index=1)
        page.click("[data-testid=save]")
        expect(page.locator(".errorlist")).not_to_have_count(0)
        for rule in axe.run(page, options=options).response["violations"]:
            if rule["impact"] in ("serious", "critical"):
                problems.append(f"[{lang}] errors: {rule['id']}")
    project = make_project()
    page.goto(f"/projects/{project.code}/edit/")
    for rule in axe.run(page, options=options).response["violations"]:
        if rule["impact"] in ("serious", "critical"):
            problems.append(f"edit: {rule['id']}")
    assert not problems, "WCAG 2.1 A/AA violations:\n" + "\n".join(problems)
