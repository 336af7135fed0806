"""Small page helpers shared by the browser tests."""

from __future__ import annotations

from typing import Any

try:
    from playwright.sync_api import expect
except ImportError:  # the ``browser`` fixture reports it: a loud skip, or a failure in CI
    expect = None  # type: ignore[assignment]

__all__ = [
    "OPENED",
    "PHONE",
    "ROWS",
    "WIDE",
    "codes",
    "expect",
    "marker_survived",
    "open_as",
    "report",
    "set_marker",
]

ROWS = "#projects tr[data-code]"

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

OPENED: list[Any] = []
"""Browser contexts :func:`open_as` opened; the e2e conftest closes them after each test."""


def open_as(browser: Any, live_server: Any, username: str, viewport: dict[str, int], lang: str):
    """A page signed in as a demo user, in ``lang``, at ``viewport``."""
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(15_000)
    OPENED.append(context)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pmo-demo")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/accounts/login/"))
    if viewport["width"] <= 800:
        page.click("[data-testid=menu-button]")
    page.click(f"[data-testid=lang-{lang}]")
    page.wait_for_load_state()
    return page


def codes(page: Any) -> list[str]:
    """The project codes of the status-center rows, top to bottom."""
    return [str(row.get_attribute("data-code")) for row in page.locator(ROWS).all()]


def set_marker(page: Any) -> None:
    """Put a marker on ``window`` that only survives if the page is not reloaded."""
    page.evaluate("window.__marker = 1")


def marker_survived(page: Any) -> bool:
    """True when :func:`set_marker`'s marker is still there (no full page load happened)."""
    return bool(page.evaluate("window.__marker === 1"))


def report(
    project: Any,
    actor: Any,
    overall: int,
    *,
    percent: int = 40,
    days_ago: int = 7,
    help_needed: str = "",
) -> Any:
    """Submit a report for the week ``days_ago`` days back with the given overall RAG and %
    (and the help it asks the steering committee for, if any)."""
    import datetime as dt

    from django.utils import timezone

    from pmo.portfolio import services
    from pmo.portfolio.periods import period_of

    period = period_of(timezone.localdate() - dt.timedelta(days=days_ago), project.cadence)
    data: dict[str, Any] = {
        "overall": overall,
        "schedule": overall,
        "cost": 1,
        "scope": 1,
        "resources": 1,
        "quality": 1,
        "summary": f"Overall {overall}.",
        "percent_complete": percent,
    }
    if overall > 1:
        data["overall_reason"] = data["schedule_reason"] = "Behind plan."
    if help_needed:
        data["help_needed"] = help_needed
    return services.create_status_report(actor=actor, project=project, period=period.key, data=data)
