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
