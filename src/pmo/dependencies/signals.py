"""Keep dependency statuses current when a supplier milestone, gate or plan task moves."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

__all__ = ["connect"]


def _milestone_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from pmo.dependencies.models import Dependency
    from pmo.dependencies.services import refresh_dependency_status

    deps = Dependency.objects.filter(
        supplier_milestone=instance, status__in=("proposed", "agreed", "at_risk")
    ).select_related(
        "supplier_milestone", "supplier_project__manager__user", "consumer_project__manager__user"
    )
    if deps:
        refresh_dependency_status(list(deps))


def _gate_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A gate's forecast or actual date moved (review scheduled, gate passed or recycled)."""
    from pmo.dependencies.models import Dependency
    from pmo.dependencies.services import refresh_dependency_status

    deps = Dependency.objects.filter(
        supplier_gate=instance, status__in=("proposed", "agreed", "at_risk")
    ).select_related(
        "supplier_gate", "supplier_project__manager__user", "consumer_project__manager__user"
    )
    if deps:
        refresh_dependency_status(list(deps))


def _plan_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A recomputed plan (its computed dates are written before the plan row) may move
    supplier tasks past their agreed dates."""
    from pmo.dependencies.models import Dependency
    from pmo.dependencies.services import refresh_dependency_status

    deps = Dependency.objects.filter(
        supplier_task__plan=instance, status__in=("proposed", "agreed", "at_risk")
    ).select_related(
        "supplier_task", "supplier_project__manager__user", "consumer_project__manager__user"
    )
    if deps:
        refresh_dependency_status(list(deps))


def _scenario_committed(
    sender: Any, scenario: Any, actor: Any, plans_to_change: list[str], **kwargs: Any
) -> None:
    """A committed capacity scenario moved work of these projects' schedules: their managers
    are asked to change their plans to match (schedules are theirs, ADR 0006)."""
    from django.utils.translation import gettext_lazy as _

    from pmo.dependencies.services import notify
    from pmo.portfolio.models import Project

    for project in Project.objects.filter(code__in=plans_to_change).select_related("manager__user"):
        manager = project.manager.user if project.manager is not None else None
        if manager is None or manager == actor:
            continue
        notify(
            [manager],
            _(
                "Scenario %(scenario)s was committed and moved work of %(project)s's plan: "
                "open it to move the plan's tasks to its dates"
            ),
            {"scenario": scenario.name, "project": project.code},
            url=f"/resources/scenarios/{scenario.pk}/",
        )


def connect() -> None:
    """Called once from ``DependenciesConfig.ready()``."""
    from pmo.governance.models import ProjectGate
    from pmo.portfolio.models import Milestone
    from pmo.resources.signals import scenario_committed
    from pmo.scheduling.models import Plan

    post_save.connect(_milestone_saved, sender=Milestone, dispatch_uid="dependencies.milestone")
    post_save.connect(_gate_saved, sender=ProjectGate, dispatch_uid="dependencies.gate")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="dependencies.plan")
    scenario_committed.connect(_scenario_committed, dispatch_uid="dependencies.scenario")
