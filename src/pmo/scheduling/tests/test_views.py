"""The Gantt page, htmx edits that show what moved, baselines, import from the page."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.interop.mspdi_write import write_mspdi
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


def test_done_when_import_baseline_edit_slip(client: Any, make_project: Any, users: Any) -> None:
    """Import an MS Project plan, see the Gantt and critical path, baseline, edit, see the slip."""
    project = make_project(baseline_finish=None)
    client.force_login(users["pm"])
    upload = SimpleUploadedFile("plan.xml", write_mspdi(small_plan()))
    response = client.post(
        f"/projects/{project.code}/plan/import/", {"file": upload, "format": "msproject"}
    )
    assert response.status_code == 302
    page = client.get(f"/projects/{project.code}/plan/?zoom=day").content.decode()
    assert page.count('class="bar" ') == 3 and page.count('class="row critical"') == 3
    assert 'class="link critical"' in page and 'data-zoom="day"' in page
    client.post(f"/projects/{project.code}/plan/baselines/", {"number": "0"})
    response = client.post(
        f"/projects/{project.code}/plan/tasks/3/",
        {"duration_days": "8", "version": "1", "zoom": "week"},
        headers={"HX-Request": "true"},
    )
    partial = response.content.decode()
    assert 'id="moved"' in partial and "<html" not in partial
    assert 'data-testid="variance-3">+5d</span>' in partial
    assert 'id="plan-slip" class="late">(+5d)' in partial
    status_center = client.get("/").content.decode()
    assert "(+5d)" in status_center
    detail = client.get(f"/projects/{project.code}/").content.decode()
    assert "2026-03-16" in detail and "+5d" in detail


def test_bad_edit_shows_the_error(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["pm"])
    response = client.post(
        f"/projects/{project.code}/plan/links/",
        {"pred": "5", "succ": "2", "type": "FS", "lag_days": "0"},
        headers={"HX-Request": "true"},
    )
    assert (
        'id="plan-error">the links form a cycle: UID 2 -&gt; UID 3 -&gt; UID 5<'
        in response.content.decode()
    )


def test_bad_upload_changes_nothing(client: Any, make_project: Any, users: Any) -> None:
    project = make_project()
    client.force_login(users["pm"])
    upload = SimpleUploadedFile("plan.xml", b"<x/>")
    response = client.post(
        f"/projects/{project.code}/plan/import/",
        {"file": upload, "format": "msproject"},
        follow=True,
    )
    assert "Nothing was imported: file: root element is &lt;x&gt;" in response.content.decode()


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
