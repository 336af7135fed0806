"""The apply step of an approved change request: its impact written into the portfolio.

In a plan only the tasks where the slip enters are written (a milestone or a pushed task
starts no earlier than its moved date, the slipping task grows); recomputing the plan moves
the rest. Gates, and milestones and finishes no plan drives, are set to the impact's dates.
Every write is audited with the change request's code (``trace``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.accounts.models import User
from pmo.audit.services import diff, record, snapshot
from pmo.dependencies import adapters
from pmo.governance.models import ProjectGate
from pmo.governance.services import refresh_next_gate
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling.models import Constraint, Plan, Task
from pmo.scheduling.services import recompute_plan
from pmo.scheduling.walltime import from_db, to_db

__all__ = ["write_impact"]


def write_impact(
    actor: User, net: adapters.PortfolioNetwork, impact: dict[str, Any], trace: dict[str, Any]
) -> list[dict[str, Any]]:
    """Move every item of ``impact``; return what was updated, with the new dates.

    In a plan only the tasks where the slip enters are written (the slipping task, and the
    tasks a cross-project link pushes); recomputing the plan moves the rest of it, its
    milestones and the project finish. Gates, and milestones and finishes no plan drives, are
    set to the impact's dates.
    """
    source = impact["source"]["key"]
    entries = adapters.pushed_across(net, impact["items"]) | {source}
    plans: dict[int, Plan] = {}
    follow: list[tuple[Any, str, int, dt.date]] = []  # read back once the plans are recomputed
    applied: list[dict[str, Any]] = []
    for row in impact["items"]:
        kind, pk, new = row["kind"], row["id"], dt.date.fromisoformat(row["new_date"])
        if kind == "task":
            task = Task.objects.select_related("plan").get(pk=pk)
            project_id = task.plan.project_id
            if row["key"] in entries:
                days = net.workdays(project_id)
                _move_task(actor, task, row["delay"], days, trace, grow=row["key"] == source)
                plans[task.plan_id] = task.plan
            follow.append((task, "finish", project_id, new))
        elif kind == "milestone":
            m = Milestone.objects.get(pk=pk)
            if Task.objects.filter(portfolio_milestone=m).exists():
                follow.append((m, "forecast_date", m.project_id, new))
            else:
                applied.append(_shift(actor, m, "forecast_date", new, m.project_id, trace))
        elif kind == "gate":
            g = ProjectGate.objects.select_related("lifecycle").get(pk=pk)
            applied.append(_shift(actor, g, "forecast", new, g.lifecycle.project_id, trace))
            refresh_next_gate(g.lifecycle.project_id)  # the status center's "next gate" date
        elif kind == "project":
            p = Project.objects.get(pk=pk)
            if hasattr(p, "plan"):
                follow.append((p, "forecast_finish", p.pk, new))
            else:
                applied.append(_shift(actor, p, "forecast_finish", new, p.pk, trace))
    for plan in plans.values():
        recompute_plan(plan, actor=actor)
    recomputed = {plan.project_id for plan in plans.values()}
    for obj, field, project_id, new in follow:
        if project_id in recomputed:
            obj.refresh_from_db(fields=[field])
            value = getattr(obj, field)
            if isinstance(value, dt.datetime):  # a task's finish, on the plan's wall clock
                value = from_db(value)
                value = value.date() if value is not None else None
            if value is not None:
                applied.append(_updated(obj, field, value))
        elif field != "finish":  # a plan that did not move does not drive it
            applied.append(_shift(actor, obj, field, new, project_id, trace))
    return applied


def _move_task(
    actor: User,
    task: Task,
    delay: int,
    days: adapters.WorkDays,
    trace: dict[str, Any],
    *,
    grow: bool,
) -> None:
    """Work added to the slipping task lengthens it ``delay`` working days; a milestone (it
    has no work) or a task pushed from another project starts no earlier than its start moved
    ``delay`` working days of its plan's calendar (so a milestone stays a milestone)."""
    fields = ["duration", "constraint", "constraint_date"]
    before = snapshot(task, fields)
    if grow and task.duration > 0:
        task.duration += delay * task.plan.minutes_per_day
    else:
        start = from_db(task.start or task.finish)
        assert start is not None  # the impact network only holds dated tasks
        moved = dt.datetime.combine(days.add(start.date(), delay), start.time())
        task.constraint, task.constraint_date = Constraint.SNET, to_db(moved)
    task.version += 1
    task.save()
    record(
        actor=actor,
        action="apply",
        instance=task,
        scope=f"project:{task.plan.project_id}",
        changes={**diff(before, snapshot(task, fields)), **trace},
    )


def _updated(obj: Any, field: str, new: dt.date) -> dict[str, Any]:
    return {"kind": obj._meta.model_name, "id": obj.pk, "field": field, "new": new.isoformat()}


def _shift(
    actor: User, obj: Any, field: str, new: dt.date, project_id: int, trace: dict[str, Any]
) -> dict[str, Any]:
    before = snapshot(obj, [field])
    setattr(obj, field, new)
    if hasattr(obj, "version"):
        obj.version += 1
    obj.save()
    record(
        actor=actor,
        action="apply",
        instance=obj,
        scope=f"project:{project_id}",
        changes={**diff(before, snapshot(obj, [field])), **trace},
    )
    return _updated(obj, field, new)
