"""Leveling across calendars (issue #6 numbers audit): a China-calendar pool and a Monday to
Friday pool, 2027 Spring Festival days entered by hand; a moved row keeps its work on its own
calendar, the delay counts the right calendar, a pinned project's overload is explained."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from pmo.accounts.models import Role, User
from pmo.accounts.services import create_token
from pmo.resources import calendars, leveling, services
from pmo.resources.heatmap import build_heatmap
from pmo.resources.models import Allocation, CalendarDay, LevelingState, ProjectShift
from pmo.resources.tests.factories import allocate, pool

TODAY = dt.date(2027, 1, 4)  # a Monday
SPRING_FESTIVAL_OFF = [dt.date(2027, 1, 1), dt.date(2027, 2, 5)] + [
    dt.date(2027, 2, d) for d in range(8, 13)
]
ADJUSTED_SATURDAY = dt.date(2027, 2, 20)


def D(month: int, day: int) -> dt.date:
    return dt.date(2027, month, day)


@pytest.fixture
def director(users: Any) -> User:
    return User.objects.create_user(username="dir", password="pw", role=Role.RESOURCE_MANAGER)


@pytest.fixture
def layer(org: Any, make_project: Any) -> dict[str, Any]:
    """Shanghai (China calendar, 1 FTE) and London (Monday to Friday, 1 FTE).

    A (priority 1): Shanghai 4 Jan - 5 Feb. B (priority 5): Shanghai 25 Jan - 3 Feb (clashes
    with A), then London 0.5 FTE 1-19 Feb. P (pinned): London 1.5 FTE 15-19 March.
    """
    for day in SPRING_FESTIVAL_OFF:
        CalendarDay.objects.create(calendar="CN", day=day, working=False, name="春节")
    CalendarDay.objects.create(calendar="CN", day=ADJUSTED_SATURDAY, working=True, name="调休")
    shanghai = pool(org, code="java-sh", calendar="CN", fte=Decimal("1"))
    london = pool(org, code="java-uk", name="Java developer, London", calendar="", fte=1)
    a, b, p = make_project(priority=1), make_project(priority=5), make_project(priority=3)
    allocate(shanghai, a, TODAY, D(2, 5), "1", status="committed")
    allocate(shanghai, b, D(1, 25), D(2, 3), "1", status="committed")
    allocate(london, b, D(2, 1), D(2, 19), "0.5", status="committed")
    allocate(london, p, D(3, 15), D(3, 19), "1.5", status="committed")
    return {"sh": shanghai, "uk": london, "a": a, "b": b, "p": p}


def _worked(resource: Any, first: dt.date, last: dt.date) -> int:
    """Working days of the resource's own calendar in ``first..last`` (entered days count)."""
    return int(calendars.working(resource.calendar, first, last, calendars.load_overrides()).sum())


def _level(director: User, layer: dict[str, Any]) -> tuple[Any, Any]:
    scenario = services.create_scenario(actor=director, name="Spring Festival")
    ProjectShift.objects.create(scenario=scenario, project=layer["p"], pinned=True)
    run = leveling.start_leveling(actor=director, scenario=scenario, time_limit=5)
    run = leveling.run_leveling(run.pk, today=TODAY)
    assert run.state == LevelingState.DONE, run.error
    return scenario, run


