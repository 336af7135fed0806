"""Scenarios side by side: overload per layer and the projects that end differently."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from pmo.accounts.models import Role, User
from pmo.core.errors import FieldError
from pmo.resources import services
from pmo.resources.compare import compare_scenarios
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)


@pytest.fixture
def two_scenarios(org: Any, make_project: Any) -> dict[str, Any]:
    """A 2-FTE pool, two projects wanting 1.5 FTE in one week; 'Move B' and 'Pin A, grow'."""
    director = User.objects.create_user(username="dir", password="pw", role=Role.RESOURCE_MANAGER)
    java = pool(org)
    a, b = make_project(), make_project()
    for project in (a, b):
        allocate(java, project, MON, FRI, "1.5")
    move = services.create_scenario(actor=director, name="Move B")
    services.shift_project(actor=director, scenario=move, project=b, days=7)
    grow = services.create_scenario(actor=director, name="Pin A, grow")
    services.shift_project(actor=director, scenario=grow, project=a, days=0, priority=1)
    services.add_capacity_change(
        actor=director,
        resource=java,
        first=MON,
        last=FRI,
        fte=Decimal(3),
        reason="hire",
        scenario=grow,
    )
    return {"a": a, "b": b, "move": move, "grow": grow}


def test_layers_and_projects_side_by_side(two_scenarios: dict[str, Any]) -> None:
    a, b, move, grow = (two_scenarios[k] for k in ("a", "b", "move", "grow"))
    result = compare_scenarios([move.pk, grow.pk], start=MON, count=3)
    assert [layer.scenario for layer in result.layers] == [None, move, grow]
    assert [(x.heatmap.overloaded_cells, x.heatmap.overload) for x in result.layers] == [
        (1, 1.0),
        (0, 0.0),
        (0, 0.0),
    ]
    lines = {p.code: p for p in result.projects}
    assert set(lines) == {a.code, b.code}
    assert [(c.end, c.shift) for c in lines[b.code].cells] == [
        (FRI, 0),
        (FRI + dt.timedelta(days=7), 7),
        (FRI, 0),
    ]
    assert [(c.shift, c.priority) for c in lines[a.code].cells] == [(0, None), (0, None), (0, 1)]
    assert [layer.changed for layer in result.layers] == [0, 1, 0]
    assert [c.changed for c in lines[b.code].cells] == [0, 1, 0]


def test_work_moved_inside_a_project_shows(
    two_scenarios: dict[str, Any], org: Any, make_project: Any
) -> None:
    """Leveling often moves an allocation without changing the project's end: still listed."""
    from pmo.resources.models import Allocation, Resource

    move = two_scenarios["move"]
    c = make_project()
    java = Resource.objects.get(code="java-sh")
    allocate(java, c, MON, FRI, "0.5")
    allocate(java, c, MON, FRI + dt.timedelta(days=21), "0.5")
    other = services.create_scenario(actor=move.created_by, name="Inside")
    early = Allocation.objects.get(scenario=other, project=c, last=FRI)
    early.first, early.last = MON + dt.timedelta(days=7), FRI + dt.timedelta(days=7)
    early.save()
    c.name_zh = "内部移动"
    c.save()
    with translation.override("zh-hans"):
        result = compare_scenarios([move.pk, other.pk], start=MON, count=3)
    lines = {p.code: p for p in result.projects}
    assert lines[c.code].name == "内部移动"
    # "Move B" was copied before c existed: no work of c there
    cells = [(cell.shift, cell.changed) for cell in lines[c.code].cells]
    assert cells == [(0, 0), (None, 0), (0, 1)]
    assert [layer.changed for layer in result.layers] == [0, 1, 1]


def test_labour_cost_against_the_current_plan(org: Any, make_project: Any, users: Any) -> None:
    """Work given to a London pool and a row removed: the cost change per currency."""
    from pmo.resources.models import Allocation

    java = pool(org, cost_rate=Decimal("100"), calendar="")
    london = pool(
        org,
        code="dev-uk",
        name="Developers, London",
        cost_rate=Decimal("50"),
        currency="GBP",
        calendar="",
    )
    a, b = make_project(), make_project()
    allocate(java, a, MON, FRI, "1", status="committed")  # 5 days x 8 h x 100 = 4,000 CNY
    allocate(java, b, MON, FRI, "0.5")  # proposed: 2,000 CNY
    scenario = services.create_scenario(actor=users["member"], name="London")
    copy = Allocation.objects.get(scenario=scenario, project=a)
    services.update_allocation(
        actor=users["member"], allocation=copy, data={"resource_id": london.pk}, version=1
    )
    dropped = Allocation.objects.get(scenario=scenario, project=b)
    services.delete_allocation(actor=users["member"], allocation=dropped, version=1)
    result = compare_scenarios([scenario.pk], start=MON, count=1)
    assert result.layers[0].cost == []
    cost = {c.currency: (c.committed, c.proposed) for c in result.layers[1].cost}
    assert cost == {"CNY": (Decimal("-4000"), Decimal("-2000")), "GBP": (Decimal("2000"), 0)}
    assert result.layers[1].changed == 1  # the removed row is not a scenario row


def test_bad_ids_are_named(two_scenarios: dict[str, Any]) -> None:
    with pytest.raises(FieldError, match="no scenario 99999"):
        compare_scenarios([99999], start=MON)
    with pytest.raises(FieldError, match="1 to 4"):
        compare_scenarios([], start=MON)
    with pytest.raises(FieldError, match="1 to 4"):
        compare_scenarios([1, 2, 3, 4, 5], start=MON)


@pytest.mark.usefixtures("on_mon")
def test_compare_page_and_api(client: Any, users: Any, two_scenarios: dict[str, Any]) -> None:
    move, grow, b = two_scenarios["move"], two_scenarios["grow"], two_scenarios["b"]
    client.force_login(users["exec"])
    listed = client.get("/resources/scenarios/").content.decode()
    assert 'data-testid="compare-form"' in listed and f'value="{move.pk}"' in listed
    page = client.get(
        f"/resources/scenarios/compare/?ids={move.pk}&ids={grow.pk}&start={MON}&periods=3"
    ).content.decode()
    assert "Move B" in page and "Pin A, grow" in page
    assert 'data-testid="compare-projects"' in page and "+7" in page and "P1" in page
    assert "1 allocation changed" in page and "Allocations changed" in page
    assert "Labour cost against the current plan" in page
    nothing = client.get("/resources/scenarios/compare/", follow=True).content.decode()
    assert "choose 1 to 4 scenarios" in nothing and "ids: " not in nothing
    answer = client.get(
        f"/api/v1/scenarios/compare?ids={move.pk}&ids={grow.pk}&start={MON}&periods=3"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [(x["name"], x["overloaded_cells"]) for x in body["layers"]] == [
        ("current plan", 1),
        ("Move B", 0),
        ("Pin A, grow", 0),
    ]
    line = next(p for p in body["projects"] if p["code"] == b.code)
    assert [c["shift"] for c in line["cells"]] == [0, 7, 0]
    assert [c["changed"] for c in line["cells"]] == [0, 1, 0]
    assert [x["changed"] for x in body["layers"]] == [0, 1, 0]
    assert [x["cost_change"] for x in body["layers"]] == [[], [], []]  # the pool costs nothing
    bad = client.get("/api/v1/scenarios/compare?ids=99999")
    assert bad.status_code == 422 and "no scenario 99999" in json.dumps(bad.json())
    client.force_login(users["viewer"])
    assert client.get(f"/api/v1/scenarios/compare?ids={move.pk}").status_code == 403
