"""Deleting a dependency: who may, the version check, the audit, the other side's PM told."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.audit.models import AuditEvent
from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest, Dependency, Notification
from pmo.dependencies.tests.conftest import auth, link
from pmo.portfolio.models import Milestone


def _build_integration(client: Any, users: Any, web: Any) -> Dependency:
    """APP1's integration (PM ``other_pm``) needs CORE1's build (PM ``pm``)."""
    created = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["build"].pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        lag=2,
        system="Core API",
    )
    assert created.status_code == 201, created.content
    Notification.objects.all().delete()  # the ones about registering it
    return Dependency.objects.get(pk=created.json()["id"])


def _delete(client: Any, user: Any, dep: Dependency, version: Any = None) -> Any:
    query = "" if version is False else f"?version={dep.version if version is None else version}"
    return client.delete(f"/api/v1/dependencies/{dep.pk}{query}", headers=auth(user))


def test_the_suppliers_pm_deletes_a_dependency_and_the_consumers_pm_is_told(
    client: Any, users: Any, web: Any
) -> None:
    dep = _build_integration(client, users, web)
    # when CORE1's PM deletes it with the version they read
    response = _delete(client, users["pm"], dep)
    # then it is gone
    assert response.status_code == 204
    assert not Dependency.objects.filter(pk=dep.pk).exists()
    # and both projects' history keeps the row as it was
    events = AuditEvent.objects.filter(object_type="dependencies.dependency", action="delete")
    assert {e.scope for e in events} == {f"project:{web['core'].pk}", f"project:{web['app'].pk}"}
    before = events.first().changes  # type: ignore[union-attr]
    assert before["lag"] == [2, None]
    assert before["system"] == ["Core API", None]
    assert before["supplier_milestone"] == [web["build"].pk, None]
    assert before["consumer_project"] == [web["app"].pk, None]
    assert all(e.actor == users["pm"] for e in events)
    # and APP1's PM is told, the one who deleted it is not
    told = Notification.objects.get()
    assert told.user == users["other_pm"]
    assert told.message == (
        f"Dependency #{dep.pk} (APP1 depends on CORE1) was deleted by Zhang Wei"
    )
    assert told.url == "/dependencies/"


def test_the_consumers_pm_deletes_it_and_the_suppliers_pm_is_told_in_their_language(
    client: Any, users: Any, web: Any
) -> None:
    users["pm"].language = "zh-hans"
    users["pm"].save()
    dep = _build_integration(client, users, web)
    assert _delete(client, users["other_pm"], dep).status_code == 204
    told = Notification.objects.get()
    assert told.user == users["pm"]
    assert told.message == f"依赖 #{dep.pk}（APP1 依赖 CORE1）已被 Emma Clarke 删除"


def test_the_pmo_deletes_it_and_both_pms_are_told(client: Any, users: Any, web: Any) -> None:
    dep = _build_integration(client, users, web)
    assert _delete(client, users["member"], dep).status_code == 204
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "pm",
        "other_pm",
    }


def test_a_stale_version_is_a_409_and_nothing_is_deleted(client: Any, users: Any, web: Any) -> None:
    dep = _build_integration(client, users, web)
    # given the consumer's PM changed it since CORE1's PM read it (version 1 -> 2)
    changed = client.patch(
        f"/api/v1/dependencies/{dep.pk}",
        {"version": 1, "lag": 3},
        content_type="application/json",
        headers=auth(users["other_pm"]),
    )
    assert changed.status_code == 200
    # when CORE1's PM deletes the version they read
    stale = _delete(client, users["pm"], dep, version=1)
    # then it is refused with the current version, and the link stays
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert Dependency.objects.filter(pk=dep.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()
    assert not Notification.objects.exists()


def test_the_version_is_required(client: Any, users: Any, web: Any) -> None:
    dep = _build_integration(client, users, web)
    response = _delete(client, users["pm"], dep, version=False)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert Dependency.objects.filter(pk=dep.pk).exists()


def test_only_the_two_pms_and_the_pmo_delete(client: Any, users: Any, web: Any) -> None:
    dep = _build_integration(client, users, web)
    # an executive reads the link but manages neither project
    refused = _delete(client, users["exec"], dep)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "only the PMO or the manager of one of the two projects may delete this dependency"
    )
    # a viewer of Shanghai R&D cannot read APP1 (London IT): the link does not exist for them
    assert _delete(client, users["viewer"], dep).status_code == 404
    assert (
        client.delete(
            "/api/v1/dependencies/999999?version=1", headers=auth(users["pm"])
        ).status_code
        == 404
    )
    assert Dependency.objects.filter(pk=dep.pk).exists()


def test_a_link_an_open_change_request_went_through_can_be_deleted(
    client: Any, users: Any, web: Any
) -> None:
    dep = _build_integration(client, users, web)
    # given a change request whose impact crosses the link: CORE1's build slips 12 days
    cr = changes.create_change_request(
        actor=users["pm"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": web["build"].pk,
            "slip_days": 12,
        },
    )
    assert [p["project"] for p in cr.impact["projects"]] == ["CORE1", "APP1"]
    for who, action in [("pm", "submit"), ("member", "approve")]:
        cr = changes.transition(actor=users[who], cr=cr, action=action)
    # when the link is deleted while the request is open
    assert _delete(client, users["pm"], dep).status_code == 204
    # then the request keeps the impact its deciders saw
    cr = ChangeRequest.objects.get(pk=cr.pk)
    assert [p["project"] for p in cr.impact["projects"]] == ["CORE1", "APP1"]
    # and applying it recomputes on today's network: APP1 no longer moves
    cr = changes.transition(actor=users["exec"], cr=cr, action="approve")
    cr = changes.transition(actor=users["pm"], cr=cr, action="apply")
    assert cr.state == "applied"
    assert [p["project"] for p in cr.impact["projects"]] == ["CORE1"]
    assert Milestone.objects.get(pk=web["integration"].pk).forecast_date == dt.date(2026, 3, 16)


def test_the_register_offers_delete_with_a_confirmation_to_those_who_may(
    client: Any, users: Any, web: Any
) -> None:
    dep = _build_integration(client, users, web)
    # the supplier's PM sees a delete button that asks first
    client.force_login(users["pm"])
    row = _row(client.get("/dependencies/").content.decode(), dep)
    assert f'action="/dependencies/{dep.pk}/delete/"' in row
    assert f'name="version" value="{dep.version}"' in row
    assert (
        f'data-confirm="Delete dependency #{dep.pk} (APP1 depends on CORE1)? The project '
        'managers are notified; the change history keeps it."'
    ) in row
    # an executive (who may not delete it) sees none
    client.force_login(users["exec"])
    assert 'data-testid="delete-dependency"' not in _row(
        client.get("/dependencies/").content.decode(), dep
    )


def _row(page: str, dep: Dependency) -> str:
    return page.split(f'<tr id="dep-{dep.pk}"')[1].split("</tr>")[0]


def test_deleting_from_the_register(client: Any, users: Any, web: Any) -> None:
    dep = _build_integration(client, users, web)
    client.force_login(users["other_pm"])
    # a stale page says so and deletes nothing
    stale = client.post(f"/dependencies/{dep.pk}/delete/", {"version": 7}, follow=True)
    assert "was changed by someone else" in stale.content.decode()
    assert Dependency.objects.filter(pk=dep.pk).exists()
    # the current page deletes it and says so
    done = client.post(f"/dependencies/{dep.pk}/delete/", {"version": dep.version}, follow=True)
    assert done.redirect_chain == [("/dependencies/", 302)]
    assert f"Dependency #{dep.pk} deleted." in done.content.decode()
    assert not Dependency.objects.filter(pk=dep.pk).exists()
    # a GET does nothing
    assert client.get(f"/dependencies/{dep.pk}/delete/").status_code == 405


def test_someone_who_may_not_delete_gets_a_message_from_the_register(
    client: Any, users: Any, web: Any
) -> None:
    dep = _build_integration(client, users, web)
    client.force_login(users["exec"])
    answer = client.post(f"/dependencies/{dep.pk}/delete/", {"version": dep.version}, follow=True)
    assert "may delete this dependency" in answer.content.decode()
    assert Dependency.objects.filter(pk=dep.pk).exists()
