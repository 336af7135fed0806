"""Allocations entered by hand, the release of an ended project's resources and the
demand the schedules record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.last import last_change
from pmo.audit.models import AuditAction
from pmo.audit.services import (
    diff,
    record,
    record_created,
    record_deleted,
    save_changed,
    snapshot,
)
from pmo.core.errors import (
    ConflictError,
    DomainError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
)
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.resources import selectors
from pmo.resources.access import can_manage_resources
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    AllocationStatus,
    CapacityChange,
    Resource,
    ResourceKind,
    Scenario,
)
from pmo.resources.services.common import (
    _assign,
    _check_dates,
    _clean,
    _scope,
    lock_scenario,
    require_draft,
)
from pmo.resources.services.request_news import asked_figures, figures, tell_proposed
from pmo.resources.signals import requests_decided

__all__ = [
    "ALLOCATION_FIELDS",
    "DemandRow",
    "allocation_warnings",
    "create_allocation",
    "delete_allocation",
    "record_schedule_demand",
    "release_project",
    "removed_meanwhile",
    "unmatched_plan_names",
    "update_allocation",
    "upsert_allocation",
]


ALLOCATION_FIELDS = ["resource_id", "project_id", "first", "last", "fte", "status", "note"]
_ALLOCATION_NAMES = {"resource": "resource_id"}


def _may_allocate(
    actor: User,
    project: Project,
    status: str,
    scenario: Scenario | None = None,
    *,
    new: bool = False,
) -> None:
    """403 unless ``actor`` may make this allocation; for a ``new`` one (all of it from the
    body) the refusal names the body's field at fault: ``scenario_id``, ``status``, ``project``."""
    if can_manage_resources(actor):
        return

    def named(field: str) -> str | None:
        return field if new else None

    if scenario is not None:  # a what-if belongs to the resource managers who drew it up
        raise PermissionDeniedError(
            _("only resource managers change a draft scenario"), field=named("scenario_id")
        )
    if can_edit_project(actor, project):
        if status == AllocationStatus.PROPOSED:
            return
        raise PermissionDeniedError(
            _("only resource managers commit allocations; a project's manager may propose them"),
            field=named("status"),
        )
    raise PermissionDeniedError(
        _("only resource managers and the manager of %(code)s plan its staffing")
        % {"code": project.code},
        field=named("project"),
    )


@transaction.atomic
def create_allocation(
    *, actor: User, data: dict[str, Any], scenario: Scenario | None = None, tell: bool = True
) -> Allocation:
    """Allocate a resource to a project for a window (proposed or committed). A project
    manager's proposal in the current plan is a request its resource managers are told of,
    unless ``tell`` is false (:func:`~.request_news.tell_proposed`)."""
    allocation = Allocation(scenario=scenario, source=AllocationSource.MANUAL)
    _assign(allocation, data, [*ALLOCATION_FIELDS, "external_ref"])
    _known_resource(allocation)
    _check_dates(allocation.first, allocation.last)
    _clean(allocation, exclude=["origin", "scenario"], names=_ALLOCATION_NAMES)
    project = Project.objects.filter(pk=allocation.project_id).first()
    if project is None:
        raise FieldError("project", _("no such project"))
    allocation.project = project  # its code names the row in the audit trail
    _may_allocate(actor, project, allocation.status, scenario, new=True)
    require_draft(scenario)
    _refuse_ended(project)
    _refuse_unavailable(allocation, None)
    allocation.save()
    record_created(actor=actor, instance=allocation, scope=_scope(allocation))
    if tell:
        tell_proposed(actor, allocation, None)
    return allocation


@transaction.atomic
def upsert_allocation(
    *, actor: User, data: dict[str, Any], scenario: Scenario | None = None
) -> tuple[Allocation, bool]:
    """Create the allocation ``data["external_ref"]`` names in the layer, or change the one
    that has it already (no version needed: the key is the client's); ``(row, created)``.

    Sending the same body twice leaves one row as the body says (a retried nightly run).
    A ref that a concurrent call has just taken is found on a second look.
    """
    ref = str(data.get("external_ref") or "").strip()
    if not ref:
        return create_allocation(actor=actor, data=data, scenario=scenario), True
    data = {**data, "external_ref": ref}
    require_draft(scenario)  # the scenario locked before its rows, as a commit locks them
    for _attempt in range(2):
        existing = (
            Allocation.objects.select_for_update()
            .filter(scenario=scenario, external_ref=ref)
            .first()
        )
        if existing is not None:
            changes = {k: v for k, v in data.items() if k != "external_ref"}
            return update_allocation(
                actor=actor, allocation=existing, data=changes, version=None
            ), False
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves this transaction usable
                return create_allocation(actor=actor, data=data, scenario=scenario), True
        except IntegrityError:
            continue
    raise ConflictError(
        _("external_ref %(ref)s is being written by another request; try again") % {"ref": ref}
    )


