"""Pages: heat map with drill-down, staffing, resource load, scenarios, import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.resources.models import Scenario
from pmo.resources.tests.factories import MON, allocate, pool


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
    assert client.get(f"/projects/{a.code}/staffing/").status_code == 200
    assert client.get(f"/resources/{java.pk}/").status_code == 200
    assert client.get("/resources/").status_code == 200
    detail = client.get(f"/projects/{a.code}/")
    assert 'data-testid="staffing-panel"' in detail.content.decode()


def test_viewers_see_no_capacity(client: Any, users: Any) -> None:
    client.force_login(users["viewer"])
    assert client.get("/resources/heatmap/").status_code == 403


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
    assert "1 overloaded cells, 0.5 FTE above capacity" in html
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
    assert "Enter a resource, two dates and a number of FTE." in bad.content.decode()
    page = client.get(f"/resources/scenarios/{scenario.pk}/?start={MON}&periods=2")
    assert "1.0/3.0" in page.content.decode()
    client.post(f"/resources/scenarios/{scenario.pk}/commit/")
    scenario.refresh_from_db()
    assert scenario.state == "committed"
    assert java.changes.filter(scenario=None).get().reason == "contractor"
    assert client.post(f"/resources/scenarios/{scenario.pk}/explode/").status_code == 404


def test_import_page_template_download(client: Any, users: Any) -> None:
    client.force_login(users["admin"])
    assert client.get("/resources/import/").status_code == 200
    answer = client.get("/resources/import/?template=1")
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")


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


def test_heatmap_in_chinese(client: Any, users: Any, org: Any) -> None:
    pool(org)
    users["exec"].language = "zh-hans"
    users["exec"].save()
    client.force_login(users["exec"])
    html = client.get("/resources/heatmap/?by=org_unit").content.decode()
    assert "需求与产能对比" in html
    assert "上海研发" in html


def test_level_the_portfolio_from_the_scenario_page(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    from pmo.resources.leveling import run_leveling
    from pmo.resources.models import LevelingRun

    java = pool(org)
    a, b = make_project(priority=1), make_project(priority=4)
    for project in (a, b):
        allocate(java, project, MON, MON + dt.timedelta(days=4), "1.5")
    client.force_login(users["member"])
    client.post("/resources/scenarios/", {"name": "Level"})
    scenario = Scenario.objects.get()
    page = client.get(f"/resources/scenarios/{scenario.pk}/")
    assert 'data-testid="level"' in page.content.decode()
    client.post(f"/resources/scenarios/{scenario.pk}/level/", {"time_limit": "1", "pin": [a.code]})
    run = LevelingRun.objects.get()
    assert (run.state, run.time_limit) == ("queued", 1)
    queued = client.get(f"/resources/leveling-runs/{run.pk}/?poll=1")
    assert "every 1s" in queued.content.decode() and "HX-Refresh" not in queued.headers
    run_leveling(run.pk, today=MON)
    done = client.get(f"/resources/leveling-runs/{run.pk}/?poll=1")
    assert done.headers["HX-Refresh"] == "true"
    page = client.get(f"/resources/scenarios/{scenario.pk}/?start={MON}&periods=3").content.decode()
    assert 'data-testid="run-moved"' in page
    assert f"<td>{b.code}</td><td>4</td><td>2</td><td>5</td>" in page
    # the delay chart: the longest delay fills its bar, coloured by the project's priority
    assert '<span class="prio-4" style="width:100%">' in page
    again = client.post(f"/resources/scenarios/{scenario.pk}/level/", {"time_limit": "x"})
    assert again.status_code == 302
    client.force_login(users["exec"])  # reads the run, may not start one
    assert client.get(f"/resources/leveling-runs/{run.pk}/").status_code == 200
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
