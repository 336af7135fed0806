"""Use-cases of capacity planning: resources, capacity, allocations, scenarios.

Every write checks permission (:mod:`pmo.resources.access`), validates, checks the
version (409 on a stale one), is audited and runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.dates import date_out_of_range
from pmo.core.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailed,
)
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.resources import selectors
from pmo.resources.access import can_manage_resources, require_manage
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    AllocationStatus,
    CalendarDay,
    CapacityChange,
    ProjectShift,
    Resource,
    Scenario,
    ScenarioState,
    WorkingCalendar,
)
from pmo.resources.signals import scenario_committed

__all__ = [
    "DemandRow",
    "add_capacity_change",
    "commit_scenario",
    "create_allocation",
    "create_resource",
    "create_scenario",
    "delete_allocation",
    "delete_capacity_change",
    "discard_scenario",
    "record_schedule_demand",
    "release_project",
    "shift_project",
    "update_allocation",
    "update_resource",
]

RESOURCE_FIELDS = [
    "code",
    "name",
    "name_zh",
    "kind",
    "role",
    "role_zh",
    "skills",
    "org_unit_id",
    "person_id",
    "fte",
    "hours_per_day",
    "cost_rate",
    "currency",
    "calendar",
    "available_from",
    "available_until",
    "active",
]
ALLOCATION_FIELDS = ["resource_id", "project_id", "first", "last", "fte", "status", "note"]
_ALLOCATION_NAMES = {"resource": "resource_id"}
_RESOURCE_NAMES = {"org_unit": "org_unit_id"}
RESOURCES_SCOPE = "resources"


def _scope(allocation: Allocation) -> str:
    if allocation.scenario_id:
        return f"scenario:{allocation.scenario_id}"
    return f"project:{allocation.project_id}"


def _clean(
    instance: models.Model, exclude: list[str] | None = None, names: dict[str, str] | None = None
) -> None:
    """``full_clean`` as a 422; ``names`` renames model fields to the request's ("resource"
    is ``resource_id`` in an allocation's body)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        failed = ValidationFailed.from_django(exc)
        if not names:
            raise failed from None
        errors = [{**e, "field": names.get(e["field"], e["field"])} for e in failed.errors]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise ValidationFailed(summary, errors=errors) from None


def _assign(instance: models.Model, data: dict[str, Any], fields: list[str]) -> None:
    for name, value in data.items():
        if name not in fields:
            raise FieldError(name, _("unknown field"))
        setattr(instance, name, value)


def _check_dates(first: dt.date | None, last: dt.date | None, field: str = "last") -> None:
    if first and last and last < first:
        raise FieldError(field, _("the end date is before the start date"))


# --- resources -------------------------------------------------------------


@transaction.atomic
def create_resource(*, actor: User | None, data: dict[str, Any]) -> Resource:
    """Create a person or a role pool."""
    if actor is not None:
        require_manage(actor)
    resource = Resource()
    _assign(resource, data, RESOURCE_FIELDS)
    _check_dates(resource.available_from, resource.available_until, "available_until")
    _clean(resource, names=_RESOURCE_NAMES)
    if Resource.objects.filter(code=resource.code).exists():
        raise FieldError(
            "code", _("a resource with code %(code)s exists") % {"code": repr(resource.code)}
        )
    _check_person_free(resource)
    resource.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=resource,
        scope=RESOURCES_SCOPE,
        changes=diff({}, snapshot(resource)),
    )
    return resource


def _check_person_free(resource: Resource) -> None:
    """A person is one resource: a second one for the same person is refused (422), not left
    to the database's unique constraint (a 500)."""
    if resource.person_id is None:
        return
    taken = (
        Resource.objects.filter(person_id=resource.person_id)
        .exclude(pk=resource.pk)
        .values_list("code", flat=True)
        .first()
    )
    if taken is not None:
        raise FieldError(
            "person_id",
            _("this person is already the resource %(code)s") % {"code": repr(taken)},
        )


