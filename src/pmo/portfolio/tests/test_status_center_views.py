"""The status center's ways in: "My projects" for a project manager, summary chips that filter,
Overall sorted worst first, and running projects by default (the exports follow the list)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from pmo.portfolio.models import Project, ReportState, StatusReport
from pmo.portfolio.periods import period_of


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _codes(html: str) -> list[str]:
    return re.findall(r'<tr data-code="(\w+)"', html)


def _export_codes(client: Client, query: str) -> list[str]:
    text = client.get(f"/projects/export.csv?{query}").content.decode("utf-8-sig")
    return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]


def _rate(project: Project, overall: int, *, trend: int | None = None) -> None:
    """A submitted report of this week with ``overall`` as the project's latest."""
    assert project.start_date is not None
    period = period_of(project.start_date, "weekly")
    report = StatusReport.objects.create(
        project=project,
        period=period.key,
        period_start=period.start,
        period_end=period.end,
        state=ReportState.SUBMITTED,
        is_current=True,
        overall=overall,
        schedule=overall,
        cost=1,
        scope=1,
        resources=1,
        quality=1,
        summary="x",
    )
    Project.objects.filter(pk=project.pk).update(latest_report=report, trend=trend)


@pytest.fixture
def portfolio_of_five(make_project: Callable[..., Any], users: dict[str, Any]) -> None:
    """T001 green, T002 red (worse), T003 no report, T004 amber (all ``pm``'s, running);
    T005 (``other_pm``) amber; T006 closed and T007 cancelled (``pm``'s)."""
    for overall, trend in ((1, 0), (3, -1), (None, None), (2, 0)):
        project = make_project()
        if overall:
            _rate(project, overall, trend=trend)
    _rate(make_project(manager=users["other_pm"].person), 2)
    make_project(state="closed", phase="closed")
    make_project(state="cancelled")


# --- "My projects" -------------------------------------------------------------------------------


def test_a_project_manager_lands_on_their_own_projects_and_can_switch_to_all(
    users: dict[str, Any], portfolio_of_five: None
) -> None:
    client = _client(users["other_pm"])
    # a bare visit opens "My projects", and the address says so
    landing = client.get("/")
    assert (landing.status_code, landing["Location"]) == (302, "/?scope=mine")
    mine = client.get("/?scope=mine").content.decode()
    assert _codes(mine) == ["T005"]
    assert re.search(r'aria-current="page" data-testid="scope-mine"', mine)
    assert '<input type="hidden" name="scope" value="mine">' in mine
    # the export is the same list
    assert _export_codes(client, "scope=mine") == ["T005"]
    # "All projects" keeps the other filters, and the choice is kept for the next bare visit
    link = re.search(r'href="([^"]*)"[^>]*data-testid="scope-all"', mine)
    assert link is not None and parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query) == {
        "scope": ["all"]
    }
    everything = client.get("/?scope=all").content.decode()
    assert _codes(everything) == ["T001", "T002", "T003", "T004", "T005"]
    assert client.get("/").status_code == 200  # remembered: the whole list, no redirect
    client.get("/?scope=mine")
    assert client.get("/")["Location"] == "/?scope=mine"


def test_only_a_project_manager_who_manages_a_project_is_sent_to_mine(
    users: dict[str, Any], make_project: Callable[..., Any]
) -> None:
    make_project(manager=users["other_pm"].person)
    # ``pm`` manages nothing: the whole list, no toggle
    page = _client(users["pm"]).get("/")
    assert page.status_code == 200 and 'data-testid="scope"' not in page.content.decode()
    # the PMO lands on everything too
    assert _client(users["member"]).get("/").status_code == 200
    # a bad scope drops only itself
    html = _client(users["member"]).get("/?scope=nonsense&q=T001").content.decode()
    assert _codes(html) == ["T001"]


# --- the summary chips ---------------------------------------------------------------------------


def _chip(html: str, name: str) -> tuple[str, bool]:
    """The query a chip links to, and whether it is the active filter."""
    tag = re.search(rf'<a class="chip[^"]*"[^>]*data-testid="chip-{name}"', html)
    assert tag is not None, name
    href = re.search(r'href="\?([^"]*)"', tag.group(0))
    assert href is not None
    return href.group(1).replace("&amp;", "&"), 'aria-current="true"' in tag.group(0)


