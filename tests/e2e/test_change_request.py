"""Browser test of issue #7's "done when": what if the core upgrade slips 15 working days;
the affected projects show; a change request carries that impact through approval to an
applied, audited change."""

import datetime as dt

import pytest

from tests.e2e.helpers import expect

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
    expect(page.locator("#impact-projects")).to_contain_text("APP1")
    page.fill("#raise-change input[name=title]", "Core upgrade slips 15 days")
    page.click("#raise-change button")
    page.click("[data-action=submit]")
    # the PM raised it, so no PM review of their own: it waits for the PMO
    expect(page.locator("body")).to_contain_text("raised by the project manager")
    assert not page.is_visible("[data-action=approve]")
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
    expect(page.locator("[data-testid=cr-state]")).to_have_text("Applied")
    # 5 working days of room before APP's integration: it moves 10
    assert Milestone.objects.get(pk=integration.pk).forecast_date == dt.date(2026, 3, 30)
    assert AuditEvent.objects.filter(action="apply", scope=f"project:{app.pk}").exists()


def test_affected_pm_objects_and_the_pmo_sees_it_on_the_review(
    live_server, page, users, make_project
):
    from pmo.dependencies.changes import create_change_request, transition
    from pmo.dependencies.services import create_dependency
    from pmo.portfolio.models import Milestone

    # given CORE1's build slipping 15 working days, which hits APP1 (Emma Clarke's project),
    # submitted and through the PM review
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
    cr = create_change_request(
        actor=users["pm"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Core upgrade slips 15 days",
            "slip_milestone": build.pk,
            "slip_days": 15,
        },
    )
    cr = transition(actor=users["pm"], cr=cr, action="submit")  # on to the PMO review
    base = live_server.url
    # when APP1's manager follows the notification and objects without, then with, a reason
    sign_in(page, base, "other_pm")
    page.goto(f"{base}/notifications/")
    page.click(f"a[href='/change-requests/{cr.pk}/#responses']")
    # (first agreeing: good news, in green)
    page.locator("[data-respond=APP1] [data-answer=agree]").click()
    agreed = page.locator("tr[data-project=APP1] [data-testid=answer]")
    expect(agreed).to_have_text("Agree")
    assert agreed.evaluate("e => getComputedStyle(e).color") == "rgb(30, 107, 52)"  # green
    row = page.locator("[data-respond=APP1]")
    row.locator("[data-answer=object]").click()
    expect(page.locator("[data-testid=respond-error]")).to_have_text("say why the project objects")
    # the box the error is about is marked: outlined in red, described by the error
    box = page.locator("[data-respond=APP1] textarea[name=reason]")
    assert box.get_attribute("aria-invalid") == "true"
    assert box.get_attribute("aria-describedby") == "respond-error-APP1"
    assert box.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(214, 69, 65)"
    page.locator("[data-respond=APP1] textarea[name=reason]").fill(
        "Our UAT window closes on 1 April"
    )
    page.locator("[data-respond=APP1] [data-answer=object]").click()
    expect(page.locator("body")).to_contain_text("Your answer for APP1 is recorded: you object to")
    answer = page.locator("tr[data-project=APP1] [data-testid=answer]")
    expect(answer).to_have_text("Object")
    assert answer.evaluate("e => getComputedStyle(e).color") == "rgb(155, 28, 28)"  # red
    # then the PMO reviewer is told of the objection, and sees which project objects where
    # they decide
    sign_in(page, base, "member")
    page.goto(f"{base}/notifications/")
    told = page.locator(f"a[href='/change-requests/{cr.pk}/#responses']")
    assert told.inner_text().startswith(f"APP1 objects to {cr.code} Core upgrade slips 15 days")
    told.click()
    expect(page.locator("[data-testid=review-responses]")).to_have_text(
        "Affected projects: 1 objects (APP1)"
    )
    assert page.inner_text("tr[data-project=APP1] [data-testid=reason]") == (
        "Our UAT window closes on 1 April"
    )
    assert page.inner_text("tr[data-project=APP1] [data-testid=manager]") == "Emma Clarke"
    assert page.is_visible("[data-action=approve]")  # the answers do not hold up the decision
