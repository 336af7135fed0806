"""A committed capacity scenario's dates go to a plan when its manager applies them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.core.errors import ConflictError, PermissionDeniedError
from pmo.resources import services as capacity
from pmo.resources.models import Allocation, Resource
from pmo.scheduling import services
from pmo.scheduling.models import Task
from pmo.scheduling.planio import AssignmentData, ResourceData
from pmo.scheduling.scenario import apply_scenario_dates
from pmo.scheduling.tests.factories import small_plan
from pmo.scheduling.walltime import from_db

MON = dt.date(2026, 3, 2)  # the plan's start
LATER = dt.date(2026, 3, 16)  # where the scenario has Code start (a week after the plan)


@pytest.fixture
def planned(make_project: Any, users: Any, org: Any) -> Any:
    """A plan whose Design (3 days) and Code (5 days, after Design) need the Java pool."""
    Resource.objects.create(
        code="java-sh", name="Java", kind="pool", role="Java", org_unit=org["sh"], fte=Decimal(1)
    )
    data = dataclasses.replace(
        small_plan(),
        resources=[ResourceData(uid=1, name="JAVA-SH")],
        assignments=[
            AssignmentData(task_uid=2, resource_uid=1, units=1.0),
            AssignmentData(task_uid=3, resource_uid=1, units=1.0),
        ],
    )
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=data)
    return project


def _committed_scenario(users: Any, project: Any, **later: dt.date) -> Any:
    """A scenario that starts the plan's tasks (by UID) later, as leveling would; committed."""
    scenario = capacity.create_scenario(actor=users["admin"], name="Levelled")
    for uid, first in later.items():
        row = Allocation.objects.get(scenario=scenario, project=project, task_uid=int(uid[1:]))
        days = first - row.first
        Allocation.objects.filter(pk=row.pk).update(first=first, last=row.last + days)
    result = capacity.commit_scenario(actor=users["admin"], scenario=scenario)
    assert result.plans_to_change == [project.code]
    return scenario


def _start(project: Any, uid: int) -> dt.date:
    start = from_db(Task.objects.get(plan__project=project, uid=uid).start)
    assert start is not None
    return start.date()


def test_the_tasks_move_to_the_scenarios_dates_and_the_plan_follows(
    planned: Any, users: Any
) -> None:
    scenario = _committed_scenario(users, planned, u3=LATER)
    done = apply_scenario_dates(actor=users["pm"], plan=planned.plan, scenario=scenario, today=MON)
    assert (done.moved, done.under_way) == (["Code"], [])
    code = Task.objects.get(plan__project=planned, uid=3)
    assert code.constraint == "SNET"
    assert from_db(code.constraint_date) == dt.datetime(2026, 3, 16, 8)
    # the plan is recomputed: Code, the release after it and the project finish follow
    assert (_start(planned, 2), _start(planned, 3), _start(planned, 5)) == (
        MON,
        LATER,
        dt.date(2026, 3, 20),
    )
    planned.refresh_from_db()
    assert planned.forecast_finish == dt.date(2026, 3, 20)
    # and the current plan's schedule demand is where the scenario had it
    live = Allocation.objects.get(scenario=None, project=planned, task_uid=3)
    assert (live.first, live.last) == (LATER, dt.date(2026, 3, 20))


def test_a_task_under_way_is_left_and_named(planned: Any, users: Any) -> None:
    design = Task.objects.get(plan__project=planned, uid=2)
    plan = planned.plan
    services.set_status_date(
        actor=users["pm"], plan=plan, status_date=dt.datetime(2026, 3, 3, 17), version=plan.version
    )
    design.refresh_from_db()
    started = {"actual_start": dt.datetime(2026, 3, 2, 8)}
    services.update_task(actor=users["pm"], task=design, data=started, version=design.version)
    scenario = _committed_scenario(users, planned, u2=dt.date(2026, 3, 9), u3=LATER)
    done = apply_scenario_dates(actor=users["pm"], plan=planned.plan, scenario=scenario, today=MON)
    assert (done.moved, done.under_way) == (["Code"], ["Design"])
    assert _start(planned, 2) == MON


def test_only_the_plans_manager_or_the_pmo_and_only_a_committed_scenario(
    planned: Any, users: Any
) -> None:
    scenario = _committed_scenario(users, planned, u3=LATER)
    with pytest.raises(PermissionDeniedError):
        apply_scenario_dates(
            actor=users["other_pm"], plan=planned.plan, scenario=scenario, today=MON
        )
    draft = capacity.create_scenario(actor=users["admin"], name="Draft")
    with pytest.raises(ConflictError, match="only a committed scenario"):
        apply_scenario_dates(actor=users["pm"], plan=planned.plan, scenario=draft, today=MON)
    apply_scenario_dates(actor=users["admin"], plan=planned.plan, scenario=scenario, today=MON)
    with pytest.raises(ConflictError, match="starts no task"):  # applied already
        apply_scenario_dates(actor=users["pm"], plan=planned.plan, scenario=scenario, today=MON)


def test_the_scenario_page_offers_it_to_the_plans_manager_and_the_api_does_it(
    planned: Any, users: Any, client: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MON)
    scenario = _committed_scenario(users, planned, u3=LATER)
    url = f"/resources/scenarios/{scenario.pk}/"
    client.force_login(users["other_pm"])
    assert 'data-testid="apply-to-plan"' not in client.get(url).content.decode()
    client.force_login(users["pm"])
    page = client.get(url).content.decode()
    action = f"/projects/{planned.code}/plan/scenario/{scenario.pk}/"
    assert f'action="{action}"' in page
    response = client.post(action, follow=True)
    assert response.redirect_chain[-1][0] == f"/projects/{planned.code}/plan/"
    assert "1 task now starts no earlier than scenario Levelled has it: Code" in (
        response.content.decode()
    )
    assert _start(planned, 3) == LATER
    # the API answers the second time with a 409 that says why
    again = client.post(f"/api/v1/projects/{planned.code}/plan/scenario/{scenario.pk}")
    assert again.status_code == 409
    assert "starts no task" in again.json()["detail"]


def test_an_unknown_scenario_is_a_404(planned: Any, users: Any, client: Any) -> None:
    client.force_login(users["pm"])
    assert client.post(f"/projects/{planned.code}/plan/scenario/99999/").status_code == 404
    response = client.post(f"/api/v1/projects/{planned.code}/plan/scenario/99999")
    assert response.status_code == 404
    assert "99999" in response.json()["detail"]
