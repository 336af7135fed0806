"""Browser test of the gate calendar a PMO plans steering from: weeks with their dates, a row
per gate with its review date and state, the same columns in every week, both languages."""

import datetime as dt

import pytest

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
    assert "Review scheduled" in row.inner_text()
    waiting = page.locator('tr[data-code="CAL1"][data-gate="G1"]')
    assert "No review requested" in waiting.inner_text()
    week = review_day.isocalendar()
    heading = page.locator(f'[data-week="{week[0]}-W{week[1]:02d}"] h2').inner_text()
    monday = review_day - dt.timedelta(days=week[2] - 1)
    assert heading.startswith(f"Week {week[1]} · {monday.isoformat()} – ")
    # every week's table has the same columns: the "Review date" headers line up
    headers = page.locator("table.gate-calendar th:nth-child(5)")
    assert headers.count() >= 2
    lefts = {round(headers.nth(i).bounding_box()["x"]) for i in range(headers.count())}
    assert len(lefts) == 1, lefts
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scroll
    page.click("[data-testid=lang-zh]")
    assert page.inner_text("h1") == "阶段门日历"
    assert page.locator('tr[data-code="CAL2"][data-gate="G1"]').count() == 1
    page.click("[data-testid=lang-en]")


def _project(code):
    from pmo.portfolio.models import Project

    return Project.objects.get(code=code)