@transaction.atomic
def update_resource(
    *, actor: User, resource: Resource, data: dict[str, Any], version: int | None
) -> Resource:
    """Change a resource (version-checked)."""
    require_manage(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.check_version(version)
    before = snapshot(resource)
    _assign(resource, data, RESOURCE_FIELDS)
    _check_dates(resource.available_from, resource.available_until, "available_until")
    _clean(resource, names=_RESOURCE_NAMES)
    if Resource.objects.filter(code=resource.code).exclude(pk=resource.pk).exists():
        raise FieldError(
            "code", _("a resource with code %(code)s exists") % {"code": repr(resource.code)}
        )
    _check_person_free(resource)
    changes = diff(before, snapshot(resource))
    if changes:
        resource.version += 1
        resource.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=resource,
            scope=RESOURCES_SCOPE,
            changes=changes,
        )
    return resource


# --- capacity --------------------------------------------------------------


def _draft(scenario: Scenario | None) -> None:
    if scenario is not None and scenario.state != ScenarioState.DRAFT:
        raise ConflictError(
            _("scenario %(name)s is %(state)s; it cannot change")
            % {"name": repr(scenario.name), "state": scenario.state}
        )


@transaction.atomic
def add_capacity_change(
    *,
    actor: User | None,
    resource: Resource,
    first: dt.date,
    last: dt.date,
    fte: Decimal,
    reason: str = "",
    scenario: Scenario | None = None,
) -> CapacityChange:
    """Set a resource's capacity for a window (leave, part time, a pool growing)."""
    if actor is not None:
        require_manage(actor)
    _draft(scenario)
    _check_dates(first, last)
    change = CapacityChange(
        resource=resource, scenario=scenario, first=first, last=last, fte=fte, reason=reason
    )
    _clean(change, exclude=["resource", "scenario"])
    overlap = CapacityChange.objects.filter(
        resource=resource, scenario=scenario, first__lte=last, last__gte=first
    ).first()
    if overlap is not None:
        raise FieldError(
            "first",
            _("overlaps the capacity change %(first)s..%(last)s; change that one")
            % {"first": overlap.first, "last": overlap.last},
        )
    change.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=change,
        scope=f"scenario:{scenario.pk}" if scenario else RESOURCES_SCOPE,
        changes=diff({}, snapshot(change)),
    )
    return change


@transaction.atomic
def delete_capacity_change(*, actor: User, change: CapacityChange) -> None:
    """Remove a capacity change (the standing capacity applies again)."""
    require_manage(actor)
    _draft(change.scenario)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=change,
        scope=f"scenario:{change.scenario_id}" if change.scenario_id else RESOURCES_SCOPE,
        changes=diff(snapshot(change), {}),
    )
    change.delete()


# --- calendar days entered by hand ------------------------------------------


WORK_WORDS = {"work", "working", "上班", "调休"}
OFF_WORDS = {"off", "holiday", "休", "休息", "放假"}


def parse_calendar_days(text: str) -> list[tuple[dt.date, bool, str]]:
    r"""Lines ``YYYY-MM-DD [off|work] [name]`` as ``(day, working, name)``.

    Raises :class:`ValidationFailed` naming every bad line (``line 3: ...``).

    Examples
    --------
    >>> for day in parse_calendar_days("2027-02-06 work 春节调休\n2027-02-11 off Spring Festival"):
    ...     print(day)
    (datetime.date(2027, 2, 6), True, '春节调休')
    (datetime.date(2027, 2, 11), False, 'Spring Festival')
    """
    days: list[tuple[dt.date, bool, str]] = []
    errors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split()
        if not words:
            continue
        try:
            day = dt.date.fromisoformat(words[0])
        except ValueError:
            errors.append(
                {
                    "field": f"line {number}",
                    "message": _("%(text)s is not a date") % {"text": repr(words[0])},
                }
            )
            continue
        kind = words[1].lower() if len(words) > 1 else ""
        working = kind in WORK_WORDS
        rest = words[2:] if kind in WORK_WORDS | OFF_WORDS else words[1:]
        days.append((day, working, " ".join(rest)[:100]))
    if errors:
        raise ValidationFailed(
            "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
        )
    return days


