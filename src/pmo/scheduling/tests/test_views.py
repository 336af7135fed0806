"""The Gantt page, htmx edits that show what moved, baselines, import from the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.scheduling import services
from pmo.scheduling.tests.factories import small_plan


def test_project_page_links_to_the_gantt(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert f'href="/projects/{project.code}/plan/"' in page


def test_gantt_without_plan_offers_import(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert 'id="no-plan"' in page and 'data-testid="plan-import"' in page


def test_bad_edit_shows_the_error(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["pm"])
    response = client.post(
        f"/projects/{project.code}/plan/links/",
        {"pred": "5", "succ": "2", "type": "FS", "lag_days": "0"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    # at the link form (with what was typed), not above the plan
    assert 'id="plan-error"' not in page
    assert (
        '<p class="errors" id="link-error" role="alert" data-testid="link-error">'
        "the links form a cycle: UID 2 -&gt; UID 3 -&gt; UID 5</p>"
    ) in page


def test_viewer_sees_but_cannot_edit(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["viewer"])
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert 'data-testid="duration-3"' not in page and 'class="bar"' in page


def test_milestone_gantt_and_exports(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["exec"])
    page = client.get("/milestones/").content.decode()
    assert f'data-code="{project.code}"' in page and "<title>Release</title>" in page
    xlsx = client.get(f"/projects/{project.code}/plan/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_milestone_chart_shows_the_first_projects_and_counts_the_rest(
    client: Any, make_project: Any, users: Any, monkeypatch: Any
) -> None:
    from pmo.portfolio.models import Milestone
    from pmo.scheduling.views import portfolio

    monkeypatch.setattr(portfolio, "MILESTONE_PROJECTS", 2)
    keyed = [make_project() for _ in range(3)]
    for project in keyed:
        Milestone.objects.create(
            project=project, name="Go-live", baseline_date=dt.date(2026, 6, 1), is_key=True
        )
    make_project()  # no key milestone: not on the chart, not counted
    client.force_login(users["exec"])
    page = client.get("/milestones/").content.decode()
    assert "Key milestones of 2 of 3 active projects" in page
    assert [c for c in (p.code for p in keyed) if f'data-code="{c}"' in page] == [
        keyed[0].code,
        keyed[1].code,
    ]


def test_plan_page_lists_milestones_with_variance(
    client: Any, make_project: Any, users: Any
) -> None:
    project = make_project()
    plan = services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    services.set_baseline(actor=users["pm"], plan=plan, number=0)
    task = plan.tasks.get(uid=3)
    services.update_task(actor=users["pm"], task=task, data={"duration": 6 * 480}, version=1)
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert (
        "<td>◆ Release</td><td>2026-03-11</td><td>2026-03-12</td>"
        '<td><span class="late">+1d</span></td>'
    ) in page


def test_plan_pages_in_chinese(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["pm"])
    client.cookies["pmo_language"] = "zh-hans"
    page = client.get(f"/projects/{project.code}/plan/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "甘特图" in text and "关键路径" in text and "设置基线" in text
    assert "里程碑" in client.get("/milestones/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def test_outline_levels_and_row_cap(
    client: Any, make_project: Any, users: Any, monkeypatch: Any
) -> None:
    from pmo.scheduling.views import plan

    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/plan/?depth=1").content.decode()
    assert page.count('<g class="row') == 2  # Build and Release
    monkeypatch.setattr(plan, "MAX_ROWS", 3)
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert page.count('<g class="row') == 3
    assert "Showing the first 3 of 5 tasks: choose fewer outline levels." in page
