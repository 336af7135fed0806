"""The top bar names the signed-in person whole at laptop widths and on a phone (the Chinese
audit: "罗伯特·黑尔（首席运营…" at 1366 px): nothing in it is cut with an ellipsis, the title
in brackets is in the person's menu and the tooltip, and the page never scrolls sideways."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.helpers import PHONE, expect, open_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# every piece of the name shown in the bar: its text and whether it overflows its box (cut)
SHOWN = """() => [...document.querySelectorAll('[data-testid=user-name] > *')]
  .filter(e => e.getClientRects().length && !e.classList.contains('sr-only'))
  .map(e => [e.innerText, e.scrollWidth > e.clientWidth + 0.5])"""

NAMES = {
    "en": ("Robert Hale", "Robert Hale (COO)"),
    "zh": ("罗伯特·黑尔", "罗伯特·黑尔（首席运营官）"),
}


@pytest.mark.parametrize("width", [1366, 1440])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_top_bar_shows_the_name_uncut_at_laptop_widths(
    demo: None, browser: Any, live_server: Any, lang: str, width: int
) -> None:
    page = open_as(browser, live_server, "exec", {"width": width, "height": 900}, lang)
    name, full = NAMES[lang]
    shown = page.evaluate(SHOWN)
    assert shown == [[name, False]], shown  # the name whole, no cut title after it
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # the whole of it in the tooltip
    expect(page.locator("[data-testid=user-name]")).to_have_attribute(
        "title", re.compile(re.escape(full))
    )
    page.click("[data-testid=user-menu] summary")
    expect(page.locator("[data-testid=user-full-name]")).to_have_text(full)
    full_box = page.locator("[data-testid=user-full-name]").bounding_box()
    assert full_box["x"] >= 0 and full_box["x"] + full_box["width"] <= width  # on the screen


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_phone_shows_the_name_and_the_title_in_the_menu(
    demo: None, browser: Any, live_server: Any, lang: str
) -> None:
    page = open_as(browser, live_server, "exec", PHONE, lang)
    page.click("[data-testid=menu-button]")
    name, full = NAMES[lang]
    assert page.evaluate(SHOWN) == [[name, False]]
    page.click("[data-testid=user-menu] summary")
    expect(page.locator("[data-testid=user-full-name]")).to_be_visible()
    expect(page.locator("[data-testid=user-full-name]")).to_have_text(full)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_person_without_a_title_gets_no_second_name_in_the_menu(
    demo: None, browser: Any, live_server: Any
) -> None:
    page = open_as(browser, live_server, "pmo", {"width": 1366, "height": 900}, "zh")
    assert page.evaluate(SHOWN) == [["李娜", False]]
    expect(page.locator("[data-testid=user-full-name]")).to_have_count(0)
