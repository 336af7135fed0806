"""Signing in and working the status center: filter, search, sort and page through it via htmx."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import PASSWORD
from tests.e2e.helpers import ROWS, codes, expect, marker_survived, report, set_marker

pytestmark = pytest.mark.e2e


def query_of(page: Any) -> dict[str, list[str]]:
    """The query string of the page's current URL."""
    return parse_qs(urlparse(page.url).query)


def test_sign_in_lands_on_the_status_center(
    page: Any, live_server: Any, users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given a project and a signed-out browser
    make_project(name="Alpha")

    # when the user opens the status center, they are sent to the login form
    page.goto("/")
    assert urlparse(page.url).path == "/accounts/login/"
    assert query_of(page) == {"next": ["/"]}

    # a wrong password keeps them there with an error
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".errors")).to_be_visible()
    assert urlparse(page.url).path == "/accounts/login/"

    # the right one lands on the status center: a project manager's own projects
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/?scope=mine")
    expect(page.locator("h1")).to_have_text("Portfolio status center")
    # the top bar names the person; the username is in the tooltip and the menu
    expect(page.locator(".who")).to_have_text("Zhang Wei · Project manager")
    expect(page.locator(".who")).to_have_attribute("title", "Zhang Wei (pm) · Project manager")
    assert codes(page) == ["T001"]
    expect(page.locator("[data-testid=project-count]")).to_have_text("1 project")


def test_filter_by_rag_swaps_the_table_without_reloading(
    sign_in: Callable[[str], Any], users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given five projects: two red, one green, one amber, one without a report
    admin = users["admin"]
    for overall in (3, 1, 3, 2, None):
        project = make_project()
        if overall:
            report(project, admin, overall)
    page = sign_in("member")
    assert codes(page) == ["T001", "T002", "T003", "T004", "T005"]
    set_marker(page)

    # when RAG = red is chosen
    page.select_option("select[name=rag]", "red")

    # then only the red projects are listed, the page was not reloaded and the URL was pushed
    expect(page.locator(ROWS)).to_have_count(2)
    assert codes(page) == ["T001", "T003"]
    chips = page.locator(f"{ROWS} td.overall .rag").all()
    assert [chip.get_attribute("data-rag") for chip in chips] == ["3", "3"]
    assert marker_survived(page)
    expect(page).to_have_url(re.compile(r"[?&]rag=red(&|$)"))
    expect(page.locator("[data-testid=project-count]")).to_have_text("2 projects")

    # and "no report" finds the one without a report
    page.select_option("select[name=rag]", "none")
    expect(page.locator(ROWS)).to_have_count(1)
    assert codes(page) == ["T005"]
    # (page.url follows the pushed address by an event of its own: waited for, not read)
    expect(page).to_have_url(re.compile(r"[?&]rag=none(&|$)"))
    assert marker_survived(page)

    # and a reload of the pushed URL renders the same filtered page in full
    page.reload()
    assert codes(page) == ["T005"]
    expect(page.locator("select[name=rag]")).to_have_value("none")
    assert not marker_survived(page)


def test_search_text_filters_as_you_type(
    sign_in: Callable[[str], Any], make_project: Callable[..., Any]
) -> None:
    # given three projects with different names
    make_project(name="Payment gateway")
    make_project(name="Warehouse robots", name_zh="仓库机器人")
    make_project(name="Payroll upgrade")
    page = sign_in("member")
    set_marker(page)

    # when "pay" is typed into the search box
    page.locator("input[name=q]").press_sequentially("pay", delay=30)

    # then the two matching projects remain (case-insensitive), without a page load
    expect(page).to_have_url(re.compile(r"[?&]q=pay(&|$)"))
    expect(page.locator(ROWS)).to_have_count(2)
    assert codes(page) == ["T001", "T003"]
    assert marker_survived(page)

    # and the Chinese name is searched too (an IME commits the text, then a key is released)
    search = page.locator("input[name=q]")
    search.fill("机器")
    search.press("End")
    page.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("q") == ["机器"])
    expect(page.locator(ROWS)).to_have_count(1)
    assert codes(page) == ["T002"]
    assert marker_survived(page)


def test_sort_by_clicking_a_header_toggles_the_direction(
    sign_in: Callable[[str], Any], make_project: Callable[..., Any]
) -> None:
    # given three projects whose % complete is not in code order
    for percent in (30, 10, 20):
        make_project(percent_complete=percent)
    page = sign_in("member")
    assert codes(page) == ["T001", "T002", "T003"]
    set_marker(page)

    # when the "% done" header is clicked, the rows sort ascending
    page.click("[data-testid=sort-percent]")
    expect(page).to_have_url(re.compile(r"[?&]sort=percent(&|$)"))
    expect(page.locator(f"{ROWS}:first-child")).to_have_attribute("data-code", "T002")
    assert codes(page) == ["T002", "T003", "T001"]
    expect(page.locator("[data-testid=sort-percent]")).to_contain_text("▲")

    # and a second click sorts descending
    page.click("[data-testid=sort-percent]")
    expect(page).to_have_url(re.compile(r"[?&]sort=-percent(&|$)"))
    expect(page.locator(f"{ROWS}:first-child")).to_have_attribute("data-code", "T001")
    assert codes(page) == ["T001", "T003", "T002"]
    expect(page.locator("[data-testid=sort-percent]")).to_contain_text("▼")
    assert marker_survived(page)


