"""The gate review page on a phone (390 px): its dates never break in the middle
("2026-12-" / "25"), and its wide tables show that they scroll sideways."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.e2e.helpers import PHONE, WIDE, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every date (with its time, if any) in the page's text: whether it may break inside, and on
# how many lines the browser drew it.
DATES = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("main") || document.body,
                                           NodeFilter.SHOW_TEXT);
  const pattern = /\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
      let kept = false;
      for (let e = node.parentElement; e && !kept; e = e.parentElement) {
        kept = ["nowrap", "pre"].includes(getComputedStyle(e).whiteSpace);
      }
      found.push({date: m[0], lines: tops.size, kept: kept});
    }
  }
  return found;
}"""


def _submitted_review(users: Any, make_project: Any) -> Any:
    """A review of E2E4's first gate with a review date, its checklist complete and
    submitted for decision."""
    from pmo.governance import services
    from pmo.governance.checklist import prepare_review
    from pmo.governance.models import LifecycleTemplate
    from pmo.governance.submission import submit_review

    project = make_project(
        code="E2E4", name="Regulatory reporting and data governance programme", pmo_type="rnd"
    )
    today = dt.date.today()
    services.start_lifecycle(
        actor=users["admin"],
        project=project,
        template=LifecycleTemplate.objects.get(code="generic"),
        started_on=today - dt.timedelta(days=20),
    )
    review = services.request_review(
        actor=users["pm"], project=project, scheduled_for=today + dt.timedelta(days=10)
    )
    review = prepare_review(
        actor=users["pm"],
        review=review,
        version=None,
        checks=[{"criterion_id": c.criterion_id, "met": True} for c in review.checks.all()],
        deliverables=[
            {"deliverable_id": link.deliverable_id, "url": "https://wiki.example.com/charter"}
            for link in review.deliverables.all()
        ],
    )
    return submit_review(actor=users["pm"], review=review, version=None)


def _decide(users: Any, review: Any) -> None:
    """Go with a condition due in 30 days."""
    from pmo.governance import services

    today = dt.date.today()
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="go_conditions",
        rationale="Strong case",
        conditions=[
            {
                "text": "Confirm the budget with finance",
                "owner_id": users["pm"].person.pk,
                "due_date": today + dt.timedelta(days=30),
            }
        ],
    )


def test_the_gate_review_page_keeps_each_date_on_one_line_on_a_phone(
    sign_in: Any, users: Any, make_project: Any
) -> None:
    review = _submitted_review(users, make_project)
    page = sign_in("pm")
    page.set_viewport_size(PHONE)
    page.goto(f"/projects/E2E4/gate-reviews/{review.pk}/")
    expect(page.locator("#review-date")).to_have_text(
        (dt.date.today() + dt.timedelta(days=10)).isoformat()
    )
    dates = page.evaluate(DATES)
    # the review date and the day it was submitted
    assert len(dates) == 2, dates
    assert [d for d in dates if not d["kept"] or d["lines"] != 1] == []
    # decided: the review date, the decision's and the condition's due date
    _decide(users, review)
    page.reload()
    expect(page.locator("#decision")).to_be_visible()
    dates = page.evaluate(DATES)
    assert len(dates) == 3, dates
    assert [d for d in dates if not d["kept"] or d["lines"] != 1] == []


# Turns the scroll cue off, the table's own white back on: the page as it was before the cue.
NO_CUE = (
    ".table-wrap { background: #fff !important; }"
    " .table-wrap > table.grid { background: #fff !important; }"
)


def _looks(locator: Any, page: Any) -> tuple[bytes, bytes]:
    """Screenshots of ``locator`` with the scroll cue and without it."""
    with_cue = locator.screenshot(animations="disabled")
    style = page.add_style_tag(content=NO_CUE)
    without = locator.screenshot(animations="disabled")
    style.evaluate("s => s.remove()")
    return with_cue, without


def test_a_table_wider_than_a_phone_shows_that_it_scrolls(
    sign_in: Any, users: Any, make_project: Any
) -> None:
    review = _submitted_review(users, make_project)
    page = sign_in("pm")
    page.set_viewport_size(PHONE)
    page.goto(f"/projects/E2E4/gate-reviews/{review.pk}/")
    wrap = page.locator("#prepare .table-wrap").first  # the criteria with their notes
    expect(wrap.locator("input[name^=note_]").first).to_be_attached()
    size = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert size[0] > size[1], size  # the table scrolls inside its box...
    card = page.locator("#prepare")
    assert card.evaluate("c => c.scrollWidth <= c.clientWidth")  # ...not the card around it
    assert wrap.evaluate("w => getComputedStyle(w).backgroundImage") != "none"
    # a shadow at the right edge, where more of the table is: the box looks different
    with_cue, without = _looks(wrap, page)
    assert with_cue != without
    # printed: no shadows
    page.emulate_media(media="print")
    assert wrap.evaluate("w => getComputedStyle(w).backgroundImage") == "none"


def test_a_table_that_fits_looks_as_before_on_a_desktop(
    sign_in: Any, users: Any, make_project: Any
) -> None:
    review = _submitted_review(users, make_project)
    page = sign_in("pm")
    page.set_viewport_size(WIDE)
    page.goto(f"/projects/E2E4/gate-reviews/{review.pk}/")
    wrap = page.locator("#prepare .table-wrap").first
    expect(wrap.locator("input[name^=note_]").first).to_be_visible()
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    with_cue, without = _looks(wrap, page)
    assert with_cue == without  # nothing hidden, no shadow: the very same pixels
