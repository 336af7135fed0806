"""The status center in a browser: summary chips filter the list (keeping the other filters),
the PMO reminds the managers of missing reports (the list's button and a row's), a project
manager lands on their own projects and is told of the reminder."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from pmo.portfolio.models import Program
from tests.e2e.helpers import ROWS, codes, expect, report

pytestmark = pytest.mark.e2e


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_chip_filters_the_list_and_keeps_the_filters_chosen(
    sign_in: Callable[[str], Any], users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given two red and one green CORE projects, and a red DIGI project
    digi = Program.objects.get(code="DIGI")
    for overall, program in ((3, None), (1, None), (3, None), (3, digi)):
        project = make_project(**({"program": program} if program else {}))
        report(project, users["admin"], overall)
    page = sign_in("member")
    expect(page.locator("[data-count=red]")).to_have_text("3")

    # when the list is narrowed to CORE (htmx) and the Red chip is clicked
    page.select_option("select[name=program]", "CORE")
    expect(page.locator(ROWS)).to_have_count(3)
    expect(page.locator("[data-count=red]")).to_have_text("2")
    page.click("[data-testid=chip-red]")

    # then the red CORE projects are listed, the address and the filter bar say so
    page.wait_for_url(re.compile(r"[?&]rag=red(&|$)"))
    assert codes(page) == ["T001", "T003"]
    assert _query(page)["program"] == ["CORE"]
    expect(page.locator("select[name=rag]")).to_have_value("red")
    expect(page.locator("select[name=program]")).to_have_value("CORE")
    chip = page.locator("[data-testid=chip-red]")
    expect(chip).to_have_attribute("aria-current", "true")

    # and a change in the filter bar afterwards keeps the chip's filter
    page.select_option("select[name=program]", "")
    expect(page.locator(ROWS)).to_have_count(3)
    assert codes(page) == ["T001", "T003", "T004"]

    # a second click on the active chip shows every RAG again
    page.click("[data-testid=chip-red]")
    page.wait_for_url(lambda url: "rag" not in parse_qs(urlparse(url).query))
    expect(page.locator(ROWS)).to_have_count(4)


def test_the_pmo_reminds_missing_reports_and_the_manager_is_told(
    sign_in: Callable[[str], Any],
    browser: Any,
    live_server: Any,
    users: dict[str, Any],
    make_project: Callable[..., Any],
) -> None:
    # given three projects of ``pm`` and one of ``other_pm`` owing this period's report,
    # and one whose report is in
    for _ in range(3):
        make_project()
    make_project(manager=users["other_pm"].person)
    report(make_project(), users["admin"], 1)
    page = sign_in("member")

    # when the PMO member opens the Report missing chip and reminds one row
    page.click("[data-testid=chip-missing]")
    page.wait_for_url(re.compile(r"[?&]flag=missing(&|$)"))
    assert codes(page) == ["T001", "T002", "T003", "T004"]
    page.click("[data-testid=remind-T002]")

    # then the list comes back with the same filter, a message, and the row says who reminded
    page.wait_for_url(re.compile(r"[?&]flag=missing(&|$)"))
    expect(page.locator(".flash.success")).to_have_text("1 reminder sent")
    row = page.locator("tr[data-code=T002]")
    expect(row.locator("[data-testid=reminded]")).to_have_text(
        re.compile(r"^reminded on \d{4}-\d{2}-\d{2} by member$")
    )
    expect(row.locator("[data-testid=remind-T002]")).to_have_count(0)

    # when the list's button reminds the rest, the one reminded today is skipped
    button = page.locator("[data-testid=remind-all] button")
    # (it counts the projects it would remind: not T002, reminded today)
    expect(button).to_have_text("Remind the managers of the 3 projects missing their report")
    button.click()
    expect(page.locator(".flash.success")).to_have_text(
        "3 reminders sent; 1 project skipped: reminded today already"
    )
    expect(page.locator(f"{ROWS} [data-testid=reminded]")).to_have_count(4)
    expect(page.locator(f"{ROWS} .remind-row")).to_have_count(0)
    expect(page.locator("[data-testid=remind-all]")).to_have_count(0)  # nobody left today

    # and the project manager, signing in, lands on their own projects and has the reminders
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        pm = context.new_page()
        pm.goto("/accounts/login/")
        pm.fill("input[name=username]", "pm")
        pm.fill("input[name=password]", "pw-12345")
        pm.click("button[type=submit]")
        pm.wait_for_url(re.compile(r"/\?scope=mine$"))
        assert codes(pm) == ["T001", "T002", "T003", "T005"]
        expect(pm.locator("[data-testid=scope-mine]")).to_have_attribute("aria-current", "page")
        expect(pm.locator("[data-testid=remind-all]")).to_have_count(0)
        expect(pm.locator("[data-testid=unread]")).to_have_text("3")
        pm.click("[data-testid=notifications]")
        notice = pm.get_by_text(re.compile(r"reminds you that the .* status report of T002"))
        expect(notice).to_be_visible()

        # "All projects" shows the whole portfolio
        pm.goto("/?scope=mine")
        pm.click("[data-testid=scope-all]")
        pm.wait_for_url(re.compile(r"[?&]scope=all(&|$)"))
        assert codes(pm) == ["T001", "T002", "T003", "T004", "T005"]
    finally:
        context.close()