def test_paginate_through_more_than_fifty_projects(
    sign_in: Callable[[str], Any], make_project: Callable[..., Any]
) -> None:
    # given 55 projects (the page holds 50)
    for _ in range(55):
        make_project()
    page = sign_in("member")

    # the first page shows 50 rows
    expect(page.locator("[data-testid=project-count]")).to_have_text("55 projects")
    expect(page.locator("[data-testid=page-of]")).to_have_text("Page 1 of 2")
    assert codes(page) == [f"T{n:03d}" for n in range(1, 51)]
    expect(page.locator("[data-testid=page-prev]")).to_have_count(0)
    set_marker(page)

    # when "Next" is clicked, the last five come in via htmx and the URL says page 2
    page.click("[data-testid=page-next]")
    expect(page.locator("[data-testid=page-of]")).to_have_text("Page 2 of 2")
    assert codes(page) == [f"T{n:03d}" for n in range(51, 56)]
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    expect(page.locator("[data-testid=page-next]")).to_have_count(0)
    assert marker_survived(page)

    # and "Previous" goes back
    page.click("[data-testid=page-prev]")
    expect(page.locator("[data-testid=page-of]")).to_have_text("Page 1 of 2")
    expect(page.locator(ROWS)).to_have_count(50)
    expect(page).to_have_url(re.compile(r"[?&]page=1(&|$)"))


def test_filtering_keeps_the_sort_chosen_in_the_table_header(
    sign_in: Callable[[str], Any], users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given three red projects and a green one, % complete not in code order
    for percent, overall in ((30, 3), (10, 3), (20, 3), (5, 1)):
        report(make_project(), users["admin"], overall, percent=percent)
    page = sign_in("member")

    # when the table is sorted by % done (descending) and then filtered to red
    page.click("[data-testid=sort-percent]")
    expect(page.locator("[data-testid=sort-percent]")).to_contain_text("▲")
    page.click("[data-testid=sort-percent]")
    expect(page.locator("[data-testid=sort-percent]")).to_contain_text("▼")
    page.select_option("select[name=rag]", "red")

    # then the red projects are still sorted by % done, descending
    expect(page.locator(ROWS)).to_have_count(3)
    expect(page).to_have_url(re.compile(r"^(?=.*[?&]rag=red(&|$)).*[?&]sort=-percent(&|$)"))
    assert codes(page) == ["T001", "T003", "T002"]


def test_export_follows_the_filter_chosen_via_htmx(
    sign_in: Callable[[str], Any], users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given two red projects and a green one
    for overall in (3, 1, 3):
        report(make_project(), users["admin"], overall)
    page = sign_in("member")

    # when the table is filtered to red (htmx) and the CSV export is fetched from its link
    page.select_option("select[name=rag]", "red")
    expect(page.locator(ROWS)).to_have_count(2)
    expect(page.locator("#export-csv")).to_have_attribute("href", re.compile(r"rag=red"))
    href = page.locator("#export-csv").get_attribute("href")
    response = page.request.get(href)

    # then the file holds the two red projects only
    assert response.status == 200
    lines = response.text().strip().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["T001", "T003"]


def test_a_cancelled_project_is_out_of_the_rag_counts_and_its_page_says_it_ended(
    sign_in: Callable[[str], Any], users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    import datetime as dt

    from pmo.portfolio import services

    # given two green projects a day late, one of which the PMO then cancels
    late = {"baseline_finish": dt.date(2027, 8, 30), "forecast_finish": dt.date(2027, 8, 31)}
    running, stopped = make_project(**late), make_project(**late)
    for project in (running, stopped):
        report(project, users["admin"], 1)
    stopped.refresh_from_db()
    services.update_project(
        actor=users["admin"], project=stopped, data={"state": "cancelled"}, version=stopped.version
    )
    page = sign_in("admin")

    # then the Green chip counts the running one only, the cancelled one counts apart
    expect(page.locator("[data-count=green]")).to_have_text("1")
    expect(page.locator("[data-count=cancelled]")).to_have_text("1")
    # (the list shows running projects by default: every state to see both rows)
    page.goto("/?state=all")
    # and only the running project's slip is red
    red = "rgb(197, 53, 50)"  # --r-text: the RAG red darkened for text contrast (ADR 0012)
    slip = {code: page.locator(f"tr[data-code={code}] [data-testid=slip]") for code in codes(page)}
    assert slip[running.code].evaluate("e => getComputedStyle(e).color") == red
    assert slip[stopped.code].evaluate("e => getComputedStyle(e).color") != red

    # when its page is opened: it says it ended and offers no status report
    page.click(f"tr[data-code={stopped.code}] a")
    expect(page.locator("[data-testid=ended-banner] strong")).to_have_text(
        re.compile(r"^Cancelled on \d{4}-\d{2}-\d{2}$")
    )
    expect(page.locator("#new-report")).to_have_count(0)


def test_on_a_phone_the_list_shows_code_name_overall_trend_and_flags_without_scrolling(
    page: Any, users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given a project with a long name, on a 390 px phone and on a desktop
    make_project(name="Enterprise warehouse management system rollout, phase two")
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(\?.*)?$"))

    def shown() -> list[str]:
        return page.eval_on_selector_all(
            "table.status-grid thead th",
            "ths => ths.filter(th => th.offsetParent !== null).map(th => th.textContent.trim())",
        )

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/?state=all")
    headers = shown()
    assert [re.sub(r"[▲▼]", "", h).strip() for h in headers] == [
        "Code",
        "Name",
        "Overall",
        "Trend",
        "Flags",
    ]
    wrap = page.locator("#projects").locator("xpath=..")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")

    # a desktop keeps every column
    page.set_viewport_size({"width": 1440, "height": 900})
    assert len(shown()) >= 12
