"""The issue's "done when": import from the page, Gantt, baseline, edit, slip everywhere."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.interop.mspdi_write import write_mspdi
from pmo.scheduling.tests.factories import small_plan


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
    status_center = client.get("/", follow=True).content.decode()  # a PM lands on My projects
    assert "(+5d)" in status_center
    detail = client.get(f"/projects/{project.code}/").content.decode()
    assert "2026-03-16" in detail and "+5d" in detail


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
