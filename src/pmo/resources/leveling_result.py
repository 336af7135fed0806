"""Write a finished leveling run's result into its scenario: the moved allocations (split
where work is under way), the projects' shifts, and the run's record of what it did."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Delay:
    """A project's delay: working days of ``calendar`` (that of ``resource_id``, whose row
    finishes last after the run) by which its end is later than now."""

    days: int
    calendar: str = ""
    resource_id: int | None = None


def _delays(data: adapters.LevelingInput, placed: adapters.Placement) -> list[_Delay]:
    """Per project: working days its finish is later than now (after compaction), counted
    on the calendar of the resource whose row finishes last (ADR 0008)."""
    n = len(data.projects)
    before = [0] * n
    after = [0] * n
    last: list[int | None] = [None] * n  # engine resource index of the last row
    for a, old, new, d in zip(
        data.problem.activities, data.starts, placed.starts, placed.durations, strict=True
    ):
        before[a.project] = max(before[a.project], old + a.duration)
        r = next((k for k, q in enumerate(a.demands) if q), None)
        if new + d > after[a.project] or last[a.project] is None:
            after[a.project] = max(after[a.project], new + d)
            last[a.project] = r
    result = []
    for x, y, r in zip(after, before, last, strict=True):
        if r is None or r >= len(data.calendars):
            result.append(_Delay(max(0, x - y)))
            continue
        code = data.calendars[r]
        days = data.axis.worked(code, y, x) if x > y else 0
        result.append(_Delay(days, code, data.resource_ids[r]))
    return result


@transaction.atomic
def _apply(
    run: LevelingRun,
    data: adapters.LevelingInput,
    moved: list[adapters.Move],
    delays: list[_Delay],
    solver: dict[str, Any],
    placed: adapters.Placement | None = None,
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
            rest.resource, rest.project = a.resource, a.project  # they name it in the trail
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
    unplaced = [data.rows[j] for j in (placed.unplaced if placed else [])]
    not_levelable: list[dict[str, Any]] = [
        {
            "id": a.pk,
            "project": codes.get(a.project_id, ""),
            "resource_id": a.resource_id,
            "first": a.first.isoformat(),
            "last": a.last.isoformat(),
            "fte": float(a.fte),
            # capacity: more than the resource has, even alone; no_room: no room left for it
            # once the rows were fitted to their calendars (it stays where the solver put it)
            "reason": reason,
        }
        for reason, rows_ in (("capacity", data.not_levelable), ("no_room", unplaced))
        for a in rows_
    ]
    held = adapters.pinned_overload(data)
    delay_ids = {d.resource_id for d in delays if d.resource_id is not None}
    names = dict(
        Resource.objects.filter(
            pk__in={r["resource_id"] for r in not_levelable}
            | {h.resource_id for h in held}
            | delay_ids
        ).values_list("pk", "code")
    )
    for r in not_levelable:
        r["resource"] = names.get(r.pop("resource_id"), "")
    calendars_used = sorted(set(data.calendars))
    projects: list[dict[str, Any]] = [
        {
            "project": p.code,
            "priority": p.priority,
            "weight": adapters.priority_weight(p.priority),
            "pinned": p.pinned,
            "delay": delays[i].days if i < len(delays) else 0,
            # the delay counts working days of this resource's calendar (its row ends last)
            "delay_resource": names.get(delays[i].resource_id or 0, "") if i < len(delays) else "",
            "delay_calendar": delays[i].calendar if i < len(delays) else "",
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
        # overload that pinned or ended projects' own rows make: no leveling removes it
        "pinned_overload": [
            {
                "resource": names.get(h.resource_id, ""),
                "first": h.first.isoformat(),
                "last": h.last.isoformat(),
                "fte_days": round(h.fte_days, 2),
                "projects": list(h.projects),
            }
            for h in held
        ],
        "calendars": calendars_used,
        "solver": solver,
    }
