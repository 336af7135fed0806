"""Pages: heat map with drill-down, staffing, resource load, scenarios, import."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from pmo.core.errors import FieldError
from pmo.resources.models import Allocation, Scenario
from pmo.resources.tests.factories import MON, allocate, pool


def _cell(client: Any, url: str) -> str:
    """A heat-map cell's drill-down, as htmx asks for it."""
    return str(client.get(url, headers={"HX-Request": "true"}).content.decode())


@pytest.mark.usefixtures("on_mon")
def test_heatmap_page_and_drill_down(client: Any, users: Any, org: Any, make_project: Any) -> None:
    java = pool(org)
    a = make_project()
    allocate(java, a, MON, MON + dt.timedelta(days=4), "3")
    client.force_login(users["exec"])
    page = client.get(f"/resources/heatmap/?start={MON}&periods=4")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="cell hm5 overloaded"' in html
    assert "3.0/2.0" in html
    cell = client.get(
        f"/resources/heatmap/cell/?by=role&key=Java+developer&first={MON}"
        f"&last={MON + dt.timedelta(days=6)}",
        headers={"HX-Request": "true"},
    )
    assert a.code in cell.content.decode()
    # filters narrow the rows and travel with the drill-down and export links
    narrowed = client.get(
        f"/resources/heatmap/?start={MON}&periods=4&org_unit={org['uk'].pk}"
    ).content.decode()
    assert "3.0/2.0" not in narrowed and f"org_unit={org['uk'].pk}&amp;format=xlsx" in narrowed
    # a role nobody has is refused, not an empty map that reads as "no overload"
    api = client.get(f"/api/v1/capacity/heatmap?start={MON}&periods=1&role=Tester")
    assert (api.status_code, api.json()["errors"][0]["field"]) == (422, "role")
    # in hours: 3 FTE x 8 h x 5 days against 2 x 8 x 5, and the drill-down in hours too
    hours = client.get(f"/resources/heatmap/?start={MON}&periods=4&unit=hours").content.decode()
    assert "120/80" in hours and "40 hours above capacity" in hours  # hours: whole numbers
    assert "&amp;unit=hours" in hours
    cell = _cell(
        client,
        f"/resources/heatmap/cell/?by=role&key=Java+developer&first={MON}"
        f"&last={MON + dt.timedelta(days=6)}&unit=hours&demand=120.0&capacity=80.0",
    )
    assert "Demand 120.0 hours against capacity 80.0 hours." in cell
    assert "<td>120.0</td>" in cell
    assert client.get(f"/projects/{a.code}/staffing/").status_code == 200
    assert client.get(f"/resources/{java.pk}/").status_code == 200
    assert client.get("/resources/").status_code == 200
    detail = client.get(f"/projects/{a.code}/")
    assert 'data-testid="staffing-panel"' in detail.content.decode()


def test_drill_down_shows_room_in_the_same_role(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    shenzhen = pool(org, code="java-sz", name="Java developer, Shenzhen", fte=Decimal("3"))
    pool(org, code="test-sh", name="Testers, Shanghai", role="Test engineer", fte=Decimal("5"))
    person = pool(org, code="li", name="Li Lei", kind="person", fte=Decimal("1"))
    a, b = make_project(), make_project()
    friday = MON + dt.timedelta(days=4)
    allocate(java, a, MON, friday, "3")
    allocate(shenzhen, b, MON, friday, "1")
    allocate(person, b, MON, friday, "1")  # busy: no room
    client.force_login(users["exec"])
    cell = _cell(
        client,
        f"/resources/heatmap/cell/?by=resource&key={java.pk}&first={MON}"
        f"&last={MON + dt.timedelta(days=6)}",
    )
    assert 'data-testid="room"' in cell
    room = cell[cell.index('data-testid="room"') :]
    assert 'Java developer, Shenzhen</a></td><td class="num">2.0</td>' in room
    assert "Testers" not in room and "Li Lei" not in room
    assert "Java developer, Shanghai" not in room  # the overloaded pool itself
    by_role = _cell(
        client,
        f"/resources/heatmap/cell/?by=role&key=Java+developer&first={MON}&last={friday}",
    )
    assert 'data-testid="room"' not in by_role  # a whole role has no "elsewhere"


def test_viewers_see_no_capacity(client: Any, users: Any) -> None:
    client.force_login(users["viewer"])
    assert client.get("/resources/heatmap/").status_code == 403


@pytest.mark.usefixtures("on_mon")
def test_scenario_pages_create_shift_commit(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    a, b = make_project(), make_project()
    allocate(java, a, MON, MON + dt.timedelta(days=4), "1.5")
    allocate(java, b, MON, MON + dt.timedelta(days=4), "1")
    client.force_login(users["member"])
    made = client.post("/resources/scenarios/", {"name": "Move B"})
    scenario = Scenario.objects.get()
    assert made.url == f"/resources/scenarios/{scenario.pk}/"
    client.post(f"/resources/scenarios/{scenario.pk}/shift/", {"project": b.code, "days": "7"})
    page = client.get(f"/resources/scenarios/{scenario.pk}/?start={MON}&periods=2")
    html = page.content.decode()
    assert "1 overloaded cell, 0.5 FTE above capacity" in html
    assert "0 overloaded cells, 0.0 FTE above capacity" in html
    client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {
            "resource": java.pk,
            "first": str(MON + dt.timedelta(days=7)),
            "last": str(MON + dt.timedelta(days=13)),
            "fte": "3",
            "reason": "contractor",
        },
    )
    bad = client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {"resource": java.pk, "first": "soon", "last": "", "fte": "x"},
        follow=True,
    )
    assert "The capacity was not changed: correct the form below." in bad.content.decode()
    page = client.get(f"/resources/scenarios/{scenario.pk}/?start={MON}&periods=2")
    assert "1.0/3.0" in page.content.decode()
    client.post(f"/resources/scenarios/{scenario.pk}/commit/")
    scenario.refresh_from_db()
    assert scenario.state == "committed"
    assert java.changes.filter(scenario=None).get().reason == "contractor"
    assert client.post(f"/resources/scenarios/{scenario.pk}/explode/").status_code == 404


