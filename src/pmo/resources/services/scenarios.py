"""What-if scenarios: create one from the current plan, move its projects, commit it as
the current plan or discard it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import (
    record,
    record_created,
    record_deleted,
    save_changed,
    save_update,
    snapshot,
)
from pmo.core.dates import date_out_of_range
from pmo.core.errors import ConflictError, FieldError
from pmo.portfolio.models import Project
from pmo.resources import selectors
from pmo.resources.access import require_manage
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    CapacityChange,
    ProjectShift,
    Scenario,
    ScenarioState,
)
from pmo.resources.services.common import (
    _scope,
    check_scenario_version,
    lock_current_plan,
    require_draft,
)
from pmo.resources.signals import scenario_committed

__all__ = [
    "CommitResult",
    "LateProject",
    "OutOfDate",
    "commit_scenario",
    "create_scenario",
    "discard_scenario",
    "refresh_url",
    "shift_project",
]


@transaction.atomic
def create_scenario(*, actor: User, name: str, description: str = "") -> Scenario:
    """Copy the current allocations and capacity changes into a new draft scenario."""
    require_manage(actor)
    if not name.strip():
        raise FieldError("name", _("a scenario needs a name"))
    up_to, changes_up_to = lock_current_plan()
    scenario = Scenario.objects.create(
        name=name.strip()[:200],
        description=description,
        created_by=actor,
        copied_up_to=up_to,
        copied_changes_up_to=changes_up_to,
    )
    fields = [
        "resource_id",
        "project_id",
        "first",
        "last",
        "fte",
        "status",
        "source",
        "note",
        "task_uid",
        "external_ref",
    ]
    copies = [
        Allocation(
            scenario=scenario,
            origin_id=row["pk"],
            origin_version=row["version"],
            **{f: row[f] for f in fields},
        )
        for row in Allocation.objects.filter(scenario=None).values("pk", "version", *fields)
    ]
    Allocation.objects.bulk_create(copies, batch_size=1000)
    copied = CapacityChange.objects.bulk_create(
        [
            CapacityChange(scenario=scenario, copied=True, **row)
            for row in CapacityChange.objects.filter(scenario=None).values(
                "resource_id", "first", "last", "fte", "reason"
            )
        ],
        batch_size=1000,
    )
    scenario.copied_capacity_changes = len(copied)
    scenario.copied_at = timezone.now()  # after the copies: what is newer is the plan's
    scenario.save(update_fields=["copied_capacity_changes", "copied_at"])
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={"name": [None, scenario.name], "allocations": [None, len(copies)]},
    )
    return scenario


@transaction.atomic
def shift_project(
    *,
    actor: User,
    scenario: Scenario,
    project: Project,
    days: int,
    priority: int | None = None,
    pinned: bool | None = None,
    clear_priority: bool = False,
    total: bool = False,
    version: int | None = None,
) -> ProjectShift:
    """Move a project's allocations in the scenario by ``days`` (on top of earlier shifts),
    or, with ``total``, to ``days`` in all: every row that copies a row of the current plan
    then starts ``days`` after the plan's row (keeping its own length), whatever leveling
    did to it, so 0 is the plan's dates and never earlier; a row with no plan row (added in
    the scenario, the later part of a row leveling split) moves by the change of the
    project's Move project days (ADR 0006, "Setting a project's total shift"). Applied
    twice, it moves the project once. ``priority`` ``None`` keeps the scenario's priority
    of the project unless ``clear_priority``, which removes it (the project's own priority
    counts again). ``version``, when given, is the scenario's as read (409 if it changed
    since)."""
    require_manage(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    require_draft(scenario)
    check_scenario_version(scenario, version)
    if abs(days) > 3660:
        raise FieldError("days", _("shift by at most 3,660 days"))
    if priority is not None and not 1 <= priority <= 5:
        raise FieldError("priority", _("priority is 1 (highest) to 5"))
    current = ProjectShift.objects.filter(scenario=scenario, project=project).first()
    earlier = current.days if current else 0
    rows = list(
        Allocation.objects.filter(scenario=scenario, project=project).select_related("origin")
    )
    if total:
        moves = _moves_to_total(rows, days, current.moved_days if current else 0)
    else:
        moves = {a.pk: days for a in rows} if days else {}
        if abs(earlier + days) > 3660:
            raise FieldError(
                "days",
                _(
                    "a project moves at most 3,660 days in a scenario in all; "
                    "it has moved %(days)s already"
                )
                % {"days": earlier},
            )
    if moves and (day := selectors.ended_on(project)) is not None:
        raise ConflictError(
            _("%(ended)s: its work is not moved in scenarios")
            % {"ended": selectors.ended_text(project, day)}
        )
    for a in rows:
        delta = dt.timedelta(days=moves.get(a.pk, 0))
        for edge in (a.first + delta, a.last + delta):
            problem = delta and date_out_of_range(edge)
            if problem:
                raise FieldError(
                    "days",
                    _("moving %(code)s by %(days)s days takes its work out of range: %(problem)s")
                    % {"code": project.code, "days": days, "problem": problem},
                )
    shift, _created = ProjectShift.objects.get_or_create(scenario=scenario, project=project)
    before = {"days": shift.days, "priority": shift.priority, "pinned": shift.pinned}
    if moves:
        _move_rows(rows, moves)
    if total:
        shift.moved_days = days  # every row copying the plan is now the plan's + days
        shift.days = days
    else:
        shift.days += days
        shift.moved_days += days  # the whole project: a refresh moves the plan's new rows too
    if priority is not None:
        shift.priority = priority
    elif clear_priority:
        shift.priority = None
    if pinned is not None:
        shift.pinned = pinned
    after = {"days": shift.days, "priority": shift.priority, "pinned": shift.pinned}
    if after == before and not _created and not moves:
        return shift  # nothing to do (a retried absolute move): no new version, no event
    shift.save()
    save_update(
        actor=actor,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={
            f"{project.code}.{k}": [before[k], after[k]] for k in before if before[k] != after[k]
        }
        or {f"{project.code}.allocations": [None, len(moves)]},
        update_fields=["version", "updated_at"],
    )
    return shift


def _moves_to_total(rows: list[Allocation], total: int, moved_days: int) -> dict[int, int]:
    """Row id → calendar days to move it by so that the project's shift is ``total``: a row
    copying a row of the current plan starts ``total`` days after it (a leveling delay of
    the row is replaced, not added to), any other row moves by the change of the project's
    Move project days (``moved_days``). Rows that stay are left out."""
    moves = {}
    for a in rows:
        plan = a.origin if a.origin is not None and a.origin.scenario_id is None else None
        if plan is not None:
            by = (plan.first + dt.timedelta(days=total) - a.first).days
        else:
            by = total - moved_days
        if by:
            moves[a.pk] = by
    return moves


def _move_rows(rows: list[Allocation], moves: dict[int, int]) -> None:
    """Move ``rows`` by ``moves`` days each, with a new version (an edit from a page read
    before the move is refused, 409, not written over it) and one more Move project move."""
    now = timezone.now()
    changed = []
    for a in rows:
        if a.pk in moves:
            delta = dt.timedelta(days=moves[a.pk])
            a.first, a.last = a.first + delta, a.last + delta
            a.version, a.moves, a.updated_at = a.version + 1, a.moves + 1, now
            changed.append(a)
    Allocation.objects.bulk_update(changed, ["first", "last", "version", "moves", "updated_at"])


@dataclass(frozen=True)
class LateProject:
    """A project whose work in a committed scenario ends after its planned finish."""

    code: str
    planned_finish: dt.date
    allocations_end: dt.date
    working_days_late: int  # Monday to Friday, after the planned finish up to the end


@dataclass(frozen=True)
class CommitResult:
    created: int
    updated: int
    deleted: int
    capacity_changes: int
    plans_to_change: list[str]
    late_projects: list[LateProject] = field(default_factory=list)


@transaction.atomic
def commit_scenario(*, actor: User, scenario: Scenario, version: int | None = None) -> CommitResult:
    """Make the scenario the current plan; refused (409) if the current plan moved on.

    Hand-entered allocations and capacity changes are replaced by the scenario's.
    Schedule demand belongs to the plans: projects whose schedule demand the scenario
    moved are listed in ``plans_to_change`` (and their date shift is kept on the
    scenario) rather than silently rewritten.
    """
    require_manage(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    require_draft(scenario)
    check_scenario_version(scenario, version)
    lock_current_plan()  # a plan row written meanwhile is in the check below, or after it
    # with the names the trail records of the rows it removes
    live = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("resource", "project")
        .filter(scenario=None, source=AllocationSource.MANUAL)
    )
    list(live.values_list("pk", flat=True))  # lock the current plan's rows, then check them
    reason = selectors.scenario_out_of_date(scenario)
    if reason == "allocations":
        raise OutOfDate(
            _(
                "allocations of the current plan changed since this scenario was created; "
                "refresh it from the current plan, which keeps the scenario's own changes "
                "that still apply, then commit"
            ),
            scenario.pk,
        )
    if reason == "capacity":
        raise OutOfDate(
            _(
                "capacity changed since this scenario was created; refresh it from the "
                "current plan, which keeps the scenario's own changes that still apply, "
                "then commit"
            ),
            scenario.pk,
        )
    copies = list(
        Allocation.objects.filter(scenario=scenario, source=AllocationSource.MANUAL).select_related(
            "resource", "project"
        )  # they name the rows written in the trail
    )
    live_changes = CapacityChange.objects.filter(scenario=None)
    kept = {c.origin_id for c in copies if c.origin_id}
    doomed = [a for a in live if a.pk not in kept]
    for allocation in doomed:
        record_deleted(actor=actor, instance=allocation, scope=_scope(allocation))
    Allocation.objects.filter(pk__in=[a.pk for a in doomed]).delete()
    touched: Counter[int] = Counter(a.project_id for a in doomed)  # project id -> allocations
    fields = ["resource_id", "project_id", "first", "last", "fte", "status", "note", "external_ref"]
    current = {a.pk: a for a in Allocation.objects.filter(pk__in=kept)}
    _free_refs(copies, current)
    updated = created = 0
    for copy in copies:
        target = current.get(copy.origin_id) if copy.origin_id else None
        if target is None:
            target = Allocation(source=AllocationSource.MANUAL)
            for f in fields:
                setattr(target, f, getattr(copy, f))
            target.resource, target.project = copy.resource, copy.project
            target.save()
            created += 1
            touched[target.project_id] += 1
            record_created(actor=actor, instance=target, scope=_scope(target))
            continue
        before, was_project = snapshot(target), target.project_id
        for f in fields:
            setattr(target, f, getattr(copy, f))
        target.resource, target.project = copy.resource, copy.project
        if save_changed(actor=actor, instance=target, before=before, scope=_scope(target)):
            updated += 1
            touched.update({was_project, target.project_id})
    count = live_changes.count()
    new_changes = _commit_capacity(scenario, live_changes)
    plans = selectors.plans_to_change(scenario.pk)
    scenario.plans_to_change = plans
    scenario.state = ScenarioState.COMMITTED
    scenario.closed_at = timezone.now()
    save_update(
        actor=actor,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={
            "state": [ScenarioState.DRAFT, ScenarioState.COMMITTED],
            "capacity_changes": [count, len(new_changes)],
        },
    )
    codes = dict(Project.objects.filter(pk__in=touched).values_list("pk", "code"))
    changed = {codes[pk]: n for pk, n in sorted(touched.items()) if pk in codes}
    ends = (
        Allocation.objects.filter(scenario=None, project_id__in=touched)
        .values("project_id")
        .annotate(end=Max("last"))
        .values_list("project_id", "end")
    )
    if plans or changed:
        scenario_committed.send(
            sender=Scenario,
            scenario=scenario,
            actor=actor,
            plans_to_change=plans,
            allocations_changed=changed,
            allocations_end={codes[pk]: end for pk, end in ends if pk in codes},
        )
    return CommitResult(
        created, updated, len(doomed), len(new_changes), plans, _late_projects(scenario, touched)
    )


def _free_refs(copies: list[Allocation], current: dict[int, Allocation]) -> None:
    """Take the client's keys off the plan rows whose copies changed them, before any row is
    written: keys swapped in the scenario, or one its own new row has, are unique at every
    step. The rows in ``current`` keep the keys they had (their events record the change)."""
    freed = [
        c.origin_id
        for c in copies
        if c.origin_id in current and current[c.origin_id].external_ref not in ("", c.external_ref)
    ]
    if freed:
        Allocation.objects.filter(pk__in=freed).update(external_ref="")


def refresh_url(scenario_pk: int) -> str:
    """The API address that refreshes a draft scenario from the current plan."""
    return f"/api/v1/scenarios/{scenario_pk}/refresh"


class OutOfDate(ConflictError):
    """409: the current plan changed since the scenario's copy; the API's answer points to
    the refresh that keeps the scenario's own changes (``refresh_url``, and at the end of
    ``detail``; the message alone is the page's, beside its Refresh button)."""

    def __init__(self, message: str, scenario_pk: int) -> None:
        super().__init__(message)
        self.scenario_pk = scenario_pk

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        url = refresh_url(self.scenario_pk)
        body["detail"] = f"{body['detail']}: POST {url}"  # the page has a Refresh button
        body["refresh_url"] = url
        return body


