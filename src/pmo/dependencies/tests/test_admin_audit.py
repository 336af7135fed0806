"""A dependency deleted in the Django admin is in both projects' histories, as the register's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from pmo.audit.models import AuditEvent
from pmo.dependencies.models import Dependency
from pmo.dependencies.services import create_dependency
from pmo.portfolio.models import Milestone


def test_a_dependency_deleted_in_the_admin_is_in_both_histories(
    users: dict[str, Any], make_project: Any
) -> None:
    core, app = make_project(name="Core"), make_project(name="App")
    build = Milestone.objects.create(project=core, name="Build", forecast_date=dt.date(2026, 3, 6))
    needs = Milestone.objects.create(project=app, name="Integration")
    dep = create_dependency(
        actor=users["member"],
        data={
            "supplier_project": core.code,
            "supplier_milestone": build.pk,
            "consumer_project": app.code,
            "consumer_milestone": needs.pk,
        },
    )
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/dependencies/dependency/{dep.pk}/change/").content.decode()
    assert 'name="version"' not in page

    response = client.post(f"/admin/dependencies/dependency/{dep.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Dependency.objects.exists()
    deleted = AuditEvent.objects.filter(action="delete", object_type="dependencies.dependency")
    assert sorted(deleted.values_list("scope", "actor_name")) == [
        (f"project:{core.pk}", "admin"),
        (f"project:{app.pk}", "admin"),
    ]
    assert deleted[0].changes["supplier_milestone"] == [build.pk, None]