def _known_resource(allocation: Allocation) -> None:
    """422 at ``resource_id`` for an id no resource has, in the API's words ("no resource
    9999"; ``full_clean`` would say "resource instance with id 9999 is not a valid choice.").
    The resource found is kept on the row: the checks after this one read it."""
    if allocation.resource_id is None or Allocation.resource.is_cached(allocation):
        return  # none given (full_clean says it is required), or the row's own, unchanged
    resource = Resource.objects.filter(pk=allocation.resource_id).first()
    if resource is None:
        raise FieldError(
            "resource_id", _("no resource %(resource)s") % {"resource": allocation.resource_id}
        )
    allocation.resource = resource


def _refuse_unavailable(allocation: Allocation, before: dict[str, Any] | None) -> None:
    """422 for work a resource cannot do: an inactive resource, a day before it is available
    (``first``) or after it leaves (``last``). On a change (``before``, the row's snapshot)
    only what the change brings is refused (another resource, an earlier start, a later
    end): a row of a resource that has left since may still be shortened or removed."""
    resource = allocation.resource  # read once; it names the row in the audit trail too
    was = before or {}
    moved = before is None or str(was["resource"]) != str(allocation.resource_id)
    if not resource.active and moved:
        raise FieldError(
            "resource_id",
            _("%(resource)s is inactive: it takes no new allocations")
            % {"resource": resource.code},
        )
    # a change refuses only what it brings: an earlier start, a later end
    first_changed = moved or allocation.first < dt.date.fromisoformat(str(was["first"]))
    if resource.available_from and allocation.first < resource.available_from and first_changed:
        raise FieldError(
            "first",
            _("%(resource)s is available from %(day)s: start the allocation on that day or later")
            % {"resource": resource.code, "day": resource.available_from.isoformat()},
        )
    last_changed = moved or allocation.last > dt.date.fromisoformat(str(was["last"]))
    if resource.available_until and allocation.last > resource.available_until and last_changed:
        raise FieldError(
            "last",
            _("%(resource)s is available until %(day)s: end the allocation on that day or earlier")
            % {"resource": resource.code, "day": resource.available_until.isoformat()},
        )


def allocation_warnings(allocation: Allocation) -> list[str]:
    """What is odd about an allocation that is stored all the same, in the active language:
    it ends after its project's planned finish, or its FTE is above what the resource has in
    the window (its standing capacity or a capacity change of the row's layer, the most of
    them), or above 1 FTE for a person, or a hand-entered row on days the project's plan
    already gives the resource work (counted twice?). None when it fits. The API answers them as
    ``warnings`` (as the plan import does); a page shows them as warning messages."""
    warnings: list[str] = []
    project, resource = allocation.project, allocation.resource
    finish = project.planned_finish
    if finish is not None and allocation.last > finish:
        warnings.append(
            _(
                "The allocation ends on %(last)s, after the planned finish of %(project)s "
                "(%(finish)s): check the dates, or the project's planned finish."
            )
            % {
                "last": allocation.last.isoformat(),
                "project": project.code,
                "finish": finish.isoformat(),
            }
        )
    changes = CapacityChange.objects.filter(
        resource_id=resource.pk,
        scenario=allocation.scenario,
        first__lte=allocation.last,
        last__gte=allocation.first,
    ).values_list("fte", flat=True)
    most = max([resource.fte, *changes])
    if resource.kind == ResourceKind.PERSON and allocation.fte > 1:
        warnings.append(
            _("%(fte)s FTE on %(resource)s, a person: a person works at most 1 FTE.")
            % {"fte": _fte(allocation.fte), "resource": resource.code}
        )
    elif allocation.fte > most:
        warnings.append(
            _(
                "%(fte)s FTE is more than the capacity of %(resource)s in these dates "
                "(%(capacity)s FTE at most): the allocation overloads it on its own."
            )
            % {"fte": _fte(allocation.fte), "resource": resource.code, "capacity": _fte(most)}
        )
    warnings.extend(_counted_twice(allocation))
    return warnings


