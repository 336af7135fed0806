"""In a real browser: a Gantt opens with today in view, scrolls inside its box, never the page.

The plan runs from about ten months ago to a month from now, so at the week zoom the time
line is far wider than the screen and today sits near its right end: a chart that opened at
its start (as it used to) has today out of view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.scheduling import services
from pmo.scheduling.planio import CalendarData, LinkData, PlanData, TaskData

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DAY = 480
WEEKDAYS = [[(480, 720), (780, 1020)]] * 5 + [[], []]
SCREENS = [(1440, 900), (390, 844)]

# Where today's line is against the scrolling box, and whether the page scrolls sideways.
MEASURE = """() => {
  const box = document.querySelector("[data-gantt-scroll]");
  const today = document.querySelector("[data-gantt-scroll] line.today").getBoundingClientRect();
  const view = box.getBoundingClientRect();
  return {
    todayX: today.left, left: view.left, right: view.left + box.clientWidth,
    scrolls: box.scrollWidth > box.clientWidth,
    pageWidth: document.documentElement.scrollWidth, screenWidth: window.innerWidth,
    years: Array.from(box.querySelectorAll("text.period")).map((t) => t.textContent),
  };
}"""


def _late_plan() -> PlanData:
    """Build 210 working days from a Monday ~42 weeks ago, then 30 days of UAT, go-live."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=294 + today.weekday())
    return PlanData(
        name="Late plan",
        start=dt.datetime.combine(monday, dt.time(8)),
        calendar_uid=1,
        calendars=[CalendarData(uid=1, name="Standard", week=WEEKDAYS)],
        tasks=[
            TaskData(uid=1, name="Build", wbs="1", duration=210 * DAY),
            TaskData(
                uid=2, name="UAT", wbs="2", duration=30 * DAY, predecessors=[LinkData(pred_uid=1)]
            ),
            TaskData(
                uid=3, name="Go-live", wbs="3", milestone=True, predecessors=[LinkData(pred_uid=2)]
            ),
        ],
    )


def _in_view(state: dict[str, Any]) -> bool:
    return bool(state["left"] <= state["todayX"] <= state["right"])


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_gantt_opens_at_today_and_only_the_chart_scrolls(
    page: Any, sign_in: Any, make_project: Any, users: Any, width: int, height: int
) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=_late_plan())
    page.set_viewport_size({"width": width, "height": height})
    sign_in("pm")
    page.goto(f"/projects/{project.code}/plan/")
    page.wait_for_load_state("load")
    state = page.evaluate(MEASURE)
    assert state["scrolls"], state  # the time line is wider than its box...
    assert _in_view(state), state  # ...and opens with today in view
    assert state["pageWidth"] <= state["screenWidth"], state  # the page itself does not scroll
    year = str(timezone.localdate().year)
    assert any(label.startswith(year) for label in state["years"]), state
    assert page.locator("[data-gantt-scroll] g.row.critical").count() >= 2
    page.click("a[data-zoom=day]")  # htmx swaps the chart: today stays in view
    page.wait_for_selector("svg.gantt[data-zoom=day]")
    page.wait_for_function(
        "() => document.querySelector('[data-gantt-scroll]').scrollLeft > 0", timeout=5000
    )
    state = page.evaluate(MEASURE)
    assert _in_view(state) and state["pageWidth"] <= state["screenWidth"], state
    page.click("[data-gantt-pan='-1']")  # pan away, then back to today
    page.wait_for_function(
        "() => { const l = document.querySelector('[data-gantt-scroll] line.today')"
        ".getBoundingClientRect().left; const b = document.querySelector('[data-gantt-scroll]')"
        ".getBoundingClientRect(); return l > b.right || l < b.left; }",
        timeout=5000,
    )
    page.click("[data-testid=gantt-today]")
    page.wait_for_function(
        "() => { const l = document.querySelector('[data-gantt-scroll] line.today')"
        ".getBoundingClientRect().left; const b = document.querySelector('[data-gantt-scroll]')"
        ".getBoundingClientRect(); return l >= b.left && l <= b.right; }",
        timeout=5000,
    )


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_milestone_chart_opens_at_today(
    page: Any, sign_in: Any, make_project: Any, width: int, height: int
) -> None:
    from pmo.portfolio.models import Milestone

    today = timezone.localdate()
    project = make_project()
    for name, days in (("Kick-off", -420), ("Go-live", 420)):
        Milestone.objects.create(
            project=project,
            name=name,
            baseline_date=today + dt.timedelta(days=days),
            is_key=True,
        )
    page.set_viewport_size({"width": width, "height": height})
    sign_in("exec")
    page.goto("/milestones/")
    page.wait_for_load_state("load")
    state = page.evaluate(MEASURE)
    assert state["scrolls"] and _in_view(state), state
    assert state["pageWidth"] <= state["screenWidth"], state
