"""Browser test of the gate calendar a PMO plans steering from: weeks with their dates, a row
per gate with its review date and state, the same columns in every week, both languages; on
a phone each gate is a compact entry that keeps the project's code on one line."""

import datetime as dt

import pytest

from tests.e2e.helpers import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_pmo_reads_weeks_days_and_review_dates(sign_in, users, make_project):
    from pmo.governance import services
    from pmo.governance.models import LifecycleTemplate

    generic = LifecycleTemplate.objects.get(code="generic", revision=1)
    today = dt.date.today()
    for code in ("CAL1", "CAL2"):
        services.start_lifecycle(
            actor=users["admin"],
            project=make_project(code=code),
            template=generic,
            started_on=today - dt.timedelta(days=10),
        )
    review_day = today + dt.timedelta(days=14)
    services.request_review(actor=users["pm"], project=_project("CAL2"), scheduled_for=review_day)
    page = sign_in("member")
    page.goto("/gate-calendar/?days=200")
    row = page.locator('tr[data-code="CAL2"][data-gate="G1"]')
    assert row.get_attribute("data-state") == "scheduled"
    assert row.locator("[data-testid=review-date]").inner_text() == review_day.isoformat()
    assert "Review requested" in row.inner_text()  # as the steering agenda says it
    waiting = page.locator('tr[data-code="CAL1"][data-gate="G1"]')
    assert "No review requested" in waiting.inner_text()
    year, number, weekday = review_day.isocalendar()
    label = f"{year}-W{number:02d}"  # as the one-page board and the heat map print it
    heading = page.locator(f'[data-week="{label}"] h2').inner_text()
    monday = review_day - dt.timedelta(days=weekday - 1)
    assert heading.startswith(f"{label} · {monday.isoformat()} – ")
    # every week's table has the same columns: the "Review date" headers line up
    headers = page.locator("table.gate-calendar th:nth-child(5)")
    assert headers.count() >= 2
    lefts = {round(headers.nth(i).bounding_box()["x"]) for i in range(headers.count())}
    assert len(lefts) == 1, lefts
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scroll
    page.click("[data-testid=lang-zh]")
    expect(page.locator("h1")).to_have_text("阶段门日历")
    expect(page.locator('tr[data-code="CAL2"][data-gate="G1"]')).to_have_count(1)
    page.click("[data-testid=lang-en]")


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_each_gate_reads_as_a_compact_entry(sign_in, users, make_project):
    """The audit's phone (390 px, Chinese): the project column was one character wide
    ("P0027" wrapping as "P0/02/7", the name running down), the dates and state cut off and
    the page 16,900 px tall for the demo's 72 gates."""
    from pmo.governance import services
    from pmo.governance.models import LifecycleTemplate

    generic = LifecycleTemplate.objects.get(code="generic", revision=1)
    today = dt.date.today()
    for i in range(24):  # 3 gates each: 72 entries, the demo's 90-day window
        project = make_project(
            code=f"P{27 + i:04d}",
            name=f"Supplier quality portal {i}",
            name_zh=f"供应商质量门户第{i}期",
            forecast_finish=today + dt.timedelta(days=120 + 3 * i),
        )
        services.start_lifecycle(
            actor=users["admin"],
            project=project,
            template=generic,
            started_on=today - dt.timedelta(days=3 * i),
        )
    services.request_review(
        actor=users["pm"], project=_project("P0027"), scheduled_for=today + dt.timedelta(days=5)
    )
    page = sign_in("member")
    page.click("[data-testid=lang-zh]")
    page.set_viewport_size(PHONE)
    page.goto("/gate-calendar/?days=400")
    entries = page.locator("table.gate-calendar tbody tr")
    assert entries.count() == 72
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('table.gate-calendar tbody tr')].map(tr => {
            const box = el => el.getBoundingClientRect();
            const cell = tr.querySelector('td.project'), code = cell.querySelector('a');
            const line = parseFloat(getComputedStyle(code).lineHeight) || 20;
            return {code: code.textContent, cell: box(cell).width, width: code.scrollWidth,
                    height: box(code).height, line,
                    right: Math.max(...[...tr.children].map(td => box(td).right)),
                    state: box(tr.querySelector('td.state')).width};
        })"""
    )
    for box in boxes:
        assert box["cell"] >= box["width"], box  # no cell narrower than the code
        assert box["height"] < 1.5 * box["line"], box  # the code on one line
        assert box["right"] <= PHONE["width"], box  # nothing cut off at the right
        assert box["state"] > 0, box
    entry = page.locator('tr[data-code="P0027"][data-gate="G1"]')
    assert "供应商质量门户第0期" in entry.locator("td.project").inner_text()
    assert entry.locator("[data-testid=review-date]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height  # the table squeezed into a column took 16,900 px
    # the desktop keeps its table: a header row and the day's date beside its gates
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.locator("table.gate-calendar thead").first.is_visible()
    first = page.locator("table.gate-calendar tbody tr.day-start").first
    day, project = first.locator("td.day"), first.locator("td.project")
    assert day.bounding_box()["x"] < project.bounding_box()["x"]
    assert day.bounding_box()["y"] == project.bounding_box()["y"]
    page.click("[data-testid=lang-en]")


def _project(code):
    from pmo.portfolio.models import Project

    return Project.objects.get(code=code)
