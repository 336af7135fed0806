"""Browser tests of the searchable pickers: a project and a resource chosen by typing, with
the keyboard (ARIA combobox), saved; and the same forms without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.conftest import PASSWORD, TIMEOUT_MS
from tests.e2e.helpers import expect
from tests.e2e.pickers import pick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _projects(users: Any, make_project: Any) -> dict[str, Any]:
    from pmo.portfolio.models import Milestone

    core = make_project(code="CORE1", name="Core banking platform", name_zh="核心银行平台")
    app = make_project(code="APP1", name="Customer mobile app", manager=users["other_pm"].person)
    for n in range(2, 30):  # more than a list shows: the picker finds by typing
        make_project(code=f"APP{n}", name=f"Channel project {n}")
    return {
        "core": core,
        "app": app,
        "build": Milestone.objects.create(
            project=core, name="Build complete", forecast_date=dt.date(2026, 3, 6)
        ),
        "integration": Milestone.objects.create(
            project=app, name="Integration", forecast_date=dt.date(2026, 3, 16)
        ),
    }


def test_a_dependency_is_registered_with_projects_picked_by_typing(
    sign_in: Callable[[str], Any], users: Any, make_project: Any
) -> None:
    from pmo.dependencies.models import Dependency

    made = _projects(users, make_project)
    page = sign_in("pm")
    page.goto("/dependencies/")
    page.click("#new-dependency summary")
    box = page.locator("input[name=supplier_project_text]")
    # the box is a combobox once the script runs, its list closed
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-controls", "supplier-project-list")
    # the Chinese name finds the project too; Escape closes the list and keeps the focus
    box.press_sequentially("银行", delay=20)
    listbox = page.locator("#supplier-project-list")
    expect(listbox.locator("[role=option]")).to_have_text(["CORE1 · Core banking platform"])
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-testid=picker-supplier_project] [role=status]")).to_contain_text(
        "1 shown"
    )
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()
    pick(page, "supplier_project", "platform", "CORE1 · Core banking platform")
    expect(page.locator("input[name=supplier_project]")).to_have_value("CORE1")
    # the pick loads the project's milestones (htmx, as the select did)
    page.select_option("#supplier-item", f"m:{made['build'].pk}")
    # many match "APP": the one wanted is reached with the arrow keys
    pick(page, "consumer_project", "app1", "APP1 · Customer mobile app")
    page.select_option("#consumer-item", f"m:{made['integration'].pk}")
    page.click("#new-dependency button.primary")
    expect(page.locator("body")).to_contain_text("APP1 depends on CORE1")
    dep = Dependency.objects.get()
    assert (dep.supplier_milestone, dep.consumer_milestone) == (
        made["build"],
        made["integration"],
    )


def test_the_impact_page_analyses_a_project_picked_by_typing(
    sign_in: Callable[[str], Any], users: Any, make_project: Any
) -> None:
    _projects(users, make_project)
    page = sign_in("pm")
    page.goto("/impact/")
    pick(page, "project", "CORE", "CORE1 · Core banking platform")
    # the page comes back for the project (htmx, address updated): its milestones to choose
    expect(page.locator("#impact-source")).to_be_visible()
    page.wait_for_url("**/impact/?project=CORE1")
    box = page.locator("input[name=project_text]")
    expect(box).to_have_value("CORE1 · Core banking platform")
    expect(box).to_be_focused()  # redrawn, the box keeps the keyboard focus
    expect(box).to_have_attribute("role", "combobox")


def test_an_open_picker_list_has_no_serious_wcag_violations(
    sign_in: Callable[[str], Any], users: Any, make_project: Any
) -> None:
    from tests.e2e.test_accessibility import _problems

    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("the 'axe-playwright-python' package is missing (pip install -e '.[dev]')")
    _projects(users, make_project)
    page = sign_in("pm")
    page.goto("/impact/")
    box = page.locator("input[name=project_text]")
    box.press_sequentially("APP", delay=20)
    expect(page.locator("#impact-project-list [role=option]").first).to_be_visible()
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "impact-project-list-0")
    assert _problems(Axe(), page, "en") == []


def _staffing(users: Any, make_project: Any, org: Any) -> Any:
    from pmo.resources.models import Resource

    for n, (name, zh) in enumerate(
        [("Java developer, Shanghai", "上海Java开发"), ("Java developer, Shenzhen", "")]
    ):
        Resource.objects.create(
            code=f"java-{n}",
            name=name,
            name_zh=zh,
            kind="pool",
            role="Java developer",
            org_unit=org["sh"],
            fte=Decimal("2"),
        )
    return make_project(code="P0001", name="Payments")


def test_an_allocation_is_added_with_a_resource_picked_by_typing(
    sign_in: Callable[[str], Any], users: Any, make_project: Any, org: Any
) -> None:
    from pmo.resources.models import Allocation

    project = _staffing(users, make_project, org)
    page = sign_in("member")
    page.goto(f"/projects/{project.code}/staffing/")
    form = page.locator("[data-testid=add-allocation]")
    pick(form, "resource", "shenzhen", "Java developer · Java developer, Shenzhen")
    form.locator("input[name=last]").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    form.locator("input[name=fte]").fill("0.5")
    form.locator("button").click()
    expect(page.locator("body")).to_contain_text("Allocation added.")
    assert Allocation.objects.get(project=project).resource.code == "java-1"


def test_without_javascript_the_forms_take_what_is_typed(
    browser: Any, live_server: Any, users: Any, make_project: Any, org: Any
) -> None:
    from pmo.resources.models import Allocation

    project = _staffing(users, make_project, org)
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", "member")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: not url.split("?")[0].endswith("/accounts/login/"))
        # a plain text box: a name (here the Chinese one) is the resource
        page.goto(f"/projects/{project.code}/staffing/")
        form = page.locator("[data-testid=add-allocation]")
        expect(form.locator("input[name=resource_text]")).not_to_have_attribute("role", "combobox")
        form.locator("input[name=resource_text]").fill("上海Java开发")
        last = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        form.locator("input[name=last]").fill(last)
        form.locator("input[name=fte]").fill("0.5")
        form.locator("button").click()
        expect(page.locator("body")).to_contain_text("Allocation added.")
        assert Allocation.objects.get(project=project).resource.code == "java-0"
        # an unknown project code on the impact page is named at its field
        page.goto("/impact/")
        page.fill("input[name=project_text]", "NOPE9")
        page.click("#impact-form button.primary")
        error = page.locator("[data-testid=project-error]")
        expect(error).to_have_text("no project you may see has the code or name “NOPE9”.")
        expect(page.locator("input[name=project_text]")).to_have_attribute("aria-invalid", "true")
        # a code typed is the project
        page.fill("input[name=project_text]", "p0001")
        page.click("#impact-form button.primary")
        expect(page.locator("#impact-source")).to_be_visible()
    finally:
        context.close()


# One step of an input method (IME) composing text in a box, as Chromium sends it: "start"
# begins a composition, "text" is what the box then holds (sent as composing, or, with "end",
# confirmed), "key" a key pressed meanwhile. Returns false if the page took that key.
_COMPOSE = """([box, step]) => {
  const el = document.querySelector(box);
  const data = step.text || "";
  const composition = (type) => new CompositionEvent(type, {bubbles: true, data: data});
  if (step.start) el.dispatchEvent(composition("compositionstart"));
  if (step.text !== undefined) {
    el.value = step.text;
    if (step.end) {
      el.dispatchEvent(composition("compositionend"));
    } else {
      el.dispatchEvent(composition("compositionupdate"));
      el.dispatchEvent(new InputEvent("input", {bubbles: true, isComposing: true, data: data}));
    }
  }
  if (step.key) {
    const key = new KeyboardEvent("keydown", {
      bubbles: true, cancelable: true, key: step.key, isComposing: true, keyCode: 229,
    });
    return el.dispatchEvent(key);  // false: the picker took the key from the input method
  }
  return true;
}"""


def test_text_an_input_method_is_composing_is_not_searched_until_it_is_confirmed(
    sign_in: Callable[[str], Any], users: Any, make_project: Any
) -> None:
    _projects(users, make_project)
    page = sign_in("pm")
    page.goto("/impact/")
    searches: list[str] = []
    page.on("request", lambda r: searches.append(r.url) if "/lookup/projects" in r.url else None)
    box = page.locator("input[name=project_text]")
    listbox = page.locator("#impact-project-list")
    status = page.locator("[data-testid=picker-project] [role=status]")
    # given a list open with a match chosen (typed in Latin letters)
    box.press_sequentially("mobile", delay=20)
    expect(listbox.locator("[role=option]")).to_have_text(["APP1 · Customer mobile app"])
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "impact-project-list-0")
    searches.clear()
    status.evaluate("s => { s.textContent = '' }")
    # when the reader composes pinyin with an input method: no search, the list closes
    sel = "input[name=project_text]"
    page.evaluate(_COMPOSE, [sel, {"start": True, "text": "mobileh"}])
    expect(listbox).to_be_hidden()
    page.evaluate(_COMPOSE, [sel, {"text": "mobilehe"}])
    page.evaluate(_COMPOSE, [sel, {"text": "he"}])
    # Enter and the arrows choose among the input method's candidates, not the picker's
    assert page.evaluate(_COMPOSE, [sel, {"key": "ArrowDown"}]) is True
    assert page.evaluate(_COMPOSE, [sel, {"key": "Enter"}]) is True
    page.wait_for_timeout(600)  # four times the picker's delay before a search
    assert searches == []
    expect(listbox).to_be_hidden()
    expect(status).to_have_text("")
    expect(box).to_have_value("he")  # Enter picked nothing
    expect(page.locator("input[name=project]")).to_have_value("")
    # then the text confirmed is searched once
    page.evaluate(_COMPOSE, [sel, {"text": "核心", "end": True}])
    expect(listbox.locator("[role=option]")).to_have_text(["CORE1 · Core banking platform"])
    expect(status).to_contain_text("1 shown")
    page.wait_for_timeout(400)
    assert len(searches) == 1 and "q=%E6%A0%B8%E5%BF%83" in searches[0]


def test_the_picker_s_chinese_status_has_no_space_after_a_full_stop(
    sign_in: Callable[[str], Any], users: Any, make_project: Any
) -> None:
    _projects(users, make_project)
    page = sign_in("pm")
    page.click("[data-testid=lang-zh]")
    page.wait_for_load_state()
    page.goto("/impact/")
    box = page.locator("input[name=project_text]")
    # more match "Channel" than the list shows: the count and the note are said together
    box.press_sequentially("Channel", delay=20)
    status = page.locator("[data-testid=picker-project] [role=status]")
    expect(status).to_have_text(
        "显示 20 项；用方向键选择，按回车键确定。仅显示前若干项：请继续输入以缩小范围。"
    )
    # English keeps its space between the sentences
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    page.goto("/impact/")
    page.locator("input[name=project_text]").press_sequentially("Channel", delay=20)
    expect(page.locator("[data-testid=picker-project] [role=status]")).to_have_text(
        "20 shown; arrow keys to choose, Enter to pick. Only the first matches are shown: "
        "type more to narrow them down."
    )
