"""The portfolio milestone chart names every project readably on a phone (the Chinese audit: at
390 px the names were cut at the column's edge): a name takes up to two lines of its 22 px row,
level with the chart's row, and none runs past the column; a desktop keeps one line a row."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import PHONE, WIDE, expect, open_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# each name link: its text, the lines it takes, and whether all of it shows, inside the column
# and its row's band of the chart (40 px of axis, then 22 px a project)
NAMES = """() => {
  const column = document.querySelector('.gantt-labels').getBoundingClientRect();
  const chart = document.querySelector('[data-gantt-scroll] svg').getBoundingClientRect();
  return [...document.querySelectorAll('.gantt-labels a')].map((a, k) => {
    const r = document.createRange(); r.selectNodeContents(a);
    const boxes = [...r.getClientRects()].filter(b => b.width > 0);
    const top = chart.top + 40 + 22 * k, bottom = top + 22;
    // a line's middle in the band (glyph boxes are taller than a phone's 11 px lines), no line
    // hidden by the two-line clamp (a third adds 11 px; glyphs overflow by 2), none past the column
    const clamped = a instanceof HTMLElement && a.scrollHeight > a.clientHeight + 5;
    const inside = !clamped && boxes.every(b => b.right <= column.right + 0.5
      && b.left >= column.left && (b.top + b.bottom) / 2 > top && (b.top + b.bottom) / 2 < bottom);
    const lines = new Set(boxes.map(b => Math.round(b.top))).size;
    return [a.textContent.replace(/\\s+/g, ' ').trim(), lines, inside];
  });
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_phone_shows_every_project_name_whole_beside_its_row(
    demo: None, browser: Any, live_server: Any, lang: str
) -> None:
    page = open_as(browser, live_server, "exec", PHONE, lang)
    page.goto("/milestones/")
    names = page.evaluate(NAMES)
    assert len(names) > 40
    cut = [name for name, _lines, inside in names if not inside]
    assert cut == [], cut
    assert max(lines for _n, lines, _i in names) == 2  # the long ones wrap
    if lang == "zh":
        assert ["P0008 深圳三号产线自动化", 1, True] in names
    # the full name is in the link's tooltip too
    first = page.locator(".gantt-labels a").first
    expect(first).to_have_attribute("title", names[0][0])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_desktop_keeps_one_line_a_project_in_the_wide_column(
    demo: None, browser: Any, live_server: Any
) -> None:
    page = open_as(browser, live_server, "exec", WIDE, "zh")
    page.goto("/milestones/")
    names = page.evaluate(NAMES)
    assert {lines for _n, lines, _i in names} == {1}
    assert all(inside for _n, _l, inside in names), names
    assert page.locator(".gantt-labels").bounding_box()["width"] == 280
