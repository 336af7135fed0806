"""Setting a project's total shift after leveling moved only some of its rows: the rows land
on the current plan's dates plus the total, never earlier than the plan (API audit,
2026-12-07: ``PUT .../shifts/QX-2 {"days": 0}`` pulled two people's rows 59 days before
the plan)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from pmo.accounts.models import Role, User
from pmo.resources import leveling, services
from pmo.resources.models import Allocation, LevelingState, ProjectShift, Scenario
from pmo.resources.tests.factories import MON, allocate, bearer, pool

FRI = MON + dt.timedelta(days=4)


def _send(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", headers=bearer(user)
    )


def _offsets(scenario_id: int, project: Any) -> dict[int | None, tuple[int, int]]:
    """Each scenario row of ``project`` (by its plan row): days its first and last day are
    later than the plan's."""
    return {
        a.origin_id: ((a.first - a.origin.first).days, (a.last - a.origin.last).days)
        for a in Allocation.objects.filter(scenario_id=scenario_id, project=project)
        .select_related("origin")
        .exclude(origin=None)
    }


@pytest.fixture
def levelled(client: Any, users: Any, org: Any, make_project: Any) -> dict[str, Any]:
    """A scenario in which leveling moved one of QX-2's three rows by 59 days (the state
    :func:`pmo.resources.leveling_result._apply` leaves: the row's dates and version, the
    project's shift)."""
    project = make_project(code="QX-2")
    qe = pool(org, code="qe-pool", name="QE pool")
    ann = pool(org, code="ann", name="Ann", kind="person", fte="1")
    bob = pool(org, code="bob", name="Bob", kind="person", fte="1")
    start, end = dt.date(2027, 3, 15), dt.date(2027, 4, 16)
    for who in (qe, ann, bob):
        allocate(who, project, start, end, "1")
    made = _send(client, "post", "/api/v1/scenarios", {"name": "Audit"}, users["member"])
    pk = made.json()["id"]
    row = Allocation.objects.get(scenario_id=pk, resource=qe)
    row.first += dt.timedelta(days=59)
    row.last += dt.timedelta(days=59)
    row.version += 1
    row.save()
    ProjectShift.objects.create(scenario_id=pk, project=project, days=59)
    return {"pk": pk, "project": project, "start": start, "end": end, "qe": qe}


def test_the_scenario_shows_the_levelled_move(client: Any, users: Any, levelled: Any) -> None:
    got = client.get(f"/api/v1/scenarios/{levelled['pk']}", headers=bearer(users["member"]))
    assert got.json()["shifts"][0]["days"] == 59


def test_setting_the_total_to_0_brings_every_row_back_to_the_plan(
    client: Any, users: Any, levelled: Any
) -> None:
    pk, project = levelled["pk"], levelled["project"]
    url = f"/api/v1/scenarios/{pk}/shifts/QX-2"
    answer = _send(client, "put", url, {"days": 0}, users["member"])
    assert answer.status_code == 200, answer.content
    assert answer.json()["days"] == 0
    # every row on the plan's dates: none earlier (before the fix two were 59 days earlier)
    assert set(_offsets(pk, project).values()) == {(0, 0)}
    again = Scenario.objects.get(pk=pk).version
    _send(client, "put", url, {"days": 0}, users["member"])
    assert Scenario.objects.get(pk=pk).version == again  # a retry changes nothing


def test_setting_the_total_to_n_puts_every_row_at_plan_plus_n(
    client: Any, users: Any, levelled: Any
) -> None:
    pk, project = levelled["pk"], levelled["project"]
    url = f"/api/v1/scenarios/{pk}/shifts/QX-2"
    answer = _send(client, "put", url, {"days": 14}, users["member"])
    assert answer.json()["days"] == 14
    assert set(_offsets(pk, project).values()) == {(14, 14)}
    shift = ProjectShift.objects.get(scenario_id=pk, project=project)
    assert (shift.days, shift.moved_days) == (14, 14)
    # then adding (POST) moves every row from there
    _send(
        client,
        "post",
        f"/api/v1/scenarios/{pk}/shifts",
        {"project": "QX-2", "days": 3},
        users["member"],
    )
    assert set(_offsets(pk, project).values()) == {(17, 17)}


