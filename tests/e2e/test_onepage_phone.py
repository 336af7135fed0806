"""The one-page report on a phone, measured on the demo portfolio (50 strategic projects): the
phase columns become one list of cards, each phase's heading above its own cards, every card's
RAG shape, code, trend and name inside the screen, no sideways scroll, no text under 12 px. The
desktop board and the printed page keep their phase columns side by side."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest

from tests.e2e.helpers import PHONE, expect, open_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}

# Every card: its box, its phase's place on the board and the boxes of what an executive reads
# first (RAG shape, code, trend, name), with whether the name is cut and how many lines it takes.
CARDS = """() => [...document.querySelectorAll('.op-cell')].map(c => {
  const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, width: r.width, height: r.height}; };
  const name = c.querySelector('.op-name');
  return {code: c.dataset.code, card: box(c),
    phase: Number(c.closest('td').style.getPropertyValue('--op-i')),
    sym: box(c.querySelector('.op-sym')), id: box(c.querySelector('.op-code')),
    trend: box(c.querySelector('.op-trend')), trendText: c.querySelector('.op-trend').textContent,
    name: box(name), nameCut: name.scrollWidth > name.clientWidth + 1
      || name.scrollHeight > name.clientHeight + 1,
    nameLines: name.getBoundingClientRect().height / parseFloat(getComputedStyle(name).lineHeight)};
})"""

HEADINGS = """() => [...document.querySelectorAll('.op-col-head')].map(h => ({
  phase: Number(h.style.getPropertyValue('--op-i')), top: h.getBoundingClientRect().top}))"""

# The smallest font size of any shown text in the page's main part, and where it is.
SMALLEST_TEXT = """() => {
  let size = Infinity, where = '';
  for (const e of document.querySelectorAll('main *')) {
    if (!e.getClientRects().length) continue;
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const px = parseFloat(getComputedStyle(e).fontSize);
    if (px < size) { size = px; where = e.className || e.tagName; }
  }
  return {size, where};
}"""

# Distinct left edges of the cards and the most cards side by side in one row.
COLUMNS = """() => {
  const lefts = new Set(), rows = {};
  for (const c of document.querySelectorAll('.op-cell')) {
    const r = c.getBoundingClientRect();
    lefts.add(Math.round(r.left)); rows[Math.round(r.top)] = (rows[Math.round(r.top)] || 0) + 1;
  }
  const board = document.querySelector('.op-board').getBoundingClientRect();
  const side = document.querySelector('.op-side').getBoundingClientRect();
  return {columns: lefts.size, perRow: Math.max(...Object.values(rows)),
          sideBeside: side.left >= board.right - 1 && side.top < board.bottom};
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_onepage_reads_on_a_phone(demo: None, browser: Any, live_server: Any, lang: str) -> None:
    page = open_as(browser, live_server, "exec", PHONE, lang)
    page.goto("/reports/onepage/")
    expect(page.locator(".op-cell").first).to_be_visible()
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width + 1

    cards = page.evaluate(CARDS)
    assert len(cards) == 50
    for card in cards:
        for part in ("card", "sym", "id", "name"):
            box = card[part]
            assert box["width"] > 0 and box["left"] >= 0 and box["right"] <= width, (card, part)
        assert not card["nameCut"] and card["nameLines"] <= 2.1, card  # not a letter a line
        if card["trendText"].strip():  # a project with reports in both weeks shows its trend
            assert 0 < card["trend"]["right"] <= width, card
    assert any(card["trendText"].strip() for card in cards)
    # One card a row, as wide as the screen allows
    assert len({round(card["card"]["left"]) for card in cards}) == 1
    assert min(card["card"]["width"] for card in cards) >= 0.8 * width
    # Each phase's heading sits above its own cards and below the previous phase's
    headings = sorted(page.evaluate(HEADINGS), key=lambda h: h["phase"])
    assert [h["phase"] for h in headings] == list(range(1, len(headings) + 1))
    assert all(a["top"] < b["top"] for a, b in pairwise(headings))
    bottoms = [h["top"] for h in headings[1:]] + [float("inf")]
    for card in cards:
        heading = headings[card["phase"] - 1]
        assert heading["top"] < card["card"]["top"] < bottoms[card["phase"] - 1], card

    smallest = page.evaluate(SMALLEST_TEXT)
    assert smallest["size"] >= 12, smallest
    targets = page.evaluate(
        "[...document.querySelectorAll('#onepage-filters input, #onepage-filters select,"
        " #onepage-filters button, .page-head a.button')]"
        ".map(e => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height))"
    )
    assert len(targets) == 10 and min(targets) >= 24, targets
    for narrow in (375, 414):  # the smaller and the larger common phone
        page.set_viewport_size({"width": narrow, "height": 844})
        assert page.evaluate("document.scrollingElement.scrollWidth") <= narrow + 1
        assert max(card["name"]["right"] for card in page.evaluate(CARDS)) <= narrow


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_onepage_keeps_its_board_on_a_desktop_and_in_print(
    demo: None, browser: Any, live_server: Any, lang: str
) -> None:
    """Measured before the phone layout: at 1366 px the demo's board shows its five phases in
    six sub-columns, six cards side by side, the side panel to their right."""
    page = open_as(browser, live_server, "exec", DESKTOP, lang)
    page.goto("/reports/onepage/")
    expect(page.locator(".op-cell").first).to_be_visible()
    desktop = page.evaluate(COLUMNS)
    assert desktop == {"columns": 6, "perRow": 6, "sideBeside": True}
    assert page.evaluate("document.scrollingElement.scrollWidth") <= DESKTOP["width"]
    # Printed from a phone, the page is the board too (the phone layout is for screens only)
    page.set_viewport_size(PHONE)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.op-board')).display") == "table"
    assert page.evaluate(COLUMNS)["columns"] == desktop["columns"]
