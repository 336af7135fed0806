"""Query-count guards: the status center, its API and the project page cost a fixed number of
SQL queries, however many projects (or reports and RAID entries) there are.

Each test measures the same request with a small and a ten times larger data set: equal
counts mean no N+1; the caps make any new query a deliberate, reviewed change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.models import Person
from pmo.portfolio.models import Milestone, Program, Project, ReportState, StatusReport
from pmo.portfolio.raid import Action, Assumption, Decision, Issue, Risk

# Current cost of each request (session + user included). Raise a cap only on purpose.
# A viewer costs one more query per visible-project scope: the lookup of their org unit.
MAX_QUERIES = {
    "member": {
        # session, user, count, page, summary, regions, programs, org units, managers,
        # unread notifications (top-bar badge, issue #7), the reminders to report shown on the
        # rows missing their report, how many of the list the "Remind" button would remind
        "list": 12,
        "list_htmx": 8,  # the table fragment alone: no filter choices
        "filtered": 12,
        "api": 4,  # session, user, count, page
    },
    "viewer": {"list": 12, "list_htmx": 8, "filtered": 12, "api": 5},
}
DETAIL_MAX_QUERIES = 18  # + panels of governance, dependencies, resources; plan milestones
# and whether the project has a plan (which then sets all its milestones)
LIST = "/"
FILTERED = "/?rag=red&program=CORE&sort=-slip"
API = "/api/v1/projects?page=1"


def _add_projects(
    count: int,
    make_project: Callable[..., Any],
    org: dict[str, Any],
    author: Any,
) -> list[Project]:
    """``count`` projects, each with its own sponsor and manager, a red report and RAID entries.

    Every row points at different related objects so that a missing ``select_related`` or a
    per-row subquery would add queries as the rows grow.
    """
    start = Project.objects.count()
    programs = list(Program.objects.filter(code="CORE"))
    made = []
    for index in range(start, start + count):
        unit = org["sh"] if index % 2 else org["cn"]
        manager = Person.objects.create(name=f"Manager {index}", org_unit=unit)
        sponsor = Person.objects.create(name=f"Sponsor {index}", org_unit=unit)
        project = make_project(
            code=f"Q{index:03d}",
            manager=manager,
            sponsor=sponsor,
            org_unit=unit,
            program=programs[0],
            forecast_finish=dt.date(2027, 1, 1) + dt.timedelta(days=index),
        )
        report = StatusReport.objects.create(
            project=project,
            period="2026-W40",
            period_start=dt.date(2026, 9, 28),
            period_end=dt.date(2026, 10, 4),
            state=ReportState.SUBMITTED,
            is_current=True,
            overall=3,
            schedule=3,
            cost=2,
            scope=1,
            resources=1,
            quality=2,
            overall_reason="Late.",
            summary=f"Report {index}.",
            decision_needed=index % 3 == 0,
            author=author,
        )
        Project.objects.filter(pk=project.pk).update(latest_report=report, trend=-1)
        Risk.objects.create(project=project, title="Vendor", probability=5, impact=4, owner=sponsor)
        Issue.objects.create(project=project, title="Outage", severity=4, owner=manager)
        Decision.objects.create(project=project, title="Go / no-go")
        made.append(project)
    return made


def _count(client: Client, url: str, cap: int, assert_max: Any, **headers: Any) -> int:
    """Queries of one GET of ``url`` (after a warm-up request), asserted to be at most ``cap``."""
    assert client.get(url, **headers).status_code == 200
    with assert_max(cap) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("username", ["member", "viewer"])
def test_status_center_query_count_does_not_grow_with_projects(
    username: str,
    users: dict[str, Any],
    org: dict[str, Any],
    make_project: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    # given 3 projects, signed in as a PMO member (sees all) or a viewer (sees an org subtree)
    client = Client()
    client.force_login(users[username])
    _add_projects(3, make_project, org, users["admin"])
    caps = MAX_QUERIES[username]
    cases = [
        (LIST, caps["list"], {}),
        (LIST, caps["list_htmx"], {"HTTP_HX_REQUEST": "true"}),
        (FILTERED, caps["filtered"], {}),
        (API, caps["api"], {}),
    ]
    small = [_count(client, url, cap, django_assert_max_num_queries, **h) for url, cap, h in cases]

    # when there are ten times as many
    _add_projects(27, make_project, org, users["admin"])
    large = [_count(client, url, cap, django_assert_max_num_queries, **h) for url, cap, h in cases]

    # then every page costs the same number of queries
    assert large == small


def test_status_center_lists_what_the_counts_were_measured_on(
    users: dict[str, Any], org: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    """The guarded pages really render the rows (a count of an empty page would prove nothing)."""
    client = Client()
    client.force_login(users["member"])
    _add_projects(30, make_project, org, users["admin"])

    page = client.get(LIST).content.decode()
    filtered = client.get(FILTERED).content.decode()
    api = client.get(API).json()

    assert page.count("<tr data-code=") == 30
    assert filtered.count("<tr data-code=") == 30
    assert api["count"] == 30
    assert len(api["items"]) == 30
    assert {item["status"]["overall"] for item in api["items"]} == {"red"}
    assert {item["status"]["open_high_risks"] for item in api["items"]} == {1}


def test_project_page_query_count_does_not_grow_with_history_and_raid(
    users: dict[str, Any],
    org: dict[str, Any],
    make_project: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    # given a project with 3 reports, milestones and entries of each RAID kind
    client = Client()
    client.force_login(users["member"])
    project = make_project(code="P001", sponsor=Person.objects.create(name="S", org_unit=org["sh"]))
    people = [Person.objects.create(name=f"Owner {n}", org_unit=org["sh"]) for n in range(30)]

    def add(first: int, last: int) -> None:
        for n in range(first, last):
            monday = dt.date(2026, 1, 5) + dt.timedelta(weeks=n)
            report = StatusReport.objects.create(
                project=project,
                period=f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
                period_start=monday,
                period_end=monday + dt.timedelta(days=6),
                state=ReportState.SUBMITTED,
                is_current=True,
                overall=1 + n % 3,
                schedule=1,
                cost=1,
                scope=1,
                resources=1,
                quality=1,
                summary=f"Week {n}.",
                author=users["pm"] if n % 2 else users["member"],
            )
            Project.objects.filter(pk=project.pk).update(latest_report=report)
            owner = people[n]
            Risk.objects.create(
                project=project, title=f"R{n}", probability=3, impact=3, owner=owner
            )
            Issue.objects.create(project=project, title=f"I{n}", owner=owner)
            Action.objects.create(project=project, title=f"A{n}", owner=owner)
            Decision.objects.create(project=project, title=f"D{n}", owner=owner)
            Assumption.objects.create(project=project, title=f"S{n}", owner=owner)
            Milestone.objects.create(project=project, name=f"M{n}", baseline_date=monday)

    add(0, 3)
    url = f"/projects/{project.code}/"
    small = _count(client, url, DETAIL_MAX_QUERIES, django_assert_max_num_queries)

    # when it has 30 of each
    add(3, 30)
    large = _count(client, url, DETAIL_MAX_QUERIES, django_assert_max_num_queries)

    # then the page costs the same and shows them all
    assert large == small
    html = client.get(url).content.decode()
    assert "Owner 29" in html
    assert "All reports (30)</summary>" in html
