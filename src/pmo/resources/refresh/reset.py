"""Put one project of a draft scenario back to the current plan."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import NotFoundError
from pmo.portfolio.models import Project
from pmo.resources.access import require_manage
from pmo.resources.models import Allocation, ProjectShift, Scenario
from pmo.resources.refresh.common import (
    ResetResult,
    _copy,
    _free_refs,
    _lock_draft,
    _outdate_runs,
)

__all__ = ["reset_project"]


@transaction.atomic
def reset_project(
    *, actor: User, scenario: Scenario, project: Project, version: int | None = None
) -> ResetResult:
    """Put one project of a draft scenario back to the current plan: its allocations in the
    scenario are replaced by copies of the plan's, its move, priority and pin are removed.
    Capacity changes stay (they belong to resources). Audited; 409 as a refresh."""
    require_manage(actor)
    scenario = _lock_draft(scenario, version)
    mine = Allocation.objects.filter(scenario=scenario, project=project)
    shift = ProjectShift.objects.filter(scenario=scenario, project=project).first()
    plan = list(Allocation.objects.filter(scenario=None, project=project))
    removed = mine.count()
    if not (removed or plan or shift):
        raise NotFoundError(
            _("project %(code)s has no allocations in this scenario or the current plan")
            % {"code": project.code}
        )
    mine.delete()
    Allocation.objects.bulk_create(_free_refs(scenario, [_copy(scenario, p, 0) for p in plan]))
    before: dict[str, Any] = {"allocations": removed}
    if shift is not None:
        before |= {"days": shift.days, "priority": shift.priority, "pinned": shift.pinned}
        shift.delete()
    now = timezone.now()
    outdated = _outdate_runs(scenario, now)
    scenario.version += 1
    # the page shows the last reset beside the last refresh ("from the current plan")
    scenario.last_refresh = {
        **(scenario.last_refresh or {}),
        "last_reset": {
            "at": now.isoformat(),
            "by": actor.pk,
            "project": project.code,
            "removed": removed,
            "copied": len(plan),
        },
    }
    scenario.save(update_fields=["version", "last_refresh", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={f"{project.code}.reset_to_plan": [before, {"allocations": len(plan)}]},
    )
    return ResetResult(scenario, project.code, removed, len(plan), shift is not None, outdated)
