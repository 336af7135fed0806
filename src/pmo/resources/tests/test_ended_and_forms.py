"""Findings of the third UX audit of capacity planning: ended projects take no new work,
allocation forms keep what was typed and name errors at their fields, the scenario page says
what a refresh kept and what the plan changed, and destructive buttons ask first."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.accounts.services import create_token
from pmo.core.errors import ConflictError, FieldError
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import ProjectState
from pmo.resources import adapters, refresh, selectors, services
from pmo.resources.models import Allocation, ProjectShift
from pmo.resources.tests.factories import MON, allocate, pool

TODAY = dt.date(2026, 6, 1)  # the day the project ends in these tests
D = dt.timedelta(days=1)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _end(project: Any, users: Any, state: str = ProjectState.CANCELLED) -> None:
    portfolio_services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )
    project.refresh_from_db()


# --- 1. an ended project takes no new work --------------------------------------------------


def test_an_ended_project_takes_no_new_allocation_and_none_past_its_end(
    org: Any, users: Any, make_project: Any, today: None
) -> None:
    java = pool(org)
    project = make_project(code="GONE")
    row = allocate(java, project, dt.date(2026, 3, 2), dt.date(2026, 9, 30), "1")
    _end(project, users)
    assert selectors.ended_on(project) == TODAY
    row.refresh_from_db()
    assert row.last == TODAY - D  # released the day before

    data = {"resource_id": java.pk, "project_id": project.pk, "fte": Decimal("1")}
    with pytest.raises(ConflictError) as refused:
        services.create_allocation(
            actor=users["member"],
            data=data | {"first": dt.date(2027, 1, 4), "last": dt.date(2027, 1, 8)},
        )
    assert refused.value.message == "GONE was cancelled on 2026-06-01: it takes no new allocations"
    with pytest.raises(FieldError) as past:
        services.update_allocation(
            actor=users["member"],
            allocation=row,
            data={"last": dt.date(2026, 12, 31)},
            version=row.version,
        )
    assert past.value.field == "last"
    assert "GONE was cancelled on 2026-06-01" in past.value.message
    assert "2026-05-31" in past.value.message
    # correcting its history is still possible: a shorter row, a lower FTE
    services.update_allocation(
        actor=users["member"],
        allocation=row,
        data={"last": dt.date(2026, 5, 29), "fte": Decimal("0.5")},
        version=row.version,
    )
    row.refresh_from_db()
    assert (row.last, row.fte) == (dt.date(2026, 5, 29), Decimal("0.5"))


@pytest.mark.parametrize("state", [ProjectState.CANCELLED, ProjectState.CLOSED])
def test_the_api_refuses_an_allocation_of_an_ended_project(
    client: Any, org: Any, users: Any, make_project: Any, today: None, state: str
) -> None:
    java = pool(org)
    project = make_project(code="P0006")
    _end(project, users, state)
    body = {
        "resource_id": java.pk,
        "project": project.code,
        "first": "2027-01-04",
        "last": "2027-03-29",
        "fte": "0.6",
        "status": "committed",
    }
    token = create_token(username=users["admin"].username)
    answer = client.post(
        "/api/v1/allocations",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 409
    word = "cancelled" if state == ProjectState.CANCELLED else "closed"
    assert answer.json()["detail"] == (
        f"P0006 was {word} on 2026-06-01: it takes no new allocations"
    )
    assert not Allocation.objects.filter(project=project).exists()


def test_the_staffing_page_of_an_ended_project_has_a_notice_instead_of_the_form(
    client: Any, org: Any, users: Any, make_project: Any, today: None
) -> None:
    java = pool(org)
    project = make_project(code="P0006")
    allocate(java, project, dt.date(2026, 5, 4), dt.date(2026, 5, 29), "1")
    _end(project, users)
    client.force_login(users["member"])
    url = f"/projects/{project.code}/staffing/"
    page = client.get(url).content.decode()
    assert 'data-testid="project-ended"' in page
    assert "P0006 was cancelled on 2026-06-01: it takes no new allocations." in page
    assert 'data-testid="add-allocation"' not in page
    posted = client.post(
        url,
        {"resource": java.pk, "first": "2027-01-04", "last": "2027-01-08", "fte": "1"}
        | {"status": "committed"},
        follow=True,
    )
    assert "it takes no new allocations" in posted.content.decode()
    assert Allocation.objects.filter(project=project).count() == 1


def test_a_scenario_neither_moves_nor_levels_an_ended_project(
    client: Any, org: Any, users: Any, make_project: Any, today: None
) -> None:
    java = pool(org)
    running, ended = make_project(code="RUN"), make_project(code="P0006")
    allocate(java, running, dt.date(2026, 6, 1), dt.date(2026, 6, 30), "1")
    allocate(java, ended, dt.date(2026, 6, 1), dt.date(2026, 6, 30), "1")
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="Copied before the end")
    _end(ended, users)
    with pytest.raises(ConflictError) as refused:
        services.shift_project(actor=member, scenario=scenario, project=ended, days=14)
    assert "P0006 was cancelled on 2026-06-01" in refused.value.message
    client.force_login(member)
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    # Move project's picker searches the running projects only; the ended one is not chosen
    move = re.search(r'<form [^>]*id="shift".*?</form>', page, re.S)
    assert move is not None
    lookup = f"/api/v1/lookup/projects?running=true&amp;scenario={scenario.pk}"
    assert f'data-picker="{lookup}"' in move.group(0)
    ended_chosen = client.get(f"/resources/scenarios/{scenario.pk}/?project=P0006").content
    move = re.search(r'<form [^>]*id="shift".*?</form>', ended_chosen.decode(), re.S)
    assert move is not None and 'value="P0006"' not in move.group(0)
    pins = re.search(r'<div class="pins" data-testid="pins">(.*?)</div>', page, re.S)
    assert pins is not None
    assert 'value="RUN"' in pins.group(1) and 'value="P0006"' not in pins.group(1)
    # its stale copy runs past the end: no edit link for it, and its dates may not grow
    staffing = client.get(f"/resources/scenarios/{scenario.pk}/staffing/?project=P0006")
    assert 'data-testid="after-end"' in staffing.content.decode()
    assert 'data-testid="edit-allocation"' not in staffing.content.decode()


def test_leveling_fixes_an_ended_projects_rows_in_place() -> None:
    # two 1-FTE rows on a 1-FTE pool: one must move; the ended project's may not
    resources = [adapters.ResourceRow(pk=1, fte=Decimal(1))]
    rows = [
        adapters.AllocationRow(
            pk=10, resource_id=1, project_id=1, first=MON, last=MON + 4 * D, fte=Decimal(1)
        ),
        adapters.AllocationRow(
            pk=11, resource_id=1, project_id=2, first=MON, last=MON + 4 * D, fte=Decimal(1)
        ),
    ]
    projects = [
        adapters.ProjectRow(pk=1, code="GONE", priority=1, ended=True),
        adapters.ProjectRow(pk=2, code="RUN", priority=1),
    ]
    data = adapters.build_problem(
        resources=resources, changes=[], allocations=rows, projects=projects, today=MON
    )
    assert dict(zip([r.pk for r in data.rows], data.fixed, strict=True)) == {10: True, 11: False}
    assert [p.pinned for p in data.problem.projects] == [True, False]
    schedule = adapters.solve_problem(data, backend="heuristic", time_limit=1)
    starts = adapters.compact(data, schedule.starts)
    assert {m.pk for m in adapters.moves(data, starts)} == {11}  # the running one moves


def test_refresh_drops_what_a_scenario_added_to_a_project_that_ended_since(
    org: Any, users: Any, make_project: Any, today: None
) -> None:
    java = pool(org)
    project = make_project(code="P0006")
    allocate(java, project, dt.date(2026, 5, 4), dt.date(2026, 5, 29), "1")
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="More for P0006")
    services.shift_project(actor=member, scenario=scenario, project=project, days=14)
    added = services.create_allocation(
        actor=member,
        data={"resource_id": java.pk, "project_id": project.pk, "fte": Decimal("1")}
        | {"first": dt.date(2026, 7, 6), "last": dt.date(2026, 7, 31)},
        scenario=scenario,
    )
    _end(project, users)
    scenario.refresh_from_db()

    result = refresh.refresh_scenario(actor=member, scenario=scenario)

    assert not Allocation.objects.filter(pk=added.pk).exists()
    assert [(d.reason, d.project) for d in result.dropped] == [("project_ended", "P0006")]
    rows = Allocation.objects.filter(scenario=scenario, project=project)
    assert [(r.first, r.last) for r in rows] == [(dt.date(2026, 5, 4), dt.date(2026, 5, 29))]
    assert ProjectShift.objects.get(scenario=scenario, project=project).days == 0


# --- 2. allocation forms --------------------------------------------------------------------


def _error(page: str, field: str) -> str:
    found = re.search(rf'data-testid="allocation-{field}-error">([^<]*)<', page)
    return found.group(1) if found else ""


def test_an_allocation_out_of_range_is_named_at_its_field_and_the_form_kept(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project(code="P0001")
    client.force_login(users["member"])
    url = f"/projects/{project.code}/staffing/"
    form = {"resource": java.pk, "first": "2026-12-07", "fte": "0.6", "status": "committed"}
    answer = client.post(url, form | {"last": "9999-01-01", "note": "hypercare"})
    page = answer.content.decode()
    assert answer.status_code == 422
    assert _error(page, "last") == (
        "enter a date from 1984-01-01 to 2149-12-31 (9999-01-01 is outside)"
    )
    assert "last:" not in page  # no internal field name
    # what was typed is still there
    assert f'<input type="hidden" name="resource" value="{java.pk}"' in page
    assert 'value="2026-12-07"' in page and 'value="9999-01-01"' in page
    assert 'value="0.6"' in page and 'value="hypercare"' in page
    assert '<option value="committed" selected>' in page
    # a mistyped year is named as such, not as an end before the start
    typo = client.post(url, form | {"last": "0202-03-01"}).content.decode()
    assert _error(typo, "last").startswith("enter a date from 1984-01-01 to 2149-12-31")
    assert "before the start date" not in typo
    backwards = client.post(url, form | {"last": "2026-12-01"}).content.decode()
    assert _error(backwards, "last") == "the end date is before the start date"
    assert not Allocation.objects.exists()
    # the pickers offer only the accepted range
    blank = client.get(url).content.decode()
    for name in ("first", "last"):
        field = re.search(rf'<input type="date" name="{name}"[^>]*>', blank)
        assert field is not None
        assert 'min="1984-01-01"' in field.group(0) and 'max="2149-12-31"' in field.group(0)


def test_the_allocation_edit_page_keeps_what_was_typed_and_asks_before_removing(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project(code="P0001")
    row = allocate(java, project, MON, MON + 4 * D, "1")
    client.force_login(users["member"])
    url = f"/resources/allocations/{row.pk}/"
    page = client.get(url).content.decode()
    remove = re.search(r'<button[^>]*data-testid="delete-allocation"[^>]*>', page)
    assert remove is not None and "data-confirm=" in remove.group(0)
    answer = client.post(
        url,
        {"version": row.version, "resource": java.pk, "first": str(MON), "last": "9999-01-01"}
        | {"fte": "0.3", "status": "proposed", "note": "late"},
    )
    assert answer.status_code == 422
    body = answer.content.decode()
    assert _error(body, "last").startswith("enter a date from 1984-01-01")
    assert 'value="0.3"' in body and 'value="late"' in body
    row.refresh_from_db()
    assert row.fte == Decimal("1")


def test_the_scenario_capacity_and_heat_map_dates_offer_only_the_accepted_range(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)
    allocate(java, make_project(), MON, MON + 4 * D, "1")
    client.force_login(users["member"])
    scenario = services.create_scenario(actor=users["member"], name="Dates")
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    heat = client.get("/resources/heatmap/").content.decode()
    for html, name in ((page, "first"), (page, "last"), (heat, "start")):
        field = re.search(rf'<input type="date" name="{name}"[^>]*>', html)
        assert field is not None, name
        assert 'min="1984-01-01"' in field.group(0) and 'max="2149-12-31"' in field.group(0)


# --- 3. and 4. the scenario page ------------------------------------------------------------


def test_the_scenario_page_says_what_a_refresh_kept_and_what_the_plan_changed(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org, cost_rate=Decimal("100"))
    a, b = make_project(code="P0003"), make_project(code="P0005")
    a1 = allocate(java, a, MON, MON + 4 * D, "1")
    b1 = allocate(java, b, MON, MON + 4 * D, "0.6")
    member = users["member"]
    scenario = services.create_scenario(actor=member, name="Refreshing")
    services.shift_project(actor=member, scenario=scenario, project=a, days=0, priority=1)
    copy_b = Allocation.objects.get(scenario=scenario, origin=b1)
    services.update_allocation(
        actor=member,
        allocation=copy_b,
        data={"last": MON + 25 * D},
        version=copy_b.version,
    )
    services.update_allocation(
        actor=member, allocation=b1, data={"fte": Decimal("0.2"), "last": MON + 10 * D}, version=1
    )
    client.force_login(member)
    url = f"/resources/scenarios/{scenario.pk}/"
    stale = client.get(url).content.decode()
    assert re.search(r'data-testid="plan-changed">[^<]*P0005', stale)
    assert "P0003" not in re.search(r'data-testid="plan-changed">([^<]*)<', stale).group(1)
    assert "Labour cost against the current plan as copied on" in stale

    refresh.refresh_scenario(actor=member, scenario=scenario)
    page = client.get(url).content.decode()
    kept = re.search(r'data-testid="refresh-kept">([^<]*)<', page)
    assert kept is not None and "P0003 (priority 1)" in kept.group(1)
    dropped = re.search(r'data-testid="refresh-dropped">(.*?)</table>', page, re.S)
    assert dropped is not None
    assert "2026-03-02 – 2026-03-27, 0.60 FTE" in dropped.group(1)  # the scenario's
    assert "2026-03-02 – 2026-03-12, 0.20 FTE" in dropped.group(1)  # the plan's now
    assert "its row is used" not in page
    assert a1.pk  # untouched

    refresh.reset_project(actor=member, scenario=scenario, project=b)
    page = client.get(url).content.decode()
    reset = re.search(r'data-testid="last-reset">([^<]*)<', page)
    assert reset is not None and "P0005 is as in the current plan again" in reset.group(1)
    assert 'data-testid="refresh-summary"' in page  # the refresh is still told


def test_the_scenario_actions_are_together_and_the_boxes_have_headings(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)
    allocate(java, make_project(), MON, MON + 4 * D, "1")
    client.force_login(users["member"])
    scenario = services.create_scenario(actor=users["member"], name="Layout")
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    actions = re.search(r'data-testid="scenario-actions">(.*?)</section>', page, re.S)
    assert actions is not None
    assert re.search(r'<button class="primary" data-testid="commit"', actions.group(1))
    assert re.search(r'<button class="danger" data-testid="discard"', actions.group(1))
    assert page.index('data-testid="scenario-actions"') < page.index('id="shift"')
    for heading in ("Move project", "Change allocations", "Change capacity"):
        assert f"<h2>{heading}</h2>" in page
