"""Switching the interface language from the top bar, remembered on the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e


def test_switch_to_chinese_and_back(
    sign_in: Callable[[str], Any], users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given an English session and a project with a Chinese name
    make_project(name="Smart factory", name_zh="智能工厂")
    page = sign_in("pm")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("tr[data-code=T001]")).to_contain_text("Smart factory")

    # when 中文 is chosen in the top bar
    page.click("[data-testid=lang-zh]")

    # then the page is Chinese: the html lang, the active button, the Chinese project name
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("[data-testid=lang-zh]")).to_have_class("linklike active")
    expect(page.locator("tr[data-code=T001]")).to_contain_text("智能工厂")
    expect(page.locator("tr[data-code=T001]")).not_to_contain_text("Smart factory")
    # and the choice is saved on the user, so it follows them to another browser
    users["pm"].refresh_from_db()
    assert users["pm"].language == "zh-hans"

    # when English is chosen again, everything switches back
    page.click("[data-testid=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=lang-en]")).to_have_class("linklike active")
    expect(page.locator("tr[data-code=T001]")).to_contain_text("Smart factory")
    users["pm"].refresh_from_db()
    assert users["pm"].language == "en"


def test_saved_language_applies_at_the_next_sign_in(
    sign_in: Callable[[str], Any], users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    # given a user who chose Chinese earlier
    make_project(name="Smart factory", name_zh="智能工厂")
    users["member"].language = "zh-hans"
    users["member"].save(update_fields=["language"])

    # when they sign in from a fresh English browser
    page = sign_in("member")

    # then the status center is Chinese
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("tr[data-code=T001]")).to_contain_text("智能工厂")
