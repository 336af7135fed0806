"""Browser test: deleting a dependency from the register asks first (ADR 0005)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_deleting_a_dependency_asks_first(live_server, page, users, make_project):
    from pmo.dependencies.models import Dependency, Notification
    from pmo.dependencies.services import create_dependency
    from pmo.portfolio.models import Milestone

    # given APP1's integration (PM other_pm) needs CORE1's build (PM pm)
    core = make_project(code="CORE1", forecast_finish=dt.date(2026, 3, 31))
    app = make_project(code="APP1", manager=users["other_pm"].person)
    build = Milestone.objects.create(project=core, name="Build", forecast_date=dt.date(2026, 3, 6))
    integration = Milestone.objects.create(
        project=app, name="Integration", forecast_date=dt.date(2026, 3, 16)
    )
    dep = create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": build.pk,
            "consumer_project": "APP1",
            "consumer_milestone": integration.pk,
        },
    )
    Notification.objects.all().delete()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", "pw-12345")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/dependencies/")
    button = page.locator(f"#dep-{dep.pk} [data-testid=delete-dependency]")

    # when Delete is clicked and the question is dismissed, the link stays
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    button.click()
    expect(page.locator(f"#dep-{dep.pk}")).to_be_visible()
    assert asked == [
        f"Delete dependency #{dep.pk} (APP1 depends on CORE1)? The project managers are "
        "notified; the change history keeps it."
    ]
    assert Dependency.objects.filter(pk=dep.pk).exists()

    # when it is clicked again and accepted, the link is gone and APP1's PM is told
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.locator(f"#dep-{dep.pk}")).to_have_count(0)
    expect(page.locator("body")).to_contain_text(f"Dependency #{dep.pk} deleted.")
    assert not Dependency.objects.filter(pk=dep.pk).exists()
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["other_pm"]
