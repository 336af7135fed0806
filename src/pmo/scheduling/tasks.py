"""Background work of the app (Django's Tasks API, database backend)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.models import Plan, PlanState

__all__ = ["recompute_plan_task"]


@task()
def recompute_plan_task(plan_id: int) -> int:
    """Recompute a large plan off the request path; returns how many tasks moved.

    A plan that cannot be scheduled is marked failed with the reason (shown on the Gantt).
    """
    from pmo.scheduling.services import recompute_plan

    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return 0
    try:
        with transaction.atomic():
            return len(recompute_plan(plan))
    except ScheduleError as exc:
        Plan.objects.filter(pk=plan_id).update(state=PlanState.FAILED, problem=exc.message)
        return 0
