"""Apply a committed capacity scenario's dates to a project's plan (its manager's step).

Schedule demand belongs to the plans (ADR 0006): committing a scenario that moved it lists the
plans to change and tells their managers. This is the change, taken by the manager or the PMO:
every task whose schedule demand the scenario starts later gets "start no earlier than" that
day (at its own start time) and the plan is recomputed, so its successors, milestones, finish
and demand follow. Tasks under way (started, with progress, or starting before today) are left
alone and listed: leveling moved only their remaining part, which a start constraint cannot
express.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError
from pmo.core.i18n import mid_sentence
from pmo.portfolio.access import require_edit
from pmo.resources.models import Scenario, ScenarioState
from pmo.resources.selectors import schedule_moves
from pmo.scheduling.models import Constraint, Plan
from pmo.scheduling.services import request_recompute
from pmo.scheduling.walltime import from_db, to_db

__all__ = ["ScenarioApplied", "apply_scenario_dates"]

_FIELDS = ["constraint", "constraint_date"]


@dataclass(frozen=True)
class ScenarioApplied:
    """Names of the tasks moved and of those left alone because they are under way."""

    moved: list[str] = field(default_factory=list)
    under_way: list[str] = field(default_factory=list)


@transaction.atomic
def apply_scenario_dates(
    *, actor: User, plan: Plan, scenario: Scenario, today: dt.date | None = None
) -> ScenarioApplied:
    """Start the plan's tasks no earlier than the committed ``scenario`` has their demand."""
    require_edit(actor, plan.project)
    scenario = Scenario.objects.get(pk=scenario.pk)  # its state now, not the caller's copy
    if scenario.state != ScenarioState.COMMITTED:
        raise ConflictError(
            _("scenario %(name)s is %(state)s: only a committed scenario's dates go to a plan")
            % {"name": scenario.name, "state": mid_sentence(scenario.get_state_display())}
        )
    plan = Plan.objects.select_for_update(of=("self",)).select_related("project").get(pk=plan.pk)
    moves = schedule_moves(scenario.pk, plan.project_id)
    today = today or timezone.localdate()
    moved: list[str] = []
    under_way: list[str] = []
    for task in plan.tasks.filter(uid__in=list(moves), summary=False).order_by("uid"):
        start = from_db(task.start)
        if start is None or moves[task.uid] <= start.date():
            continue  # not later in the scenario (or the plan moved it already)
        if task.actual_start is not None or task.percent_complete > 0 or start.date() < today:
            under_way.append(task.name)
            continue
        before = snapshot(task, _FIELDS)
        task.constraint = Constraint.SNET
        task.constraint_date = to_db(dt.datetime.combine(moves[task.uid], start.time()))
        task.version += 1
        task.save(update_fields=[*_FIELDS, "version", "updated_at"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=task,
            scope=f"project:{plan.project_id}",
            changes={**diff(before, snapshot(task, _FIELDS)), "scenario": [None, scenario.name]},
        )
        moved.append(task.name)
    if not moved and not under_way:
        raise ConflictError(
            _("scenario %(name)s starts no task of %(project)s later than its plan does")
            % {"name": scenario.name, "project": plan.project.code}
        )
    if moved:
        request_recompute(plan, actor=actor)
    return ScenarioApplied(moved, under_way)