def test_scenario_staffing_moves_demand_to_another_pool(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    """The what-if a project shift cannot express: one row to another pool, then commit."""
    from pmo.resources.models import Allocation

    java = pool(org)
    shenzhen = pool(org, code="java-sz", name="Java developer, Shenzhen", cost_rate=Decimal(100))
    a, b = make_project(), make_project()
    allocate(java, a, MON, MON + dt.timedelta(days=4), "1.5")
    row = allocate(java, b, MON, MON + dt.timedelta(days=4), "1")
    client.force_login(users["member"])
    client.post("/resources/scenarios/", {"name": "Shenzhen helps"})
    scenario = Scenario.objects.get()
    base = f"/resources/scenarios/{scenario.pk}"
    detail = client.get(f"{base}/").content.decode()
    assert 'data-testid="scenario-staffing-form"' in detail
    page = client.get(f"{base}/staffing/?project={b.code}").content.decode()
    copy = Allocation.objects.get(scenario=scenario, project=b)
    assert 'data-testid="staffing-scenario"' in page and "Shenzhen helps" in page
    assert f'href="{base}/allocations/{copy.pk}/"' in page  # edits stay in the scenario
    assert f"/resources/allocations/{copy.pk}/" not in page
    form = client.get(f"{base}/allocations/{copy.pk}/").content.decode()
    assert 'data-testid="edit-allocation-form"' in form
    week = {"first": str(MON), "last": str(MON + dt.timedelta(days=4))}
    saved = client.post(
        f"{base}/allocations/{copy.pk}/",
        {
            **week,
            "version": copy.version,
            "resource": shenzhen.pk,
            "fte": "1",
            "status": "committed",
            "note": "Shenzhen takes it",
        },
    )
    assert saved.status_code == 302 and saved.url == f"{base}/staffing/?project={b.code}"
    copy.refresh_from_db()
    row.refresh_from_db()
    assert (copy.resource, row.resource) == (shenzhen, java)  # the plan is untouched
    added = client.post(
        f"{base}/staffing/",
        {**week, "project": a.code, "resource": shenzhen.pk, "fte": "0.5", "status": "proposed"},
    )
    assert added.url == f"{base}/staffing/?project={a.code}"
    assert Allocation.objects.filter(scenario=scenario, project=a).count() == 2
    assert Allocation.objects.filter(scenario=None, project=a).count() == 1
    page = client.get(f"{base}/?start={MON}&periods=1").content.decode()
    assert "2 allocations differ from the current plan" in page  # b's other pool, a's new row
    # Shanghai costs nothing here; Shenzhen 1 + 0.5 FTE x 8 h x 5 days x 100
    cost = "Labour cost against the current plan: +6,000.00\u00a0CNY"  # one line: no-break space
    assert f'data-testid="scenario-cost">{cost}<' in page
    # bad input comes back as a message; wrong ids are 404
    bad = client.post(
        f"{base}/staffing/", {"project": a.code, "resource": "x", "first": "soon"}, follow=True
    )
    assert "Choose a resource." in bad.content.decode()
    assert client.get(f"{base}/staffing/", follow=True).redirect_chain[-1][0] == f"{base}/"
    assert client.get(f"{base}/staffing/?project=NOPE").status_code == 404
    assert client.get(f"{base}/allocations/{row.pk}/").status_code == 404  # a plan row
    assert client.get(f"/resources/allocations/{copy.pk}/").status_code == 404
    # others read the scenario's staffing but may not change it
    client.force_login(users["exec"])
    read = client.get(f"{base}/staffing/?project={b.code}").content.decode()
    assert "Shenzhen takes it" in read and 'data-testid="add-allocation"' not in read
    assert client.post(f"{base}/staffing/", {"project": a.code}).status_code == 403
    assert client.post(f"{base}/allocations/{copy.pk}/", {"action": "delete"}).status_code == 403
    client.force_login(users["member"])
    client.post(f"{base}/commit/")
    assert Allocation.objects.get(scenario=None, project=b).resource == shenzhen
    assert Allocation.objects.filter(scenario=None, project=a).count() == 2


def test_import_page_template_download(client: Any, users: Any) -> None:
    client.force_login(users["admin"])
    assert client.get("/resources/import/").status_code == 200
    answer = client.get("/resources/import/?template=1")
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_file_that_is_no_workbook_is_named_as_the_file_in_the_import_table(
    client: Any, users: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    users["admin"].language = "zh-hans"
    users["admin"].save()
    client.force_login(users["admin"])
    bad = SimpleUploadedFile("capacity.xlsx", b"not a workbook")
    page = client.post("/resources/import/", {"file": bad}).content.decode()
    table = page.split('data-testid="import-errors"')[1]
    assert "<td>文件</td>" in table and "<td>file</td>" not in table


def test_admin_lists_are_read_only(client: Any, users: Any, org: Any, make_project: Any) -> None:
    java = pool(org)
    allocate(java, make_project(), MON, MON, "1")
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for name in ("resource", "allocation", "capacitychange", "scenario", "levelingrun"):
        assert client.get(f"/admin/resources/{name}/").status_code == 200
    assert client.get("/admin/resources/resource/add/").status_code == 403


def test_heatmap_in_chinese(client: Any, users: Any, org: Any, make_project: Any) -> None:
    java = pool(org, role_zh="Java开发工程师")
    pool(org, code="java-sz", name="Java developer, Shenzhen")  # same role, no Chinese role
    allocate(java, make_project(name_zh="核心系统"), MON, MON + dt.timedelta(days=4), "3")
    users["exec"].language = "zh-hans"
    users["exec"].save()
    client.force_login(users["exec"])
    html = client.get("/resources/heatmap/?by=org_unit").content.decode()
    assert "需求与产能对比" in html
    assert "上海研发" in html
    by_role = client.get(f"/resources/heatmap/?start={MON}&periods=1").content.decode()
    assert "<th>Java开发工程师</th>" in by_role  # the row label; the key stays the role
    assert '<option value="Java developer">Java开发工程师</option>' in by_role
    assert "key=Java%20developer" in by_role
    listed = client.get("/resources/").content.decode()
    assert "<td>Java开发工程师</td>" in listed
    cell = _cell(
        client,
        f"/resources/heatmap/cell/?by=role&key=Java+developer&first={MON}"
        f"&last={MON + dt.timedelta(days=6)}",
    )
    assert "核心系统" in cell  # the drill-down names projects in the reader's language


def test_a_role_has_one_chinese_name_in_the_filter_and_every_heat_map(
    client: Any, users: Any, org: Any
) -> None:
    pool(org, role_zh="Java开发工程师")  # the role's Chinese name in the catalogue
    with pytest.raises(FieldError, match="Java开发工程师"):  # another one is refused
        pool(org, code="java-sz", role_zh="Java 程序员")
    london = pool(org, code="java-ldn", org_unit=org["uk"], role="java developer ")
    assert (london.role, london.role_zh) == ("Java developer", "Java开发工程师")
    users["exec"].language = "zh-hans"
    users["exec"].save()
    client.force_login(users["exec"])
    # London alone: its pool takes the catalogue's spelling and Chinese name
    london_map = client.get(
        f"/resources/heatmap/?start={MON}&periods=1&org_unit={org['uk'].pk}"
    ).content.decode()
    assert "<th>Java开发工程师</th>" in london_map and "Java 程序员" not in london_map
    assert '<option value="Java developer">Java开发工程师</option>' in london_map


def test_level_the_portfolio_from_the_scenario_page(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    from pmo.resources.leveling import run_leveling
    from pmo.resources.models import LevelingRun

    java = pool(org, name_zh="Java开发（上海）")
    a, b = make_project(priority=1), make_project(priority=4, name_zh="测试项目乙")
    for project in (a, b):
        allocate(java, project, MON, MON + dt.timedelta(days=4), "1.5")
    client.force_login(users["member"])
    empty = client.get("/resources/scenarios/").content.decode()
    assert 'data-testid="no-scenarios"' in empty and 'data-testid="compare"' not in empty
    client.post("/resources/scenarios/", {"name": "Level"})
    scenario = Scenario.objects.get()
    page = client.get(f"/resources/scenarios/{scenario.pk}/")
    assert 'data-testid="level"' in page.content.decode()
    client.post(f"/resources/scenarios/{scenario.pk}/level/", {"time_limit": "1", "pin": [a.code]})
    run = LevelingRun.objects.get()
    assert (run.state, run.time_limit) == ("queued", 1)
    queued = client.get(f"/resources/leveling-runs/{run.pk}/?poll=1")
    assert "every 1s" in queued.content.decode() and "HX-Refresh" not in queued.headers
    assert client.get(f"/resources/leveling-runs/{run.pk}/?format=xlsx").status_code == 404
    run_leveling(run.pk, today=MON)
    done = client.get(f"/resources/leveling-runs/{run.pk}/?poll=1")
    assert done.headers["HX-Refresh"] == "true"
    page = client.get(f"/resources/scenarios/{scenario.pk}/?start={MON}&periods=3").content.decode()
    assert 'data-testid="run-moved"' in page
    staffing = f'href="/resources/scenarios/{scenario.pk}/staffing/?project={b.code}"'
    assert staffing in page  # from a moved row to the project's rows in the scenario
    assert "1 allocation differs from the current plan" in page
    assert f"<td>{b.code} {b.name}</td><td>4</td><td>2</td><td>5</td>" in page
    assert "<td>Java developer, Shanghai</td>" in page
    # the same result as a workbook, for resource managers to act on
    assert 'data-testid="run-export"' in page
    assert f'href="/resources/leveling-runs/{run.pk}/" data-testid="run-page"' in page
    export = client.get(f"/resources/leveling-runs/{run.pk}/?format=xlsx")
    assert export["Content-Disposition"] == f'attachment; filename="pmo-leveling-run-{run.pk}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Delay per project", "Moved"]
    assert book["Moved"]["A1"].value.startswith("Leveling run of scenario Level")
    delays = [row for row in book["Delay per project"].iter_rows(min_row=4, values_only=True)]
    assert (b.code, b.name, 4, 2, 5, 1, None) in delays and len(delays) == 2
    [moved] = book["Moved"].iter_rows(min_row=4, values_only=True)
    assert moved[:5] == (b.code, b.name, "Allocation", "Java developer, Shanghai", 1.5)
    assert moved[5].date() == MON and moved[9] == 5
    # the run keeps codes; names are shown in the reader's language
    users["member"].language = "zh-hans"
    users["member"].save()
    page = client.get(f"/resources/scenarios/{scenario.pk}/?start={MON}&periods=3").content.decode()
    assert f"<td>{b.code} 测试项目乙</td><td>4</td>" in page
    assert "<td>Java开发（上海）</td>" in page
    assert f"<span><b>{b.code}</b> · 测试项目乙</span>" in page  # the pins: few, all listed
    export = client.get(f"/resources/leveling-runs/{run.pk}/?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["各项目延期", "已移动"]
    [moved] = book["已移动"].iter_rows(min_row=4, values_only=True)
    assert moved[:4] == (b.code, "测试项目乙", "分配", "Java开发（上海）")
    # overload the run found pinned projects holding is in the workbook as on the page
    held = {"resource": "java-sh", "first": str(MON), "last": str(MON), "fte_days": 0.5}
    run.refresh_from_db()
    run.result = {**run.result, "pinned_overload": [{**held, "projects": [b.code]}]}
    run.save(update_fields=["result"])
    export = client.get(f"/resources/leveling-runs/{run.pk}/?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["各项目延期", "已移动", "已固定项目的超负荷"]
    [_header, row] = book["已固定项目的超负荷"].iter_rows(min_row=3, max_row=4, values_only=True)
    assert row[0] == "java-sh" and row[3:5] == (0.5, b.code)
    # the delay chart: the longest delay fills its bar, coloured by the project's priority
    assert '<span class="prio-4" style="width:100%">' in page
    again = client.post(f"/resources/scenarios/{scenario.pk}/level/", {"time_limit": "x"})
    assert again.status_code == 302
    client.force_login(users["exec"])  # reads the run, may not start one
    alone = client.get(f"/resources/leveling-runs/{run.pk}/").content.decode()
    assert 'data-testid="run-breadcrumb"' in alone and "<title>" in alone  # a page, not a fragment
    assert f'href="/resources/scenarios/{scenario.pk}/"' in alone
    assert 'data-testid="run-moved"' in alone and 'data-testid="run-page"' not in alone
    polled = client.get(f"/resources/leveling-runs/{run.pk}/?poll=1", HTTP_HX_REQUEST="true")
    assert polled.content.decode().startswith('<section class="card" id="leveling-run"')
    assert client.get("/resources/leveling-runs/999999/").status_code == 404
    client.post(f"/resources/scenarios/{scenario.pk}/level/", {"time_limit": "1"})
    assert LevelingRun.objects.count() == 1
    client.force_login(users["viewer"])
    assert client.get(f"/resources/leveling-runs/{run.pk}/").status_code == 403


def test_cancel_a_leveling_run_from_the_scenario_page(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    from pmo.resources.models import LevelingRun

    java = pool(org)
    for project in (make_project(), make_project()):
        allocate(java, project, MON, MON + dt.timedelta(days=4), "1.5")
    client.force_login(users["member"])
    client.post("/resources/scenarios/", {"name": "Cancel"})
    scenario = Scenario.objects.get()
    client.post(f"/resources/scenarios/{scenario.pk}/level/", {"time_limit": "60"})
    run = LevelingRun.objects.get()
    panel = client.get(f"/resources/leveling-runs/{run.pk}/?poll=1").content.decode()
    assert 'data-testid="cancel-run"' in panel
    client.force_login(users["exec"])  # sees the run, not the button, and may not cancel
    assert (
        'data-testid="cancel-run"'
        not in client.get(f"/resources/leveling-runs/{run.pk}/").content.decode()
    )
    client.post(f"/resources/leveling-runs/{run.pk}/cancel/")
    run.refresh_from_db()
    assert run.state == "queued"
    client.force_login(users["member"])
    answer = client.post(f"/resources/leveling-runs/{run.pk}/cancel/", follow=True)
    run.refresh_from_db()
    assert run.state == "cancelled"
    page = answer.content.decode()
    assert "the scenario is unchanged" in page and 'data-testid="run-cancelled"' in page
    assert 'data-testid="cancel-run"' not in page
    again = client.post(f"/resources/leveling-runs/{run.pk}/cancel/", follow=True)
    assert "only a queued or running run" in again.content.decode()
    assert client.post("/resources/leveling-runs/999999/cancel/").status_code == 404
    assert client.get(f"/resources/leveling-runs/{run.pk}/cancel/").status_code == 405


def test_delay_bars_are_in_proportion_to_the_longest_delay(users: Any) -> None:
    from pmo.resources.models import LevelingRun
    from pmo.resources.views import _run_context

    def row(code: str, delay: int, moved: int = 1) -> dict[str, Any]:
        return {"project": code, "priority": 3, "delay": delay, "moved": moved, "pinned": False}

    run = LevelingRun(
        state="done",
        phase="done",
        result={"projects": [row("A", 8), row("B", 2), row("C", 0), row("D", 0, moved=0)]},
    )
    context = _run_context(run, users["member"])
    assert [(p["project"], p["bar"]) for p in context["run_projects"]] == [
        ("A", 100),
        ("B", 25),
        ("C", 0),
    ]
    assert context["run_unaffected"] == 1


def test_staffing_page_adds_commits_changes_and_removes_allocations(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    from pmo.accounts.models import Role, User
    from pmo.resources.models import Allocation

    java = pool(org)
    project = make_project()
    url = f"/projects/{project.code}/staffing/"
    form = {
        "resource": java.pk,
        "first": str(MON),
        "last": str(MON + dt.timedelta(days=11)),
        "fte": "1.5",
        "status": "proposed",
        "note": "sprint 1",
    }
    # the project's manager proposes, but may not commit
    client.force_login(users["pm"])
    page = client.get(url).content.decode()
    assert 'data-testid="add-allocation"' in page and 'value="committed"' not in page
    client.post(url, form)
    made = Allocation.objects.get()
    assert (made.status, made.fte, made.note) == ("proposed", 1.5, "sprint 1")
    refused = client.post(url, {**form, "status": "committed"}, follow=True).content.decode()
    assert "only resource managers commit" in refused
    bad = client.post(url, {**form, "fte": "lots"}, follow=True).content.decode()
    assert "Enter the FTE as a number" in bad
    backwards = client.post(url, {**form, "last": str(MON - dt.timedelta(days=1))}, follow=True)
    assert "the end date is before the start date" in backwards.content.decode()
    assert Allocation.objects.count() == 1
    # another project manager cannot plan this project
    client.force_login(users["other_pm"])
    assert 'data-testid="add-allocation"' not in client.get(url).content.decode()
    client.post(url, form)
    assert Allocation.objects.count() == 1
    assert client.get(f"/resources/allocations/{made.pk}/")["Location"] == url  # sent back
    # a resource manager commits it, changes it and removes it
    director = User.objects.create_user(username="dir", password="pw", role=Role.RESOURCE_MANAGER)
    client.force_login(director)
    assert 'data-testid="commit-allocation"' in client.get(url).content.decode()
    edit = f"/resources/allocations/{made.pk}/"
    client.post(edit, {"action": "commit", "version": 1})
    made.refresh_from_db()
    assert (made.status, made.version) == ("committed", 2)
    stale = client.post(edit, {**form, "action": "save", "version": 1}, follow=True)
    assert "version" in stale.content.decode().lower()
    client.post(edit, {**form, "fte": "0.5", "status": "committed", "action": "save", "version": 2})
    made.refresh_from_db()
    assert (made.fte, made.status, made.version) == (0.5, "committed", 3)
    assert client.get(edit).status_code == 200
    # the project's manager is not offered an edit the service would refuse
    client.force_login(users["pm"])
    page = client.get(url).content.decode()
    assert 'data-testid="committed-locked"' in page and 'data-testid="edit-allocation"' not in page
    client.force_login(director)
    client.post(edit, {"action": "delete", "version": 3})
    assert Allocation.objects.count() == 0
    assert client.get(edit).status_code == 404


def test_schedule_demand_is_not_edited_on_the_staffing_page(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    row = allocate(java, project, MON, MON + dt.timedelta(days=4), "1", source="schedule")
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/staffing/").content.decode()
    assert "from the plan" in page and 'data-testid="edit-allocation"' not in page
    answer = client.post(
        f"/resources/allocations/{row.pk}/", {"action": "delete", "version": 1}, follow=True
    )
    assert "change the plan instead" in answer.content.decode()
    assert client.get("/resources/allocations/99999/").status_code == 404


def test_resource_managers_create_and_edit_resources_in_the_browser_forms(
    client: Any, users: Any, org: Any
) -> None:
    from pmo.audit.models import AuditEvent
    from pmo.resources.models import Resource

    form = {
        "code": "qa-ldn",
        "name": "Testers, London",
        "name_zh": "伦敦测试",
        "kind": "pool",
        "role": "Test engineer",
        "role_zh": "测试工程师",
        "org_unit": org["it"].pk,
        "fte": "4",
        "hours_per_day": "7.5",
        "cost_rate": "60",
        "currency": "GBP",
        "calendar": "",
        "active": "on",
    }
    client.force_login(users["pm"])
    assert client.get("/resources/new/")["Location"] == "/resources/"  # sent back, told why
    assert 'data-testid="new-resource"' not in client.get("/resources/").content.decode()
    client.force_login(users["member"])
    assert 'data-testid="new-resource"' in client.get("/resources/").content.decode()
    made = client.post("/resources/new/", form)
    qa = Resource.objects.get(code="qa-ldn")
    assert made.status_code == 302 and made["Location"] == f"/resources/{qa.pk}/"
    assert (qa.fte, qa.hours_per_day, qa.calendar, qa.currency) == (4, 7.5, "", "GBP")
    assert qa.role_zh == "测试工程师"
    detail = client.get(f"/resources/{qa.pk}/").content.decode()
    assert "Monday to Friday" in detail and 'data-testid="edit-resource"' in detail
    # a repeated code and a leaving date before the hiring date are shown on the form
    again = client.post("/resources/new/", form).content.decode()
    assert "already exists" in again
    backwards = client.post(
        "/resources/new/",
        {**form, "code": "x", "available_from": "2026-05-01", "available_until": "2026-04-01"},
    ).content.decode()
    assert "the end date is before the start date" in backwards
    long_days = client.post(
        "/resources/new/", {**form, "code": "y", "hours_per_day": "25", "cost_rate": "-1"}
    ).content.decode()
    assert "less than or equal to 24" in long_days and "greater than or equal to 0" in long_days
    assert Resource.objects.count() == 1
    # editing is version-checked and audited
    edit = f"/resources/{qa.pk}/edit/"
    assert 'name="version" value="1"' in client.get(edit).content.decode()
    client.post(edit, {**form, "fte": "5", "calendar": "CN", "version": "1"})
    qa.refresh_from_db()
    assert (qa.fte, qa.calendar, qa.version) == (5, "CN", 2)
    stale = client.post(edit, {**form, "fte": "6", "version": "1"}).content.decode()
    assert "version" in stale.lower()
    qa.refresh_from_db()
    assert qa.fte == 5
    assert AuditEvent.objects.filter(object_id=str(qa.pk), action="update").exists()
    assert client.get("/resources/99999/edit/").status_code == 404


@pytest.mark.usefixtures("on_mon")
def test_heatmap_exports_to_xlsx_with_the_pages_figures(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    java = pool(org)
    a = make_project()
    allocate(java, a, MON, MON + dt.timedelta(days=4), "3")
    client.force_login(users["exec"])
    page = client.get(f"/resources/heatmap/?start={MON}&periods=2").content.decode()
    assert 'data-testid="export-heatmap"' in page and "&amp;format=xlsx" in page
    answer = client.get(f"/resources/heatmap/?start={MON}&periods=2&format=xlsx")
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert answer["Content-Disposition"].startswith('attachment; filename="pmo-heatmap-')
    book = load_workbook(BytesIO(answer.content))
    assert book.sheetnames == ["Load", "Demand", "Capacity"]
    load, demand, capacity = (book[n] for n in book.sheetnames)
    assert load["A1"].value == "Load · Current plan · FTE"
    assert [c.value for c in load[3]] == ["Role", "2026-W10", "2026-W11"]
    assert [c.value for c in demand[4]] == ["Java developer", 3.0, 0.0]
    assert [c.value for c in capacity[4]] == ["Java developer", 2.0, 2.0]
    assert [c.value for c in load[4]] == ["Java developer", 1.5, 0.0]
    assert load["B4"].fill.fgColor.rgb.endswith("D64541")  # over 120 %: red, as on the page
    assert load["B4"].number_format == "0%"
    hours = load_workbook(
        BytesIO(
            client.get(f"/resources/heatmap/?start={MON}&periods=1&format=xlsx&unit=hours").content
        )
    )
    assert [c.value for c in hours["Demand"][4]] == ["Java developer", 120.0]
    assert hours["Demand"]["A1"].value == "Demand · Current plan · hours"


def test_calendar_days_page(client: Any, users: Any, org: Any) -> None:
    from pmo.resources.models import CalendarDay

    client.force_login(users["viewer"])
    assert client.get("/resources/calendar-days/").status_code == 403
    client.force_login(users["pm"])
    page = client.get("/resources/calendar-days/").content.decode()
    assert 'data-testid="add-days"' not in page
    refused = client.post(
        "/resources/calendar-days/", {"calendar": "CN", "days": "2027-01-01 off"}, follow=True
    )
    assert refused.status_code == 403
    assert "Only the PMO and resource managers" in refused.content.decode()
    client.force_login(users["member"])
    page = client.get("/resources/calendar-days/").content.decode()
    assert 'data-testid="add-days"' in page
    added = client.post(
        "/resources/calendar-days/",
        {"calendar": "CN", "days": "2027-01-01 off 元旦\n\n2027-02-06 work 调休"},
        follow=True,
    ).content.decode()
    assert "2 days saved." in added and "元旦" in added
    bad = client.post(
        "/resources/calendar-days/", {"calendar": "CN", "days": "tomorrow"}, follow=True
    ).content.decode()
    assert "line 1: “tomorrow” is not a date" in bad
    one = client.post(
        "/resources/calendar-days/", {"calendar": "CN", "days": "2027-10-09 work"}, follow=True
    ).content.decode()
    assert "1 day saved." in one
    first = CalendarDay.objects.get(name="元旦")
    client.post("/resources/calendar-days/", {"delete": str(first.pk)})
    assert list(CalendarDay.objects.values_list("name", flat=True)) == ["调休", ""]


@pytest.mark.parametrize(
    ("unit", "demand", "capacity", "shown"),
    [
        ("fte", 3.44, 2.8, "3.4/2.8"),
        ("fte", 15.5, 16, "15.5/16.0"),
        ("hours", 1234.5, 960, "1,235/960"),
    ],
)
def test_heat_map_cells_read_alike_in_one_precision_per_unit(
    unit: str, demand: float, capacity: float, shown: str
) -> None:
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    html = render_to_string(
        "resources/partials/_cell_figures.html",
        {
            "heatmap": SimpleNamespace(unit=unit),
            "cell": SimpleNamespace(demand=demand, capacity=capacity),
        },
    )
    assert html.strip().endswith(shown)


def test_the_top_bar_offers_capacity_only_to_those_who_may_read_it(client: Any, users: Any) -> None:
    client.force_login(users["viewer"])
    page = client.get("/").content.decode()
    assert 'href="/resources/heatmap/"' not in page
    assert client.get("/resources/heatmap/").status_code == 403
    client.force_login(users["exec"])
    page = client.get("/").content.decode()
    assert 'href="/resources/heatmap/"' in page
    assert '<link rel="icon" href="/static/pmo/favicon.svg"' in page


def test_refresh_an_out_of_date_scenario_and_reset_a_project_on_its_page(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    from pmo.resources import services

    java = pool(org)
    a, b = make_project(), make_project()
    row = allocate(java, a, MON, MON + dt.timedelta(days=4), "1")
    allocate(java, b, MON, MON + dt.timedelta(days=4), "1")
    client.force_login(users["member"])
    client.post("/resources/scenarios/", {"name": "Stale"})
    scenario = Scenario.objects.get()
    client.post(f"/resources/scenarios/{scenario.pk}/shift/", {"project": b.code, "days": "7"})
    copy = Allocation.objects.get(scenario=scenario, origin=row)
    services.update_allocation(
        actor=users["member"], allocation=copy, data={"fte": Decimal("2")}, version=1
    )
    services.update_allocation(
        actor=users["member"], allocation=row, data={"fte": Decimal("0.5")}, version=1
    )
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    assert 'data-testid="out-of-date"' in page
    assert 'data-testid="refresh"' in page
    scenario.refresh_from_db()

    done = client.post(
        f"/resources/scenarios/{scenario.pk}/refresh/",
        {"version": scenario.version},
        follow=True,
    )

    html = done.content.decode()
    assert 'data-testid="out-of-date"' not in html
    assert "Refreshed from the current plan: 1 of the scenario&#x27;s changes kept." in html
    assert 'data-testid="refresh-dropped"' in html
    assert (
        "the current plan changed this allocation after the copy; the scenario now has the "
        "plan&#x27;s version" in html
    )
    assert f'<tr data-code="{b.code}">' in html  # the moved project, with its reset button
    assert 'data-testid="reset-project"' in html
    reset = client.post(f"/resources/scenarios/{scenario.pk}/projects/{b.code}/reset/", follow=True)
    assert f"{b.code} is as in the current plan again: 1 allocation copied from it." in (
        reset.content.decode()
    )
    assert not scenario.shifts.exists()
    client.force_login(users["pm"])
    refused = client.post(f"/resources/scenarios/{scenario.pk}/refresh/", follow=True)
    assert refused.status_code == 403
    assert "Only the PMO and resource managers may change" in refused.content.decode()
    client.force_login(users["member"])
    client.post(f"/resources/scenarios/{scenario.pk}/discard/")
    closed = client.post(f"/resources/scenarios/{scenario.pk}/refresh/", follow=True)
    assert "is discarded; it cannot change" in closed.content.decode()


def test_the_resource_list_filters_and_pages(client: Any, users: Any, org: Any) -> None:
    from pmo.resources.views import resources as resource_views

    pool(org)  # Java developer, Shanghai
    pool(org, code="qa-ldn", name="QA London", role="Tester", org_unit=org["uk"], skills="Selenium")
    pool(org, code="java-old", name="Java retired", active=False)
    client.force_login(users["exec"])

    def codes(query: str = "") -> list[str]:
        html = client.get(f"/resources/{query}").content.decode()
        table = html.split('data-testid="resources"')[1].split("</table>")[0]
        return re.findall(r'/resources/\d+/">([^<]+)</a>', table)

    assert codes() == ["java-sh", "qa-ldn"]  # the active ones by default
    assert codes("?state=all") == ["java-sh", "java-old", "qa-ldn"]
    assert codes("?state=inactive") == ["java-old"]
    assert codes("?role=Tester") == ["qa-ldn"]
    assert codes(f"?org_unit={org['uk'].pk}") == ["qa-ldn"]
    assert codes("?q=selenium") == ["qa-ldn"]  # a skill, any case
    assert codes("?q=JAVA&state=all") == ["java-sh", "java-old"]
    assert codes("?kind=person") == []
    assert (
        "No resource matches these filters."
        in client.get("/resources/?kind=person").content.decode()
    )
    # nonsense is the default, never an error
    assert codes("?state=gone&kind=robot&org_unit=x") == ["java-sh", "qa-ldn"]
    # a page at a time, the filters kept in the pager's links
    resource_views.RESOURCES_PER_PAGE = 1
    try:
        html = client.get("/resources/?state=all&q=java").content.decode()
        assert "Resources 1–1 of 2" in html
        assert 'href="?state=all&amp;q=java&amp;page=2"' in html
        assert codes("?state=all&q=java&page=2") == ["java-old"]
    finally:
        resource_views.RESOURCES_PER_PAGE = 100
