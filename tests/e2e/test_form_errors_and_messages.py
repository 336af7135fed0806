"""On a phone, a field's error sits under its own input (not above its label, where it reads
as the previous field's), and the message a save or a close leaves is in sight where the
redirect lands (#milestones, #raid-risks), not thousands of pixels above it; × closes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from tests.e2e.helpers import PHONE, expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def project(make_project: Callable[..., Any], users: dict[str, Any]) -> Any:
    """The PM's project with ten risks (a long RAID log) and a milestone a month ahead."""
    from pmo.portfolio.models import Milestone
    from pmo.portfolio.raid import Risk

    project = make_project(name="MES rollout")
    for number in range(10):
        Risk.objects.create(project=project, title=f"Risk {number}", probability=3, impact=4)
    Milestone.objects.create(
        project=project,
        name="Go-live",
        baseline_date=timezone.localdate() + dt.timedelta(days=30),
        forecast_date=timezone.localdate() + dt.timedelta(days=30),
    )
    return project


def test_a_field_error_sits_under_its_own_input(
    sign_in: Callable[[str], Any], project: Any
) -> None:
    from pmo.portfolio.models import Milestone

    page = sign_in("pm")
    page.set_viewport_size(PHONE)
    page.goto(f"/projects/{project.code}/milestones/{Milestone.objects.get().pk}/")
    page.fill("input[name=actual_date]", (timezone.localdate() + dt.timedelta(days=2)).isoformat())
    page.click("[data-testid=save]")

    error = page.locator("#id_actual_date_error")
    expect(error).to_contain_text("today")
    actual = page.locator("#id_actual_date").bounding_box()
    forecast = page.locator("#id_forecast_date").bounding_box()
    box = error.bounding_box()
    assert actual and forecast and box
    # below the actual date's input, so not between the forecast date and its label
    assert box["y"] >= actual["y"] + actual["height"]
    assert box["y"] > forecast["y"] + forecast["height"]
    expect(page.locator("#id_actual_date")).to_have_attribute("aria-invalid", "true")
    described = page.locator("#id_actual_date").get_attribute("aria-describedby") or ""
    assert "id_actual_date_error" in described.split()
    # the forecast date's paragraph holds no error: the page reads label, input, error
    order = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=milestone-form] :is(label, '
        + 'input:not([type=hidden]), .errorlist)')]
        .map(e => e.id || e.getAttribute('for') || e.name || '')"""
    )
    at = order.index("id_actual_date_error")
    assert order[at - 1] == "id_actual_date"


def test_the_message_of_a_close_and_a_save_is_in_sight_where_the_page_lands(
    sign_in: Callable[[str], Any], project: Any
) -> None:
    from pmo.portfolio.raid import Risk

    page = sign_in("pm")
    page.set_viewport_size(PHONE)
    home = f"/projects/{project.code}/"
    page.goto(home)

    last = Risk.objects.get(title="Risk 9")
    page.locator("#raid-risks tr[data-item]", has_text="Risk 9").get_by_role(
        "button", name="Close “Risk 9”"
    ).click()
    page.wait_for_url(lambda url: urlparse(url).fragment == "raid-risks")
    flash = page.locator(".flash.success")
    expect(flash).to_contain_text("Closed: Risk 9")
    expect(flash).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 844  # it did land far down the page
    last.refresh_from_db()
    assert last.status == "closed"

    # × closes it
    page.click("[data-testid=dismiss-message]")
    expect(flash).to_be_hidden()

    # saving a milestone lands on #milestones, with its message in sight
    page.locator("#milestones tr[data-milestone]").get_by_role("link", name="Go-live").click()
    page.fill(
        "input[name=forecast_date]", (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    )
    page.click("[data-testid=save]")
    page.wait_for_url(lambda url: urlparse(url).fragment == "milestones")
    expect(page.locator(".flash.success")).to_be_in_viewport()
    # and a confirmation steps aside by itself after a while, unless pointed at
    toast = page.locator(".toast", has=page.locator(".flash.success"))
    assert toast.evaluate("t => getComputedStyle(t).animationName") == "toast-away"
    assert toast.evaluate("t => getComputedStyle(t).animationDelay") == "8s"
    toast.evaluate("t => t.getAnimations().forEach(a => a.finish())")  # as if 8 s went by
    expect(page.locator(".flash.success")).to_be_hidden()
