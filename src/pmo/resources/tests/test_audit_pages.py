"""Capacity pages after the UX audit: what each figure and message says, closed and
out-of-date scenarios, the committed-only drill-down, the forms' feedback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.core.errors import ConflictError
from pmo.resources import selectors, services
from pmo.resources.models import Allocation, CapacityChange, LevelingRun, ProjectShift, Scenario
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)
SUN = MON + dt.timedelta(days=6)


def _htmx(client: Any, url: str) -> str:
    return str(client.get(url, headers={"HX-Request": "true"}).content.decode())


@pytest.mark.usefixtures("on_mon")
def test_committed_only_drill_down_lists_committed_work_only(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given a pool with committed work on A and proposed work on B, and a colleague pool
    java = pool(org)
    other = pool(org, code="java-sz", name="Java developer, Shenzhen", fte=Decimal("2"))
    a, b = make_project(), make_project()
    allocate(java, a, MON, FRI, "1", status="committed")
    allocate(java, b, MON, FRI, "2")  # proposed
    allocate(other, b, MON, FRI, "2")  # proposed: the committed view sees room here
    client.force_login(users["exec"])
    # when the committed-only heat map is shown, its cells drill down committed-only
    page = client.get(f"/resources/heatmap/?by=resource&start={MON}&periods=1&committed=1")
    assert '&amp;committed=1" hx-target' in page.content.decode()  # the drill link
    cell = _htmx(
        client,
        f"/resources/heatmap/cell/?by=resource&key={java.pk}&first={MON}&last={SUN}&committed=1",
    )
    # then the proposed project is not listed and the room counts committed work only
    assert a.code in cell and b.code not in cell
    assert 'data-testid="drill-committed-only"' in cell
    room = cell[cell.index('data-testid="room"') :]
    assert 'Java developer, Shenzhen</a></td><td class="num">2.0</td>' in room
    # and without the flag both are there, as before
    everything = _htmx(
        client, f"/resources/heatmap/cell/?by=resource&key={java.pk}&first={MON}&last={SUN}"
    )
    assert a.code in everything and b.code in everything
    assert 'data-testid="room"' not in everything  # the Shenzhen pool is full


def test_a_draft_is_flagged_out_of_date_exactly_when_its_commit_is_refused(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a = make_project()
    row = allocate(java, a, MON, FRI, "1")
    scenario = services.create_scenario(actor=users["member"], name="Early")
    client.force_login(users["member"])
    fresh = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    assert selectors.scenario_out_of_date(scenario) is None
    assert 'data-testid="out-of-date"' not in fresh and "Out of date" not in fresh
    # when the current plan changes after the copy
    Allocation.objects.filter(pk=row.pk).update(
        fte=Decimal("2"), version=row.version + 1, updated_at=timezone.now()
    )
    # then the page and the list say so, and the commit button is off
    assert selectors.scenario_out_of_date(scenario) == "allocations"
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    assert 'data-testid="out-of-date"' in page
    assert "Out of date: the current plan changed after this scenario copied it on" in page
    commit = page[page.index('data-testid="commit"') :][:200]
    assert " disabled " in commit
    listed = client.get("/resources/scenarios/").content.decode()
    assert 'data-testid="out-of-date-badge"' in listed
    # and the commit service refuses it for the same reason
    with pytest.raises(ConflictError):
        services.commit_scenario(actor=users["member"], scenario=scenario)


def test_capacity_of_the_plan_changing_makes_a_draft_out_of_date(users: Any, org: Any) -> None:
    java = pool(org)
    scenario = services.create_scenario(actor=users["member"], name="Early")
    services.add_capacity_change(
        actor=users["member"], resource=java, first=MON, last=FRI, fte=Decimal("1")
    )
    assert selectors.scenario_out_of_date(scenario) == "capacity"
    with pytest.raises(ConflictError):
        services.commit_scenario(actor=users["member"], scenario=scenario)


def test_closed_scenarios_say_so_instead_of_offering_their_editing_pages(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a = make_project()
    allocate(java, a, MON, FRI, "1")
    kept = services.create_scenario(actor=users["member"], name="Kept")
    gone = services.create_scenario(actor=users["member"], name="Gone")
    services.discard_scenario(actor=users["member"], scenario=gone)
    services.commit_scenario(actor=users["member"], scenario=kept)
    gone.refresh_from_db()
    client.force_login(users["member"])
    # the discarded scenario's staffing page: discarded, no empty table, a way to the plan
    staffing = client.get(f"/resources/scenarios/{gone.pk}/staffing/?project={a.code}")
    html = staffing.content.decode()
    assert "until it is committed" not in html and "No allocations." not in html
    assert f"Scenario “Gone” was discarded on {timezone.localtime(gone.closed_at):%Y-%m-%d}" in html
    assert f'href="/projects/{a.code}/staffing/"' in html
    # the committed one's: committed, not "until it is committed"
    html = client.get(f"/resources/scenarios/{kept.pk}/staffing/?project={a.code}").content.decode()
    assert "until it is committed" not in html and "was committed on" in html
    # the heat map shows the current plan, not an all-zero map titled with the scenario
    html = client.get(f"/resources/heatmap/?scenario={gone.pk}&start={MON}").content.decode()
    assert 'data-testid="closed-scenario"' in html and "“Gone” was discarded" in html
    assert "1.0/2.0" in html
    assert "Demand vs capacity · scenario" not in html
    # a closed scenario's page links its projects to the current plan's staffing
    ProjectShift.objects.create(scenario=gone, project=a, days=7)
    page = client.get(f"/resources/scenarios/{gone.pk}/").content.decode()
    assert f'<a href="/projects/{a.code}/staffing/">{a.code}</a>' in page
    assert f"/resources/scenarios/{gone.pk}/staffing/" not in page


def test_a_refused_capacity_change_names_the_field_and_keeps_the_values(
    client: Any, users: Any, org: Any
) -> None:
    java = pool(org)
    scenario = services.create_scenario(actor=users["member"], name="Hire")
    client.force_login(users["member"])
    # when To is before From
    response = client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {
            "resource": java.pk,
            "first": "2026-03-09",
            "last": "2026-03-02",
            "fte": "3.5",
            "reason": "contractor",
        },
    )
    html = response.content.decode()
    # then the error sits by the To field, without the internal field name
    assert 'data-testid="capacity-last-error">the end date is before the start date<' in html
    assert "last:" not in html
    # and the form keeps what was typed
    form = html[html.index('data-testid="capacity-form"') :]
    assert 'value="2026-03-09"' in form and 'value="2026-03-02"' in form
    assert 'value="3.5"' in form and 'value="contractor"' in form
    assert f'<input type="hidden" name="resource" value="{java.pk}"' in form
    assert not CapacityChange.objects.filter(scenario=scenario).exists()
    # a valid change is saved and said so
    done = client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {"resource": java.pk, "first": "2026-03-02", "last": "2026-03-09", "fte": "3"},
        follow=True,
    )
    assert " from 2026-03-02 to 2026-03-09 set to 3 FTE." in done.content.decode()


def test_move_project_says_what_it_did_and_keeps_the_project_chosen(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a, b = make_project(), make_project()
    allocate(java, a, MON, FRI, "1")
    allocate(java, b, MON, FRI, "1")
    allocate(java, b, MON + dt.timedelta(days=7), FRI + dt.timedelta(days=7), "1")
    scenario = services.create_scenario(actor=users["member"], name="Move")
    client.force_login(users["member"])
    page = client.post(
        f"/resources/scenarios/{scenario.pk}/shift/",
        {"project": b.code, "days": "21", "priority": "1"},
        follow=True,
    ).content.decode()
    assert f"{b.code} moved 21 calendar days later. 2 allocations changed." in page
    assert f"Priority of {b.code} set to 1 (1 = highest, 5 = lowest)." in page
    # the Move project box keeps the project chosen, and shows its move in all
    assert f'<input type="hidden" name="project" value="{b.code}" data-picker-value' in page
    assert 'name="days" value="21"' in page
    earlier = client.post(
        f"/resources/scenarios/{scenario.pk}/shift/",
        {"project": a.code, "days": "-1"},
        follow=True,
    ).content.decode()
    assert f"{a.code} moved 1 calendar day earlier. 1 allocation changed." in earlier
    nothing = client.post(
        f"/resources/scenarios/{scenario.pk}/shift/", {"project": a.code, "days": "0"}, follow=True
    ).content.decode()
    assert (
        f"Nothing changed: {a.code} already moves -1 calendar day in this scenario. "
        "Enter other days to move it by, or a priority." in nothing
    )
    # the box left as it showed the move in all (21) says the project keeps it
    kept = client.post(
        f"/resources/scenarios/{scenario.pk}/shift/",
        {
            "project": b.code,
            "days": "21",
            "in_all": "1",
            "opened_project": b.code,
            "opened_days": "21",
        },
        follow=True,
    ).content.decode()
    assert (
        f"Nothing changed: {b.code} already moves +21 calendar days in this scenario. "
        "Enter other days to move it by, or a priority." in kept
    )


def test_the_heat_map_title_follows_the_swapped_map(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    pool(org)
    scenario = services.create_scenario(actor=users["member"], name="Plan B")
    client.force_login(users["exec"])
    swapped = _htmx(client, f"/resources/heatmap/?scenario={scenario.pk}&committed=1")
    assert (
        '<h1 id="heatmap-title" hx-swap-oob="true" data-testid="heatmap-title">'
        "Demand vs capacity · scenario “Plan B” · Committed only</h1>"
    ) in swapped
    back = _htmx(client, "/resources/heatmap/")
    assert 'hx-swap-oob="true" data-testid="heatmap-title">Demand vs capacity</h1>' in back
    full = client.get(f"/resources/heatmap/?scenario={scenario.pk}").content.decode()
    assert "hx-swap-oob" not in full
    assert '<h1 id="heatmap-title" data-testid="heatmap-title">' in full
    assert "<title>Demand vs capacity · scenario “Plan B” · PMO Hub</title>" in full


@pytest.mark.usefixtures("on_mon")
def test_figures_use_singular_and_one_precision(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a = make_project()
    allocate(java, a, MON, FRI, "2.5")
    scenario = services.create_scenario(actor=users["member"], name="Same")
    client.force_login(users["member"])
    heat = client.get(f"/resources/heatmap/?start={MON}&periods=2").content.decode()
    assert "1 overloaded cell, 0.5 FTE above capacity in total." in heat
    hours = client.get(f"/resources/heatmap/?start={MON}&periods=2&unit=hours").content.decode()
    assert "1 overloaded cell, 20 hours above capacity in total." in hours
    page = client.get(f"/resources/scenarios/{scenario.pk}/?start={MON}&periods=2").content.decode()
    assert "Current plan: 1 overloaded cell, 0.5 FTE above capacity" in page
    assert "Labour cost against the current plan: no change" in page
    assert "<title>Scenario “Same” · PMO Hub</title>" in page
    staffing = client.get(f"/projects/{a.code}/staffing/").content.decode()
    assert '<td class="num">100</td>' in staffing  # hours: 2.5 FTE x 8 h x 5 days, whole


def test_priorities_say_which_end_is_highest(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a = make_project()
    allocate(java, a, MON, FRI, "1")
    scenario = services.create_scenario(actor=users["member"], name="Prio")
    client.force_login(users["member"])
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    select = page[page.index('data-testid="shift-priority"') :][:400]
    assert "Priority (1 = highest)" in page
    assert '<option value="1">1 – highest</option>' in select
    assert '<option value="5">5 – lowest</option>' in select
    cell = _htmx(
        client, f"/resources/heatmap/cell/?by=role&key=Java+developer&first={MON}&last={SUN}"
    )
    assert "<th>Priority (1 = highest)</th>" in cell


def test_the_pin_picker_names_projects_and_says_pins_keep_earlier_moves(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a, b = make_project(name="Core banking"), make_project()
    allocate(java, a, MON, FRI, "1")
    allocate(java, b, MON, FRI, "1")
    scenario = services.create_scenario(actor=users["member"], name="Pins")
    ProjectShift.objects.create(scenario=scenario, project=a, days=78, pinned=True)
    LevelingRun.objects.create(
        scenario=scenario,
        created_by=users["member"],
        state="done",
        phase="done",
        result={
            "projects": [
                {
                    "project": a.code,
                    "priority": 3,
                    "weight": 1,
                    "delay": 0,
                    "moved": 0,
                    "pinned": True,
                },
            ],
            "moved": [],
        },
    )
    client.force_login(users["member"])
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    pins = page[page.index('class="pins"') :]
    assert f"<span><b>{a.code}</b> · Core banking</span>" in pins
    assert (
        "Moved in this scenario already (largest move of one allocation, calendar days): "
        f"{a.code} (+78)"
    ) in page
    assert "(keeps the move of 78 calendar days this scenario gave it before)" in page
    # the delay chart has a header and a colour legend
    assert "Delay chart (colour = priority)" in page and 'data-testid="delay-legend"' in page
    # the project changes list no empty columns: no priority was set here
    changes = page[page.index('data-testid="project-changes"') :]
    changes = changes[: changes.index("</section>")]
    assert "Priority" not in changes and "<th>Pinned</th>" in changes


def test_a_split_allocation_counts_once(users: Any, org: Any, make_project: Any) -> None:
    java = pool(org)
    a = make_project()
    allocate(java, a, MON, FRI + dt.timedelta(days=7), "1")
    scenario = services.create_scenario(actor=users["member"], name="Split")
    # as leveling splits an allocation under way: the worked part stays, the rest moves
    head = Allocation.objects.get(scenario=scenario)
    Allocation.objects.filter(pk=head.pk).update(last=FRI)
    rest = allocate(
        java, a, MON + dt.timedelta(days=14), FRI + dt.timedelta(days=14), "1", scenario=scenario
    )
    LevelingRun.objects.create(
        scenario=scenario,
        state="done",
        result={"projects": [], "moved": [{"id": head.pk, "new_id": rest.pk}]},
    )
    changes = selectors.scenario_changes(scenario.pk)
    assert (changes.changed, changes.split, changes.by_project) == (1, 1, {a.code: 1})


def test_capacity_changes_list_only_what_the_scenario_changes(
    client: Any, users: Any, org: Any
) -> None:
    java = pool(org)
    services.add_capacity_change(
        actor=users["member"],
        resource=java,
        first=MON,
        last=FRI,
        fte=Decimal("0"),
        reason="Annual leave",
    )
    scenario = services.create_scenario(actor=users["member"], name="Hire")
    services.add_capacity_change(
        actor=users["member"],
        resource=java,
        first=MON + dt.timedelta(days=7),
        last=FRI + dt.timedelta(days=7),
        fte=Decimal("4"),
        reason="Two hired",
        scenario=scenario,
    )
    client.force_login(users["member"])
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    section = page[page.index('data-testid="capacity-changes"') :]
    assert "Capacity changes in this scenario" in section
    assert "Two hired" in section and "Annual leave" not in section
    assert "1 capacity change of the current plan is in this scenario unchanged" in section


def test_scenario_page_tables_scroll_inside_their_card(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a = make_project()
    allocate(java, a, MON, FRI, "1")
    scenario = services.create_scenario(actor=users["member"], name="Wrap")
    ProjectShift.objects.create(scenario=scenario, project=a, days=7)
    LevelingRun.objects.create(
        scenario=scenario,
        state="done",
        result={
            "projects": [
                {
                    "project": a.code,
                    "priority": 3,
                    "weight": 1,
                    "delay": 2,
                    "moved": 1,
                    "pinned": False,
                },
            ],
            "moved": [
                {
                    "id": 1,
                    "project": a.code,
                    "resource": java.code,
                    "kind": "allocation",
                    "fte": 1.0,
                    "first": "2026-03-02",
                    "last": "2026-03-06",
                    "new_first": "2026-03-09",
                    "new_last": "2026-03-13",
                    "days": 5,
                },
            ],
        },
    )
    client.force_login(users["member"])
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    for testid in ("run-projects", "run-moved"):
        assert f'<div class="table-wrap"><table class="grid" data-testid="{testid}">' in page
    assert 'data-testid="project-changes"><h2>Project changes</h2><div class="table-wrap">' in page
    assert Scenario.objects.get().state == "draft"


def test_resource_facts_are_labelled_without_ascii_colons(
    client: Any, users: Any, org: Any
) -> None:
    # the label sits above its value (as on every facts card), so Chinese needs no "：" here
    java = pool(org)
    client.force_login(users["exec"])
    page = client.get(f"/resources/{java.pk}/").content.decode()
    assert "<div><span>Role</span>Java developer</div>" in page
    assert "Role: " not in page and "Working calendar: " not in page


def test_nothing_changed_for_a_project_not_moved_asks_for_days() -> None:
    from pmo.resources.views.scenario_edits import _shift_messages

    assert _shift_messages("P1", 0, None, 0) == [
        "Nothing changed: enter days to move the project by, or a priority."
    ]
    assert _shift_messages("P1", 0, None, 0, total=-3) == [
        "Nothing changed: P1 already moves -3 calendar days in this scenario. "
        "Enter other days to move it by, or a priority."
    ]