def _counted_twice(allocation: Allocation) -> list[str]:
    """A hand-entered row on days its project's plan already gives the same resource work
    (schedule demand of the same layer): both count, which is rarely meant (ADR 0006)."""
    if allocation.source != AllocationSource.MANUAL:
        return []
    planned = list(
        Allocation.objects.filter(
            project_id=allocation.project_id,
            resource_id=allocation.resource_id,
            scenario=allocation.scenario_id,
            source=AllocationSource.SCHEDULE,
            first__lte=allocation.last,
            last__gte=allocation.first,
        ).values_list("first", "last")
    )
    if not planned:
        return []
    return [
        _(
            "Counted twice? The plan of %(project)s already gives %(resource)s work from "
            "%(first)s to %(last)s, and this allocation adds to it. Allocations by hand are "
            "for projects without a detailed plan: remove it unless it is other work."
        )
        % {
            "project": allocation.project.code,
            "resource": allocation.resource.code,
            "first": min(p[0] for p in planned).isoformat(),
            "last": max(p[1] for p in planned).isoformat(),
        }
    ]


def _fte(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


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


def _locked(pk: int) -> Allocation:
    """The allocation, locked, with its resource and project (they name it in the trail).

    A scenario's row is locked after its scenario, in the order a commit or discard of the
    scenario takes them (no deadlock). One removed meanwhile is a 409 naming who removed it."""
    scenario_id = Allocation.objects.filter(pk=pk).values_list("scenario_id", flat=True).first()
    if scenario_id is not None:
        lock_scenario(scenario_id)
    try:
        return (
            Allocation.objects.select_for_update(of=("self",))
            .select_related("resource", "project")
            .get(pk=pk)
        )
    except Allocation.DoesNotExist:
        raise removed_meanwhile(pk) from None


def removed_meanwhile(pk: int) -> DomainError:
    """No allocation ``pk`` any more: a 409 naming who removed it and when, from the audit
    trail (with a decline's reason); a 404 when the trail has no such removal."""
    removal = last_change(Allocation, pk, actions=[AuditAction.DELETE])
    if removal is None:
        return NotFoundError(_("no allocation %(id)s") % {"id": pk})
    event = removal.event
    named = {"id": pk, "label": event.object_repr, **removal.named()}
    declined = event.changes.get("declined")
    if isinstance(declined, list) and declined and declined[-1]:
        named["reason"] = str(declined[-1])
        message = _(
            "allocation %(id)s (%(label)s) was declined by %(who)s at %(when)s "
            "(“%(reason)s”); nothing was saved"
        )
    else:
        message = _(
            "allocation %(id)s (%(label)s) was removed by %(who)s at %(when)s; nothing was saved"
        )
    return ConflictError(message % named)


def _editable(allocation: Allocation) -> None:
    if allocation.source == AllocationSource.SCHEDULE and allocation.scenario_id is None:
        raise ConflictError(
            _("this allocation comes from the project's schedule; change the plan instead")
        )


@transaction.atomic
def update_allocation(
    *,
    actor: User,
    allocation: Allocation,
    data: dict[str, Any],
    version: int | None,
    tell: bool = True,
) -> Allocation:
    """Change an allocation (version-checked; schedule demand is changed in the plan). A
    request of the current plan committed this way (the staffing page's *Commit*, the API's
    ``PATCH``) is a decision its project's manager is told of, unless ``tell`` is false
    (:func:`~pmo.resources.services.decide_requests` tells once for several), with what
    was changed of what was asked. A project manager's change of a request's resource, dates
    or FTE is told to its resource managers (:func:`~.request_news.tell_proposed`)."""
    allocation = _locked(allocation.pk)
    allocation.check_version(version)
    _editable(allocation)
    require_draft(allocation.scenario)
    before = snapshot(allocation)
    was = figures(allocation)  # what a request asked, for its resource managers
    _assign(allocation, data, [*ALLOCATION_FIELDS, "external_ref"])
    _known_resource(allocation)
    if "external_ref" in data:
        _take_ref(allocation, data["external_ref"])
    _check_dates(allocation.first, allocation.last)
    _clean(allocation, exclude=["origin", "scenario"], names=_ALLOCATION_NAMES)
    # as stored (2 places): "1.5" sent again for a stored 1.50 is no change (no new version)
    allocation.fte = Decimal(allocation.fte).quantize(Decimal("0.01"))
    _may_allocate(actor, allocation.project, allocation.status, allocation.scenario)
    if before["status"] == AllocationStatus.COMMITTED and not can_manage_resources(actor):
        _may_allocate(actor, allocation.project, AllocationStatus.COMMITTED)
    if str(allocation.project_id) != str(before["project"]):
        _refuse_ended(allocation.project)  # given to an ended project: new work for it
    _within_end(allocation, before["last"])
    _refuse_unavailable(allocation, before)
    new_ref = allocation.external_ref != before["external_ref"]
    save_changed(
        actor=actor,
        instance=allocation,
        before=before,
        scope=_scope(allocation),
        save=partial(_save_with_ref, allocation) if new_ref else None,
    )
    decided = before["status"] == AllocationStatus.PROPOSED != allocation.status
    if tell and decided and allocation.scenario_id is None:
        requests_decided.send(
            sender=Allocation,
            actor=actor,
            committed=[allocation],
            declined=[],
            reason="",
            asked=asked_figures(actor, [allocation]),
        )
    elif tell and before["status"] == AllocationStatus.PROPOSED:
        tell_proposed(actor, allocation, was)
    return allocation


def _save_with_ref(allocation: Allocation) -> None:
    """Save an allocation given another client's key: one a concurrent request took since
    :func:`_take_ref` looked is a 409, not a 500 (a savepoint keeps the transaction)."""
    try:
        with transaction.atomic():
            allocation.save()
    except IntegrityError:
        raise _ref_taken(allocation.external_ref, None) from None


def _take_ref(allocation: Allocation, value: str | None) -> None:
    """Give ``allocation`` the client's key ``value`` (``None`` or blank: none). A key names
    one row of its layer: one another row has is refused (409 at ``external_ref``), and so is
    a key on schedule demand, which the plan writes (a scenario's copy of it may change)."""
    ref = (value or "").strip()
    allocation.external_ref = ref
    if not ref:
        return
    if allocation.source == AllocationSource.SCHEDULE:
        raise FieldError(
            "external_ref",
            _("only allocations entered by hand take an external_ref; this one is the plan's"),
        )
    other = (
        Allocation.objects.filter(scenario=allocation.scenario_id, external_ref=ref)
        .exclude(pk=allocation.pk)
        .values_list("pk", flat=True)
        .first()
    )
    if other is not None:
        raise _ref_taken(ref, other)


def _ref_taken(ref: str, other: int | None) -> ConflictError:
    if other is None:  # a concurrent request took it between the check and the save
        message = _(
            "another allocation has just taken the external_ref %(ref)s; a key names one "
            "allocation of the current plan or of a scenario"
        ) % {"ref": ref}
    else:
        message = _(
            "allocation %(other)s has the external_ref %(ref)s already; a key names one "
            "allocation of the current plan or of a scenario"
        ) % {"other": other, "ref": ref}
    return ConflictError(
        message,
        field="external_ref",
    )


@transaction.atomic
def delete_allocation(*, actor: User, allocation: Allocation, version: int | None) -> None:
    """Remove an allocation (version-checked)."""
    allocation = _locked(allocation.pk)
    allocation.check_version(version)
    _editable(allocation)
    require_draft(allocation.scenario)
    _may_allocate(actor, allocation.project, allocation.status, allocation.scenario)
    record_deleted(actor=actor, instance=allocation, scope=_scope(allocation))
    allocation.delete()


def release_project(*, actor: User | None, project: Project, day: dt.date) -> int:
    """A closed or cancelled project gives back its resources from ``day`` on.

    Its allocations in the current plan (proposed and committed, by hand or from its
    schedule) end the day before ``day``; those that start on or after it are removed. What
    was booked before stays: the heat map's history still shows who worked on it. Drafts of
    scenarios keep their copies (they are out of date now and say so). Audited per row;
    returns how many allocations were cut or removed.
    """
    rows = (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("resource", "project")
        .filter(scenario=None, project=project, last__gte=day)
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
    matched = _matched(r.resource for r in rows)
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


def _matched(plan_names: Iterable[str]) -> dict[str, int]:
    """The active resource each plan resource name books demand on, by the name stripped and
    lower-cased: a resource whose code or name is the same, case-insensitively."""
    names = {n.strip().lower() for n in plan_names}
    matched: dict[str, int] = {}
    for pk, code, name in Resource.objects.filter(active=True).values_list("pk", "code", "name"):
        for text in (code.lower(), name.lower()):
            if text in names:
                matched.setdefault(text, pk)
    return matched


def unmatched_plan_names(plan_names: Iterable[str]) -> list[str]:
    """The plan resource names that match no active resource (by code or name, as
    :func:`record_schedule_demand` matches them): their assignments are not demand."""
    names = list(plan_names)
    matched = _matched(names)
    return sorted({n for n in names if n.strip().lower() not in matched})
