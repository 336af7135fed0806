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
    sender: Any,
    scenario: Any,
    actor: Any,
    plans_to_change: list[str],
    allocations_changed: dict[str, int] | None = None,
    allocations_end: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """A committed capacity scenario moved work of these projects: the managers of those
    whose schedules it moved are asked to change their plans to match (schedules are theirs,
    ADR 0006); the others are told their allocations changed, and when the work now runs
    past the project's forecast finish."""
    from django.utils.translation import gettext_lazy as _

    from pmo.dependencies.services import notify
    from pmo.portfolio.models import Project

    changed, ends = allocations_changed or {}, allocations_end or {}
    projects = Project.objects.filter(code__in={*plans_to_change, *changed}).select_related(
        "manager__user"
    )
    for project in projects:
        manager = project.manager.user if project.manager is not None else None
        if manager is None or manager == actor:
            continue
        params = {"scenario": scenario.name, "project": project.code}
        if project.code in plans_to_change:
            notify(
                [manager],
                _(
                    "Scenario %(scenario)s was committed and moved work of %(project)s's plan: "
                    "open it to move the plan's tasks to its dates"
                ),
                params,
                url=f"/resources/scenarios/{scenario.pk}/",
            )
            continue
        params["count"] = changed[project.code]
        last, finish = ends.get(project.code), project.forecast_finish
        if last is not None and finish is not None and last > finish:
            message = _(
                "Scenario %(scenario)s was committed and changed allocations of %(project)s "
                "(%(count)s): they now run to %(last)s, after its forecast finish %(finish)s"
            )
            params.update(last=last.isoformat(), finish=finish.isoformat())
        else:
            message = _(
                "Scenario %(scenario)s was committed and changed allocations of %(project)s "
                "(%(count)s)"
            )
        notify([manager], message, params, url=f"/projects/{project.code}/staffing/")


def _project_ended(sender: Any, project: Any, actor: Any, day: Any, **kwargs: Any) -> None:
    """A closed or cancelled project's open change requests are withdrawn. A cancelled one
    also breaks what it was to supply and no longer needs what it needed, and its manager is
    told (a closed one delivered: its dependencies stay as they are, and closing is its
    manager's own step at the closure gate; ADR 0005)."""
    from pmo.dependencies.changes.ending import withdraw_for_ended_project
    from pmo.dependencies.services import follow_cancelled_project, tell_cancelled_manager
    from pmo.portfolio.models import ProjectState

    withdraw_for_ended_project(actor=actor, project=project, day=day)
    if project.state == ProjectState.CANCELLED:
        follow_cancelled_project(actor=actor, project=project)
        tell_cancelled_manager(actor=actor, project=project, day=day)


def connect() -> None:
    """Called once from ``DependenciesConfig.ready()``."""
    from pmo.governance.models import ProjectGate
    from pmo.portfolio.models import Milestone
    from pmo.portfolio.signals import project_ended
    from pmo.resources.signals import scenario_committed
    from pmo.scheduling.models import Plan

    post_save.connect(_milestone_saved, sender=Milestone, dispatch_uid="dependencies.milestone")
    post_save.connect(_gate_saved, sender=ProjectGate, dispatch_uid="dependencies.gate")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="dependencies.plan")
    scenario_committed.connect(_scenario_committed, dispatch_uid="dependencies.scenario")
    project_ended.connect(_project_ended, dispatch_uid="dependencies.project_ended")
