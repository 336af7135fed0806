"""Refresh a draft scenario from the current plan: its allocations, then its capacity
changes (the rules are in :mod:`pmo.resources.refresh`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.resources import selectors
from pmo.resources.access import require_manage
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    CapacityChange,
    LevelingRun,
    LevelingState,
    ProjectShift,
    Resource,
    Scenario,
)
from pmo.resources.refresh.common import (
    Dropped,
    RefreshResult,
    _copy,
    _free_refs,
    _lock_draft,
    _outdate_runs,
)
from pmo.resources.services.common import lock_current_plan

__all__ = ["refresh_scenario"]


def _split_pieces(scenario: Scenario) -> dict[int, list[int]]:
    """Row id → ids of the rows leveling runs split off it (the part that moved)."""
    pieces: dict[int, list[int]] = defaultdict(list)
    for result in LevelingRun.objects.filter(
        scenario=scenario, state=LevelingState.DONE
    ).values_list("result", flat=True):
        for m in (result or {}).get("moved", []):
            if m.get("new_id"):
                pieces[m["id"]].append(m["new_id"])
    return pieces


def _with_pieces(ids: set[int], pieces: dict[int, list[int]]) -> set[int]:
    """``ids`` and every row split off them, transitively (a piece may be split again)."""
    found, todo = set(ids), list(ids)
    while todo:
        for piece in pieces.get(todo.pop(), []):
            if piece not in found:
                found.add(piece)
                todo.append(piece)
    return found


def _match_schedule(copies: list[Allocation], plan: list[Allocation]) -> dict[int, Allocation]:
    """Scenario copies of schedule demand whose plan row was recreated (its plan was
    recalculated) → the plan's row now: same project, task and resource, in date order."""
    claimed = {c.origin_id for c in copies if c.origin_id}
    free: dict[tuple[int, int, int], list[Allocation]] = defaultdict(list)
    for p in sorted(plan, key=lambda p: (p.first, p.pk)):
        if p.source == AllocationSource.SCHEDULE and p.task_uid is not None and p.pk not in claimed:
            free[(p.project_id, p.task_uid, p.resource_id)].append(p)
    matched = {}
    for c in sorted(copies, key=lambda c: (c.first, c.pk)):
        if c.origin_id is None and c.source == AllocationSource.SCHEDULE and c.task_uid is not None:
            candidates = free.get((c.project_id, c.task_uid, c.resource_id))
            if candidates:
                matched[c.pk] = candidates.pop(0)
    return matched


def _dropped_allocation(
    row: Allocation,
    reason: str,
    codes: dict[str, dict[int, Any]],
    now: Allocation | None = None,
) -> Dropped:
    """``row`` of the scenario dropped for ``reason``; ``now`` is the plan's row that the
    scenario has in its place (``None`` when it has none)."""
    resource = codes["resources"].get(row.resource_id)
    return Dropped(
        kind="allocation",
        reason=reason,
        resource=resource.code if resource else "",
        resource_name=resource.display_name if resource else "",
        first=row.first,
        last=row.last,
        fte=row.fte,
        project=codes["projects"].get(row.project_id, ""),
        plan_first=now.first if now is not None else None,
        plan_last=now.last if now is not None else None,
        plan_fte=now.fte if now is not None else None,
    )


