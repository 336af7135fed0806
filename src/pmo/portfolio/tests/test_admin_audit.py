"""The Django admin writes the same audit trail as the pages and the API, and reads well."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from pmo.audit.models import AuditEvent
from pmo.portfolio.models import Milestone, Project


def _project_form(project: Project, **changes: Any) -> dict[str, Any]:
    form = {
        "code": project.code,
        "name": project.name,
        "portfolio": project.portfolio_id,
        "program": project.program_id or "",
        "pmo_type": project.pmo_type,
        "priority": project.priority,
        "phase": project.phase,
        "org_unit": project.org_unit_id,
        "manager": project.manager_id or "",
        "sponsor": project.sponsor_id or "",
        "cadence": project.cadence,
        "currency": project.currency or "CNY",
        "percent_complete": project.percent_complete,
        "start_date": project.start_date or "",
        "planned_finish": project.planned_finish or "",
        "baseline_finish": project.baseline_finish or "",
        "forecast_finish": project.forecast_finish or "",
    }
    form.update(changes)
    return form


def _history(client: Client, code: str) -> str:
    page = client.get(f"/projects/{code}/").content.decode()
    return page.split('id="audit"')[1].split("</section>")[0]


def test_a_priority_changed_in_the_admin_is_in_the_project_history(
    admin_client: Client, users: Any, make_project: Any
) -> None:
    project = make_project(code="ADM1", priority=3)
    url = f"/admin/portfolio/project/{project.pk}/change/"
    response = admin_client.post(url, _project_form(project, priority=1))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(object_type="portfolio.project", action="update")
    assert (event.actor, event.scope) == (users["admin"], f"project:{project.pk}")
    assert event.changes == {"priority": [3, 1]}
    project.refresh_from_db()
    assert (project.priority, project.version) == (1, 2)  # a page opened before gets a 409
    history = _history(admin_client, "ADM1")
    assert "No recorded changes." not in history
    assert re.search(r"admin</td><td>updated ADM1", history), history
    assert "priority</span>: 3 → 1</div>" in history


def test_saving_in_the_admin_without_a_change_records_nothing(
    admin_client: Client, make_project: Any
) -> None:
    project = make_project(code="ADM2", priority=3)
    url = f"/admin/portfolio/project/{project.pk}/change/"
    assert admin_client.post(url, _project_form(project)).status_code == 302
    assert not AuditEvent.objects.exists()
    project.refresh_from_db()
    assert project.version == 1


def test_a_project_created_and_deleted_in_the_admin_is_recorded(
    admin_client: Client, users: Any, make_project: Any, org: Any
) -> None:
    template = make_project(code="TPL")
    form = _project_form(template, code="NEW1", name="Made in the admin", state="active")
    response = admin_client.post("/admin/portfolio/project/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(code="NEW1")
    created = AuditEvent.objects.get(action="create")
    assert (created.actor, created.scope) == (users["admin"], f"project:{project.pk}")
    assert created.changes["name"] == [None, "Made in the admin"]
    assert re.search(r"admin</td><td>created NEW1", _history(admin_client, "NEW1"))

    url = f"/admin/portfolio/project/{project.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Project.objects.filter(code="NEW1").exists()
    deleted = AuditEvent.objects.get(action="delete")
    assert (deleted.actor, deleted.scope) == (users["admin"], f"project:{project.pk}")
    assert deleted.changes["code"] == ["NEW1", None]


def test_a_milestone_deleted_in_the_admin_is_in_its_project_history(
    admin_client: Client, make_project: Any
) -> None:
    project = make_project(code="ADM3")
    milestone = Milestone.objects.create(project=project, name="Go-live")
    response = admin_client.post(
        "/admin/portfolio/milestone/",
        {"action": "delete_selected", "_selected_action": [milestone.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Milestone.objects.exists()
    event = AuditEvent.objects.get()
    assert (event.action, event.scope) == ("delete", f"project:{project.pk}")
    assert event.changes["name"] == ["Go-live", None]
    assert "Go-live" in _history(admin_client, "ADM3")


def test_the_project_form_picks_people_by_name_and_never_shows_the_version_as_an_input(
    admin_client: Client, make_project: Any
) -> None:
    project = make_project(code="ADM4")
    for url in ("/admin/portfolio/project/add/", f"/admin/portfolio/project/{project.pk}/change/"):
        page = admin_client.get(url).content.decode()
        assert "vForeignKeyRawIdAdminField" not in page
        for field in ("manager", "sponsor"):
            select = re.search(rf'<select name="{field}"[^>]*>', page)
            assert select is not None and "admin-autocomplete" in select.group(0), url
        assert 'name="version"' not in page
    autocomplete = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "Zhang",
            "app_label": "portfolio",
            "model_name": "project",
            "field_name": "manager",
        },
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == ["Zhang Wei"]


@pytest.mark.parametrize(
    "model", ["accounts/orgunit", "accounts/person", "portfolio/portfolio", "portfolio/program"]
)
def test_the_version_counter_is_not_typed_in(admin_client: Client, model: str) -> None:
    page = admin_client.get(f"/admin/{model}/add/").content.decode()
    assert 'name="code"' in page or 'name="name"' in page
    assert 'name="version"' not in page
    assert "Version" not in page


def test_a_portfolio_change_page_shows_the_version_read_only(
    admin_client: Client, portfolio: Any
) -> None:
    page = admin_client.get(f"/admin/portfolio/portfolio/{portfolio.pk}/change/").content.decode()
    assert 'name="version"' not in page
    assert re.search(r'<div class="readonly">1</div>', page), page


def test_the_org_units_are_listed_as_a_tree(admin_client: Client, org: Any) -> None:
    page = admin_client.get("/admin/accounts/orgunit/").content.decode()
    names = re.findall(r'<th class="field-tree_name"><a [^>]*>([^<]*)</a>', page)
    assert names == [
        "Group",
        "\u2002└ China",
        "\u2003\u2002└ Shanghai R&amp;D",
        "\u2002└ London HQ",
        "\u2003\u2002└ London IT",
    ]


@pytest.mark.parametrize("url", ["/admin/", "/admin/portfolio/project/", "/admin/login/"])
def test_admin_pages_link_the_site_favicon(admin_client: Client, url: str) -> None:
    client = Client() if url == "/admin/login/" else admin_client
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'<link rel="icon" href="/static/pmo/favicon\.[0-9a-f.]*svg"', page), page
    assert "<title>" in page and "PMO Hub</title>" in page  # the admin's own title stays