def test_each_chip_filters_the_list_and_keeps_the_other_filters(
    users: dict[str, Any], portfolio_of_five: None
) -> None:
    client = _client(users["member"])
    html = client.get("/?program=CORE&sort=-name&page=1&q=").content.decode()
    expected = {
        "red": "rag=red",
        "amber": "rag=amber",
        "green": "rag=green",
        "unrated": "rag=none",
        "worse": "flag=worse",
        "missing": "flag=missing",
        "decision": "flag=decision",
        "closed": "state=closed",
        "cancelled": "state=cancelled",
    }
    for name, condition in expected.items():
        query, active = _chip(html, name)
        # the program and the sort are kept, the page and empty fields dropped
        assert query == f"program=CORE&sort=-name&{condition}", name
        assert not active
    # each chip's list has as many rows as the chip counts
    for name in expected:
        query, _active = _chip(html, name)
        count = re.search(rf'data-count="{name}">(\d+)<', html)
        assert count is not None
        assert len(_codes(client.get(f"/?{query}").content.decode())) == int(count.group(1)), name
    # the red chip of the red list is the active one and clears the filter again
    red = client.get("/?program=CORE&rag=red").content.decode()
    assert _codes(red) == ["T002"]
    assert _chip(red, "red") == ("program=CORE", True)
    assert _chip(red, "amber") == ("program=CORE&rag=amber", False)
    assert _codes(client.get("/?flag=worse").content.decode()) == ["T002"]


# --- Overall, worst first ------------------------------------------------------------------------


def test_overall_sorts_worst_first_on_the_first_click(
    users: dict[str, Any], portfolio_of_five: None
) -> None:
    client = _client(users["member"])
    html = client.get("/").content.decode()
    link = re.search(r'href="\?([^"]*)"[^>]*data-testid="sort-rag"', html)
    assert link is not None and link.group(1) == "sort=-rag"
    worst = client.get("/?sort=-rag").content.decode()
    assert _codes(worst) == ["T002", "T004", "T005", "T001", "T003"]  # red, amber ×2, green, none
    again = re.search(r'href="\?([^"]*)"[^>]*data-testid="sort-rag"', worst)
    assert again is not None and again.group(1) == "sort=rag"
    assert _codes(client.get("/?sort=rag").content.decode()) == [
        "T001",
        "T004",
        "T005",
        "T002",
        "T003",
    ]
    # other columns still sort up first
    name = re.search(r'href="\?([^"]*)"[^>]*data-testid="sort-name"', html)
    assert name is not None and name.group(1) == "sort=name"


# --- running projects by default -----------------------------------------------------------------


def test_the_list_and_its_exports_show_running_projects_unless_a_state_is_chosen(
    users: dict[str, Any], portfolio_of_five: None
) -> None:
    client = _client(users["member"])
    running = ["T001", "T002", "T003", "T004", "T005"]
    html = client.get("/").content.decode()
    assert _codes(html) == running
    assert '<option value="" selected>Running</option>' in html
    # the ended ones are still counted, and their chips lead to them
    assert '<strong data-count="closed">1</strong>' in html
    assert '<strong data-count="cancelled">1</strong>' in html
    assert _codes(client.get("/?state=cancelled").content.decode()) == ["T007"]
    assert _codes(client.get("/?state=ended").content.decode()) == ["T006", "T007"]
    assert _codes(client.get("/?state=all").content.decode()) == [*running, "T006", "T007"]
    # a bad state value drops only itself: the running projects
    assert _codes(client.get("/?state=killed").content.decode()) == running
    # the exports follow the same default and filters
    assert _export_codes(client, "") == running
    assert _export_codes(client, "state=all") == [*running, "T006", "T007"]
    assert _export_codes(client, "state=closed") == ["T006"]
    xlsx = client.get("/projects/export.xlsx")
    assert xlsx.status_code == 200


def test_the_api_still_lists_every_state_by_default(
    client: Any, users: dict[str, Any], portfolio_of_five: None
) -> None:
    from pmo.accounts.services import create_token

    token = create_token(username=users["exec"].username)
    body = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"}).json()
    assert body["count"] == 7
