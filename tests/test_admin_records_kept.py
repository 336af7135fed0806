"""The Django admin keeps the promises of "Data safety": every change recorded (calendars and
API tokens too, a token's hash never), submitted status reports and gate decisions immutable,
and the audit trail itself never edited.

Each model admin either writes nothing (read-only) or is audited (:class:`AuditMixin`); the
few that write without a record are named here, so that a new one is a decision. A PMO admin
used to delete a submitted status report there without a trace."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory

from pmo.accounts.models import ApiToken, hash_token
from pmo.accounts.services import create_token
from pmo.audit.admin import AuditMixin
from pmo.audit.models import AuditEvent
from pmo.audit.services import record
from pmo.dependencies.models import Notification
from pmo.portfolio.models import Project
from pmo.portfolio.services.common import scope_of
from pmo.scheduling.models import Calendar, CalendarException, Plan

#: Written in the admin without an audit record: none (a new one is a decision, named here).
UNAUDITED: list[str] = []
#: Never written in the admin: they change through the services only (or never).
READ_ONLY = [
    "audit.auditevent",
    "axes.accessfailurelog",
    "axes.accesslog",
    "governance.gatedecision",
    "governance.gatereview",
    "resources.allocation",
    "resources.capacitychange",
    "resources.role",
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
    # failed sign-ins: only deleted (which unlocks the user)
    assert writes["axes.accessattempt"] == ({"delete"}, True)


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


def _posted_back(client: Client, url: str) -> dict[str, Any]:
    """What an admin change form at ``url`` posts back unchanged: its fields' values and the
    inlines' management forms and rows."""
    page = client.get(url)
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, (dict, list)):
                value = json.dumps(value)
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def test_a_calendar_and_its_exceptions_changed_in_the_admin_are_in_the_project_history(
    admin_client: Client, users: Any, make_project: Any
) -> None:
    project: Project = make_project(code="CAL1")
    plan = Plan.objects.create(project=project, start=dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC))
    calendar = Calendar.objects.create(plan=plan, uid=1, name="Standard", holidays="CN")
    CalendarException.objects.create(
        calendar=calendar, name="New Year", first=dt.date(2027, 1, 1), last=dt.date(2027, 1, 1)
    )
    url = f"/admin/scheduling/calendar/{calendar.pk}/change/"

    # when the admin renames it and adds an exception (Spring Festival 2027)
    data = _posted_back(admin_client, url)
    prefix = "exceptions"
    extra = int(data[f"{prefix}-TOTAL_FORMS"]) - 1  # the inline's empty row
    data.update(
        {
            "name": "Standard (CN)",
            f"{prefix}-{extra}-name": "Spring Festival",
            f"{prefix}-{extra}-first": "2027-02-06",
            f"{prefix}-{extra}-last": "2027-02-13",
            f"{prefix}-{extra}-hours": "[]",
        }
    )
    assert admin_client.post(url, data).status_code == 302

    # then the change is one event in the project's history, the exceptions before and after
    event = AuditEvent.objects.get(object_type="scheduling.calendar")
    assert (event.action, event.actor, event.scope) == ("update", users["admin"], scope_of(project))
    assert event.changes["name"] == ["Standard", "Standard (CN)"]
    new_year = {"first": "2027-01-01", "last": "2027-01-01", "name": "New Year", "hours": []}
    spring = {"first": "2027-02-06", "last": "2027-02-13", "name": "Spring Festival", "hours": []}
    assert event.changes["exceptions"] == [[new_year], [new_year, spring]]

    # and deleting the calendar is on record with its exceptions
    deleting = admin_client.post(
        f"/admin/scheduling/calendar/{calendar.pk}/delete/", {"post": "yes"}
    )
    assert deleting.status_code == 302
    deleted = AuditEvent.objects.get(object_type="scheduling.calendar", action="delete")
    assert deleted.scope == scope_of(project)
    assert deleted.changes["exceptions"] == [[new_year, spring], None]
    assert not Calendar.objects.exists()


