"""Chinese text breaks between words, not inside one, and the signed-in person's name shows whole
(the Chinese audit: 高风/险, PMO类/型, 对比基/线, 人工成本（相对当前计/划）, 林晓云（研…)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import WIDE, expect, open_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# the line boxes of each piece of text in an element: one per line it takes
LINES = """(s => [...document.querySelectorAll(s)].map(e => {
  const r = document.createRange(); r.selectNodeContents(e);
  const tops = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
  return [e.innerText.replace(/\\s+/g, ' ').trim(), tops.size];
}))"""


def test_status_center_headers_break_between_words_in_chinese(
    demo: None, browser: Any, live_server: Any
) -> None:
    page = open_as(browser, live_server, "exec", WIDE, "zh")
    page.goto("/")
    expect(page.locator("#projects tr[data-code]")).to_have_count(50)
    lines = dict(page.evaluate(LINES, "#projects thead th a, #projects thead th .muted"))
    assert lines["高风险"] == 1 and lines["严重问题"] == 1, lines
    assert lines["预测完成（对比基线）"] <= 2, lines  # if anywhere, before the bracket
    forecast = page.evaluate(
        "(() => { const a = document.querySelector('[data-testid=sort-finish]');"
        " const r = document.createRange(); const t = a.firstChild;"
        " r.setStart(t, t.data.indexOf('基')); r.setEnd(t, t.data.indexOf('线') + 1);"
        " return r.getClientRects().length; })()"
    )
    assert forecast == 1  # 基线 on one line
    # the table still fits the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_top_bar_shows_the_persons_whole_name(
    demo: None, browser: Any, live_server: Any, lang: str
) -> None:
    for username, en, zh in (
        ("exec", "Robert Hale", "罗伯特·黑尔"),
        ("director", "Lin Xiaoyun", "林晓云"),
    ):
        page = open_as(browser, live_server, username, WIDE, lang)
        # below 1600 px the title is in the name's tooltip and menu only (ADR 0001 layout)
        _whole_name_in_one_row(page, zh if lang == "zh" else en, False)


def test_a_wide_screen_shows_the_title_too(demo: None, browser: Any, live_server: Any) -> None:
    # at 1920 px the top bar cut "Robert Hale (C…" (the audit's executive on a desktop)
    page = open_as(browser, live_server, "exec", {"width": 1920, "height": 1000}, "en")
    _whole_name_in_one_row(page, "Robert Hale", True)
    expect(page.locator("[data-testid=user-name] .who-title")).to_have_text(" (COO)")


def _whole_name_in_one_row(page: Any, expected: str, title_too: bool) -> None:
    name = page.locator("[data-testid=user-name] .who-name")
    expect(name).to_have_text(expected)
    # the text's right edge is inside the visible box of the whole (which cuts what overflows)
    shown = "s => { const box = document.querySelector('[data-testid=user-name]');"
    shown += " const r = document.createRange(); r.selectNodeContents(document.querySelector(s));"
    shown += " return r.getBoundingClientRect().right <= box.getBoundingClientRect().right + 0.5; }"
    assert page.evaluate(shown, "[data-testid=user-name] .who-name")  # the name is not cut
    if title_too:  # a wide screen shows the title after the name, whole
        expect(page.locator("[data-testid=user-name] .who-title")).to_be_visible()
        assert page.evaluate(shown, "[data-testid=user-name] .who-title")
    assert page.locator("header").bounding_box()["height"] < 50  # still one row
