"""Dependency statuses that follow the portfolio: *at risk* while the link's margin (to the
earlier of the agreed date and the consumer's need) is below 0, *resolved* once the supplier
delivered, *broken* or *resolved* when a project is cancelled; and the audit of a
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
from pmo.dependencies import adapters
from pmo.dependencies.models import OPEN_STATUSES, Dependency, DependencyStatus
from pmo.dependencies.notifications import manager_user, notify, person_of
from pmo.portfolio.models import Project
from pmo.scheduling.walltime import from_db

__all__ = [
    "AUTOMATIC_STATUSES",
    "automatic_status",
    "follow_cancelled_project",
    "label_of",
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


#: The statuses the portfolio sets by itself; a broken or resolved link stays as it is.
AUTOMATIC_STATUSES = ("proposed", "agreed", "at_risk")

#: What :func:`refresh_dependency_status` reads of a dependency.
_REFRESH_RELATED = (
    *adapters.MARGIN_RELATED,
    "supplier_gate__gate",
    "supplier_project__manager__user",
    "consumer_project__manager__user",
)


def automatic_status(dep: Dependency, dates: adapters.DependencyDates) -> str:
    """The status the portfolio gives ``dep`` now (ADR 0005, "At risk is automatic"):

    - *resolved* once the supplier's item is done: delivered, on time or late;
    - *at risk* while the link is late (:attr:`~pmo.dependencies.adapters.DependencyDates.late`:
      its one margin, counted to the earlier of the agreed date and the consumer's need
      after the lag, is below 0; a link whose consumer's item is done has no margin);
    - back from at risk to *agreed* (*proposed* when no date was agreed) when it is not;
    - otherwise as it is (proposed or agreed: people agree, not the portfolio).

    The register's "late" filter reads the same :attr:`late`, so a link it lists is at risk
    and one it leaves out is not.
    """
    if dates.supplier_done:
        return DependencyStatus.RESOLVED
    if dates.late:
        return DependencyStatus.AT_RISK
    if dep.status == DependencyStatus.AT_RISK:
        return DependencyStatus.AGREED if dep.agreed_date else DependencyStatus.PROPOSED
    return dep.status


def refresh_dependency_status(
    deps: Iterable[Dependency] | None = None, *, actor: User | None = None
) -> int:
    """Give the open dependencies (``deps``, else every one) the status
    :func:`automatic_status` says, audited in both projects; both managers are told when a
    link turns at risk, the consumer's when its supplier delivered. Runs whenever either
    side's milestone, gate or plan is saved (:mod:`pmo.dependencies.signals`), after a
    dependency is registered or its dates, type or lag change, after a change is applied and
    when the demo loads. Returns how many changed."""
    wanted = Dependency.objects.filter(status__in=AUTOMATIC_STATUSES)
    given: dict[int, Dependency] = {}
    if deps is not None:
        given = {d.pk: d for d in deps}
        wanted = wanted.filter(pk__in=list(given))
    rows = list(wanted.select_related(*_REFRESH_RELATED).order_by("id"))
    all_dates = adapters.dependency_dates(rows)
    changed = 0
    for dep in rows:
        dates = all_dates[dep.pk]
        new = automatic_status(dep, dates)
        if new == dep.status:
            continue
        old = dep.status
        Dependency.objects.filter(pk=dep.pk).update(status=new, version=dep.version + 1)
        dep.status, dep.version = new, dep.version + 1
        if dep.pk in given:  # the caller's object follows
            given[dep.pk].status, given[dep.pk].version = dep.status, dep.version
        record_dependency(actor, AuditAction.UPDATE, dep, {"status": [old, str(new)]})
        _tell(dep, new, dates)
        changed += 1
    return changed


def _tell(dep: Dependency, new: str, dates: adapters.DependencyDates) -> None:
    """Who hears of a status the portfolio set: both managers of a link at risk (why: the
    limit its margin is counted to, the agreed date or the consumer's date), the consumer's
    of a delivery."""
    supplier, consumer = dep.supplier_project, dep.consumer_project
    if new == DependencyStatus.RESOLVED:
        notify(
            [manager_user(consumer)],
            _(
                "Dependency #%(id)s resolved: %(supplier)s delivered %(item)s on %(day)s "
                "for %(consumer)s"
            ),
            {
                "id": dep.pk,
                "supplier": supplier.code,
                "item": named_item(dep, "supplier"),
                "day": supplier_forecast(dep) or "",  # its finish, also for SS
                "consumer": consumer.code,
            },
            url=f"/dependencies/?project={consumer.code}#dep-{dep.pk}",
        )
        return
    if new != DependencyStatus.AT_RISK:
        return
    managers = [manager_user(consumer), manager_user(supplier)]
    url = f"/dependencies/?project={supplier.code}#dep-{dep.pk}"
    if dates.margin_to == adapters.MarginTo.AGREED:
        notify(
            managers,
            _(
                "Dependency #%(id)s at risk: %(supplier)s forecasts %(forecast)s, "
                "after the agreed %(agreed)s"
            ),
            {
                "id": dep.pk,
                "supplier": supplier.code,
                "forecast": dates.supplier_date or "",
                "agreed": dep.agreed_date,
            },
            url=url,
        )
        return
    notify(
        managers,
        _(
            "Dependency #%(id)s at risk: %(supplier)s forecasts %(forecast)s, too late for "
            "%(consumer)s on %(need)s (margin %(margin)s working days after the lag)"
        ),
        {
            "id": dep.pk,
            "supplier": supplier.code,
            "forecast": dates.supplier_date or "",
            "consumer": consumer.code,
            "need": dates.consumer_date or "",
            "margin": dates.margin,
        },
        url=url,
    )


def named_item(dep: Dependency, side: str) -> Any:
    """One side of ``dep`` for a notification: its milestone or gate definition (stored with
    both names, read in the reader's language), else its task's name."""
    gate = getattr(dep, f"{side}_gate")
    if gate is not None:
        return gate.gate
    return getattr(dep, f"{side}_milestone") or label_of(dep, side)


def label_of(dep: Dependency, side: str) -> str:
    """The milestone, task or gate name of one side of ``dep``."""
    gate = getattr(dep, f"{side}_gate")
    if gate is not None:
        return str(gate.gate)
    return str(getattr(dep, f"{side}_milestone") or getattr(dep, f"{side}_task") or "")
