"""What scheduling registers into the status center: the milestones a plan drives (all of a
project's, once it has a plan)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from pmo.portfolio.extensions import MilestoneDriver, registry

__all__ = ["register"]


def _driven(project: Any) -> set[int]:
    """The project's milestones that a milestone task of its plan writes at every recompute."""
    from pmo.scheduling.models import Task

    return set(
        Task.objects.filter(plan__project=project, portfolio_milestone__isnull=False).values_list(
            "portfolio_milestone_id", flat=True
        )
    )


def _has_plan(project: Any) -> bool:
    """With a plan, all of the project's milestones come from it (an import replaces the others)."""
    from pmo.scheduling.models import Plan

    return Plan.objects.filter(project=project).exists()


def _plan_url(project: Any) -> str:
    return reverse("scheduling:plan_detail", args=[project.code])


DRIVER = MilestoneDriver(driven=_driven, url=_plan_url, owns_all=_has_plan)


def register() -> None:
    """Called once from ``SchedulingConfig.ready()``."""
    if DRIVER not in registry.milestone_drivers:
        registry.milestone_drivers.append(DRIVER)
