"""The one-page report in the browser: one cell per project, links, filters, downloads."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import expect, report

pytestmark = pytest.mark.e2e


def test_onepage_shows_every_strategic_project_and_links_to_it(
    sign_in: Any, make_project: Any, users: dict[str, Any]
) -> None:
    for n in range(6):
        project = make_project(code=f"OP{n}", strategic=True, phase="execution")
        help_needed = "Approve the vendor change." if n == 2 else ""
        report(project, users["pm"], overall=1 + n % 3, days_ago=9, help_needed=help_needed)
    make_project(code="NOTSTRAT")
    page = sign_in("exec")
    page.click("text=One-page report")
    page.wait_for_url("**/reports/onepage/")
    cells = page.locator(".op-cell")
    expect(cells).to_have_count(6)
    assert sorted(c.get_attribute("data-code") for c in cells.all()) == [f"OP{n}" for n in range(6)]
    expect(page.locator("[data-rag-count=red]")).to_have_text("2")
    # an escalation's RAG is a coloured shape, as on the board, not a filled chip
    shape = page.locator(".op-esc .op-sym")
    expect(shape).to_have_count(1)
    assert shape.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert shape.evaluate("e => getComputedStyle(e).color") == "rgb(214, 69, 65)"  # red
    page.select_option("select[name=scope]", "all")
    page.click("#onepage-filters button")
    expect(page.locator(".op-cell")).to_have_count(7)
    with page.expect_download() as download:
        page.click("[data-testid=download-pdf]")
    assert download.value.suggested_filename.endswith(".pdf")
    page.click(".op-cell[data-code=OP1]")
    page.wait_for_url("**/projects/OP1/")


# For each header figure: the gap between its label and what follows it, in CSS pixels.
LABEL_GAPS = """() => Array.from(document.querySelectorAll('.op-fig > .op-k')).map(k => {
  const next = k.nextElementSibling;
  return {
    label: k.textContent,
    gap: next.getBoundingClientRect().left - k.getBoundingClientRect().right,
  };
})"""


def test_onepage_header_labels_stand_apart_from_their_values(
    sign_in: Any, make_project: Any, users: dict[str, Any]
) -> None:
    for n in range(3):
        project = make_project(code=f"OP{n}", strategic=True, phase="execution")
        report(project, users["pm"], overall=1 + n % 3, days_ago=9)
    page = sign_in("exec")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/reports/onepage/")
    expect(page.locator(".op-cell")).to_have_count(3)
    gaps = page.evaluate(LABEL_GAPS)
    # Projects, the three RAG counts, the gates, reports, decisions, by phase (and budget)
    assert len(gaps) >= 9
    # "Projects 60", "Red 19", "By phase Idea 2": a gap of at least a third of a space each
    assert [g["label"] for g in gaps if g["gap"] < 4] == []
    # the same stylesheet prints: the gap stays on paper
    page.emulate_media(media="print")
    assert [g["label"] for g in page.evaluate(LABEL_GAPS) if g["gap"] < 4] == []
