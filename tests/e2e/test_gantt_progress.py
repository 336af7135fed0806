"""In a real browser: a project manager records progress in the plan's task table.

The plan started on a Monday two weeks ago: Design (5 days), Build (10 days, after Design),
Go-live. The manager records Design as finished a day late, then Build as half done, and
sees the rows, the bars' progress and what moved follow; a finish before the start is
refused at the field, with what was typed kept.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.utils import timezone

from pmo.scheduling import services
from pmo.scheduling.planio import CalendarData, LinkData, PlanData, TaskData
from tests.e2e.helpers import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DAY = 480
WEEKDAYS = [[(480, 720), (780, 1020)]] * 5 + [[], []]

BAR = """(uid) => {
  const row = document.querySelector(`[data-gantt-scroll] g.row[data-uid="${uid}"]`);
  const width = (el) => (el ? parseFloat(el.getAttribute("width")) : 0);
  const done = row.querySelector("rect.progress");
  return { bar: width(row.querySelector("rect.bar")), done: width(done) };
}"""


def _plan(monday: dt.date) -> PlanData:
    return PlanData(
        name="Progress plan",
        start=dt.datetime.combine(monday, dt.time(8)),
        calendar_uid=1,
        calendars=[CalendarData(uid=1, name="Standard", week=WEEKDAYS)],
        tasks=[
            TaskData(uid=1, name="Design", wbs="1", duration=5 * DAY),
            TaskData(
                uid=2, name="Build", wbs="2", duration=10 * DAY, predecessors=[LinkData(pred_uid=1)]
            ),
            TaskData(
                uid=3, name="Go-live", wbs="3", milestone=True, predecessors=[LinkData(pred_uid=2)]
            ),
        ],
    )


def _next_workday(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def test_a_manager_records_an_actual_finish_and_percent_complete(
    page: Any, sign_in: Any, make_project: Any, users: Any
) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 14)
    friday = monday + dt.timedelta(days=4)
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=_plan(monday))
    sign_in("pm")
    page.goto(f"/projects/{project.code}/plan/")
    assert page.evaluate(BAR, 1)["done"] == 0
    # Design: started as planned, finished a day late
    late = _next_workday(friday)
    page.fill("[data-testid=actual-start-1]", monday.isoformat())
    page.fill("[data-testid=actual-finish-1]", late.isoformat())
    page.click("[data-testid=save-1]")
    expect(page.locator("[data-testid=percent-1]")).to_have_value("100")
    expect(page.locator("[data-testid=actual-finish-1]")).to_have_value(late.isoformat())
    moved = page.locator("#moved")
    expect(moved).to_contain_text("Build")
    expect(moved).to_contain_text("Go-live")
    bar = page.evaluate(BAR, 1)
    assert bar["done"] == pytest.approx(bar["bar"], abs=0.5), bar  # all done
    # Build: half done; it started when Design ended, so that is its actual start
    page.fill("[data-testid=percent-2]", "50")
    page.click("[data-testid=save-2]")
    build_start = _next_workday(late)
    expect(page.locator("[data-testid=actual-start-2]")).to_have_value(build_start.isoformat())
    expect(page.locator("[data-testid=percent-2]")).to_have_value("50")
    bar = page.evaluate(BAR, 2)
    assert bar["done"] == pytest.approx(bar["bar"] / 2, abs=0.5), bar
    # the plan had no status date: work is now reported as of today
    expect(page.locator("#plan-status-date")).to_contain_text(today.isoformat())
    if os.environ.get("PMO_E2E_SCREENSHOTS"):
        page.screenshot(path=os.environ["PMO_E2E_SCREENSHOTS"], full_page=True)
    # a finish before the start: refused at the field, what was typed kept, nothing saved
    before = build_start - dt.timedelta(days=1)
    page.fill("[data-testid=actual-finish-2]", before.isoformat())
    page.click("[data-testid=save-2]")
    error = page.locator("#error-2-actual_finish")
    expect(error).to_have_text("Actual finish: is before the actual start")
    expect(page.locator("[data-testid=actual-finish-2]")).to_have_value(before.isoformat())
    expect(page.locator("[data-testid=actual-finish-2]")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate(BAR, 2)["done"] == pytest.approx(bar["done"], abs=0.5)


def test_a_stale_save_keeps_what_was_typed_and_says_so_in_the_row(
    page: Any, sign_in: Any, make_project: Any, users: Any
) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 14)
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=_plan(monday))
    sign_in("pm")
    page.goto(f"/projects/{project.code}/plan/")
    other = page.context.new_page()  # a second tab, same manager
    other.goto(f"/projects/{project.code}/plan/")
    # tab A saves Design at 30 %, and the save lands before tab B's (the field shows 30 as
    # soon as it is typed, so wait for the row's version to move on)
    version = other.locator("#row-1 input[name=version]").get_attribute("value")
    page.fill("[data-testid=percent-1]", "30")
    page.click("[data-testid=save-1]")
    expect(page.locator("#row-1 input[name=version]")).not_to_have_value(version or "")
    expect(page.locator("[data-testid=percent-1]")).to_have_value("30")
    # tab B, still showing the older row, saves 40 %: refused in the row, the 40 kept
    other.fill("[data-testid=percent-1]", "40")
    other.click("[data-testid=save-1]")
    error = other.locator("#error-1-row")
    expect(error).to_contain_text("changed by someone else")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_be_in_viewport()
    expect(other.locator("[data-testid=percent-1]")).to_have_value("40")
    expect(other.locator("#plan-error")).to_have_count(0)
    # saving again (the row now carries the current version) records the 40 on purpose
    other.click("[data-testid=save-1]")
    expect(other.locator("#error-1-row")).to_have_count(0)
    expect(other.locator("[data-testid=percent-1]")).to_have_value("40")
    other.close()