def test_a_row_whose_length_the_scenario_changed_keeps_its_length(
    client: Any, users: Any, levelled: Any
) -> None:
    pk, project = levelled["pk"], levelled["project"]
    row = Allocation.objects.get(scenario_id=pk, project=project, resource__code="ann")
    row.last += dt.timedelta(days=7)  # a week longer in the scenario
    row.version += 1
    row.save()
    _send(client, "put", f"/api/v1/scenarios/{pk}/shifts/QX-2", {"days": 0}, users["member"])
    row.refresh_from_db()
    assert (row.first, row.last) == (levelled["start"], levelled["end"] + dt.timedelta(days=7))


def test_a_row_the_scenario_added_moves_by_the_difference(
    client: Any, users: Any, levelled: Any
) -> None:
    """A row with no plan row has no plan dates: it moves by the change of the project's
    Move project days, as before."""
    pk, project = levelled["pk"], levelled["project"]
    added = allocate(levelled["qe"], project, MON, FRI, "1", scenario_id=pk)
    _send(client, "put", f"/api/v1/scenarios/{pk}/shifts/QX-2", {"days": 10}, users["member"])
    added.refresh_from_db()
    assert added.first == MON + dt.timedelta(days=10)


@pytest.mark.django_db
def test_after_a_real_leveling_run_0_is_the_plan(org: Any, make_project: Any) -> None:
    """A leveling run that delays one project's pool row only, then the total set to 0."""
    director = User.objects.create_user(username="dir", password="pw", role=Role.RESOURCE_MANAGER)
    java = pool(org)  # 2 FTE
    ann = pool(org, code="ann", name="Ann", kind="person", fte="1")
    high, mid, low = (make_project(priority=p) for p in (1, 3, 5))
    for project in (high, mid, low):
        allocate(java, project, MON, FRI, "1", status="committed")
    allocate(ann, low, MON, FRI, "1", status="committed")
    scenario = services.create_scenario(actor=director, name="Level")
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=2)
    run = leveling.run_leveling(run.pk, today=MON)
    assert run.state == LevelingState.DONE
    moved = {p for p, (first, _l) in _offsets(scenario.pk, low).items() if first}
    shift = ProjectShift.objects.filter(scenario=scenario).exclude(days=0).first()
    assert shift is not None and moved  # leveling delayed a row of a project
    services.shift_project(
        actor=director,
        scenario=Scenario.objects.get(pk=scenario.pk),
        project=shift.project,
        days=0,
        total=True,
    )
    assert set(_offsets(scenario.pk, shift.project).values()) == {(0, 0)}


def test_the_move_box_left_as_shown_leaves_a_levelled_project_alone(
    client: Any, users: Any, levelled: Any
) -> None:
    """The page's box shows 59 (the levelled row's move); posting it as shown (a priority
    change) moves nothing, and 0 typed in it puts every row back on the plan's dates."""
    from pmo.resources.tests.test_concurrent_pages import form_of

    pk, project = levelled["pk"], levelled["project"]
    client.force_login(users["member"])
    page = f"/resources/scenarios/{pk}/?project=QX-2"
    action = f"/resources/scenarios/{pk}/shift/"
    form = form_of(client.get(page), action=action)
    assert form["days"] == "59"
    before = _offsets(pk, project)
    assert client.post(action, form | {"priority": "2"}).status_code == 302
    assert _offsets(pk, project) == before
    assert ProjectShift.objects.get(scenario_id=pk, project=project).priority == 2
    form = form_of(client.get(page), action=action)
    answer = client.post(action, form | {"days": "0"}, follow=True)
    assert set(_offsets(pk, project).values()) == {(0, 0)}
    said = answer.content.decode()
    assert "QX-2 moved 59 calendar days earlier. 1 allocation changed." in said
