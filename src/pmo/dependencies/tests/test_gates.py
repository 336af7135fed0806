"""A project gate as a dependency endpoint: validation, at-risk status and impact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmo.dependencies import changes
from pmo.dependencies.adapters import add_workdays
from pmo.dependencies.models import Dependency
from pmo.dependencies.tests.conftest import link
from pmo.portfolio.models import Milestone


@pytest.fixture
def governed(make_project: Any, users: Any) -> Any:
    """GOV1 (no plan) on the generic lifecycle from 2026-01-05: gates G1, G2, G3."""
    from pmo.governance import services
    from pmo.governance.models import LifecycleTemplate, ProjectGate

    project = make_project(code="GOV1", forecast_finish=dt.date(2026, 12, 31))
    services.start_lifecycle(
        actor=users["admin"],
        project=project,
        template=LifecycleTemplate.objects.get(code="generic", revision=1),
        started_on=dt.date(2026, 1, 5),
    )
    gates = list(ProjectGate.objects.filter(lifecycle__project=project).order_by("gate__order"))
    return project, gates


def test_a_gate_supplies_a_milestone_and_drives_its_status(
    client: Any, users: Any, web: Any, governed: Any
) -> None:
    _project, gates = governed
    g1 = gates[0]
    # given APP1's Integration needs GOV1's first gate (its deliverables accepted) by its date
    response = link(
        client,
        users["pm"],
        supplier_project="GOV1",
        supplier_gate=g1.pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        status="agreed",
        agreed_date=str(g1.forecast),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["supplier_gate"] == g1.pk and body["supplier_milestone"] is None
    assert body["supplier_item"].startswith(g1.gate.code)
    assert body["status"] == "agreed"
    # when the gate's forecast moves past the agreed date, the link is at risk by itself
    g1.forecast = add_workdays(g1.forecast, 3)
    g1.save()
    dep = Dependency.objects.get()
    assert dep.status == "at_risk"
    # and when its forecast is back on time it recovers
    g1.forecast = add_workdays(g1.forecast, -3)
    g1.save()
    dep.refresh_from_db()
    assert dep.status == "agreed"
    # once the gate is passed the link did its job: resolved (ADR 0005)
    g1.actual = g1.forecast
    g1.save()
    dep.refresh_from_db()
    assert dep.status == "resolved"
    client.force_login(users["pm"])
    page = client.get("/dependencies/").content.decode()
    assert str(g1.gate) in page


def test_exactly_one_endpoint_per_side(client: Any, users: Any, web: Any, governed: Any) -> None:
    _project, gates = governed
    both = link(
        client,
        users["pm"],
        supplier_project="GOV1",
        supplier_gate=gates[0].pk,
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    )
    assert both.status_code == 422
    foreign = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_gate=gates[0].pk,  # a gate of GOV1, not of CORE1
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    )
    assert foreign.status_code == 422
    assert "gate" in foreign.content.decode()
    assert Dependency.objects.count() == 0


def test_a_slip_flows_through_gates_on_both_sides(
    client: Any, make_project: Any, users: Any, governed: Any
) -> None:
    project, gates = governed
    g1 = gates[0]
    # given GOV1: Charter (two working days before G1) -> G1, chained with no slack
    charter = Milestone.objects.create(
        project=project, name="Charter", forecast_date=add_workdays(g1.forecast, -2)
    )
    # APP2's Build starts right after G1 (binding) ...
    app = make_project(code="APP2", forecast_finish=dt.date(2026, 12, 31))
    build = Milestone.objects.create(
        project=app, name="Build", forecast_date=add_workdays(g1.forecast, 1)
    )
    # ... and gates G1 of GOV2 (its forecast the working day after Build)
    from pmo.governance import services
    from pmo.governance.models import LifecycleTemplate, ProjectGate

    other = make_project(code="GOV2", forecast_finish=dt.date(2026, 12, 31))
    services.start_lifecycle(
        actor=users["admin"],
        project=other,
        template=LifecycleTemplate.objects.get(code="generic", revision=1),
        started_on=dt.date(2026, 1, 5),
    )
    consumer_gate = ProjectGate.objects.filter(lifecycle__project=other).order_by("gate__order")[0]
    consumer_gate.forecast = add_workdays(add_workdays(g1.forecast, 1), 1)
    consumer_gate.save()
    client.force_login(users["pm"])
    created = client.post(
        "/dependencies/new/",
        {
            "supplier_project": "GOV1",
            "supplier_gate": str(g1.pk),
            "consumer_project": "APP2",
            "consumer_milestone": str(build.pk),
            "type": "FS",
            "lag": "0",
        },
    )
    assert created.status_code == 302
    assert (
        link(
            client,
            users["pm"],
            supplier_project="APP2",
            supplier_milestone=build.pk,
            consumer_project="GOV2",
            consumer_gate=consumer_gate.pk,
        ).status_code
        == 201
    )
    assert Dependency.objects.count() == 2
    # when the charter slips 3 working days
    result = changes.compute_impact(milestone=charter, days=3)
    moved = {(i["project"], i["kind"], i["id"]): i["delay"] for i in result["items"]}
    # then G1 moves, the build waiting on it moves, and so does GOV2's gate waiting on the build
    assert moved[("GOV1", "gate", g1.pk)] == 3
    assert moved[("APP2", "milestone", build.pk)] == 3
    assert moved[("GOV2", "gate", consumer_gate.pk)] == 3
    gov2 = next(p for p in result["projects"] if p["project"] == "GOV2")
    assert gov2["gates"] >= 1


def test_a_late_gate_decision_puts_a_link_on_a_later_gate_at_risk(
    client: Any, users: Any, web: Any, governed: Any
) -> None:
    from pmo.governance import services
    from pmo.governance.tests.conftest import tick_all

    project, gates = governed
    g2 = gates[1]
    # given APP1's Integration needs GOV1's G2 by its forecast (21 March)
    response = link(
        client,
        users["pm"],
        supplier_project="GOV1",
        supplier_gate=g2.pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        status="agreed",
        agreed_date=str(g2.forecast),
    )
    assert response.status_code == 201, response.content
    # when G1 is passed four weeks late: planning (45 days) now ends 15 April
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    services.decide_gate(
        actor=users["exec"], review=review, outcome="go", decided_on=dt.date(2026, 3, 1)
    )
    g2.refresh_from_db()
    assert g2.forecast == dt.date(2026, 4, 15)
    # then the link on G2 is at risk by itself (the decision saves the gates it re-forecasts)
    assert Dependency.objects.get().status == "at_risk"


def test_a_closure_gate_link_turns_at_risk_when_the_forecast_finish_slips(
    client: Any, users: Any, web: Any, governed: Any
) -> None:
    from pmo.portfolio.services import update_project

    project, gates = governed
    closure = gates[-1]
    # given APP1 needs GOV1 closed (its closure gate, on its finish: 31 December) by then
    response = link(
        client,
        users["pm"],
        supplier_project="GOV1",
        supplier_gate=closure.pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        status="agreed",
        agreed_date=str(closure.forecast),
    )
    assert response.status_code == 201, response.content
    # when GOV1's forecast finish slips (a report, a plan recompute or the PM's edit)
    project.refresh_from_db()
    update_project(
        actor=users["pm"],
        project=project,
        data={"forecast_finish": dt.date(2027, 1, 29)},
        version=project.version,
    )
    # then the closure gate follows and the link is at risk, without a gate decision
    closure.refresh_from_db()
    assert closure.forecast == dt.date(2027, 1, 29)
    assert Dependency.objects.get().status == "at_risk"
