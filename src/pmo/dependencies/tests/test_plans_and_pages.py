"""Impact through a detailed plan; the pages and the status-center / one-page flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.dependencies import changes
from pmo.dependencies.models import Dependency
from pmo.dependencies.tests.conftest import auth, link
from pmo.scheduling import services as scheduling
from pmo.scheduling.models import Task
from pmo.scheduling.tests.factories import small_plan


def test_a_slip_flows_through_the_plan_respecting_float(make_project: Any, users: Any) -> None:
    # given the hand-checked small plan: Design 3 d -> Code 5 d -> Release; Docs has 6 d float
    project = make_project(code="PLAN1")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    design = Task.objects.get(plan__project=project, uid=2)
    # when Design slips 2 working days
    result = changes.compute_impact(task=design, days=2)
    moved = {(i["kind"], i["name"]): i["delay"] for i in result["items"]}
    # then Code, Release (and its milestone) and the project finish move 2 days;
    # Docs (SS to Design) shifts with Design but its 5 days of room before Release absorb it
    assert moved[("task", "Code")] == 2
    assert moved[("task", "Release")] == 2
    assert moved[("project", "PLAN1")] == 2
    assert moved[("milestone", "Release")] == 2
    assert ("task", "Build") not in moved  # summary tasks are not nodes


def test_pages_render_and_show_flags(client: Any, users: Any, web: Any) -> None:
    response = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        status="broken",
        lag=5,  # uses up the 5 days of room: the link is binding
    )
    assert response.status_code == 201
    client.force_login(users["pm"])
    page = client.get("/dependencies/").content.decode()
    assert 'data-status="broken"' in page
    assert "<svg" in page
    chain = client.get(f"/dependencies/?target=m:{web['launch'].pk}").content.decode()
    assert 'id="chain"' in chain
    assert "cross-project" in chain
    impact = client.get(
        f"/impact/?project=CORE1&milestone={web['build'].pk}&days=15"
    ).content.decode()
    assert 'data-project="APP1"' in impact
    assert 'id="raise-change"' in impact
    status_center = client.get("/?flag=dependency_trouble").content.decode()
    assert 'data-flag="dependency"' in status_center
    raised = client.post(
        "/change-requests/new/",
        {
            "project": "CORE1",
            "type": "schedule",
            "title": "Slip",
            "slip_milestone": web["build"].pk,
            "slip_days": 15,
        },
    )
    assert raised.status_code == 302
    detail = client.get(raised["Location"]).content.decode()
    assert 'data-action="submit"' in detail
    client.post(raised["Location"] + "transition/", {"action": "submit", "version": 1})
    client.force_login(users["other_pm"])
    top = client.get("/change-requests/").content.decode()
    assert 'data-testid="unread"' in top
    onepage = client.get("/reports/onepage/?scope=all").content.decode()
    assert 'data-flag="change"' in onepage
    assert 'data-flag="dependency"' in onepage
    assert Dependency.objects.count() == 1


def test_api_lists_change_requests(client: Any, users: Any, web: Any) -> None:
    body = client.get("/api/v1/change-requests", headers=auth(users["viewer"])).json()
    assert body == {"items": [], "count": 0}
    assert dt.date(2026, 3, 6) == web["build"].forecast_date


def test_a_supplier_task_moved_by_a_recompute_turns_its_link_at_risk(
    make_project: Any, users: Any, web: Any
) -> None:
    # given the small plan's Code task (finishes Wed 2026-03-11) promised to APP by 03-11
    project = make_project(code="PLAN1")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    code = Task.objects.get(plan__project=project, uid=3)
    from pmo.dependencies.services import create_dependency

    dep = create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "PLAN1",
            "supplier_task": code.pk,
            "consumer_project": "APP1",
            "consumer_milestone": web["launch"].pk,
            "status": "agreed",
            "agreed_date": dt.date(2026, 3, 11),
        },
    )
    assert dep.status == "agreed"
    # when Code takes two more days
    scheduling.update_task(
        actor=users["pm"], task=code, data={"duration": code.duration + 960}, version=code.version
    )
    # then the link is at risk
    dep.refresh_from_db()
    assert dep.status == "at_risk"


def test_a_pm_resolves_a_dependency_from_the_register(client: Any, users: Any, web: Any) -> None:
    dep_id = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    ).json()["id"]
    client.force_login(users["exec"])  # reads everything, changes nothing
    page = client.get("/dependencies/").content.decode()
    assert 'data-status="proposed"' in page
    assert f"/dependencies/{dep_id}/status/" not in page
    client.force_login(users["other_pm"])  # the consumer's PM
    assert f"/dependencies/{dep_id}/status/" in client.get("/dependencies/").content.decode()
    client.post(f"/dependencies/{dep_id}/status/", {"status": "resolved", "version": 1})
    assert Dependency.objects.get().status == "resolved"


def test_the_what_if_page_adds_work_to_a_task(client: Any, make_project: Any, users: Any) -> None:
    # given the small plan (Design 3 d -> Code 5 d -> Release)
    project = make_project(code="PLAN1")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    design = Task.objects.get(plan__project=project, uid=2)
    client.force_login(users["pm"])
    page = client.get("/impact/?project=PLAN1").content.decode()
    assert 'name="task"' in page and f'value="{design.pk}"' in page
    # when two working days of work are added to Design (htmx: the form and result only)
    fragment = client.get(
        f"/impact/?project=PLAN1&source=task&task={design.pk}&days=2",
        headers={"HX-Request": "true"},
    ).content.decode()
    # then Release moves and the change request to raise is a scope change on that task
    assert "<html" not in fragment
    assert 'data-kind="task"' in fragment and "Release" in fragment
    assert f'name="slip_task" value="{design.pk}"' in fragment
    assert '<option value="scope" selected>' in fragment
    raised = client.post(
        "/change-requests/new/",
        {
            "project": "PLAN1",
            "type": "scope",
            "title": "More design",
            "slip_milestone": "",
            "slip_task": design.pk,
            "slip_days": 2,
        },
    )
    assert raised.status_code == 302
    from pmo.dependencies.models import ChangeRequest

    assert ChangeRequest.objects.get().slip_task == design
    # without a title: the same what-if again, the form as typed, the error at the title
    untitled = client.post(
        "/change-requests/new/",
        {
            "project": "PLAN1",
            "type": "scope",
            "title": " ",
            "description": "Two more days",
            "slip_task": design.pk,
            "slip_days": 2,
        },
    )
    assert untitled.status_code == 422
    page = untitled.content.decode()
    assert 'data-kind="task"' in page and f'name="slip_task" value="{design.pk}"' in page
    assert 'aria-invalid="true" aria-describedby="raise-error"' in page.split('name="title"')[1]
    assert 'data-field="title"><li>Title: is required</li>' in page
    assert ">Two more days</textarea>" in page
    assert ChangeRequest.objects.count() == 1
    # a task of another project is refused with a message, not an error page
    bad = client.get("/impact/?project=PLAN1&source=task&task=999999&days=2")
    assert bad.status_code == 200 and "flash error" in bad.content.decode()
