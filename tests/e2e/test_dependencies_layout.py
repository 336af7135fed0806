"""Browser tests: the dependencies pages on a phone, the impact form and the register form."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.pickers import pick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _two_linked_projects(users, make_project):
    from pmo.dependencies.services import create_dependency
    from pmo.portfolio.models import Milestone

    core = make_project(
        code="CORE1", name="Core banking platform upgrade", forecast_finish=dt.date(2026, 3, 31)
    )
    app = make_project(
        code="APP1", name="Customer mobile application", manager=users["other_pm"].person
    )
    build = Milestone.objects.create(
        project=core, name="Build complete", forecast_date=dt.date(2026, 3, 6)
    )
    integration = Milestone.objects.create(
        project=app, name="Integration test start", forecast_date=dt.date(2026, 3, 16)
    )
    create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": build.pk,
            "consumer_project": "APP1",
            "consumer_milestone": integration.pk,
            "agreed_date": dt.date(2026, 3, 9),
            "system": "Payments gateway",
        },
    )
    return core, build


def test_the_dependencies_page_fits_a_phone(live_server, page, sign_in, users, make_project):
    _two_linked_projects(users, make_project)
    sign_in("pm")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dependencies/")
    # the page itself does not scroll sideways: the register table scrolls in its box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator("table#dependencies")
    wrap = page.locator(".table-wrap:has(> table#dependencies)")
    assert table.evaluate("e => e.scrollWidth") > wrap.evaluate("e => e.clientWidth")


def test_the_impact_radio_buttons_sit_by_their_labels(
    live_server, page, sign_in, users, make_project
):
    _two_linked_projects(users, make_project)
    sign_in("pm")
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/impact/?project=CORE1")
        for value in ("milestone", "task"):
            label = page.locator(f"#impact-source label:has(input[value={value}])")
            radio = label.locator("input").bounding_box()
            box = label.bounding_box()
            # one line: the button at the left of its text, not centred above it
            assert box["height"] < 2 * radio["height"] + 12, (width, value, box, radio)
            assert radio["x"] - box["x"] < 4, (width, value, box, radio)


def test_the_register_form_offers_the_chosen_projects_milestones(
    live_server, page, sign_in, users, make_project
):
    _core, build = _two_linked_projects(users, make_project)
    sign_in("pm")
    page.goto(f"{live_server.url}/dependencies/")
    page.click("#new-dependency summary")
    pick(page, "supplier_project", "core", "CORE1 · " + _core.name)
    expect(page.locator(f"#supplier-item option[value='m:{build.pk}']")).to_have_count(1)
    page.select_option("#supplier-item", f"m:{build.pk}")
    page.fill("input[name=system]", "Card switch")
    # the consumer's side is not chosen: the message, and the form as it was typed
    page.locator("input[name=consumer_project_text]").evaluate("e => e.removeAttribute('required')")
    page.locator("#consumer-item").evaluate("e => e.removeAttribute('required')")
    page.click("#new-dependency button.primary")
    expect(page.locator("body")).to_contain_text("Consumer project: is required")
    expect(page.locator("input[name=system]")).to_have_value("Card switch")
    expect(page.locator("#supplier-item")).to_have_value(f"m:{build.pk}")
