"""In a real browser: the plan page's forms after the browser audit.

- *Set baseline* opens on the next free baseline; choosing the approved one asks first,
  naming it and its date, and saving over it keeps its name.
- The link form keeps what was typed and shows its error at the form, in view on a phone;
  removing a link that does not exist replaces an old error with a clear message.
- A task row saved with Enter keeps the keyboard on the same input and says "Saved.".
- The holidays badge wraps on a phone, its years joined with 、 in Chinese.

The small plan (``factories``): Build 1 (summary), Design 2, Code 3, Docs 4, Release 5.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from pmo.scheduling import services
from pmo.scheduling.models import Plan
from pmo.scheduling.tests.factories import small_plan
from tests.e2e.helpers import PHONE, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _open(page: Any, sign_in: Any, make_project: Any, users: Any) -> Plan:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    sign_in("pm")
    page.goto(f"/projects/{plan.project.code}/plan/")
    return plan


def test_set_baseline_asks_before_replacing_the_approved_one_and_keeps_its_name(
    page: Any, sign_in: Any, make_project: Any, users: Any
) -> None:
    project = make_project()
    plan = services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    services.set_baseline(actor=users["pm"], plan=plan, number=0, name="Approved plan")
    saved = plan.baselines.get(number=0).saved_at
    sign_in("pm")
    page.goto(f"/projects/{project.code}/plan/")
    number = page.locator("[data-testid=baseline-number]")
    expect(number).to_have_value("1")  # the next free one, not the approved plan
    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        (dialog.accept if accept else dialog.dismiss)()

    # choosing the approved plan: the question names it and its date; Cancel keeps it
    number.select_option("0")
    page.once("dialog", lambda d: answer(d, False))
    page.click("[data-testid=set-baseline]")
    page.wait_for_timeout(300)
    assert len(asked) == 1 and asked[0].startswith("Overwrite Approved plan, saved on ")
    assert f"{timezone.localtime(saved):%Y-%m-%d %H:%M}" in asked[0]
    assert plan.baselines.get(number=0).saved_at == saved
    # OK: saved over it, its name kept
    page.once("dialog", lambda d: answer(d, True))
    page.click("[data-testid=set-baseline]")
    expect(page.locator("[data-testid=messages]")).to_contain_text("Baseline saved: Approved plan")
    assert len(asked) == 2
    kept = plan.baselines.get(number=0)
    assert (kept.name, kept.saved_at > saved) == ("Approved plan", True)
    expect(page.locator("[data-testid=baseline-number]")).to_have_value("1")
    # a free number is saved without a question
    page.click("[data-testid=set-baseline]")
    expect(page.locator("[data-testid=messages]")).to_contain_text("Baseline saved: Baseline 1")
    assert len(asked) == 2


def test_the_link_form_keeps_what_was_typed_and_shows_its_error_in_view_on_a_phone(
    page: Any, sign_in: Any, make_project: Any, users: Any
) -> None:
    page.set_viewport_size(PHONE)
    _open(page, sign_in, make_project, users)
    # a cycle: the message at the form, in view, both UIDs kept
    page.fill("[data-testid=link-pred]", "5")
    page.fill("[data-testid=link-succ]", "2")
    page.click("[data-testid=save-link]")
    error = page.locator("[data-testid=link-error]")
    expect(error).to_contain_text("the links form a cycle")
    expect(error).to_be_in_viewport()
    expect(page.locator("#plan-error")).to_have_count(0)
    expect(page.locator("[data-testid=link-pred]")).to_have_value("5")
    expect(page.locator("[data-testid=link-succ]")).to_have_value("2")
    # a lag that is not a number: under the lag, in view
    page.fill("[data-testid=link-pred]", "2")
    page.fill("[data-testid=link-succ]", "4")
    page.fill("[data-testid=link-lag]", "abc")
    page.click("[data-testid=save-link]")
    lag_error = page.locator("#link-error-lag_days")
    expect(lag_error).to_have_text("Lag (days): Enter a number.")
    expect(lag_error).to_be_in_viewport()
    expect(page.locator("[data-testid=link-lag]")).to_have_value("abc")
    expect(page.locator("[data-testid=link-lag]")).to_have_attribute("aria-invalid", "true")
    # removing a link that does not exist: the old error goes, a clear message comes
    page.fill("[data-testid=link-pred]", "4")
    page.fill("[data-testid=link-succ]", "2")
    page.click("[data-testid=remove-link]")
    expect(error).to_have_text("Nothing removed: there is no link from UID 4 to UID 2.")
    expect(lag_error).to_have_count(0)
    expect(error).to_be_in_viewport()


def _focused(page: Any, testid: str) -> None:
    """Wait until the keyboard focus is on the element of ``testid`` (put back after htmx
    settles the swap); fails after the timeout, naming where the focus is."""
    try:
        page.wait_for_function(
            "(id) => document.activeElement?.getAttribute('data-testid') === id", arg=testid
        )
    except Exception:
        where = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        raise AssertionError(f"focus on {where}, not on {testid}") from None


def test_a_row_saved_with_enter_keeps_the_keyboard_there_and_says_saved(
    page: Any, sign_in: Any, make_project: Any, users: Any
) -> None:
    plan = _open(page, sign_in, make_project, users)
    live = page.locator("#plan-live")
    expect(live).to_have_attribute("aria-live", "polite")
    duration = page.locator("[data-testid=duration-3]")
    duration.fill("6")
    duration.press("Enter")
    expect(page.locator("#moved")).to_contain_text("Code")
    expect(live).to_have_text("Saved.")
    _focused(page, "duration-3")
    assert plan.tasks.get(uid=3).duration == 6 * 480
    # Tab goes on from there, to the next input of the same row
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-testid')") == "percent-3"
    # a refused value: the focus stays on the input, nothing is announced as saved
    page.evaluate("document.getElementById('plan-live').textContent = ''")
    percent = page.locator("[data-testid=percent-3]")
    duration.fill("abc")
    percent.press("Enter")
    expect(page.locator("#error-3-duration_days")).to_be_visible()
    _focused(page, "percent-3")
    page.wait_for_timeout(300)
    expect(live).to_have_text("")


def test_the_holidays_badge_wraps_on_a_phone_with_the_years_joined_in_chinese(
    page: Any, sign_in: Any, make_project: Any, users: Any
) -> None:
    plan = _open(page, sign_in, make_project, users)
    Plan.objects.filter(pk=plan.pk).update(assumed_years="2027, 2028, 2029, 2030")
    page.click("[data-testid=lang-zh]")
    page.wait_for_load_state()
    page.set_viewport_size(PHONE)
    page.goto(f"/projects/{plan.project.code}/plan/")
    badge = page.locator("#assumed-years")
    expect(badge).to_contain_text("2027、2028、2029、2030 年的法定节假日尚未公布")
    box = badge.evaluate(
        """(el) => { const r = el.getBoundingClientRect();
           const size = parseFloat(getComputedStyle(el).fontSize);
           return { right: r.right, scroll: el.scrollWidth, client: el.clientWidth,
                    wrapped: r.height > 1.8 * size }; }"""
    )
    card = page.locator("#plan-summary").evaluate("(el) => el.getBoundingClientRect().right")
    assert box["right"] <= card and box["scroll"] <= box["client"], box
    assert box["wrapped"], box  # on two lines or more, not cut
