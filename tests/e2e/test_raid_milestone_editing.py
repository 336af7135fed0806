"""A project manager keeps the RAID log and milestone dates on the project page: edits a risk,
closes an issue, moves a milestone's forecast and sees it flagged overdue; the forms pass axe
(WCAG 2.1 A/AA, serious and critical) in English and Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def project(make_project: Callable[..., Any], users: dict[str, Any]) -> Any:
    """The PM's project with a risk, an open issue, a decision still needed and a milestone
    forecast a month ahead."""
    from pmo.portfolio.models import Milestone
    from pmo.portfolio.raid import Decision, Issue, Risk

    project = make_project(name="MES rollout")
    Risk.objects.create(project=project, title="Vendor late", probability=3, impact=4)
    Issue.objects.create(project=project, title="Test rig down", severity=4)
    Decision.objects.create(project=project, title="Second vendor?")
    Milestone.objects.create(
        project=project,
        name="Go-live",
        baseline_date=timezone.localdate() - dt.timedelta(days=30),
        forecast_date=timezone.localdate() + dt.timedelta(days=30),
        is_key=True,
    )
    return project


def test_the_manager_edits_a_risk_closes_an_issue_and_moves_a_milestone_into_overdue(
    sign_in: Callable[[str], Any], project: Any
) -> None:
    from pmo.portfolio.models import Milestone
    from pmo.portfolio.raid import Issue, Risk

    page = sign_in("pm")
    home = f"/projects/{project.code}/"
    page.goto(home)

    # the risk's title opens its form, filled in
    page.locator("#raid-risks a", has_text="Vendor late").click()
    page.wait_for_url(f"**/raid/risks/{Risk.objects.get().pk}/")
    expect(page.locator("input[name=title]")).to_have_value("Vendor late")
    expect(page.locator("label[for=id_owner]")).to_have_text("Owner")
    page.fill("input[name=title]", "Vendor two weeks late")
    page.select_option("select[name=owner]", label="Wang Fang")
    page.select_option("select[name=impact]", "5")
    page.click("[data-testid=save]")

    # back on the project page, the row says what was saved
    page.wait_for_url(lambda url: urlparse(url).path == home)
    risk_row = page.locator("#raid-risks tr[data-item]")
    expect(risk_row).to_contain_text("Vendor two weeks late")
    expect(risk_row).to_contain_text("3×5=15")
    expect(risk_row).to_contain_text("Wang Fang")

    # the issue closes from its row, and can be reopened
    issue_row = page.locator("#raid-issues tr[data-item]")
    issue_row.get_by_role("button", name="Close “Test rig down”").click()
    expect(page.locator(".flash.success")).to_contain_text("Closed: Test rig down")
    expect(issue_row).to_contain_text("Closed")
    expect(issue_row.get_by_role("button", name="Reopen “Test rig down”")).to_be_visible()
    assert Issue.objects.get().status == "closed"

    # a decision still needed offers no Close: it is resolved by recording it
    expect(page.locator("#raid-decisions [data-testid=close-item]")).to_have_count(0)

    # the milestone is ahead: no flag; the PM moves its forecast to yesterday
    milestone = page.locator("#milestones tr[data-milestone]")
    expect(milestone.locator("[data-testid=overdue]")).to_have_count(0)
    milestone.get_by_role("link", name="Go-live").click()
    page.wait_for_url(f"**/milestones/{Milestone.objects.get().pk}/")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.fill("input[name=forecast_date]", yesterday.isoformat())
    page.click("[data-testid=save]")

    # then the project page flags it overdue, in words
    page.wait_for_url(lambda url: urlparse(url).path == home)
    flag = milestone.locator("[data-testid=overdue]")
    expect(flag).to_have_text("overdue")
    expect(milestone).to_contain_text(yesterday.isoformat())
    assert "late" in (flag.get_attribute("class") or "")

    # recording the day it was reached clears the flag
    milestone.get_by_role("link", name="Go-live").click()
    page.fill("input[name=actual_date]", timezone.localdate().isoformat())
    page.click("[data-testid=save]")
    page.wait_for_url(lambda url: urlparse(url).path == home)
    expect(milestone.locator("[data-testid=overdue]")).to_have_count(0)
    saved = Milestone.objects.get()
    assert (saved.forecast_date, saved.actual_date) == (yesterday, timezone.localdate())


def test_cancel_leaves_the_form_without_saving(sign_in: Callable[[str], Any], project: Any) -> None:
    from pmo.portfolio.raid import Risk

    page = sign_in("pm")
    risk = Risk.objects.get()
    page.goto(f"/projects/{project.code}/raid/risks/{risk.pk}/")
    page.fill("input[name=title]", "Not meant")
    page.click("[data-testid=cancel]")

    page.wait_for_url(lambda url: urlparse(url).path == f"/projects/{project.code}/")
    assert urlparse(page.url).fragment == "raid-risks"
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("Vendor late", 1)


def test_the_new_forms_have_no_serious_wcag_violations(
    sign_in: Callable[[str], Any], project: Any
) -> None:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("the 'axe-playwright-python' package is missing (pip install -e '.[dev]')")
    from pmo.portfolio.models import Milestone
    from pmo.portfolio.raid import Decision, Risk

    axe, problems = Axe(), []
    page = sign_in("pm")
    code = project.code
    paths = (
        f"/projects/{code}/",
        f"/projects/{code}/raid/risks/{Risk.objects.get().pk}/",
        f"/projects/{code}/raid/decisions/{Decision.objects.get().pk}/",
        f"/projects/{code}/raid/issues/new/",
        f"/projects/{code}/milestones/{Milestone.objects.get().pk}/",
    )
    for lang in ("en", "zh"):
        page.goto("/")
        page.click(f"[data-testid=lang-{lang}]")
        page.wait_for_load_state()
        for path in paths:
            page.goto(path)
            options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
            for rule in axe.run(page, options=options).response["violations"]:
                if rule["impact"] in ("serious", "critical"):
                    targets = ", ".join(" ".join(map(str, n["target"])) for n in rule["nodes"][:5])
                    problems.append(f"[{lang}] {path}: {rule['id']} at {targets}")
        # a refused save shows its errors at the fields, and those pass too
        page.goto(paths[2])
        page.fill("input[name=decided_by]", "CFO")
        page.click("[data-testid=save]")
        expect(page.locator(".errorlist")).not_to_have_count(0)
        for rule in axe.run(page).response["violations"]:
            if rule["impact"] in ("serious", "critical"):
                problems.append(f"[{lang}] decision errors: {rule['id']}")
    assert not problems, "WCAG 2.1 A/AA violations:\n" + "\n".join(problems)


def test_the_raid_tables_fit_their_boxes_at_1440_px_in_both_languages(
    sign_in: Callable[[str], Any], project: Any
) -> None:
    from pmo.accounts.models import Person
    from pmo.portfolio.raid import Action, Risk

    # given long titles and a long owner's name, as in the demo's P0020
    owner = Person.objects.create(
        name="Alexandra Konstantinopoulou-Whitfield", org_unit=project.org_unit
    )
    Risk.objects.create(
        project=project,
        title="Key supplier cannot deliver the integration middleware licences before cutover",
        probability=4,
        impact=5,
        owner=owner,
        due_date=timezone.localdate(),
    )
    Action.objects.create(
        project=project,
        title="Agree the fallback plan for the warehouse interface with the logistics vendor",
        owner=owner,
        due_date=timezone.localdate(),
    )
    page = sign_in("pm")
    page.set_viewport_size({"width": 1440, "height": 900})
    for lang in ("en", "zh"):
        page.goto("/")
        page.click(f"[data-testid=lang-{lang}]")
        page.wait_for_load_state()
        page.goto(f"/projects/{project.code}/")
        # then no RAID table scrolls sideways, and every Close button is in view
        overflowing = page.eval_on_selector_all(
            "table.raid",
            "ts => ts.filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)"
            ".map(t => t.closest('section').id)",
        )
        assert overflowing == [], f"[{lang}] {overflowing}"
        assert page.locator("table.raid").count() == 5
        for button in page.locator("#raid-risks [data-testid=close-item]").all():
            box, wrap = (
                button.bounding_box(),
                page.locator("#raid-risks .table-wrap").bounding_box(),
            )
            assert box and wrap and box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1