def test_a_row_moved_across_the_spring_festival_keeps_its_work(
    layer: dict[str, Any], director: User
) -> None:
    # given B's Shanghai row (8 China working days) clashing with A
    assert _worked(layer["sh"], D(1, 25), D(2, 3)) == 8
    # when the portfolio is levelled
    scenario, run = _level(director, layer)
    moved = {m["id"]: m for m in run.result["moved"]}
    assert moved, "B has to move"
    # then every moved row holds as many working days of its own calendar as before
    for m in run.result["moved"]:
        row = Allocation.objects.get(pk=m["id"])
        old_days = _worked(
            row.resource, dt.date.fromisoformat(m["first"]), dt.date.fromisoformat(m["last"])
        )
        new_days = _worked(
            row.resource,
            dt.date.fromisoformat(m["new_first"]),
            dt.date.fromisoformat(m["new_last"]),
        )
        assert new_days == old_days, m
        assert row.first.isoformat() == m["new_first"] and row.last.isoformat() == m["new_last"]
    # B's Shanghai row waits for A, skips the festival and works the 调休 Saturday
    b_sh = Allocation.objects.get(scenario=scenario, project=layer["b"], resource=layer["sh"])
    assert (b_sh.first, b_sh.last) == (D(2, 15), D(2, 23))
    # and its London row keeps its 15 Monday-to-Friday days (the Saturday is no day of London's)
    b_uk = Allocation.objects.get(scenario=scenario, project=layer["b"], resource=layer["uk"])
    assert (b_uk.first, b_uk.last) == (D(2, 22), D(3, 12))
    # FTE-days of the scenario are those of the plan
    fte_days = {
        s: sum(
            float(a.fte) * _worked(a.resource, a.first, a.last)
            for a in Allocation.objects.filter(scenario=s).select_related("resource")
        )
        for s in (None, scenario)
    }
    assert fte_days[scenario] == pytest.approx(fte_days[None])


def test_the_delay_counts_the_calendar_of_the_row_that_ends_last(
    layer: dict[str, Any], director: User
) -> None:
    _scenario, run = _level(director, layer)
    delays = {p["project"]: p for p in run.result["projects"]}
    b = delays[layer["b"].code]
    # 19 Feb -> 12 Mar: 15 London working days (the axis also has Shanghai's Saturday 20 Feb)
    assert (b["delay"], b["delay_resource"], b["delay_calendar"]) == (15, "java-uk", "")
    assert delays[layer["a"].code]["delay"] == 0
    assert run.result["calendars"] == ["", "CN"]


def test_the_heat_map_after_commit_shows_only_the_pinned_overload_and_the_run_explains_it(
    layer: dict[str, Any], director: User
) -> None:
    scenario, run = _level(director, layer)
    # what is left is the pinned project's own 0.5 FTE too many for five days
    assert run.overload_after == pytest.approx(2.5)
    assert run.result["not_levelable"] == []
    assert run.result["pinned_overload"] == [
        {
            "resource": "java-uk",
            "first": "2027-03-15",
            "last": "2027-03-19",
            "fte_days": 2.5,
            "projects": [layer["p"].code],
        }
    ]
    services.commit_scenario(actor=director, scenario=scenario)
    heat = build_heatmap(by="resource", start=TODAY, count=14, today=TODAY)
    over = [(r.key, c.first) for r in heat.rows for c in r.cells if c.overloaded]
    assert over == [(str(layer["uk"].pk), D(3, 15))]


def test_the_run_page_shows_the_pinned_overload_and_the_delay_calendar(
    layer: dict[str, Any], director: User, client: Any
) -> None:
    _scenario, run = _level(director, layer)
    client.force_login(director)
    page = client.get(reverse("resources:leveling_run", args=[run.pk])).content.decode()
    assert 'data-testid="run-pinned-overload"' in page
    assert "2027-03-15" in page and layer["p"].code in page
    assert 'data-testid="delay-calendar"' in page


def test_the_api_answers_the_pinned_overload_reasons_and_delay_calendar(
    layer: dict[str, Any], director: User, client: Any
) -> None:
    _scenario, run = _level(director, layer)
    token = create_token(username=director.username)
    answer = client.get(
        f"/api/v1/leveling-runs/{run.pk}", headers={"Authorization": f"Bearer {token}"}
    ).json()["result"]
    assert answer["pinned_overload"][0]["resource"] == "java-uk"
    assert answer["pinned_overload"][0]["fte_days"] == 2.5
    b = next(p for p in answer["projects"] if p["project"] == layer["b"].code)
    assert (b["delay"], b["delay_resource"], b["delay_calendar"]) == (15, "java-uk", "")