@transaction.atomic
def refresh_scenario(
    *, actor: User, scenario: Scenario, version: int | None = None
) -> RefreshResult:
    """Rebuild a draft scenario's copy from the current plan, keeping its changes that still
    apply and dropping (and listing) those that do not; audited. 409 unless a draft, on a
    stale ``version`` and while a leveling run is under way."""
    require_manage(actor)
    scenario = _lock_draft(scenario, version)
    up_to, changes_up_to = lock_current_plan()
    copied_at = scenario.copied_at or scenario.created_at
    # a plan row with an id above the copy's highest is new since (scenarios made before
    # the copy recorded it: ``created_at`` alone)
    newer = up_to if scenario.copied_up_to is None else scenario.copied_up_to
    changes_newer = (
        changes_up_to if scenario.copied_changes_up_to is None else scenario.copied_changes_up_to
    )
    shifts = {s.project_id: s for s in ProjectShift.objects.filter(scenario=scenario)}
    plan = list(Allocation.objects.filter(scenario=None))
    plan_by_pk = {p.pk: p for p in plan}
    rows = list(Allocation.objects.filter(scenario=scenario))
    # closed or cancelled projects: the day each ended; their work is not moved any more
    ends = {
        p.pk: day
        for p in Project.objects.filter(
            state__in=ENDED_STATES, pk__in={r.project_id for r in rows + plan}
        )
        if (day := selectors.ended_on(p)) is not None
    }
    moves = {pk: 0 if pk in ends else s.moved_days for pk, s in shifts.items()}
    copies = [r for r in rows if r.origin_version is not None]
    matched = {c.pk: plan_by_pk[c.origin_id] for c in copies if c.origin_id in plan_by_pk}
    matched |= _match_schedule(copies, plan)
    codes: dict[str, dict[int, Any]] = {
        "projects": dict(Project.objects.values_list("pk", "code")),
        "resources": {r.pk: r for r in Resource.objects.all()},
    }
    dropped: list[Dropped] = []
    doomed: set[int] = set()  # scenario rows to delete
    new: list[Allocation] = []
    kept = 0
    edited_projects: set[int] = set()  # projects keeping a row the scenario changed
    kept_rows: Counter[int] = Counter()  # project id -> its allocation changes kept
    for c in copies:
        target = matched.get(c.pk)
        edited = c.version > 1 + c.moves  # a "Move project" is the shift's, not the row's
        if target is None:  # the plan removed it
            doomed.add(c.pk)
            if edited:
                dropped.append(_dropped_allocation(c, "removed_in_plan", codes))
        elif c.project_id in ends and (c.moves or (edited and c.last >= ends[c.project_id])):
            # an ended project's work is not moved (nor stretched past its end): the plan's row
            doomed.add(c.pk)
            new.append(_copy(scenario, target, 0))
            if edited:
                dropped.append(_dropped_allocation(c, "project_ended", codes, new[-1]))
        elif target.pk == c.origin_id and target.version == c.origin_version:
            kept += edited
            if edited:
                edited_projects.add(c.project_id)
                kept_rows[c.project_id] += 1
        else:  # the plan changed it (or recalculated its schedule): the plan's row wins
            doomed.add(c.pk)
            new.append(_copy(scenario, target, moves.get(target.project_id, 0)))
            if edited:
                dropped.append(_dropped_allocation(c, "changed_in_plan", codes, new[-1]))
    present = {matched[c.pk].pk for c in copies if c.pk in matched}
    for p in plan:
        if p.pk in present:
            continue
        if p.created_at > copied_at or p.pk > newer:  # new in the plan
            new.append(_copy(scenario, p, moves.get(p.project_id, 0)))
        elif p.updated_at > copied_at:  # removed in the scenario, changed in the plan since
            new.append(_copy(scenario, p, moves.get(p.project_id, 0)))
            dropped.append(_dropped_allocation(p, "restored", codes, new[-1]))
        else:
            kept += 1  # the scenario removed it
            kept_rows[p.project_id] += 1
    for r in rows:  # rows the scenario added to a project that has ended since
        if r.origin_version is None and r.project_id in ends and r.last >= ends[r.project_id]:
            doomed.add(r.pk)
            dropped.append(_dropped_allocation(r, "project_ended", codes))
    pieces = _split_pieces(scenario)
    doomed = _with_pieces(doomed, pieces)
    added = [r for r in rows if r.origin_version is None and r.pk not in doomed]
    kept += len(added)
    kept_rows.update(r.project_id for r in added)
    edited_projects |= {r.project_id for r in rows if r.origin_version is None}
    Allocation.objects.filter(pk__in=doomed).delete()
    Allocation.objects.bulk_create(_free_refs(scenario, new), batch_size=1000)
    kept_capacity, capacity_dropped, plan_changes = _refresh_capacity(
        scenario, copied_at, changes_newer, codes
    )
    dropped += capacity_dropped
    for pk, shift in shifts.items():  # the move column: what the rows now say
        if pk in ends and (shift.days or shift.moved_days):
            shift.days = shift.moved_days = 0  # an ended project's rows are the plan's
            shift.save(update_fields=["days", "moved_days"])
        elif pk not in edited_projects and shift.days != shift.moved_days:
            shift.days = shift.moved_days
            shift.save(update_fields=["days"])
        kept += bool(shift.days or shift.priority or shift.pinned)  # a project's move etc.
    kept_projects = [
        {
            "project": codes["projects"].get(pk, ""),
            "allocations": kept_rows.get(pk, 0),
            "days": shifts[pk].days if pk in shifts else 0,
            "priority": shifts[pk].priority if pk in shifts else None,
            "pinned": shifts[pk].pinned if pk in shifts else False,
        }
        for pk in set(kept_rows)
        | {pk for pk, s in shifts.items() if s.days or s.priority or s.pinned}
    ]
    kept_projects.sort(key=lambda k: k["project"])
    now = timezone.now()
    outdated = _outdate_runs(scenario, now)
    before = {"version": scenario.version, "copied_at": copied_at.isoformat()}
    scenario.copied_at = now
    scenario.copied_up_to, scenario.copied_changes_up_to = up_to, changes_up_to
    scenario.copied_capacity_changes = plan_changes
    scenario.version += 1
    scenario.last_refresh = {
        "at": now.isoformat(),
        "by": actor.pk,
        "kept": kept + kept_capacity,
        "from_plan": len(new),
        "dropped": [_as_json(d) for d in dropped],
        "kept_projects": kept_projects,
        "kept_capacity": kept_capacity,
        # a reset made before stays on the page beside this refresh
        "last_reset": (scenario.last_refresh or {}).get("last_reset"),
    }
    scenario.save(
        update_fields=[
            "copied_at",
            "copied_up_to",
            "copied_changes_up_to",
            "copied_capacity_changes",
            "version",
            "last_refresh",
            "updated_at",
        ]
    )
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={
            "refreshed_from_plan": [before["copied_at"], now.isoformat()],
            "version": [before["version"], scenario.version],
            "kept": [None, kept + kept_capacity],
            "from_plan": [None, len(new)],
            "dropped": [None, [_as_json(d) for d in dropped]],
            "leveling_runs_out_of_date": [None, outdated],
        },
    )
    return RefreshResult(scenario, kept + kept_capacity, len(new), dropped, outdated)