@transaction.atomic
def add_calendar_days(*, actor: User, calendar: str, text: str) -> int:
    """Enter days of a resource calendar (a year's official holidays and 调休 before the
    holiday library knows them, company days off); a day already entered is replaced.
    All lines or none; audited. Returns how many days were written."""
    require_manage(actor)
    if calendar not in {c.value for c in WorkingCalendar}:
        raise FieldError("calendar", _("unknown calendar %(code)s") % {"code": repr(calendar)})
    days = parse_calendar_days(text)
    if not days:
        raise FieldError("days", _("enter at least one line: YYYY-MM-DD [off|work] [name]"))
    for day, working, name in days:
        entry, created = CalendarDay.objects.update_or_create(
            calendar=calendar, day=day, defaults={"working": working, "name": name}
        )
        record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=entry,
            scope=RESOURCES_SCOPE,
            changes=diff({}, snapshot(entry)),
        )
    return len(days)


@transaction.atomic
def delete_calendar_day(*, actor: User, entry: CalendarDay) -> None:
    """Remove a hand-entered day (the holiday library and the weekday rule apply again)."""
    require_manage(actor)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=entry,
        scope=RESOURCES_SCOPE,
        changes=diff(snapshot(entry), {}),
    )
    entry.delete()


# --- allocations -----------------------------------------------------------


def _may_allocate(
    actor: User, project: Project, status: str, scenario: Scenario | None = None
) -> None:
    if can_manage_resources(actor):
        return
    if scenario is not None:  # a what-if belongs to the resource managers who drew it up
        raise PermissionDeniedError(_("only resource managers change a draft scenario"))
    if can_edit_project(actor, project):
        if status == AllocationStatus.PROPOSED:
            return
        raise PermissionDeniedError(
            _("only resource managers commit allocations; a project's manager may propose them")
        )
    raise PermissionDeniedError(
        _("only resource managers and the manager of %(code)s plan its staffing")
        % {"code": project.code}
    )


@transaction.atomic
def create_allocation(
    *, actor: User, data: dict[str, Any], scenario: Scenario | None = None
) -> Allocation:
    """Allocate a resource to a project for a window (proposed or committed)."""
    allocation = Allocation(scenario=scenario, source=AllocationSource.MANUAL)
    _assign(allocation, data, ALLOCATION_FIELDS)
    _check_dates(allocation.first, allocation.last)
    _clean(allocation, exclude=["origin", "scenario"], names=_ALLOCATION_NAMES)
    project = Project.objects.filter(pk=allocation.project_id).first()
    if project is None:
        raise FieldError("project", _("no such project"))
    _may_allocate(actor, project, allocation.status, scenario)
    _draft(scenario)
    _refuse_ended(project)
    allocation.save()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=allocation,
        scope=_scope(allocation),
        changes=diff({}, snapshot(allocation)),
    )
    return allocation


def _refuse_ended(project: Project) -> None:
    """A closed or cancelled project takes no new allocations (409), in any layer."""
    day = selectors.ended_on(project)
    if day is not None:
        raise ConflictError(
            _("%(ended)s: it takes no new allocations")
            % {"ended": selectors.ended_text(project, day)}
        )


def _within_end(allocation: Allocation, before_last: str | None) -> None:
    """An allocation of an ended project may not be moved or stretched past the day before
    it ended (422 at ``last``); shortening one, or changing one that ends before, is fine."""
    day = selectors.ended_on(allocation.project)
    if day is None or allocation.last < day:
        return
    if before_last is not None and allocation.last <= dt.date.fromisoformat(before_last):
        return  # not moved later: a stale copy in a scenario may still be shortened
    raise FieldError(
        "last",
        _("%(ended)s: its allocations end by %(last)s at the latest")
        % {
            "ended": selectors.ended_text(allocation.project, day),
            "last": (day - dt.timedelta(days=1)).isoformat(),
        },
    )


