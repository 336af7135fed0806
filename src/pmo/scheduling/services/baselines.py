"""Save a plan's current dates as a baseline."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError, FieldError
from pmo.portfolio.access import require_edit
from pmo.scheduling.models import MAX_BASELINES, Baseline, BaselineTask, Plan, PlanState
from pmo.scheduling.services.common import scope_of
from pmo.scheduling.services.recompute import _ordered, _sync_project

__all__ = ["set_baseline"]


@transaction.atomic
def set_baseline(*, actor: User, plan: Plan, number: int = 0, name: str = "") -> Baseline:
    """Save the current dates of every task as baseline ``number`` (0..10), replacing it.

    A baseline saved again keeps its name unless ``name`` gives another (an empty name
    keeps it, as Microsoft Project keeps a baseline's place when it is saved over).
    """
    require_edit(actor, plan.project)
    if not 0 <= number < MAX_BASELINES:
        raise FieldError("number", _("must be within 0..10 (Baseline, Baseline1 .. Baseline10)"))
    plan = Plan.objects.select_for_update(of=("self",)).select_related("project").get(pk=plan.pk)
    if plan.state != PlanState.CURRENT:
        raise ConflictError(_("the plan is being recomputed; set the baseline when it is done"))
    name = name.strip()[:100]
    baseline = Baseline.objects.filter(plan=plan, number=number).first()
    created = baseline is None
    old_name = "" if baseline is None else baseline.name
    if baseline is None:
        baseline = Baseline.objects.create(plan=plan, number=number, name=name)
    else:
        baseline.name = name or baseline.name
        baseline.save()  # saved_at: now
    baseline.tasks.all().delete()
    BaselineTask.objects.bulk_create(
        BaselineTask(baseline=baseline, task=t, start=t.start, finish=t.finish, duration=t.duration)
        for t in plan.tasks.all()
    )
    record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=baseline,
        scope=scope_of(plan.project),
        # language-neutral: the number and the name, not the reader's label
        changes={"baseline": [None, number], "name": [old_name or None, baseline.name or None]},
    )
    if number == 0:
        tasks, _links = _ordered(plan)
        _sync_project(plan, tasks, actor)
    return baseline
