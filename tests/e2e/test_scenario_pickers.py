"""A scenario's project choices on a big portfolio: pickers, the Move project box that
follows the project picked, and pinning another project when only the pinned are listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.helpers import expect
from tests.e2e.pickers import pick

pytestmark = pytest.mark.e2e


@pytest.fixture
def scenario_of_three(org: Any, make_project: Callable[..., Any], users: Any) -> Any:
    """A scenario of three projects on one pool; the first moved 14 days in all."""
    from pmo.resources import services
    from pmo.resources.models import Allocation, Resource

    java = Resource.objects.create(
        code="java-sh",
        name="Java developer, Shanghai",
        kind="pool",
        role="Java developer",
        org_unit=org["sh"],
        fte=Decimal("2"),
        calendar="",
    )
    monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
    projects = [make_project() for _ in range(3)]
    for project in projects:
        Allocation.objects.create(
            resource=java,
            project=project,
            first=monday,
            last=monday + dt.timedelta(days=4),
            fte=Decimal("1"),
        )
    scenario = services.create_scenario(actor=users["member"], name="Three")
    services.shift_project(actor=users["member"], scenario=scenario, project=projects[0], days=14)
    return scenario, projects


def test_the_move_box_shows_the_move_of_the_project_picked(
    scenario_of_three: Any, sign_in: Callable[[str], Any]
) -> None:
    from pmo.resources.models import ProjectShift

    scenario, (a, b, _c) = scenario_of_three
    page = sign_in("member")
    page.goto(f"/resources/scenarios/{scenario.pk}/?project={a.code}")
    shift = page.locator("#shift")
    days = shift.locator("input[name=days]")
    expect(days).to_have_value("14")
    pick(shift, "project", b.code, f"{b.code} · {b.name}")
    expect(days).to_have_value("0")  # b's move in all, not a's
    expect(shift.locator("input[name=opened_project]")).to_have_value(b.code)
    pick(shift, "project", a.code, f"{a.code} · {a.name}")
    expect(days).to_have_value("14")
    pick(shift, "project", b.code, f"{b.code} · {b.name}")
    expect(days).to_have_value("0")
    days.fill("5")
    shift.locator("[data-testid=shift]").click()
    expect(page.locator("body")).to_contain_text(f"{b.code} moved 5 calendar days later.")
    expect(page.locator("#shift input[name=days]")).to_have_value("5")
    assert ProjectShift.objects.get(scenario=scenario, project=b).days == 5
    assert ProjectShift.objects.get(scenario=scenario, project=a).days == 14


def test_pinning_another_project_when_only_the_pinned_are_listed(
    scenario_of_three: Any, sign_in: Callable[[str], Any], monkeypatch: Any, settings: Any
) -> None:
    from pmo.resources.models import ProjectShift
    from pmo.resources.views import scenario_pickers

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(scenario_pickers, "PINS_LISTED", 2)  # three projects: too many
    scenario, (a, b, c) = scenario_of_three
    ProjectShift.objects.filter(scenario=scenario, project=a).update(pinned=True)
    page = sign_in("member")
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    form = page.locator("[data-testid=level-form] form")
    pins = form.locator(".pins input[name=pin]")
    expect(pins).to_have_count(1)  # the pinned one only
    expect(form.locator("[data-testid=pins-partial]")).to_be_visible()
    box = form.locator("input[name=pin_project_text]")
    for project in (c, b):
        box.press_sequentially(project.code, delay=20)
        option = form.locator("[data-testid=picker-pin_project] [role=option]")
        expect(option).to_have_text([f"{project.code} · {project.name}"])
        box.press("ArrowDown")
        box.press("Enter")
        # picked: a ticked box of its own, the picker empty for the next one
        expect(form.locator(f".pins input[value={project.code}]")).to_be_checked()
        expect(form.locator("input[name=pin_project_text]")).to_have_value("")
    expect(pins).to_have_count(3)
    expect(form.locator(".pins label", has_text=c.code)).to_contain_text(f"· {c.name}")
    form.locator(f".pins input[value={a.code}]").uncheck()  # unpinned
    form.locator("input[name=time_limit]").fill("1")
    form.locator("[data-testid=level]").click()
    expect(page.locator("[data-testid=pins-saved]")).to_have_text("2")
    pinned = ProjectShift.objects.filter(scenario=scenario, pinned=True)
    assert set(pinned.values_list("project__code", flat=True)) == {b.code, c.code}


def test_a_quick_pick_never_takes_a_match_of_the_earlier_text(
    scenario_of_three: Any, sign_in: Callable[[str], Any]
) -> None:
    _scenario, (a, _b, c) = scenario_of_three
    scenario = _scenario
    page = sign_in("member")
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    shift = page.locator("#shift")
    box = shift.locator("input[name=project_text]")
    listbox = shift.locator("[data-testid=picker-project] [role=listbox]")
    # the matches of the first letters are listed, the first project first
    box.press_sequentially(c.code[:-1], delay=20)
    expect(listbox.locator("[role=option]").first).to_contain_text(a.code)
    # then the last letter and at once Down and Enter: not the earlier text's first match
    box.press_sequentially(c.code[-1:])
    box.press("ArrowDown")
    box.press("Enter")
    value = shift.locator("input[name=project]")
    expect(box).not_to_have_value(f"{a.code} · {a.name}")
    expect(value).not_to_have_value(a.code)
    # Either the new matches came before the Down (keys slowed by a loaded machine): Enter
    # took the first of them; or after: nothing was picked, and they are listed now.
    page.wait_for_function(
        """([root, code]) => root.querySelector("input[name=project]").value === code
          || [...root.querySelectorAll("[role=option]")].some(o => o.textContent.includes(code))""",
        arg=[shift.element_handle(), c.code],
    )
    if value.input_value() != c.code:
        # once the new matches are listed, they are the ones picked
        expect(listbox.locator("[role=option]").first).to_contain_text(c.code)
        pick(shift, "project", c.code, f"{c.code} · {c.name}")
    expect(value).to_have_value(c.code)
    expect(box).to_have_value(f"{c.code} · {c.name}")


def test_the_move_picker_list_is_not_clipped_by_its_card_on_a_phone(
    scenario_of_three: Any, sign_in: Callable[[str], Any]
) -> None:
    scenario, (a, _b, _c) = scenario_of_three
    page = sign_in("member")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/resources/scenarios/{scenario.pk}/")
    shift = page.locator("#shift")
    box = shift.locator("input[name=project_text]")
    box.press_sequentially(a.code[:2], delay=20)
    options = shift.locator("[data-testid=picker-project] [role=option]")
    expect(options.nth(2)).to_be_visible()
    # every option is on top where it is drawn: no card cuts the list off
    for i in range(3):
        option = options.nth(i)
        option.scroll_into_view_if_needed()
        hit = option.evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
            " return at === e || e.contains(at); }"
        )
        assert hit, f"option {i} is hidden by what is around the list"
    # nor would a longer list be: nothing between it and the page is a scroll box
    boxes = options.first.evaluate(
        "e => { const out = []; for (let n = e.parentElement.parentElement;"
        " n && n !== document.body; n = n.parentElement) {"
        " const s = getComputedStyle(n);"
        " if (s.overflowX !== 'visible' || s.overflowY !== 'visible')"
        " out.push(n.tagName + '.' + n.className); } return out; }"
    )
    assert boxes == [], f"the list is clipped by {boxes}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
