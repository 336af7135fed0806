"""Browser test of issue #7's "done when": what if the core upgrade slips 15 working days;
the affected projects show; a change request carries that impact through approval to an
applied, audited change."""

import datetime as dt

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-12345")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_core_slip_to_an_applied_change(live_server, page, users, make_project):
    from pmo.audit.models import AuditEvent
    from pmo.dependencies.services import create_dependency
    from pmo.portfolio.models import Milestone

    core = make_project(code="CORE1", forecast_finish=dt.date(2026, 3, 31))
    app = make_project(
        code="APP1", manager=users["other_pm"].person, forecast_finish=dt.date(2026, 4, 30)
    )
    build = Milestone.objects.create(
        project=core, name="Build done", forecast_date=dt.date(2026, 3, 6)
    )
    integration = Milestone.objects.create(
        project=app, name="Integration", forecast_date=dt.date(2026, 3, 16)
    )
    create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": build.pk,
            "consumer_project": "APP1",
            "consumer_milestone": integration.pk,
        },
    )
    base = live_server.url
    sign_in(page, base, "pm")
    page.goto(f"{base}/impact/?project=CORE1")
    page.select_option("select[name=milestone]", label="Build done · 2026-03-06")
    page.fill("input[name=days]", "15")
    page.click("#impact-form button")
    assert "APP1" in page.inner_text("#impact-projects")
    page.fill("#raise-change input[name=title]", "Core upgrade slips 15 days")
    page.click("#raise-change button")
    page.click("[data-action=submit]")
    page.click("[data-action=approve]")
    sign_in(page, base, "member")
    page.goto(f"{base}/change-requests/")
    page.click("#change-requests a")
    page.click("[data-action=approve]")
    sign_in(page, base, "exec")
    page.goto(f"{base}/change-requests/")
    page.click("#change-requests a")
    page.click("[data-action=approve]")
    sign_in(page, base, "pm")
    page.goto(f"{base}/change-requests/")
    page.click("#change-requests a")
    page.click("[data-action=apply]")
    assert page.inner_text("[data-testid=cr-state]") == "Applied"
    # 5 working days of room before APP's integration: it moves 10
    assert Milestone.objects.get(pk=integration.pk).forecast_date == dt.date(2026, 3, 30)
    assert AuditEvent.objects.filter(action="apply", scope=f"project:{app.pk}").exists()
