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