def _editable(allocation: Allocation) -> None:
    if allocation.source == AllocationSource.SCHEDULE and allocation.scenario_id is None:
        raise ConflictError(
            _("this allocation comes from the project's schedule; change the plan instead")
        )


@transaction.atomic
def update_allocation(
    *, actor: User, allocation: Allocation, data: dict[str, Any], version: int | None
) -> Allocation:
    """Change an allocation (version-checked; schedule demand is changed in the plan)."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    allocation.check_version(version)
    _editable(allocation)
    _draft(allocation.scenario)
    before = snapshot(allocation)
    _assign(allocation, data, ALLOCATION_FIELDS)
    _check_dates(allocation.first, allocation.last)
    _clean(allocation, exclude=["origin", "scenario"], names=_ALLOCATION_NAMES)
    _may_allocate(actor, allocation.project, allocation.status, allocation.scenario)
    if before["status"] == AllocationStatus.COMMITTED and not can_manage_resources(actor):
        _may_allocate(actor, allocation.project, AllocationStatus.COMMITTED)
    if str(allocation.project_id) != str(before["project"]):
        _refuse_ended(allocation.project)  # given to an ended project: new work for it
    _within_end(allocation, before["last"])
    changes = diff(before, snapshot(allocation))
    if changes:
        allocation.version += 1
        allocation.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=allocation,
            scope=_scope(allocation),
            changes=changes,
        )
    return allocation


@transaction.atomic
def delete_allocation(*, actor: User, allocation: Allocation, version: int | None) -> None:
    """Remove an allocation (version-checked)."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    allocation.check_version(version)
    _editable(allocation)
    _draft(allocation.scenario)
    _may_allocate(actor, allocation.project, allocation.status, allocation.scenario)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=allocation,
        scope=_scope(allocation),
        changes=diff(snapshot(allocation), {}),
    )
    allocation.delete()


def release_project(*, actor: User | None, project: Project, day: dt.date) -> int:
    """A closed or cancelled project gives back its resources from ``day`` on.

    Its allocations in the current plan (proposed and committed, by hand or from its
    schedule) end the day before ``day``; those that start on or after it are removed. What
    was booked before stays: the heat map's history still shows who worked on it. Drafts of
    scenarios keep their copies (they are out of date now and say so). Audited per row;
    returns how many allocations were cut or removed.
    """
    rows = Allocation.objects.select_for_update().filter(
        scenario=None, project=project, last__gte=day
    )
    touched = 0
    for allocation in rows:
        before = snapshot(allocation)
        ends = allocation.first < day
        if ends:
            allocation.last = day - dt.timedelta(days=1)
            allocation.version += 1
        record(
            actor=actor,
            action=AuditAction.UPDATE if ends else AuditAction.DELETE,
            instance=allocation,
            scope=f"project:{project.pk}",
            changes=diff(before, snapshot(allocation) if ends else {}),
        )
        if ends:
            allocation.save(update_fields=["last", "version", "updated_at"])
        else:
            allocation.delete()
        touched += 1
    return touched


# --- demand from schedules -------------------------------------------------


@dataclass(frozen=True)
class DemandRow:
    """A task assignment as demand: the plan resource's name, dates and units (1.0 = FTE)."""

    resource: str
    first: dt.date
    last: dt.date
    fte: float
    task_uid: int | None = None


