"""Browser test of a PMO head preparing a steering meeting (ADR 0002, "Editing an agenda"):
the agenda reads in sections with "for information" folded, a gate line opens its review, a
decision asked in a status report is a line, the PMO moves, removes and adds lines, the
regeneration asks first and keeps the added line, and saving the minutes says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _week(users: Any, make_project: Any) -> Any:
    """A meeting in three days: two gates due (one review requested), a decision asked in a
    status report, an escalated issue, and a gate decided (for information)."""
    from pmo.governance import services, steering
    from pmo.governance.models import LifecycleTemplate
    from pmo.governance.tests.conftest import pass_gate
    from pmo.portfolio import services as portfolio_services
    from pmo.portfolio.periods import period_of

    today = dt.date.today()
    generic = LifecycleTemplate.objects.get(code="generic", revision=1)
    projects = {}
    for code in ("AG1", "AG2", "AG3"):
        projects[code] = make_project(code=code)
        services.start_lifecycle(
            actor=users["admin"],
            project=projects[code],
            template=generic,
            started_on=today - dt.timedelta(days=60),
        )
    review = services.request_review(actor=users["pm"], project=projects["AG1"])
    pass_gate(users, projects["AG3"], on=today - dt.timedelta(days=2))
    portfolio_services.create_status_report(
        actor=users["admin"],
        project=projects["AG2"],
        period=period_of(today - dt.timedelta(days=7), "weekly").key,
        data={
            "overall": 1,
            **{d: 1 for d in ("schedule", "cost", "scope", "resources", "quality")},
            "summary": "s",
            "help_needed": "Approve two more testers",
            "decision_needed": True,
        },
    )
    portfolio_services.create_raid_item(
        actor=users["admin"],
        project=projects["AG3"],
        kind="issues",
        data={"title": "Vendor insolvent", "severity": 4, "escalation": 3},
    )
    meeting = steering.create_meeting(
        actor=users["admin"],
        data={"title": "SteerCo", "date": today + dt.timedelta(days=3), "window_days": 14},
    )
    return meeting, review


def _rows(page: Any, section: str) -> list[str]:
    """``kind code`` of the lines of a section, top to bottom."""
    rows = page.locator(f'[data-section="{section}"] tr[data-kind]')
    return [
        f"{row.get_attribute('data-kind')} {row.get_attribute('data-code') or ''}".strip()
        for row in rows.all()
    ]


def test_the_pmo_prepares_the_agenda_in_sections_and_edits_it(
    page: Any, sign_in: Any, users: Any, make_project: Any
) -> None:
    meeting, review = _week(users, make_project)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in("member")
    page.goto(f"/steering-meetings/{meeting.pk}/")
    # the agenda reads in sections: to decide first, for information folded with its count
    expect(page.locator("#agenda h3")).to_have_text(["To decide 4 lines", "For information 1 line"])
    assert _rows(page, "decide") == ["gate AG1", "gate AG2", "report_decision AG2", "escalated AG3"]
    decided = page.locator('[data-section="info"] tr[data-kind="decided"]')
    expect(decided).to_be_hidden()
    page.click('[data-section="info"] summary')
    expect(decided).to_be_visible()
    asked = page.locator('tr[data-kind="report_decision"] [data-testid="line-link"]')
    expect(asked).to_contain_text("Approve two more testers (status report ")
    # a gate line whose review is requested opens the review
    page.click('tr[data-kind="gate"][data-code="AG1"] [data-testid="line-link"]')
    page.wait_for_url(f"**/projects/AG1/gate-reviews/{review.pk}/")
    page.go_back()
    # move the decision asked to the top of its section
    page.click('tr[data-kind="report_decision"] button[value^="up:"]')
    expect(page.locator(".flash.success")).to_have_text("Line 3 is now line 2.")
    page.click('tr[data-kind="report_decision"] button[value^="up:"]')
    expect(page.locator(".flash.success")).to_have_text("Line 2 is now line 1.")
    assert _rows(page, "decide") == ["report_decision AG2", "gate AG1", "gate AG2", "escalated AG3"]
    expect(page.locator('tr[data-kind="report_decision"] button[value^="up:"]')).to_be_disabled()
    # remove the escalated issue (the browser asks first)
    page.click('tr[data-kind="escalated"] button[value^="remove:"]')
    expect(page.locator(".flash.success")).to_have_text("Line 4 removed from the agenda.")
    expect(page.locator('tr[data-kind="escalated"]')).to_have_count(0)
    # add a line by hand to "to watch", a section the agenda did not have
    page.fill("input[name=line-title]", "Vendor audit findings")
    page.fill("input[name=line-project]", "AG3")
    page.select_option("select[name=line-section]", "watch")
    page.click("#add-agenda-line")
    expect(page.locator(".flash.success")).to_have_text("Line added to the agenda.")
    assert _rows(page, "watch") == ["other AG3"]
    expect(page.locator("#agenda h3")).to_have_text(
        ["To decide 3 lines", "To watch 1 line", "For information 1 line"]
    )
    # regenerating asks first, brings the removed line back and keeps the added one
    page.click("#regenerate")
    expect(page.locator(".flash.success")).to_contain_text("Agenda drawn up again")
    assert _rows(page, "decide") == ["gate AG1", "gate AG2", "report_decision AG2", "escalated AG3"]
    assert _rows(page, "watch") == ["other AG3"]
    # saving the minutes says so where the page opens
    page.fill("#minutes textarea", "Agreed: two more testers for AG2.")
    page.click("#save-minutes")
    flash = page.locator(".flash.success")
    expect(flash).to_have_text("Minutes saved.")
    expect(flash).to_be_in_viewport()
    expect(page.locator("#minutes textarea")).to_have_value("Agreed: two more testers for AG2.")


def test_the_agenda_reads_on_a_phone_without_a_sideways_scroll(
    page: Any, sign_in: Any, users: Any, make_project: Any
) -> None:
    meeting, _review = _week(users, make_project)
    sign_in("member")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/steering-meetings/{meeting.pk}/")
    # nothing of the agenda needs a sideways scroll: the item and the buttons fit the screen
    wide = page.evaluate(
        """() => [...document.querySelectorAll('#agenda, #agenda .table-wrap')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className)"""
    )
    assert wide == []
    line = page.locator('tr[data-kind="report_decision"]')
    for part in ("td.item", "td.actions", 'button[value^="remove:"]'):
        box = line.locator(part).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (part, box)
    # the item reads in full width under the number and topic, the buttons under it
    item, actions = (
        line.locator("td.item").bounding_box(),
        line.locator("td.actions").bounding_box(),
    )
    assert item is not None and actions is not None
    assert item["width"] > 300 and actions["y"] >= item["y"] + item["height"] - 1
    expect(line.locator("td.item")).to_contain_text("Approve two more testers")
    # and the buttons work there
    line.locator('button[value^="up:"]').click()
    expect(page.locator(".flash.success")).to_have_text("Line 3 is now line 2.")
    # on a desktop the agenda is still a table with its header row
    page.set_viewport_size({"width": 1280, "height": 900})
    table = page.locator('[data-section="decide"] table.agenda')
    assert table.evaluate("e => getComputedStyle(e).display") == "table"
    expect(table.locator("tr.head th")).to_have_text(
        ["#", "Topic", "Project", "Item", "Due", "Edit"]
    )
