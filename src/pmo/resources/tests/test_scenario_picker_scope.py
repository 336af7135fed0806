"""A scenario's project pickers offer and take only the scenario's projects: the search is
scoped to the scenario, and a project with no work in it is refused at the picker (Move
project, Pin another project), the form coming back as it was entered."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pmo.resources import services
from pmo.resources.models import LevelingRun, ProjectShift
from pmo.resources.tests.factories import MON, allocate, pool
from pmo.resources.tests.test_big_scenario_pages import FRI
from pmo.resources.views import scenario_pickers


@pytest.fixture
def dummy_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _case(org: Any, users: Any, make_project: Any) -> tuple[Any, Any, Any, Any]:
    """A scenario of a and b; c is a running project with no work in it."""
    java = pool(org)
    a, b, c = make_project(), make_project(), make_project()
    allocate(java, a, MON, FRI, "1")
    allocate(java, b, MON, FRI, "1")
    scenario = services.create_scenario(actor=users["member"], name="Scoped")
    return scenario, a, b, c


def _codes(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["value"] for item in response.json()["items"]}


def test_the_lookup_scoped_to_a_scenario_lists_its_projects_only(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, a, b, c = _case(org, users, make_project)
    client.force_login(users["member"])
    url = "/api/v1/lookup/projects"
    assert {a.code, b.code, c.code} <= _codes(client.get(url, {"running": "true"}))
    scoped = _codes(client.get(url, {"running": "true", "scenario": scenario.pk}))
    assert scoped == {a.code, b.code}
    assert _codes(client.get(url, {"scenario": scenario.pk, "q": c.code})) == set()
    bad = client.get(url, {"scenario": "x"})
    assert bad.status_code == 422


def test_moving_a_project_outside_the_scenario_is_refused_at_the_picker(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, a, _b, c = _case(org, users, make_project)
    services.shift_project(actor=users["member"], scenario=scenario, project=a, days=14)
    client.force_login(users["member"])
    shift = f"/resources/scenarios/{scenario.pk}/shift/"
    base = {"in_all": "1", "opened_project": a.code, "opened_days": "14"}
    refused = client.post(shift, {**base, "project": c.code, "project_text": c.code, "days": "9"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'data-testid="project-error"' in body
    assert f"{c.code} has no work in this scenario: choose one of its projects." in body
    assert not ProjectShift.objects.filter(scenario=scenario, project=c).exists()
    # the days typed come back, not the move of the project chosen before
    assert re.search(r'name="days" value="9"', body)


def test_a_refused_move_keeps_the_days_typed(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, a, _b, _c = _case(org, users, make_project)
    services.shift_project(actor=users["member"], scenario=scenario, project=a, days=14)
    client.force_login(users["member"])
    shift = f"/resources/scenarios/{scenario.pk}/shift/?project={a.code}"
    refused = client.post(
        shift,
        {
            "in_all": "1",
            "opened_project": a.code,
            "opened_days": "14",
            "project": "",
            "project_text": "zzzz",
            "days": "3",
        },
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "No project you may see has the code or name “zzzz”." in body
    assert re.search(r'name="days" value="3"', body)
    assert ProjectShift.objects.get(scenario=scenario, project=a).days == 14


@pytest.mark.usefixtures("dummy_tasks")
def test_pinning_a_project_outside_the_scenario_is_refused_and_keeps_the_pins(
    client: Any, users: Any, org: Any, make_project: Any, monkeypatch: Any
) -> None:
    scenario, a, b, c = _case(org, users, make_project)
    monkeypatch.setattr(scenario_pickers, "PINS_LISTED", 1)  # pinned ones and a picker
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/"
    page = client.get(url).content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    assert seen is not None
    form = {"version": scenario.version, "seen": seen.group(1), "time_limit": "1"}
    refused = client.post(
        f"{url}level/",
        {**form, "pin": [a.code, b.code], "pin_project": c.code, "pin_project_text": c.code},
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'data-testid="pin_project-error"' in body
    assert f"{c.code} has no work in this scenario: choose one of its projects." in body
    # the pins posted (none of them saved) are ticked again
    assert f'name="pin" value="{a.code}" checked>' in body
    assert f'name="pin" value="{b.code}" checked>' in body
    assert not LevelingRun.objects.filter(scenario=scenario).exists()
    assert not ProjectShift.objects.filter(scenario=scenario, pinned=True).exists()


@pytest.mark.usefixtures("dummy_tasks")
def test_a_refused_level_keeps_the_pins_ticked_when_all_are_listed(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    scenario, a, b, _c = _case(org, users, make_project)
    ProjectShift.objects.create(scenario=scenario, project=b, pinned=True)
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/"
    page = client.get(url).content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page)
    assert seen is not None
    form = {"version": scenario.version, "seen": seen.group(1), "time_limit": "1"}
    refused = client.post(
        f"{url}level/", {**form, "pin": [a.code], "pin_project": "", "pin_project_text": "nope"}
    )
    assert refused.status_code == 422
    body = refused.content.decode()
    assert f'name="pin" value="{a.code}" checked>' in body
    assert f'name="pin" value="{b.code}">' in body  # saved pinned, but unticked in the post