@transaction.atomic
def record_schedule_demand(*, project: Project, rows: list[DemandRow]) -> list[str]:
    """Replace the project's schedule demand with ``rows``; return unmatched resource names.

    Called by the scheduling app after a plan is recomputed (scheduling may import
    resources; resources never imports scheduling). A plan resource matches a resource by
    code or name, case-insensitively. Schedule demand is committed demand.
    """
    Allocation.objects.filter(
        scenario=None, project=project, source=AllocationSource.SCHEDULE
    ).delete()
    if not rows:
        return []
    names = {r.resource.strip().lower() for r in rows}
    matched: dict[str, int] = {}
    for pk, code, name in Resource.objects.filter(active=True).values_list("pk", "code", "name"):
        for text in (code.lower(), name.lower()):
            if text in names:
                matched.setdefault(text, pk)
    created = [
        Allocation(
            project=project,
            resource_id=matched[r.resource.strip().lower()],
            first=r.first,
            last=max(r.last, r.first),
            fte=Decimal(str(round(r.fte, 2))),
            status=AllocationStatus.COMMITTED,
            source=AllocationSource.SCHEDULE,
            task_uid=r.task_uid,
        )
        for r in rows
        if r.resource.strip().lower() in matched and r.fte > 0
    ]
    if project.state in ENDED_STATES:  # a recompute after the end does not book it again
        today = timezone.localdate()
        created = [a for a in created if a.first < today]
        for a in created:
            a.last = min(a.last, today - dt.timedelta(days=1))
    Allocation.objects.bulk_create(created, batch_size=500)
    return sorted({r.resource for r in rows if r.resource.strip().lower() not in matched})


# --- scenarios -------------------------------------------------------------


@transaction.atomic
def create_scenario(*, actor: User, name: str, description: str = "") -> Scenario:
    """Copy the current allocations and capacity changes into a new draft scenario."""
    require_manage(actor)
    if not name.strip():
        raise FieldError("name", _("a scenario needs a name"))
    scenario = Scenario.objects.create(
        name=name.strip()[:200], description=description, created_by=actor
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
) -> ProjectShift:
    """Move a project's allocations in the scenario by ``days`` (on top of earlier shifts)."""
    require_manage(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _draft(scenario)
    if days and (day := selectors.ended_on(project)) is not None:
        raise ConflictError(
            _("%(ended)s: its work is not moved in scenarios")
            % {"ended": selectors.ended_text(project, day)}
        )
    if abs(days) > 3660:
        raise FieldError("days", _("shift by at most 3,660 days"))
    earlier = (
        ProjectShift.objects.filter(scenario=scenario, project=project)
        .values_list("days", flat=True)
        .first()
        or 0
    )
    if abs(earlier + days) > 3660:
        raise FieldError(
            "days",
            _(
                "a project moves at most 3,660 days in a scenario in all; "
                "it has moved %(days)s already"
            )
            % {"days": earlier},
        )
    if priority is not None and not 1 <= priority <= 5:
        raise FieldError("priority", _("priority is 1 (highest) to 5"))
    if days:
        span = Allocation.objects.filter(scenario=scenario, project=project).aggregate(
            first=models.Min("first"), last=models.Max("last")
        )
        delta = dt.timedelta(days=days)
        for edge in ("first", "last"):
            problem = span[edge] and date_out_of_range(span[edge] + delta)
            if problem:
                raise FieldError(
                    "days",
                    _("moving %(code)s by %(days)s days takes its work out of range: %(problem)s")
                    % {"code": project.code, "days": days, "problem": problem},
                )
    shift, _created = ProjectShift.objects.get_or_create(scenario=scenario, project=project)
    before = {"days": shift.days, "priority": shift.priority, "pinned": shift.pinned}
    if days:
        delta = dt.timedelta(days=days)
        # a new version: an edit from a page read before the move is refused (409), not
        # written over it
        Allocation.objects.filter(scenario=scenario, project=project).update(
            first=models.F("first") + delta,
            last=models.F("last") + delta,
            version=models.F("version") + 1,
            moves=models.F("moves") + 1,
            updated_at=timezone.now(),
        )
    shift.days += days
    shift.moved_days += days  # the whole project: a refresh moves the plan's new rows too
    if priority is not None:
        shift.priority = priority
    if pinned is not None:
        shift.pinned = pinned
    shift.save()
    scenario.version += 1
    scenario.save(update_fields=["version", "updated_at"])
    after = {"days": shift.days, "priority": shift.priority, "pinned": shift.pinned}
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={
            f"{project.code}.{k}": [before[k], after[k]] for k in before if before[k] != after[k]
        },
    )
    return shift


