"""A cancelled project breaks what it was to supply and no longer needs what it needed."""

from __future__ import annotations

from typing import Any

from pmo.audit.models import AuditEvent
from pmo.dependencies.models import Dependency, Notification
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import ProjectState


def _set_state(users: Any, project: Any, state: str) -> None:
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )


def test_a_cancelled_supplier_breaks_and_a_cancelled_consumer_resolves(
    users: Any, scoped: dict[str, Any]
) -> None:
    deps = scoped["deps"]
    # APP1 supplies WEB1's Pilot and needs CORE1's Build: it is cancelled
    _set_state(users, scoped["app"], ProjectState.CANCELLED)
    status = {name: Dependency.objects.get(pk=d.pk).status for name, d in deps.items()}
    assert status == {
        "build_integration": "resolved",  # APP1 no longer needs CORE1's Build
        "launch_pilot": "broken",  # WEB1 must plan without APP1's Launch
        "golive_loans": "proposed",  # neither side is APP1: unchanged
    }
    # the other side's manager is told (WEB1's and CORE1's manager is ``pm``), and the change
    # is in both projects' history
    told = [n.message for n in Notification.objects.filter(user=users["pm"])]
    assert any("broken: APP1 was cancelled" in m for m in told), told
    assert any("no longer needed: APP1 was cancelled" in m for m in told), told
    scopes = set(
        AuditEvent.objects.filter(object_id=str(deps["launch_pilot"].pk)).values_list(
            "scope", flat=True
        )
    )
    assert {f"project:{scoped['app'].pk}", f"project:{scoped['web'].pk}"} <= scopes


def test_a_closed_project_keeps_its_dependencies(users: Any, scoped: dict[str, Any]) -> None:
    _set_state(users, scoped["app"], ProjectState.CLOSED)
    assert set(Dependency.objects.values_list("status", flat=True)) == {"proposed"}


def _cancel_notices(user: Any) -> list[Any]:
    """The notices telling ``user`` their own project was cancelled."""
    return list(
        Notification.objects.filter(user=user, message_id__contains="%(name)s was cancelled")
    )


def test_the_cancelled_project_s_manager_is_told_who_cancelled_it_and_when(
    users: Any, scoped: dict[str, Any], org: Any
) -> None:
    from django.utils import timezone, translation

    from pmo.accounts.models import Person

    Person.objects.create(name="Li Na", name_zh="李娜", org_unit=org["sh"], user=users["admin"])
    users["other_pm"].language = "zh-hans"
    users["other_pm"].save()
    # when the PMO cancels APP1 (Emma Clarke's project)
    _set_state(users, scoped["app"], ProjectState.CANCELLED)
    # then Emma Clarke is told: the project, who cancelled it and the day, in her language
    [notice] = _cancel_notices(users["other_pm"])
    today = timezone.localdate().isoformat()
    assert notice.message_id.startswith(
        "%(project)s %(name)s was cancelled by %(actor)s on %(day)s:"
    )
    assert notice.url == "/projects/APP1/"
    with translation.override("en"):
        assert notice.text.startswith(f"APP1 Test project 2 was cancelled by Li Na on {today}:")
        assert "requested gate reviews are withdrawn" in notice.text
    with translation.override("zh-hans"):
        assert "李娜" in notice.text and "Li Na" not in notice.text
    # the managers on the other side are told of their dependencies, not this
    assert _cancel_notices(users["pm"]) == []


def test_a_manager_who_cancels_their_own_project_is_not_told(
    users: Any, scoped: dict[str, Any], org: Any
) -> None:
    from pmo.accounts.models import Person

    # APP1 is managed by a PMO member, who cancels it themselves
    manager = Person.objects.create(name="Li Na", org_unit=org["it"], user=users["admin"])
    project = scoped["app"]
    project.manager = manager
    project.save()
    _set_state(users, project, ProjectState.CANCELLED)
    assert _cancel_notices(users["admin"]) == []
    # the other side's managers are still told about their dependencies
    assert Notification.objects.filter(user=users["pm"], message__contains="APP1 was cancelled")


def test_a_closed_project_s_manager_is_not_told_of_a_cancellation(
    users: Any, scoped: dict[str, Any]
) -> None:
    _set_state(users, scoped["app"], ProjectState.CLOSED)
    assert _cancel_notices(users["other_pm"]) == []