_CAPACITY_FIELDS = ("resource_id", "first", "last", "fte", "reason")


def _commit_capacity(
    scenario: Scenario, live: models.QuerySet[CapacityChange]
) -> list[CapacityChange]:
    """Make the current plan's capacity changes the scenario's. A live change the scenario
    has unchanged (same resource, dates, FTE and reason) keeps its row and id, so ids that
    clients stored stay valid; the others are removed and the scenario's new ones created.
    Returns the current plan's changes now."""
    wanted: Counter[tuple[Any, ...]] = Counter(
        CapacityChange.objects.filter(scenario=scenario).values_list(*_CAPACITY_FIELDS)
    )
    kept: list[CapacityChange] = []
    doomed: list[int] = []
    for change in live.order_by("pk"):
        key = tuple(getattr(change, f) for f in _CAPACITY_FIELDS)
        if wanted[key] > 0:
            wanted[key] -= 1
            kept.append(change)
        else:
            doomed.append(change.pk)
    CapacityChange.objects.filter(pk__in=doomed).delete()  # before: changes may not overlap
    made = CapacityChange.objects.bulk_create(
        [
            CapacityChange(scenario=None, **dict(zip(_CAPACITY_FIELDS, key, strict=True)))
            for key, n in wanted.items()
            for _i in range(n)
        ]
    )
    return kept + made


