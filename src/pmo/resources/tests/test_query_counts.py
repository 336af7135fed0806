"""Query-count guards of the capacity-planning pages: the heat map and its drill-down,
staffing, a resource's allocations, the scenarios (list, page, comparison), a leveling run
and the API lists cost a fixed number of SQL queries, however many projects, allocations
and scenarios there are.

The same pages are counted with N projects (and two scenarios) and again after N more
projects and two more scenarios: equal counts mean no N+1; the pinned numbers make any new
query a deliberate, reviewed change (``benchmarks/resources_web.py`` measures the same pages
on 5,000 projects).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pmo.accounts.models import Person
from pmo.resources import leveling, services
from pmo.resources.models import CapacityChange, Resource
from pmo.resources.tests.factories import MON, allocate, pool

N = 4
START = MON.isoformat()

# Current cost of each page for a PMO member (session and user included). Raise one only on
# purpose; none may depend on how many rows there are.
PINNED = {
    # each with the count of requests to commit its header links to
    "heat map by role": 12,
    "heat map by org unit": 13,
    "heat map by resource": 12,
    "drill-down of a role": 5,
    "drill-down of a person": 10,
    "requests to commit": 15,  # the filters' roles and org units, the requests, who asked
    # costs read the resources' absences (leave costs nothing); its proposals are judged as
    # the requests page judges them (7 more: the requests, their resources, capacity and
    # allocations, committed and all)
    "staffing": 14,
    # 13, then its change history (the events and the resources named), and the projects of
    # the allocations listed (one page of them; the totals cost every allocation, no query)
    "resource page": 16,
    "resource page, counted twice only": 15,  # none here: no projects to read
    "scenario list": 8,
    "scenario page": 30,  # with the newest event of its history (its forms post it)
    "scenario page, a project chosen": 31,  # the project chosen in its pickers
    "Move project box (htmx)": 5,
    "comparison": 29,  # the absences of each scenario's cost change
    "leveling run": 7,
    "API resources": 4,
    "API allocations": 6,
    "API scenarios": 10,  # whether each draft is out of date: five, however many drafts
}


def _grow(count: int, make_project: Any, resources: list[Resource], org: Any, actor: Any) -> None:
    """``count`` projects, each with its own manager, allocations on every resource (one
    committed, one proposed) and a capacity change of its own resource: every row points at
    different related rows, so a missing ``select_related`` would add queries as they grow.
    The first resource's history grows too: capacity changes added and removed, an edit."""
    start = Person.objects.count()
    counted = resources[0]
    for index in range(start, start + count):
        first = MON + dt.timedelta(days=400 + 14 * index)
        change = services.add_capacity_change(
            actor=actor, resource=counted, first=first, last=first, fte=Decimal("0.5")
        )
        if index % 2:
            services.delete_capacity_change(actor=actor, change=change)
    counted.refresh_from_db()
    services.update_resource(
        actor=actor, resource=counted, data={"skills": f"Java {start}"}, version=counted.version
    )
    for index in range(start, start + count):
        manager = Person.objects.create(
            name=f"Manager {index}", name_zh=f"经理{index}", org_unit=org["sh"]
        )
        project = make_project(manager=manager, name_zh=f"项目{index}", priority=1 + index % 5)
        for j, resource in enumerate(resources):
            first = MON + dt.timedelta(days=7 * (index % 3) + j)
            allocate(resource, project, first, first + dt.timedelta(days=20), "0.7")
            allocate(
                resource, project, first, first + dt.timedelta(days=6), "0.4", status="committed"
            )
    person = Resource.objects.create(
        code=f"dev-{start}",
        name=f"Developer {start}",
        kind="person",
        role="Java developer",
        org_unit=resources[0].org_unit,
        fte=Decimal("1"),
    )
    CapacityChange.objects.create(
        resource=person, first=MON, last=MON + dt.timedelta(days=4), fte=Decimal("0")
    )


def _scenarios(actor: Any, tag: str) -> tuple[int, int, int]:
    """A levelled scenario and one with a project moved; their ids and the run's."""
    levelled = services.create_scenario(actor=actor, name=f"Levelled {tag}")
    run = leveling.start_leveling(actor=actor, scenario=levelled, time_limit=1)
    run = leveling.run_leveling(run.pk, today=MON)
    assert run.state == "done"
    moved = services.create_scenario(actor=actor, name=f"Moved {tag}")
    project = moved.allocations.order_by("pk").first().project  # type: ignore[attr-defined]
    services.shift_project(actor=actor, scenario=moved, project=project, days=7)
    return levelled.pk, moved.pk, run.pk


def _counts(client: Client, ids: tuple[int, int, int], pool_pk: int, code: str) -> dict[str, int]:
    levelled, moved, run = ids
    cell = f"first={START}&last={(MON + dt.timedelta(days=6)).isoformat()}"
    urls = {
        "heat map by role": f"/resources/heatmap/?by=role&start={START}&periods=8",
        "heat map by org unit": f"/resources/heatmap/?by=org_unit&start={START}&periods=8",
        "heat map by resource": f"/resources/heatmap/?by=resource&start={START}&periods=8",
        "drill-down of a role": f"/resources/heatmap/cell/?by=role&key=Java+developer&{cell}",
        "drill-down of a person": f"/resources/heatmap/cell/?by=resource&key={pool_pk}&{cell}",
        "requests to commit": "/resources/requests/",
        "staffing": f"/projects/{code}/staffing/",
        "resource page": f"/resources/{pool_pk}/",
        "resource page, counted twice only": f"/resources/{pool_pk}/?twice=1&page=2",
        "scenario list": "/resources/scenarios/",
        "scenario page": f"/resources/scenarios/{levelled}/?start={START}&periods=8",
        "scenario page, a project chosen": f"/resources/scenarios/{levelled}/?project={code}",
        "Move project box (htmx)": f"/resources/scenarios/{levelled}/?part=move&project={code}",
        "comparison": f"/resources/scenarios/compare/?ids={levelled}&ids={moved}&start={START}",
        "leveling run": f"/resources/leveling-runs/{run}/",
        "API resources": "/api/v1/resources",
        "API allocations": "/api/v1/allocations",
        "API scenarios": "/api/v1/scenarios",
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)  # caches warm (content types, the calendar days)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries.captured_queries)
    return counts


@pytest.mark.usefixtures("on_mon")
def test_capacity_pages_cost_the_same_queries_with_twice_the_rows(
    client: Client, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org, name_zh="Java开发（上海）")
    tester = pool(org, code="qa-sh", name="Testers, Shanghai", role="Tester")
    london = pool(org, code="java-uk", name="Java developers, London", org_unit=org["it"])
    resources = [java, tester, london]
    member = users["member"]
    client.force_login(member)

    _grow(N, make_project, resources, org, member)
    code = java.allocations.order_by("pk").first().project.code  # type: ignore[attr-defined]
    small = _counts(client, _scenarios(member, "small"), java.pk, code)

    _grow(N, make_project, resources, org, member)
    large = _counts(client, _scenarios(member, "large"), java.pk, code)

    assert large == small
    assert small == PINNED
