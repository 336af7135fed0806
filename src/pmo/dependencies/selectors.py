"""Reads of the dependency register, change requests and notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.core.errors import NotFoundError
from pmo.core.i18n import pick
from pmo.dependencies.changes import thresholds
from pmo.dependencies.models import (
    OPEN_CHANGE_STATES,
    PENDING_STATES,
    ChangeRequest,
    Dependency,
    Notification,
)
from pmo.portfolio.access import visible_projects

__all__ = [
    "dependency_flags",
    "get_change_request",
    "get_dependency",
    "impact_projects",
    "list_change_requests",
    "list_dependencies",
    "pending_above_threshold",
    "project_panel",
    "unread_count",
]

_RELATED = (
    "supplier_project",
    "consumer_project",
    "supplier_milestone",
    "consumer_milestone",
    "supplier_task",
    "consumer_task",
    "supplier_gate__gate",
    "consumer_gate__gate",
    "supplier_owner",
    "consumer_owner",
)


def list_dependencies(
    user: User, *, project: str | None = None, status: str | None = None
) -> QuerySet[Dependency]:
    """Dependencies whose two projects ``user`` may read, optionally of one project."""
    visible = visible_projects(user).values("pk")
    qs = Dependency.objects.filter(
        supplier_project__in=visible, consumer_project__in=visible
    ).select_related(*_RELATED)
    if project:
        qs = qs.filter(Q(supplier_project__code=project) | Q(consumer_project__code=project))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("agreed_date", "id")


def get_dependency(user: User, pk: int) -> Dependency:
    dep = list_dependencies(user).filter(pk=pk).first()
    if dep is None:
        raise NotFoundError(_("no dependency %(id)s") % {"id": pk})
    return dep


def list_change_requests(
    user: User, *, project: str | None = None, state: str | None = None
) -> QuerySet[ChangeRequest]:
    """Change requests on projects ``user`` may read."""
    visible = visible_projects(user)
    qs = ChangeRequest.objects.filter(
        Q(project__in=visible.values("pk"))
        | Q(project__isnull=True, program__in=visible.values("program"))
    )
    if project:
        qs = qs.filter(Q(project__code=project) | Q(affected_projects__code=project)).distinct()
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("project", "program", "requested_by")


def get_change_request(user: User, pk: int) -> ChangeRequest:
    cr = list_change_requests(user).filter(pk=pk).first()
    if cr is None:
        raise NotFoundError(_("no change request %(id)s") % {"id": pk})
    return cr


def pending_above_threshold() -> QuerySet[ChangeRequest]:
    """Pending change requests that need (or will need) the steering committee."""
    return (
        ChangeRequest.objects.filter(state__in=PENDING_STATES, needs_steering=True)
        .select_related("project")
        .order_by("created_at")
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def impact_projects(impact: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-project rows of an impact (:func:`pmo.dependencies.adapters.analyse`) with
    ``display_name``: the Chinese name when the page is in Chinese and one is known."""
    return [
        {**p, "display_name": pick(p.get("name", ""), p.get("name_zh") or "")}
        for p in impact.get("projects", [])
    ]


def label(dep: Dependency, side: str) -> str:
    """The milestone, task or gate name of one side."""
    gate = getattr(dep, f"{side}_gate")
    if gate is not None:
        return str(gate.gate)
    milestone = getattr(dep, f"{side}_milestone")
    task = getattr(dep, f"{side}_task")
    return str(milestone or task or "")


def project_panel(project: Any, user: User) -> dict[str, Any]:
    """The dependencies and change requests shown on the project page."""
    deps = list(list_dependencies(user, project=project.code)[:50])
    for d in deps:
        d.supplier_label = label(d, "supplier")  # type: ignore[attr-defined]
        d.consumer_label = label(d, "consumer")  # type: ignore[attr-defined]
    changes = list(list_change_requests(user, project=project.code)[:20])
    return {"dependencies": deps, "changes": changes, "thresholds": thresholds()}


def dependency_flags(project_ids: list[int]) -> tuple[set[int], set[int]]:
    """(projects with an at-risk or broken dependency, projects hit by an open change)."""
    troubled: set[int] = set()
    for a, b in Dependency.objects.filter(status__in=("at_risk", "broken")).values_list(
        "supplier_project_id", "consumer_project_id"
    ):
        troubled.update((a, b))
    changed: set[int] = set()
    open_changes = ChangeRequest.objects.filter(state__in=OPEN_CHANGE_STATES)
    changed.update(open_changes.values_list("project_id", flat=True))
    changed.update(
        ChangeRequest.affected_projects.through.objects.filter(
            changerequest__state__in=OPEN_CHANGE_STATES
        ).values_list("project_id", flat=True)
    )
    wanted = set(project_ids)
    return troubled & wanted, changed & wanted
