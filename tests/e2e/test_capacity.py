"""A director drills into an overloaded week and commits a what-if scenario."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect
from tests.e2e.pickers import pick

pytestmark = pytest.mark.e2e


def _java_pool(org: Any, code: str, city: str, fte: str) -> Any:
    from pmo.resources.models import Resource

    return Resource.objects.create(
        code=code,
        name=f"Java developer, {city}",
        kind="pool",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal(fte),
        calendar="",  # Monday to Friday: the figures do not depend on this week's holidays
    )


@pytest.fixture
def overload(org: Any, make_project: Callable[..., Any]) -> tuple[Any, Any]:
    """A 2-FTE Java pool; T001 (1.5) and T002 (1) both need it next week (this week's
    overload may be on days already past, which the pages show apart)."""
    from pmo.resources.models import Allocation

    java = _java_pool(org, "java-sh", "Shanghai", "2")
    a, b = make_project(name="Core"), make_project(name="Mobile")
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    for project, fte in ((a, "1.5"), (b, "1")):
        Allocation.objects.create(
            resource=java,
            project=project,
            first=monday,
            last=monday + dt.timedelta(days=4),
            fte=Decimal(fte),
        )
    return a, b


def test_drill_down_and_commit_a_scenario(
    overload: tuple[Any, Any], sign_in: Callable[[str], Any]
) -> None:
    a, b = overload
    page = sign_in("member")
    page.goto("/resources/heatmap/?periods=4")
    hot = page.locator("td.overloaded a")
    expect(hot).to_have_count(1)
    expect(hot).to_have_text("2.5/2.0")
    hot.click()
    expect(page.locator("[data-testid=causes] tbody tr")).to_have_count(2)
    expect(page.locator("[data-testid=causes]")).to_contain_text(a.code)

    page.goto("/resources/scenarios/")
    page.fill("input[name=name]", "Move Mobile")
    page.click("[data-testid=create-scenario]")
    shift = page.locator("#shift")
    pick(shift, "project", b.code, f"{b.code} · {b.name}")
    expect(shift.locator("input[name=opened_project]")).to_have_value(b.code)  # its move shown
    shift.locator("input[name=days]").fill("7")
    page.click("[data-testid=shift]")
    expect(page.locator("[data-testid=compare]")).to_contain_text(
        "0 overloaded cells, 0.0 FTE above capacity"
    )
    # committing asks first: dismissed, nothing happens; accepted, the scenario is the plan
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Draft")
    assert asked and asked[0].startswith("Commit this scenario?")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Committed")
    expect(page.locator("[data-testid=scenario-closed]")).to_contain_text(
        "it became the current plan"
    )
    page.goto("/resources/heatmap/?periods=4")
    expect(page.locator("td.overloaded")).to_have_count(0)


def test_director_adds_and_commits_an_allocation_on_the_staffing_page(
    overload: tuple[Any, Any], sign_in: Callable[[str], Any], users: Any
) -> None:
    from pmo.accounts.models import Role, User
    from tests.e2e.conftest import PASSWORD

    User.objects.create_user(username="director", password=PASSWORD, role=Role.RESOURCE_MANAGER)
    a, _b = overload
    page = sign_in("pm")
    page.goto(f"/projects/{a.code}/staffing/")
    expect(page.locator("[data-testid=allocations] tbody tr")).to_have_count(1)
    form = page.locator("[data-testid=add-allocation]")
    pick(form, "resource", "shanghai", "Java developer · Java developer, Shanghai")
    form.locator("input[name=last]").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    form.locator("input[name=fte]").fill("0.5")
    form.locator("input[name=note]").fill("UAT support")
    form.locator("button").click()
    expect(page.locator("body")).to_contain_text("Allocation added.")
    rows = page.locator("[data-testid=allocations] tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("[data-testid=commit-allocation]")).to_have_count(0)  # PMs propose

    page.context.clear_cookies()
    page = sign_in("director")
    page.goto(f"/projects/{a.code}/staffing/")
    proposed = page.locator("[data-testid=allocations] tbody tr", has_text="UAT support")
    expect(proposed).to_contain_text("Proposed")
    proposed.locator("[data-testid=commit-allocation]").click()
    expect(page.locator("body")).to_contain_text("Allocation committed.")
    expect(
        page.locator("[data-testid=allocations] tbody tr", has_text="UAT support")
    ).to_contain_text("Committed")


def test_compare_two_scenarios_with_the_current_plan(
    overload: tuple[Any, Any], sign_in: Callable[[str], Any], users: Any
) -> None:
    from pmo.resources import services

    _a, b = overload
    move = services.create_scenario(actor=users["member"], name="Move Mobile")
    services.shift_project(actor=users["member"], scenario=move, project=b, days=7)
    services.create_scenario(actor=users["member"], name="Leave as is")
    page = sign_in("exec")
    page.goto("/resources/scenarios/")
    form = page.locator("[data-testid=compare-form]")
    form.locator("input[name=ids]").nth(0).check()
    form.locator("input[name=ids]").nth(1).check()
    form.locator("[data-testid=compare]").click()
    summary = page.locator("[data-testid=compare-summary]")
    expect(summary.locator("thead th")).to_have_count(4)  # label, current plan, two scenarios
    expect(summary).to_contain_text("Move Mobile")
    expect(page.locator("[data-testid=compare-projects]")).to_contain_text("+7")
    expect(page.locator(".compare-grid table.heatmap")).to_have_count(3)


def test_give_work_to_another_pool_in_a_scenario(
    overload: tuple[Any, Any], sign_in: Callable[[str], Any], org: Any
) -> None:
    from pmo.resources.models import Allocation

    _java_pool(org, "java-sz", "Shenzhen", "3")
    _a, b = overload
    page = sign_in("member")
    page.goto("/resources/scenarios/")
    page.fill("input[name=name]", "Shenzhen helps")
    page.click("[data-testid=create-scenario]")
    staffing = page.locator("[data-testid=scenario-staffing-form]")
    pick(staffing, "project", b.code, f"{b.code} · {b.name}")
    staffing.locator("[data-testid=scenario-staffing]").click()
    expect(page.locator("[data-testid=staffing-scenario]")).to_contain_text("Shenzhen helps")
    page.locator("[data-testid=edit-allocation]").click()
    form = page.locator("[data-testid=edit-allocation-form]")
    pick(form, "resource", "java", "Java developer · Java developer, Shenzhen")
    form.locator("button[value=save]").click()
    expect(page.locator("body")).to_contain_text("Allocation saved.")
    expect(page.locator("[data-testid=allocations]")).to_contain_text("Java developer, Shenzhen")
    page.click("text=Back to the scenario")
    expect(page.locator("[data-testid=compare]")).to_contain_text(
        "0 overloaded cells, 0.0 FTE above capacity"
    )
    expect(page.locator("[data-testid=scenario-changed]")).to_contain_text(
        "1 allocation differs from the current plan"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Committed")
    assert Allocation.objects.get(scenario=None, project=b).resource.code == "java-sz"


def test_allocation_form_errors_stay_at_the_field_and_remove_asks_first(
    sign_in: Callable[..., Any], overload: tuple[Any, Any]
) -> None:
    """Audit findings: a refused allocation comes back with what was typed and the error at
    its field; "Remove" asks before deleting, and Cancel keeps the allocation."""
    from pmo.resources.models import Allocation

    a, _b = overload
    page = sign_in("member")
    page.goto(f"/projects/{a.code}/staffing/")
    form = page.locator("[data-testid=add-allocation]")
    pick(form, "resource", "shanghai", "Java developer · Java developer, Shanghai")
    form.locator("input[name=first]").fill("2027-03-01")
    form.locator("input[name=last]").fill("2027-02-01")
    form.locator("input[name=fte]").fill("0.6")
    form.locator("input[name=note]").fill("hypercare")
    form.locator("button").click()
    form = page.locator("[data-testid=add-allocation]")
    expect(form.locator("[data-testid=allocation-last-error]")).to_have_text(
        "the end date is before the start date"
    )
    expect(form.locator("input[name=first]")).to_have_value("2027-03-01")
    expect(form.locator("input[name=fte]")).to_have_value("0.6")
    expect(form.locator("input[name=note]")).to_have_value("hypercare")
    expect(form.locator("input[name=last]")).to_have_attribute("max", "2149-12-31")
    row = Allocation.objects.filter(project=a).first()
    assert row is not None
    page.goto(f"/resources/allocations/{row.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=delete-allocation]")
    expect(page.locator("[data-testid=edit-allocation-form]")).to_be_visible()
    assert Allocation.objects.filter(pk=row.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=delete-allocation]")
    expect(page.locator("body")).to_contain_text("Allocation removed.")
    assert not Allocation.objects.filter(pk=row.pk).exists()
