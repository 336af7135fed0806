"""The capacity pages of a big portfolio (issue #6, "speed is a feature"): a scenario's
project choices are pickers, its pins list the pinned projects once there are many, the
Move project box follows the project chosen (with and without script), and a pool's page
lists its allocations a page at a time with the totals of them all and the rows counted
twice marked."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from pmo.resources import services
from pmo.resources.models import LevelingRun, ProjectShift
from pmo.resources.tests.factories import MON, allocate, pool
from pmo.resources.views import resources as resource_views
from pmo.resources.views import scenario_pickers

FRI = MON + dt.timedelta(days=4)


@pytest.fixture
def dummy_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _case(org: Any, users: Any, make_project: Any) -> tuple[Any, Any, Any]:
    java = pool(org)
    a, b = make_project(), make_project()
    allocate(java, a, MON, FRI, "1")
    allocate(java, b, MON, FRI, "1")
    scenario = services.create_scenario(actor=users["member"], name="Big")
    return scenario, a, b


def _form(page: str, form_id: str) -> str:
    found = re.search(rf'<form [^>]*id="{form_id}".*?</form>', page, re.S)
    assert found is not None, form_id
    return found.group(0)


def test_a_scenario_with_many_projects_lists_its_pins_and_offers_a_picker(
    client: Any, users: Any, org: Any, make_project: Any, monkeypatch: Any
) -> None:
    scenario, a, b = _case(org, users, make_project)
    ProjectShift.objects.create(scenario=scenario, project=b, pinned=True)
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/"
    # few projects: every running one is a box to tick, no picker
    few = client.get(url).content.decode()
    assert f'name="pin" value="{a.code}">' in few
    assert f'name="pin" value="{b.code}" checked>' in few
    assert 'name="pin_project"' not in few
    # more than the page lists: the pinned ones, ticked, and a picker to pin another
    monkeypatch.setattr(scenario_pickers, "PINS_LISTED", 1)
    many = client.get(url).content.decode()
    assert f'name="pin" value="{b.code}" checked>' in many
    assert f'name="pin" value="{a.code}"' not in many
    assert 'data-testid="pins-partial"' in many
    assert 'name="pin_project_text"' in many
    assert f'data-picker="/api/v1/lookup/projects?running=true&amp;scenario={scenario.pk}"' in many
    # no select lists the projects any more: the project choices are pickers
    assert '<select name="project"' not in many
    assert 'id="shift-project"' in many and 'id="staffing-project"' in many


@pytest.mark.usefixtures("dummy_tasks")
def test_a_project_typed_in_the_pin_picker_is_pinned_without_script(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, a, b = _case(org, users, make_project)
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/"
    page = client.get(url).content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    assert seen is not None
    form = {"version": scenario.version, "seen": seen.group(1), "time_limit": "1"}
    # a name that is no project: the page again, the error at the picker, nothing levelled
    refused = client.post(
        f"{url}level/", {**form, "pin": [a.code], "pin_project": "", "pin_project_text": "nope"}
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'data-testid="pin_project-error"' in body
    # beside the picker, the message is a sentence: a capital first
    assert "No project you may see has the code or name “nope”." in body
    assert 'value="nope"' in body
    assert not LevelingRun.objects.filter(scenario=scenario).exists()
    assert not ProjectShift.objects.filter(scenario=scenario, pinned=True).exists()
    # its code typed (no pick): pinned with the ticked one
    done = client.post(
        f"{url}level/",
        {**form, "pin": [a.code], "pin_project": "", "pin_project_text": b.code.lower()},
    )
    assert done.status_code == 302
    pinned = set(
        ProjectShift.objects.filter(scenario=scenario, pinned=True).values_list(
            "project__code", flat=True
        )
    )
    assert pinned == {a.code, b.code}


def test_move_project_takes_the_project_typed_without_script(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, _a, b = _case(org, users, make_project)
    client.force_login(users["member"])
    shift = f"/resources/scenarios/{scenario.pk}/shift/"
    base = {"in_all": "1", "opened_project": "", "opened_days": "", "project": ""}
    refused = client.post(shift, {**base, "project_text": "Test project", "days": "7"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'data-testid="project-error"' in body
    assert "2 projects match “Test project”" in body
    assert not ProjectShift.objects.filter(scenario=scenario).exists()
    moved = client.post(shift, {**base, "project_text": b.code, "days": "7"}, follow=True)
    assert f"{b.code} moved 7 calendar days later." in moved.content.decode()
    assert ProjectShift.objects.get(scenario=scenario, project=b).days == 7
    # the days box left empty: the move stays, the priority is set
    client.post(shift, {**base, "project_text": b.code, "days": "", "priority": "2"})
    kept = ProjectShift.objects.get(scenario=scenario, project=b)
    assert (kept.days, kept.priority) == (7, 2)


def test_the_move_box_follows_the_project_chosen(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, a, b = _case(org, users, make_project)
    services.shift_project(actor=users["member"], scenario=scenario, project=a, days=14)
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/"
    # nothing chosen: an empty box (no other project's move shown)
    page = client.get(url).content.decode()
    assert 'name="days" value=""' in _form(page, "shift")
    # chosen in the address (after a move): its move in all
    chosen = _form(client.get(f"{url}?project={a.code}").content.decode(), "shift")
    assert 'name="days" value="14"' in chosen
    assert f'name="opened_project" value="{a.code}"' in chosen
    assert f'value="{a.code} · {a.name}"' in chosen
    # picked (htmx): the box of the picked project's move swapped in
    part = client.get(f"{url}?part=move&project={b.code}", headers={"HX-Request": "true"})
    html = part.content.decode()
    assert html.count('id="shift-move"') == 1 and "<html" not in html
    assert 'name="days" value="0"' in html
    assert f'name="opened_project" value="{b.code}"' in html
    # without script: B typed while the box still shows A's 14 days; 14 posted is ambiguous
    shift = f"{url}shift/"
    opened = {"in_all": "1", "opened_project": a.code, "opened_days": "14", "project": a.code}
    said = client.post(shift, {**opened, "project_text": b.code, "days": "14"}, follow=True)
    text = said.content.decode()
    assert f"The days box showed the move of {a.code} (14 days), not of {b.code}" in text
    assert not ProjectShift.objects.filter(scenario=scenario, project=b).exists()
    assert 'name="days" value="0"' in _form(text, "shift")  # B's own move, in the box now
    # another number typed: that is B's move in all
    client.post(shift, {**opened, "project_text": b.code, "days": "3"})
    assert ProjectShift.objects.get(scenario=scenario, project=b).days == 3
    assert ProjectShift.objects.get(scenario=scenario, project=a).days == 14


def test_change_allocations_goes_to_the_project_typed_or_says_why_not(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, _a, b = _case(org, users, make_project)
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/"
    went = client.get(url, {"go": "staffing", "project": "", "project_text": b.name})
    assert went.status_code == 302
    assert went["Location"] == f"/resources/scenarios/{scenario.pk}/staffing/?project={b.code}"
    picked = client.get(url, {"go": "staffing", "project": b.code, "project_text": b.code})
    assert picked["Location"].endswith(f"?project={b.code}")
    refused = client.get(url, {"go": "staffing", "project": "", "project_text": ""})
    assert refused.status_code == 422
    assert "Choose a project." in refused.content.decode()


def test_a_pool_page_lists_a_page_of_allocations_with_the_totals_of_all(
    client: Any, users: Any, org: Any, make_project: Any, monkeypatch: Any
) -> None:
    java = pool(org, cost_rate=Decimal("100"), currency="CNY")
    projects = [make_project() for _ in range(3)]
    for p in projects:
        allocate(java, p, MON, FRI, "1")
    # a plan row and a row by hand of the last project on the same days: counted twice
    allocate(java, projects[2], MON, FRI, "1", source="schedule")
    monkeypatch.setattr(resource_views, "ALLOCATIONS_PER_PAGE", 2)
    client.force_login(users["member"])
    url = f"/resources/{java.pk}/"
    first = client.get(url).content.decode()
    # the totals are the pool's: 4 allocations of 5 days at 8 hours, 100 CNY an hour
    assert "4 allocations in the current plan, 160 hours planned in all." in first
    assert "16,000.00" in first
    assert "Allocations 1–2 of 4" in first and "Page 1 of 2" in first
    assert first.count('<tr><td><a href="/projects/') == 2
    assert 'data-testid="allocation-page-next"' in first
    assert 'data-testid="resource-counted-twice"' in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "Allocations 3–4 of 4" in second
    assert second.count('data-testid="counted-twice-row"') == 2
    assert f"{projects[2].code}</a>" in second and f"{projects[0].code}</a>" not in second
    # the rows counted twice only; the totals stay the pool's
    twice = client.get(url, {"twice": "1"}).content.decode()
    assert twice.count('data-testid="counted-twice-row"') == 2
    assert twice.count('<tr><td><a href="/projects/') == 2
    assert "4 allocations in the current plan" in twice
    assert 'data-testid="show-all-allocations"' in twice
