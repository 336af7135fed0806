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


def connect() -> None:
    """Called once from ``DependenciesConfig.ready()``."""
    from pmo.governance.models import ProjectGate
    from pmo.portfolio.models import Milestone
    from pmo.scheduling.models import Plan

    post_save.connect(_milestone_saved, sender=Milestone, dispatch_uid="dependencies.milestone")
    post_save.connect(_gate_saved, sender=ProjectGate, dispatch_uid="dependencies.gate")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="dependencies.plan")
