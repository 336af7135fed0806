"""Scenario pages after the Chinese audit: a refused form comes back as typed with the error at
its field (422); project changes, a move's message and the pinned count read well."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmo.resources import leveling, services
from pmo.resources.models import CapacityChange, Scenario
from pmo.resources.tests.factories import MON, allocate, pool


def test_a_scenario_without_a_name_keeps_its_description(client: Any, users: Any) -> None:
    # given a resource manager on the scenarios page
    client.force_login(users["member"])
    # when they create a scenario with a blank name
    response = client.post(
        "/resources/scenarios/", {"name": "  ", "description": "Hire two testers in March"}
    )
    # then the page comes back (422) with the description typed and the error at the name
    assert response.status_code == 422
    html = response.content.decode()
    name_input = html.split('name="name"')[1].split(">")[0]
    assert 'aria-invalid="true" aria-describedby="scenario-error"' in name_input
    assert 'data-field="name"><li>a scenario needs a name</li>' in html
    assert 'value="Hire two testers in March"' in html.split('name="description"')[1][:60]
    assert not Scenario.objects.exists()


def test_a_named_scenario_still_opens_its_page(client: Any, users: Any) -> None:
    client.force_login(users["member"])
    response = client.post("/resources/scenarios/", {"name": "Hire", "description": "x"})
    scenario = Scenario.objects.get()
    assert (response.status_code, response.url) == (302, f"/resources/scenarios/{scenario.pk}/")
    assert scenario.description == "x"


def test_a_refused_capacity_change_answers_422(client: Any, users: Any, org: Any) -> None:
    java = pool(org)
    scenario = services.create_scenario(actor=users["member"], name="Hire")
    client.force_login(users["member"])
    response = client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {"resource": java.pk, "first": "2026-03-09", "last": "2026-03-02", "fte": "3"},
    )
    assert response.status_code == 422
    assert "The capacity was not changed: correct the form below." in response.content.decode()
    assert not CapacityChange.objects.filter(scenario=scenario).exists()


def test_a_committed_scenario_lists_project_changes_only_when_it_has_some(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given a committed scenario that moved a project and one that changed nothing
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    moved = services.create_scenario(actor=users["member"], name="Moved")
    services.shift_project(actor=users["member"], scenario=moved, project=project, days=14)
    services.commit_scenario(actor=users["member"], scenario=moved)
    unchanged = services.create_scenario(actor=users["member"], name="Unchanged")
    services.commit_scenario(actor=users["member"], scenario=unchanged)
    client.force_login(users["member"])
    # then the first lists the project with its move, the second has no empty table
    html = client.get(f"/resources/scenarios/{moved.pk}/").content.decode()
    section = html.split('data-testid="project-changes"')[1].split("</section>")[0]
    assert f'<tr data-code="{project.code}">' in section and "<td>14</td>" in section
    html = client.get(f"/resources/scenarios/{unchanged.pk}/").content.decode()
    assert 'data-testid="project-changes"' not in html


def test_a_move_is_said_in_chinese_without_a_space_after_the_full_stop(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    scenario = services.create_scenario(actor=users["member"], name="Move")
    client.force_login(users["member"])
    client.cookies["pmo_language"] = "zh-hans"
    page = client.post(
        f"/resources/scenarios/{scenario.pk}/shift/",
        {"project": project.code, "days": "14"},
        follow=True,
    ).content.decode()
    assert f"{project.code} 推迟了 14 个日历天。1 项分配有变化。" in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pinned_count_is_not_a_second_bracket(
    client: Any, users: Any, org: Any, make_project: Any, language: str
) -> None:
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    scenario = services.create_scenario(actor=users["member"], name="Pins")
    client.force_login(users["member"])
    client.cookies["pmo_language"] = language
    html = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    summary = html.split('data-testid="pins-help"')[0].rsplit("<summary>", 1)[1]
    assert summary.endswith(
        '<span data-testid="pins-saved">0</span></summary>\n  <p class="muted" '
    )
    assert ")(" not in summary.replace(" ", "") and "）（" not in summary
    if language == "en":
        assert summary.startswith("Pinned projects, not moved: <span")


def test_an_out_of_date_draft_reads_in_chinese_without_a_space_after_a_full_stop(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given a draft that moved a project, made out of date by another committed scenario
    java = pool(org)
    first, second = make_project(), make_project()
    allocate(java, first, MON, MON + dt.timedelta(days=4), "1")
    allocate(java, second, MON, MON + dt.timedelta(days=4), "1")
    draft = services.create_scenario(actor=users["member"], name="Draft")
    services.shift_project(actor=users["member"], scenario=draft, project=second, days=7)
    other = services.create_scenario(actor=users["member"], name="Other")
    services.shift_project(actor=users["member"], scenario=other, project=first, days=14)
    services.commit_scenario(actor=users["member"], scenario=other)
    client.force_login(users["member"])
    client.cookies["pmo_language"] = "zh-hans"
    html = client.get(f"/resources/scenarios/{draft.pk}/").content.decode()
    # then the sentences of the out-of-date notice and the pins' help follow each other
    # directly, and the list of changes ends without an ASCII full stop
    notice = html.split('data-testid="out-of-date">')[1].split("<form")[0]
    assert '列出。<span data-testid="plan-changed">' in notice
    assert f"{first.code}</span>" in notice
    pins_help = html.split('data-testid="pins-help">')[1].split("</p>")[0]
    assert '。<span data-testid="pins-moved">' in pins_help
    assert f"{second.code}（+7）" in pins_help


def test_a_leveling_run_summary_reads_in_chinese_without_a_space_after_a_full_stop(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given a scenario levelled once (three projects wanting 1 FTE each of 2 FTE)
    java = pool(org)
    for _n in range(3):
        allocate(java, make_project(), MON, MON + dt.timedelta(days=4), "1", status="committed")
    scenario = services.create_scenario(actor=users["member"], name="Level")
    run = leveling.start_leveling(actor=users["member"], scenario=scenario, time_limit=2)
    leveling.run_leveling(run.pk, today=MON)
    client.force_login(users["member"])
    client.cookies["pmo_language"] = "zh-hans"
    html = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    summary = html.split('data-testid="run-summary">')[1].split("</p>")[0]
    # then the solver's sentence follows the overload's full stop directly
    assert "FTE·天。求解器" in summary