@dataclass(frozen=True)
class CommitResult:
    created: int
    updated: int
    deleted: int
    capacity_changes: int
    plans_to_change: list[str]


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
    _draft(scenario)
    if version is not None and version != scenario.version:
        raise ConflictError(
            _("the scenario was changed (your version %(yours)s, current %(current)s)")
            % {"yours": version, "current": scenario.version},
            current_version=scenario.version,
        )
    live = Allocation.objects.select_for_update().filter(
        scenario=None, source=AllocationSource.MANUAL
    )
    list(live.values_list("pk", flat=True))  # lock the current plan's rows, then check them
    reason = selectors.scenario_out_of_date(scenario)
    if reason == "allocations":
        raise ConflictError(
            _(
                "allocations of the current plan changed since this scenario was created; "
                "create a new scenario from the current plan"
            )
        )
    if reason == "capacity":
        raise ConflictError(
            _(
                "capacity changed since this scenario was created; "
                "create a new scenario from the current plan"
            )
        )
    copies = list(Allocation.objects.filter(scenario=scenario, source=AllocationSource.MANUAL))
    live_changes = CapacityChange.objects.filter(scenario=None)
    kept = {c.origin_id for c in copies if c.origin_id}
    doomed = [a for a in live if a.pk not in kept]
    for allocation in doomed:
        record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=allocation,
            scope=_scope(allocation),
            changes=diff(snapshot(allocation), {}),
        )
    Allocation.objects.filter(pk__in=[a.pk for a in doomed]).delete()
    touched: Counter[int] = Counter(a.project_id for a in doomed)  # project id -> allocations
    fields = ["resource_id", "project_id", "first", "last", "fte", "status", "note"]
    current = {a.pk: a for a in Allocation.objects.filter(pk__in=kept)}
    updated = created = 0
    for copy in copies:
        target = current.get(copy.origin_id) if copy.origin_id else None
        if target is None:
            target = Allocation(source=AllocationSource.MANUAL)
            for f in fields:
                setattr(target, f, getattr(copy, f))
            target.save()
            created += 1
            touched[target.project_id] += 1
            record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=target,
                scope=_scope(target),
                changes=diff({}, snapshot(target)),
            )
            continue
        before, was_project = snapshot(target), target.project_id
        for f in fields:
            setattr(target, f, getattr(copy, f))
        changes = diff(before, snapshot(target))
        if changes:
            target.version += 1
            target.save()
            updated += 1
            touched.update({was_project, target.project_id})
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=target,
                scope=_scope(target),
                changes=changes,
            )
    count = live_changes.count()
    live_changes.delete()
    new_changes = CapacityChange.objects.bulk_create(
        [
            CapacityChange(scenario=None, **row)
            for row in CapacityChange.objects.filter(scenario=scenario).values(
                "resource_id", "first", "last", "fte", "reason"
            )
        ]
    )
    plans = selectors.plans_to_change(scenario.pk)
    scenario.plans_to_change = plans
    scenario.state = ScenarioState.COMMITTED
    scenario.closed_at = timezone.now()
    scenario.version += 1
    scenario.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
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
    return CommitResult(created, updated, len(doomed), len(new_changes), plans)


@transaction.atomic
def discard_scenario(*, actor: User, scenario: Scenario) -> Scenario:
    """Close a draft scenario without changing the current plan (its rows are dropped)."""
    require_manage(actor)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    _draft(scenario)
    scenario.allocations.all().delete()
    scenario.capacity_changes.all().delete()
    scenario.state = ScenarioState.DISCARDED
    scenario.closed_at = timezone.now()
    scenario.version += 1
    scenario.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=scenario,
        scope=f"scenario:{scenario.pk}",
        changes={"state": [ScenarioState.DRAFT, ScenarioState.DISCARDED]},
    )
    return scenario


def get_resource(pk: int) -> Resource:
    """The resource ``pk`` or :class:`NotFoundError`."""
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None:
        raise NotFoundError(_("no resource %(resource)s") % {"resource": pk})
    return resource
