"""Browser test of handing a gate review over to its deciders (ADR 0002, "Submitting a review
for decision"): Submit refuses an incomplete checklist naming what is missing (and keeps what
was ticked), a complete one is submitted in one click and reads "Ready for decision" on the
review, the lifecycle page and the steering agenda; changing the checklist takes it back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pm_submits_a_prepared_review_for_decision(
    page: Any, sign_in: Any, users: Any, make_project: Any
) -> None:
    from pmo.governance import services
    from pmo.governance.models import GateReview, LifecycleTemplate

    project = make_project(code="SUBE")
    services.start_lifecycle(
        actor=users["admin"],
        project=project,
        template=LifecycleTemplate.objects.get(code="generic", revision=1),
        started_on=dt.date.today() - dt.timedelta(days=30),
    )
    review = services.request_review(actor=users["pm"], project=project)
    sign_in("pm")
    page.goto(f"/projects/SUBE/gate-reviews/{review.pk}/")
    expect(page.locator("#review-state")).to_have_text("Requested")
    expect(page.locator("[data-testid=missing]")).to_contain_text("criterion: ")
    # tick one criterion and submit: refused, naming what is missing; the tick is saved
    page.locator("#prepare input[type=checkbox]").first.check()
    page.click("#submit-review")
    error = page.locator(".flash.error")
    expect(error).to_contain_text("Not submitted for decision: the checklist is not complete")
    expect(error).to_contain_text("deliverable missing: ")
    expect(page.locator("#prepare input[type=checkbox]").first).to_be_checked()
    expect(page.locator("#review-state")).to_have_text("Requested")
    # complete it and submit in one click
    for box in page.locator("#prepare input[type=checkbox]").all():
        box.check()
    for link in page.locator("#prepare input[type=url][name^=url_]").all():
        link.fill("https://wiki.example.com/charter")
    page.click("#submit-review")
    expect(page.locator(".flash.success")).to_have_text(
        "Submitted for decision: the deciders are notified."
    )
    expect(page.locator("#review-state")).to_have_text("Ready for decision")
    expect(page.locator("#submitted")).to_contain_text("Submitted for decision on")
    expect(page.locator("#submit-review")).to_have_count(0)
    assert GateReview.objects.get(pk=review.pk).ready_for_decision

    # the decider finds it ready on the lifecycle page and on the steering agenda
    page.context.clear_cookies()
    sign_in("admin")
    page.goto("/projects/SUBE/lifecycle/")
    expect(page.locator("#reviews [data-testid=review-ready]")).to_have_text("Ready for decision")
    expect(page.locator('#reviews td[data-stage="ready"]')).to_have_text("Ready for decision")
    page.goto("/steering-meetings/")
    page.fill("input[name=title]", "SteerCo")
    page.fill("input[name=window_days]", "366")
    page.click("#plan-meeting button")
    line = page.locator('#agenda tr[data-kind="gate"][data-code="SUBE"]')
    expect(line).to_have_attribute("data-ready", "")
    expect(line.locator("[data-testid=line-link]")).to_contain_text("ready for decision")

    # a change of the checklist takes it back to preparation
    page.goto(f"/projects/SUBE/gate-reviews/{review.pk}/")
    page.locator("#prepare input[type=checkbox]").first.uncheck()
    page.click("#save-checklist")
    expect(page.locator("#review-state")).to_have_text("Requested")
    expect(page.locator("#submit-review")).to_be_visible()
