"""Dependency register: create over the API, cycles refused, automatic "at risk"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.audit.models import AuditEvent
from pmo.dependencies.models import Dependency, Notification
from pmo.dependencies.tests.conftest import auth, link


def test_register_a_dependency_and_both_pms_see_it(client: Any, users: Any, web: Any) -> None:
    # when the core PM registers that APP's integration needs CORE's build
    response = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        criticality="high",
        status="agreed",
        agreed_date="2026-03-09",
    )
    # then it is stored with the owners of both sides, audited in both projects
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["supplier_item"] == "Build done"
    assert body["consumer_item"] == "Integration"
    assert body["status"] == "agreed"
    dep = Dependency.objects.get()
    assert dep.consumer_owner == users["other_pm"].person
    scopes = set(
        AuditEvent.objects.filter(object_type="dependencies.dependency").values_list(
            "scope", flat=True
        )
    )
    assert scopes == {f"project:{web['core'].pk}", f"project:{web['app'].pk}"}
    listed = client.get("/api/v1/dependencies?project=APP1", headers=auth(users["other_pm"]))
    assert listed.json()["count"] == 1
    assert Notification.objects.filter(user=users["other_pm"]).count() == 1


def test_a_cycle_between_projects_is_refused_with_the_chain(
    client: Any, users: Any, web: Any
) -> None:
    first = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    )
    assert first.status_code == 201
    second = link(
        client,
        users["pm"],
        supplier_project="APP1",
        supplier_milestone=web["launch"].pk,
        consumer_project="WEB1",
        consumer_milestone=web["pilot"].pk,
    )
    assert second.status_code == 201
    # when WEB would feed CORE: CORE -> APP -> WEB -> CORE
    cycle = link(
        client,
        users["pm"],
        supplier_project="WEB1",
        supplier_milestone=web["pilot"].pk,
        consumer_project="CORE1",
        consumer_milestone=web["golive"].pk,
    )
    assert cycle.status_code == 409
    assert "cycle" in cycle.json()["detail"]
    assert "WEB1 -> CORE1 -> APP1 -> WEB1" in cycle.json()["detail"]


def test_bad_input_is_a_4xx_with_a_field(client: Any, users: Any, web: Any) -> None:
    both = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        supplier_task=5,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    )
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "supplier_milestone"
    same = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="CORE1",
        consumer_milestone=web["golive"].pk,
    )
    assert same.status_code == 422
    need = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        type="NEED",
    )
    assert need.status_code == 422
    assert need.json()["errors"][0]["field"] == "agreed_date"
    viewer = link(
        client,
        users["viewer"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    )
    assert viewer.status_code in (403, 422)


def test_dependency_turns_at_risk_when_the_supplier_forecast_passes_the_agreed_date(
    client: Any, users: Any, web: Any
) -> None:
    link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        status="agreed",
        agreed_date="2026-03-09",
    )
    build = web["build"]
    # when the supplier's forecast moves past the agreed date
    build.forecast_date = dt.date(2026, 3, 11)
    build.save()
    dep = Dependency.objects.get()
    assert dep.status == "at_risk"
    assert Notification.objects.filter(user=users["other_pm"], message__contains="at risk").exists()
    # and back when it recovers
    build.forecast_date = dt.date(2026, 3, 9)
    build.save()
    assert Dependency.objects.get().status == "agreed"


def test_patch_is_version_checked(client: Any, users: Any, web: Any) -> None:
    created = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    ).json()
    url = f"/api/v1/dependencies/{created['id']}"
    ok = client.patch(
        url,
        {"version": 1, "status": "broken"},
        content_type="application/json",
        headers=auth(users["other_pm"]),
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "broken"
    stale = client.patch(
        url,
        {"version": 1, "status": "resolved"},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


def test_notifications_are_written_in_each_users_language(
    client: Any, users: Any, web: Any
) -> None:
    other = users["other_pm"]
    other.language = "zh-hans"
    other.save()
    link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
    )
    dep = Dependency.objects.get()
    assert Notification.objects.get(user=other).message == f"APP1 依赖 CORE1（依赖 #{dep.pk}）"
    assert Notification.objects.get(user=users["pm"]).message == (
        f"APP1 depends on CORE1 (dependency #{dep.pk})"
    )
