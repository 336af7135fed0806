"""Dependency statuses that follow the portfolio: *at risk* while the supplier's forecast is
past the agreed date, *broken* or *resolved* when a project is cancelled; and the audit of a
dependency, in both its projects' history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.dependencies.models import OPEN_STATUSES, Dependency, DependencyStatus
from pmo.dependencies.notifications import manager_user, notify, person_of
from pmo.portfolio.models import Project
from pmo.scheduling.walltime import from_db

__all__ = [
    "follow_cancelled_project",
    "record_dependency",
    "refresh_dependency_status",
    "supplier_forecast",
    "tell_cancelled_manager",
]


def record_dependency(
    actor: User | None, action: str, dep: Dependency, changes: dict[str, Any]
) -> None:
    """One audit event of ``dep`` in the history of each of its two projects."""
    for project_id in {dep.supplier_project_id, dep.consumer_project_id}:
        record(
            actor=actor, action=action, instance=dep, scope=f"project:{project_id}", changes=changes
        )


def follow_cancelled_project(*, actor: User | None, project: Project) -> int:
    """A cancelled project's open dependencies: what it was to supply is *broken* (its
    consumers must plan without it) and what it needed is *resolved* (no longer needed).
    Audited in both projects' history; the other side's manager is told. Returns how many
    dependencies changed."""
    deps = (
        Dependency.objects.select_for_update(of=("self",))
        .filter(Q(supplier_project=project) | Q(consumer_project=project))
        .filter(status__in=OPEN_STATUSES)
        .select_related("supplier_project__manager__user", "consumer_project__manager__user")
    )
    changed = 0
    for dep in deps:
        supplies = dep.supplier_project_id == project.pk
        new = DependencyStatus.BROKEN if supplies else DependencyStatus.RESOLVED
        if dep.status == new:
            continue
        old = dep.status
        Dependency.objects.filter(pk=dep.pk).update(status=new, version=dep.version + 1)
        dep.status, dep.version = new, dep.version + 1
        record_dependency(actor, AuditAction.UPDATE, dep, {"status": [old, str(new)]})
        other = dep.consumer_project if supplies else dep.supplier_project
        message = (
            _(
                "Dependency #%(id)s broken: %(supplier)s was cancelled; %(consumer)s must "
                "plan without it"
            )
            if supplies
            else _("Dependency #%(id)s no longer needed: %(consumer)s was cancelled")
        )
        notify(
            [manager_user(other)],
            message,
            {
                "id": dep.pk,
                "supplier": dep.supplier_project.code,
                "consumer": dep.consumer_project.code,
            },
            url="/dependencies/",
        )
        changed += 1
    return changed


def tell_cancelled_manager(*, actor: User | None, project: Project, day: dt.date) -> int:
    """A cancelled project's own manager is told who cancelled it and on which day, and what
    followed (ADR 0005, "Cancelled projects"), unless they cancelled it themselves; the
    managers on the other side of its dependencies are told by
    :func:`follow_cancelled_project`. Returns how many were told (0 or 1)."""
    manager = manager_user(project)
    if manager is None or (actor is not None and manager.pk == actor.pk):
        return 0
    values: dict[str, Any] = {"project": project.code, "name": project, "day": day.isoformat()}
    if actor is None:
        message = _(
            "%(project)s %(name)s was cancelled on %(day)s: its requested gate reviews are "
            "withdrawn, its allocations after that day released and its open dependencies "
            "updated"
        )
    else:
        values["actor"] = person_of(actor)
        message = _(
            "%(project)s %(name)s was cancelled by %(actor)s on %(day)s: its requested gate "
            "reviews are withdrawn, its allocations after that day released and its open "
            "dependencies updated"
        )
    return notify([manager], message, values, url=f"/projects/{project.code}/")


def supplier_forecast(dep: Dependency) -> dt.date | None:
    """The supplier side's forecast date (milestone or gate forecast, task finish)."""
    if dep.supplier_milestone_id:
        m = dep.supplier_milestone
        return (m.actual_date or m.forecast_date or m.baseline_date) if m else None
    if dep.supplier_gate_id:
        g = dep.supplier_gate
        return (g.actual or g.forecast) if g else None
    if dep.supplier_task_id and dep.supplier_task is not None:
        finish = from_db(dep.supplier_task.finish)
        return finish.date() if finish else None
    return None


def refresh_dependency_status(
    deps: Iterable[Dependency] | None = None, *, actor: User | None = None
) -> int:
    """Turn agreed dependencies "at risk" when the supplier's forecast passes the agreed
    date, and back to "agreed" when it no longer does. Returns how many changed."""
    if deps is None:
        deps = Dependency.objects.filter(
            status__in=("proposed", "agreed", "at_risk"), agreed_date__isnull=False
        ).select_related("supplier_milestone", "supplier_task", "supplier_gate")
    changed = 0
    for dep in deps:
        if dep.agreed_date is None or dep.status not in ("proposed", "agreed", "at_risk"):
            continue
        forecast = supplier_forecast(dep)
        late = forecast is not None and forecast > dep.agreed_date
        new = (
            DependencyStatus.AT_RISK
            if late
            else (DependencyStatus.AGREED if dep.status == "at_risk" else dep.status)
        )
        if new == dep.status:
            continue
        old = dep.status
        Dependency.objects.filter(pk=dep.pk).update(status=new, version=dep.version + 1)
        dep.status, dep.version = new, dep.version + 1
        record_dependency(actor, AuditAction.UPDATE, dep, {"status": [old, str(new)]})
        if new == DependencyStatus.AT_RISK:
            notify(
                [manager_user(dep.consumer_project), manager_user(dep.supplier_project)],
                _(
                    "Dependency #%(id)s at risk: %(supplier)s forecasts %(forecast)s, "
                    "after the agreed %(agreed)s"
                ),
                {
                    "id": dep.pk,
                    "supplier": dep.supplier_project.code,
                    "forecast": forecast,
                    "agreed": dep.agreed_date,
                },
                url="/dependencies/",
            )
        changed += 1
    return changed
