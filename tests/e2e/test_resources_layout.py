"""Capacity pages in the browser: a scenario page fits a phone, the heat map's title follows
the htmx swap, heat-map labels stay on one line, the pin picker counts ticked boxes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def _levelled_scenario(org: Any, make_project: Callable[..., Any], member: Any) -> Any:
    """A draft scenario with a finished leveling run whose tables are wide (long names)."""
    from pmo.resources import services
    from pmo.resources.models import Allocation, LevelingRun, ProjectShift, Resource

    java = Resource.objects.create(
        code="java-sh",
        name="Java developer, Shanghai",
        name_zh="Java开发工程师（上海）",
        kind="pool",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal("2"),
        calendar="",
    )
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    projects = [
        make_project(name=f"Regulatory reporting platform modernisation wave {n}", priority=n)
        for n in (1, 3, 5)
    ]
    for project in projects:
        Allocation.objects.create(
            resource=java,
            project=project,
            first=monday,
            last=monday + dt.timedelta(days=4),
            fte=Decimal("1"),
        )
    scenario = services.create_scenario(actor=member, name="Wide tables")
    for project in projects:
        ProjectShift.objects.create(scenario=scenario, project=project, days=21, pinned=True)
    LevelingRun.objects.create(
        scenario=scenario,
        created_by=member,
        state="done",
        phase="done",
        progress=100,
        overload_before=12.5,
        overload_after=0.0,
        result={
            "projects": [
                {
                    "project": p.code,
                    "priority": p.priority,
                    "weight": 1,
                    "delay": 10 * i,
                    "moved": 1,
                    "pinned": True,
                }
                for i, p in enumerate(projects, 1)
            ],
            "moved": [
                {
                    "id": 1,
                    "project": p.code,
                    "resource": java.code,
                    "kind": "allocation",
                    "fte": 1.0,
                    "first": "2026-03-02",
                    "last": "2026-03-06",
                    "new_first": "2026-04-02",
                    "new_last": "2026-04-06",
                    "kept_last": "2026-03-03",
                    "days": 21,
                }
                for p in projects
            ],
            "solver": {"status": "optimal", "objective": 10, "bound": 10},
        },
    )
    return scenario


def test_a_levelled_scenario_page_fits_a_phone(
    org: Any, users: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any]
) -> None:
    # given a scenario whose run tables are wider than a phone
    scenario = _levelled_scenario(org, make_project, users["member"])
    page = sign_in("member")
    page.set_viewport_size({"width": 390, "height": 844})
    # when it is opened at 390 px
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    expect(page.locator("[data-testid=run-projects]")).to_be_visible()
    # then the page does not scroll sideways: the tables scroll inside their cards
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"
    for testid in ("run-projects", "run-moved"):
        table = page.locator(f"[data-testid={testid}]")
        wrap = table.locator("xpath=..")
        assert wrap.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        assert table.evaluate("e => e.scrollWidth") > wrap.evaluate("e => e.clientWidth")


def test_heat_map_labels_stay_on_one_line_on_the_scenario_page(
    org: Any, users: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any]
) -> None:
    scenario = _levelled_scenario(org, make_project, users["member"])
    users["member"].language = "zh-hans"
    users["member"].save()
    page = sign_in("member")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    heads = page.locator("table.heatmap th")
    expect(heads.first).to_be_visible()
    # every role label and week header is one line tall (it wrapped to 2-4 lines before)
    heights = heads.evaluate_all("es => es.map(e => e.getBoundingClientRect().height)")
    line = page.locator("table.heatmap tbody th").first.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight) || 20"
    )
    assert max(heights) < 1.8 * line, heights


def test_the_heat_map_title_says_which_plan_after_the_swap(
    org: Any, users: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any]
) -> None:
    scenario = _levelled_scenario(org, make_project, users["member"])
    page = sign_in("member")
    page.goto("/resources/heatmap/")
    title = page.locator("[data-testid=heatmap-title]")
    expect(title).to_have_text("Demand vs capacity")
    page.evaluate("window.__marker = 1")
    page.select_option("select[name=scenario]", str(scenario.pk))
    page.click("form.filters button:not([type=button])")
    expect(title).to_have_text("Demand vs capacity · scenario “Wide tables”")
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("window.__marker === 1")  # swapped by htmx, not reloaded


def test_the_pin_picker_shows_names_and_fits_its_card(
    org: Any, users: Any, make_project: Callable[..., Any], sign_in: Callable[[str], Any]
) -> None:
    scenario = _levelled_scenario(org, make_project, users["member"])
    page = sign_in("member")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    pins = page.locator(".pins label")
    expect(pins.first).to_contain_text("· Regulatory reporting platform")
    # long names are cut with an ellipsis inside the column, not widening the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".pins").bounding_box()
    assert all(
        label["x"] + label["width"] <= box["x"] + box["width"] + 1
        for label in pins.evaluate_all(
            "es => es.map(e => { const r = e.getBoundingClientRect();"
            " return {x: r.x, width: r.width}; })"
        )
    )