def _as_json(d: Dropped) -> dict[str, Any]:
    data = asdict(d)
    return {
        **data,
        "first": d.first.isoformat(),
        "last": d.last.isoformat(),
        "fte": str(d.fte),
        "plan_first": d.plan_first.isoformat() if d.plan_first else None,
        "plan_last": d.plan_last.isoformat() if d.plan_last else None,
        "plan_fte": str(d.plan_fte) if d.plan_fte is not None else None,
    }


def _refresh_capacity(
    scenario: Scenario, copied_at: dt.datetime, newer: int, codes: dict[str, dict[int, Any]]
) -> tuple[int, list[Dropped], int]:
    """The capacity part of a refresh: (changes of the scenario kept, those dropped, how many
    capacity changes the current plan has); a plan change with an id above ``newer`` is new
    since the copy."""

    def key(c: CapacityChange) -> tuple[Any, ...]:
        return (c.resource_id, c.first, c.last, c.fte, c.reason)

    mine = list(CapacityChange.objects.filter(scenario=scenario))
    plan = list(CapacityChange.objects.filter(scenario=None).order_by("first", "pk"))
    copies = Counter(key(c) for c in mine if c.copied)
    wanted, kept = [], 0
    for p in plan:
        if copies[key(p)] > 0:
            copies[key(p)] -= 1
            wanted.append(p)
        elif p.created_at > copied_at or p.updated_at > copied_at or p.pk > newer:
            wanted.append(p)  # new or changed in the plan
        else:
            kept += 1  # the scenario removed it
    dropped, doomed = [], [c.pk for c in mine if c.copied]
    for c in mine:
        if c.copied:
            continue
        if any(
            p.resource_id == c.resource_id and p.first <= c.last and p.last >= c.first
            for p in wanted
        ):
            resource = codes["resources"].get(c.resource_id)
            dropped.append(
                Dropped(
                    kind="capacity",
                    reason="capacity_overlap",
                    resource=resource.code if resource else "",
                    resource_name=resource.display_name if resource else "",
                    first=c.first,
                    last=c.last,
                    fte=c.fte,
                )
            )
            doomed.append(c.pk)
        else:
            kept += 1
    CapacityChange.objects.filter(pk__in=doomed).delete()
    CapacityChange.objects.bulk_create(
        [
            CapacityChange(
                scenario=scenario,
                copied=True,
                resource_id=p.resource_id,
                first=p.first,
                last=p.last,
                fte=p.fte,
                reason=p.reason,
            )
            for p in wanted
        ],
        batch_size=1000,
    )
    return kept, dropped, len(plan)
