"""Write a finished leveling run's result into its scenario: the moved allocations (split
where work is under way), the projects' shifts, and the run's record of what it did."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.dates import FIRST_DATE, LAST_DATE, date_out_of_range
from pmo.core.errors import ConflictError
from pmo.resources import adapters
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    LevelingRun,
    ProjectShift,
    Resource,
    Scenario,
    ScenarioState,
)

__all__: list[str] = []  # the worker (:mod:`pmo.resources.leveling`) imports its helpers


def _delays(data: adapters.LevelingInput, starts: list[int]) -> list[int]:
    """Per project: working days its finish is later than now (after compaction)."""
    before = [0] * len(data.projects)
    after = [0] * len(data.projects)
    for a, old, new in zip(data.problem.activities, data.starts, starts, strict=True):
        before[a.project] = max(before[a.project], old + a.duration)
        after[a.project] = max(after[a.project], new + a.duration)
    return [max(0, x - y) for x, y in zip(after, before, strict=True)]


@transaction.atomic
def _apply(
    run: LevelingRun,
    data: adapters.LevelingInput,
    moved: list[adapters.Move],
    delays: list[int],
    solver: dict[str, Any],
) -> dict[str, Any]:
    scenario = Scenario.objects.select_for_update().get(pk=run.scenario_id)
    if scenario.state != ScenarioState.DRAFT:
        raise ConflictError(
            _("the scenario was %(state)s during the run; nothing changed")
            % {"state": scenario.state}
        )
    if scenario.version != run.scenario_version:
        raise ConflictError(
            _("the scenario was changed during the run; nothing changed, level again")
        )
    rows = {
        a.pk: a
        for a in Allocation.objects.filter(
            scenario=scenario, pk__in=[m.pk for m in moved]
        ).select_related("resource", "project")
    }
    if len(rows) != len(moved):
        raise ConflictError(
            _("the scenario was changed during the run; nothing changed, level again")
        )
    scope = f"scenario:{scenario.pk}"
    shift_days: dict[int, int] = defaultdict(int)
    moved_out = []
    now = timezone.now()
    for m in moved:  # before anything is written: a move past the accepted dates fails the run
        if date_out_of_range(m.new_first) or date_out_of_range(m.new_last):
            a = rows[m.pk]
            raise ConflictError(
                _(
                    "leveling would move an allocation of %(project)s to %(first)s – %(last)s, "
                    "outside the dates the product accepts (%(from)s to %(to)s); shorten or "
                    "move that allocation and level again"
                )
                % {
                    "project": a.project.code,
                    "first": m.new_first.isoformat(),
                    "last": m.new_last.isoformat(),
                    "from": FIRST_DATE.isoformat(),
                    "to": LAST_DATE.isoformat(),
                }
            )
    for m in moved:
        a = rows[m.pk]
        new_id = None
        if m.kept_last is not None:  # under way: the past part stays, the rest moves
            rest = Allocation.objects.create(
                scenario=scenario,
                resource_id=a.resource_id,
                project_id=a.project_id,
                first=m.new_first,
                last=m.new_last,
                fte=a.fte,
                status=a.status,
                source=a.source,
                note=a.note,
                task_uid=a.task_uid,
            )
            new_id = rest.pk
            record(
                actor=run.created_by,
                action=AuditAction.CREATE,
                instance=rest,
                scope=scope,
                changes=diff({}, snapshot(rest)),
            )
            a.last = m.kept_last
            calendar_days = (m.new_last - m.last).days
        else:
            a.first, a.last = m.new_first, m.new_last
            calendar_days = (m.new_first - m.first).days
        a.version, a.updated_at = a.version + 1, now
        if abs(calendar_days) > abs(shift_days[a.project_id]):
            shift_days[a.project_id] = calendar_days
        record(
            actor=run.created_by,
            action=AuditAction.UPDATE,
            instance=a,
            scope=scope,
            changes={
                "first": [m.first.isoformat(), a.first.isoformat()],
                "last": [m.last.isoformat(), a.last.isoformat()],
            },
        )
        moved_out.append(
            {
                "id": a.pk,
                "new_id": new_id,
                "project": a.project.code,
                "resource": a.resource.code,
                "resource_name": a.resource.name,
                "kind": "task" if a.source == AllocationSource.SCHEDULE else "allocation",
                "fte": float(a.fte),
                "first": m.first.isoformat(),
                "last": m.last.isoformat(),
                "new_first": m.new_first.isoformat(),
                "new_last": m.new_last.isoformat(),
                "kept_last": m.kept_last.isoformat() if m.kept_last else None,
                "days": m.days,
            }
        )
    Allocation.objects.bulk_update(list(rows.values()), ["first", "last", "version", "updated_at"])
    codes = {p.pk: p.code for p in data.projects}
    for project_id, days in shift_days.items():
        shift, _created = ProjectShift.objects.get_or_create(
            scenario=scenario, project_id=project_id
        )
        record(
            actor=run.created_by,
            action=AuditAction.UPDATE,
            instance=scenario,
            scope=scope,
            changes={f"{codes[project_id]}.days": [shift.days, shift.days + days]},
        )
        shift.days += days
        shift.save(update_fields=["days"])
    if moved:
        scenario.version += 1
        scenario.save(update_fields=["version", "updated_at"])
    not_levelable: list[dict[str, Any]] = [
        {
            "id": a.pk,
            "project": codes.get(a.project_id, ""),
            "resource_id": a.resource_id,
            "first": a.first.isoformat(),
            "last": a.last.isoformat(),
            "fte": float(a.fte),
        }
        for a in data.not_levelable
    ]
    names = dict(
        Resource.objects.filter(pk__in=[r["resource_id"] for r in not_levelable]).values_list(
            "pk", "code"
        )
    )
    for r in not_levelable:
        r["resource"] = names.get(r.pop("resource_id"), "")
    projects: list[dict[str, Any]] = [
        {
            "project": p.code,
            "priority": p.priority,
            "weight": adapters.priority_weight(p.priority),
            "pinned": p.pinned,
            "delay": delays[i] if i < len(delays) else 0,
            "moved": sum(1 for m in moved_out if m["project"] == p.code),
        }
        for i, p in enumerate(data.projects)
    ]
    projects.sort(key=lambda p: (-p["delay"], -p["moved"], p["priority"], p["project"]))
    moved_out.sort(key=lambda m: (m["project"], m["first"], m["resource"]))
    return {
        "projects": projects,
        "moved": moved_out,
        "not_levelable": not_levelable,
        "solver": solver,
    }
