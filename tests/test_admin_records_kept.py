"""The Django admin keeps the promises of "Data safety": every change recorded, submitted
status reports and gate decisions immutable, and the audit trail itself never edited.

Each model admin either writes nothing (read-only) or is audited (:class:`AuditMixin`); the
few that write without a record are named here, so that a new one is a decision. A PMO admin
used to delete a submitted status report there without a trace."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.test import Client, RequestFactory

from pmo.audit.admin import AuditMixin
from pmo.audit.models import AuditEvent
from pmo.audit.services import record
from pmo.portfolio.models import Project

#: Written in the admin without an audit record: none of them holds a project's, report's,
#: gate decision's, allocation's or change request's data (sign-in throttling, API
#: tokens, notifications, Django's groups; calendars take effect at a plan's next
#: recomputation, which is audited).
UNAUDITED = [
    "accounts.apitoken",
    "auth.group",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "dependencies.notification",
    "scheduling.calendar",
]
#: Never written in the admin: they change through the services only (or never).
READ_ONLY = [
    "audit.auditevent",
    "governance.gatedecision",
    "governance.gatereview",
    "resources.allocation",
    "resources.capacitychange",
]


def _writes(model_admin: Any, request: Any) -> set[str]:
    return {
        what
        for what in ("add", "change", "delete")
        if getattr(model_admin, f"has_{what}_permission")(request)
    }


def test_every_admin_that_writes_is_audited(users: Any) -> None:
    superuser = users["admin"]
    superuser.is_staff = superuser.is_superuser = True
    request = RequestFactory().get("/admin/")
    request.user = superuser
    writes = {
        model._meta.label_lower: (
            _writes(model_admin, request),
            isinstance(model_admin, AuditMixin),
        )
        for model, model_admin in admin.site._registry.items()
    }
    assert sorted(label for label, (w, audited) in writes.items() if w and not audited) == UNAUDITED
    assert {label: writes[label][0] for label in READ_ONLY} == {label: set() for label in READ_ONLY}
    # status reports: read, and deleted only as drafts (asked per report)
    assert writes["portfolio.statusreport"] == ({"delete"}, True)


def test_the_audit_trail_is_neither_changed_nor_deleted_in_the_admin(
    admin_client: Client, users: Any, make_project: Any
) -> None:
    project: Project = make_project(code="AUD1")
    event = record(
        actor=users["pm"],
        action="update",
        instance=project,
        scope=f"project:{project.pk}",
        changes={"name": ["Old", "New"]},
    )
    url = f"/admin/audit/auditevent/{event.pk}"
    # one at a time
    assert admin_client.get(f"{url}/delete/").status_code == 403
    assert admin_client.post(f"{url}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"{url}/change/", {"object_repr": "forged"}).status_code == 403
    # nor through the list's action, which is not offered
    listing = admin_client.get("/admin/audit/auditevent/").content.decode()
    assert "delete_selected" not in listing
    admin_client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert list(AuditEvent.objects.values_list("pk", "object_repr", "changes")) == [
        (event.pk, event.object_repr, {"name": ["Old", "New"]})
    ]