def _working_days_after(day: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days after ``day`` up to ``end`` (0 when ``end`` is not later)."""
    if end <= day:
        return 0
    return int(numpy.busday_count(day + dt.timedelta(days=1), end + dt.timedelta(days=1)))


def _late_projects(scenario: Scenario, touched: Counter[int]) -> list[LateProject]:
    """The projects the commit changed (allocations written back, or plans to change) whose
    work in the committed scenario ends after their planned finish."""
    ids = set(touched) | set(
        Project.objects.filter(code__in=scenario.plans_to_change).values_list("pk", flat=True)
    )
    ends = dict(
        Allocation.objects.filter(scenario=scenario, project_id__in=ids)
        .values("project_id")
        .annotate(end=Max("last"))
        .values_list("project_id", "end")
    )
    late = []
    for pk, code, finish in Project.objects.filter(pk__in=ends).values_list(
        "pk", "code", "planned_finish"
    ):
        end = ends[pk]
        if finish is not None and end > finish:
            late.append(LateProject(code, finish, end, _working_days_after(finish, end)))
    return sorted(late, key=lambda p: (-p.working_days_late, p.code))


@transaction.atomic
def discard_scenario(*, actor: User, scenario: Scenario, version: int | None = None) -> Scenario:
    """Close a draft scenario without changing the current plan (its rows are dropped);
    ``version``, when given, must be the scenario's (409 otherwise, nothing discarded)."""
    require_manage(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    require_draft(scenario, during_run=True)
    check_scenario_version(scenario, version)
    scenario.allocations.all().delete()
    scenario.capacity_changes.all().delete()
    scenario.state = ScenarioState.DISCARDED
    scenario.closed_at = timezone.now()
    save_update(
        actor=actor,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={"state": [ScenarioState.DRAFT, ScenarioState.DISCARDED]},
    )
    return scenario