def test_an_api_token_revoked_renamed_or_deleted_in_the_admin_is_on_record_without_its_hash(
    admin_client: Client, users: Any
) -> None:
    raw = create_token(username="pm", name="ci")
    token = ApiToken.objects.get()
    url = f"/admin/accounts/apitoken/{token.pk}"
    # tokens are made by `pmo token`, which shows the secret once; the admin makes none
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403

    data = _posted_back(admin_client, f"{url}/change/")
    assert set(data) == {"name"}  # whose token it is and what it opens stay as made
    data.update(name="ci runner", revoked="on")
    assert admin_client.post(f"{url}/change/", data).status_code == 302

    token.refresh_from_db()
    assert (token.name, token.revoked, token.user, token.scope) == (
        "ci runner",
        True,
        users["pm"],
        "api",
    )
    updated = AuditEvent.objects.get(object_type="accounts.apitoken")
    assert (updated.action, updated.actor, updated.scope) == (
        "update",
        users["admin"],
        f"user:{users['pm'].pk}",
    )
    assert updated.changes == {"name": ["ci", "ci runner"], "revoked": [False, True]}
    # a revoked token stays revoked
    page = admin_client.get(f"{url}/change/").content.decode()
    assert 'name="revoked"' not in page

    assert admin_client.post(f"{url}/delete/", {"post": "yes"}).status_code == 302
    assert not ApiToken.objects.exists()
    deleted = AuditEvent.objects.get(object_type="accounts.apitoken", action="delete")
    assert deleted.scope == f"user:{users['pm'].pk}"
    assert deleted.changes["name"] == ["ci runner", None]
    assert deleted.changes["user"] == [users["pm"].pk, None]
    # neither the secret nor its hash is anywhere in the trail
    trail = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert hash_token(raw) not in trail and raw not in trail
    assert "key_hash" not in trail


def test_a_groups_permissions_changed_in_the_admin_are_on_record(admin_client: Client) -> None:
    add, change = (
        Permission.objects.get(content_type__app_label="portfolio", codename=codename)
        for codename in ("add_project", "change_project")
    )
    response = admin_client.post(
        "/admin/auth/group/add/", {"name": "Editors", "permissions": [add.pk, change.pk]}
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Editors")
    created = AuditEvent.objects.get(object_type="auth.group", action="create")
    assert created.scope == f"group:{group.pk}"
    assert created.changes["permissions"] == [
        None,
        ["portfolio.add_project", "portfolio.change_project"],
    ]

    response = admin_client.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "Editors", "permissions": [change.pk]}
    )
    assert response.status_code == 302
    updated = AuditEvent.objects.get(object_type="auth.group", action="update")
    assert updated.actor.username == "admin"
    assert updated.changes == {
        "permissions": [
            ["portfolio.add_project", "portfolio.change_project"],
            ["portfolio.change_project"],
        ]
    }


def _locked(username: str) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address="10.0.0.7",
        user_agent="test",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="username=x\npassword=********",
        failures_since_start=5,
    )


def test_unlocking_a_user_in_the_admin_is_on_record_in_their_history(
    admin_client: Client, users: Any
) -> None:
    attempt = _locked("pm")
    url = f"/admin/axes/accessattempt/{attempt.pk}"
    assert admin_client.post(f"{url}/delete/", {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    unlocked = AuditEvent.objects.get(object_type="axes.accessattempt")
    assert (unlocked.action, unlocked.actor, unlocked.scope) == (
        "delete",
        users["admin"],
        f"user:{users['pm'].pk}",
    )
    assert set(unlocked.changes) == {
        "username",
        "ip_address",
        "failures_since_start",
        "attempt_time",
    }
    assert unlocked.changes["failures_since_start"] == [5, None]
    # a name no user has, deleted from the list: under the name tried
    stranger = _locked("nobody")
    # the list offers no deletion without a record (axes' "clean up expired attempts")
    page = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "cleanup_expired_attempts" not in page and 'value="delete_selected"' in page
    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [stranger.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(scope="sign-in:nobody", action="delete").count() == 1


def test_a_notification_changed_or_deleted_in_the_admin_is_on_record(
    admin_client: Client, users: Any
) -> None:
    note = Notification.objects.create(user=users["pm"], message="CR-1 needs your answer")
    url = f"/admin/dependencies/notification/{note.pk}"
    data = _posted_back(admin_client, f"{url}/change/")
    data.update(message="CR-1 answered")
    assert admin_client.post(f"{url}/change/", data).status_code == 302
    updated = AuditEvent.objects.get(object_type="dependencies.notification")
    assert updated.scope == f"user:{users['pm'].pk}"
    assert updated.changes == {"message": ["CR-1 needs your answer", "CR-1 answered"]}
    assert admin_client.post(f"{url}/delete/", {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(
        object_type="dependencies.notification", action="delete"
    ).exists()
