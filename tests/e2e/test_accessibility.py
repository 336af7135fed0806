"""Accessibility (WCAG 2.1 A and AA, ADR 0012): axe-core in Chromium on the key pages, in English
and Chinese, and the keyboard path into a page (skip link, visible focus, the header menus).

axe-core comes bundled in the ``axe-playwright-python`` package (nothing is downloaded when the
test runs). Only rules tagged WCAG 2.0/2.1 A or AA run; a serious or critical violation fails
the test, listing the rule, its impact and the elements, page by page.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.helpers import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ENFORCED = ("serious", "critical")
HTML_LANG = {"en": "en", "zh": "zh-Hans"}


@pytest.fixture
def axe() -> Any:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("the 'axe-playwright-python' package is missing (pip install -e '.[dev]')")
    return Axe()


@pytest.fixture
def demo(live_server: Any) -> dict[str, Any]:
    """A small demo portfolio (its users' password is ``pmo-demo``) and a draft scenario."""
    from pmo.accounts.models import User
    from pmo.demo.loader import load_demo
    from pmo.resources.services import create_scenario
    from pmo.scheduling.models import Plan

    load_demo(projects=12)
    scenario = create_scenario(actor=User.objects.get(username="pmo"), name="What if")
    plan = Plan.objects.filter(project__manager__user__username="pm").select_related("project")
    return {"code": plan.first().project.code, "scenario": scenario.pk}


def _problems(axe: Any, page: Any, lang: str) -> list[str]:
    """The page's serious and critical WCAG A/AA violations, one line each."""
    where = f"[{lang}] {page.url.split('//', 1)[1].split('/', 1)[1] or '/'}"
    lines = []
    html_lang = page.evaluate("document.documentElement.lang")
    if html_lang != HTML_LANG[lang]:
        lines.append(f"{where}: <html lang={html_lang!r}>, expected {HTML_LANG[lang]!r}")
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    for rule in axe.run(page, options=options).response["violations"]:
        if rule["impact"] in ENFORCED:
            targets = ", ".join(" ".join(map(str, node["target"])) for node in rule["nodes"][:8])
            more = len(rule["nodes"]) - 8
            lines.append(
                f"{where}: {rule['id']} ({rule['impact']}) at {targets}"
                + (f" and {more} more" if more > 0 else "")
            )
    return lines


def _sign_in(page: Any, username: str, lang: str) -> None:
    """Sign in as a demo user and choose ``lang`` with the header's language switcher."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pmo-demo")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/accounts/login/"))
    page.click(f"[data-testid=lang-{lang}]")
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG[lang])


def test_key_pages_have_no_serious_wcag_violations_in_english_and_chinese(
    demo: dict[str, Any], browser: Any, live_server: Any, axe: Any
) -> None:
    code, problems = demo["code"], []
    for lang in ("en", "zh"):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            # the sign-in page, in the language chosen on it
            page.goto("/accounts/login/")
            page.click(f"[data-testid=lang-{lang}]")
            problems += _problems(axe, page, lang)
            # the project manager: their project, its schedule (Gantt), lifecycle and a review
            _sign_in(page, "pm", lang)
            for path in (f"/projects/{code}/", f"/projects/{code}/plan/"):
                page.goto(path)
                problems += _problems(axe, page, lang)
            page.goto(f"/projects/{code}/lifecycle/")
            problems += _problems(axe, page, lang)
            review = page.locator("main a[href*='/gate-reviews/']").first
            if review.count():  # the demo's reviews of this project
                page.goto(str(review.get_attribute("href")))
                problems += _problems(axe, page, lang)
            # the PMO: the portfolio pages
            _sign_in(page, "pmo", lang)
            for path in (
                "/",
                "/reports/onepage/",
                "/resources/heatmap/",
                "/resources/availability/?fte=0.5",
                "/resources/requests/",
                f"/resources/scenarios/{demo['scenario']}/",
                "/resources/roles/",
                "/gate-calendar/",
                "/dependencies/",
                f"/impact/?project={code}",
                "/change-requests/",
            ):
                page.goto(path)
                problems += _problems(axe, page, lang)
            # a role of the catalogue: its form and the merge form
            page.goto("/resources/roles/")
            page.locator("[data-testid=edit-role]").first.click()
            page.wait_for_url("**/resources/roles/*/edit/")
            problems += _problems(axe, page, lang)
            page.goto("/change-requests/")
            page.locator("#change-requests a").first.click()
            page.wait_for_url("**/change-requests/*/")
            problems += _problems(axe, page, lang)
            # a steering meeting as the PMO sees it (agenda, minutes form, outcome form)
            page.goto("/steering-meetings/")
            page.locator("main a[href*='/steering-meetings/']").first.click()
            page.wait_for_url("**/steering-meetings/*/")
            expect(page.locator("#minutes textarea")).to_have_count(1)
            problems += _problems(axe, page, lang)
            # a heat-map cell's drill-down, swapped in by htmx
            page.goto("/resources/heatmap/")
            page.locator("td.cell a").first.click()
            expect(page.locator("#drill table")).not_to_have_count(0)
            problems += _problems(axe, page, lang)
        finally:
            context.close()
    assert not problems, "WCAG 2.1 A/AA violations (serious, critical):\n" + "\n".join(problems)


def test_the_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_the_content(
    sign_in: Any, make_project: Any
) -> None:
    make_project()
    page = sign_in("pm")
    page.goto("/")

    # the first Tab reaches the skip link, which shows itself with a focus outline
    page.keyboard.press("Tab")
    skip = page.locator("[data-testid=skip-link]")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0, box  # on screen now
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"

    # Enter moves the focus to the main content; the next Tab stays inside it
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    # the user menu opens with Enter and Escape closes it, the focus back on its button
    menu = page.locator("[data-testid=user-menu]")
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(page.locator("[data-testid=sign-out]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(menu.locator("summary")).to_be_focused()
