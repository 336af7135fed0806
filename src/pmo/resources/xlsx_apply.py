"""Writing a checked capacity sheet: resources and the current plan's capacity changes, each
change audited as its own event, in one transaction and a few queries whatever the rows.

A row of sheet ``Resources`` creates its resource or updates the one with its code; sheet
``Capacity`` gives, for each resource it names, the resource's capacity changes in the
current plan. Those are compared with the stored ones by resource and days: the same days
with the same FTE and reason are left as they are, the same days with another FTE or reason
are updated, stored days the sheet does not give are removed and the others added. Every
resource and capacity change created, changed or removed is one audit event (``changes``
before → after, as a change made on the resource page records it) that names the sheet in
the pseudo-field ``capacity_sheet`` (``[None, "<file name>"]``); what the sheet leaves as it
was records nothing (ADR 0006, *Capacity sheet*).

The work is planned first (:func:`plan_sheet`, nothing written) and then written
(:func:`apply_sheet`): a dry run stops after the plan and answers the same report
(:mod:`pmo.resources.xlsx_report`), and the plan's *fingerprint* (the versions of the rows
it reads and the rows of the sheet) tells a preview that went stale (ADR 0006, *What an
import tells before it writes*).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pmo.accounts.models import User
from pmo.audit.models import AuditAction, AuditEvent
from pmo.audit.services import build_event, diff, record_all, snapshot
from pmo.core.bulk import update_rows
from pmo.core.errors import ConflictError, FieldError
from pmo.resources import xlsx_report, xlsx_stale
from pmo.resources.models import CapacityChange, Resource
from pmo.resources.services.roles import SheetRoles, write_sheet_roles

__all__ = [
    "BATCH",
    "FINGERPRINT_PATTERN",
    "SHEET_KEY",
    "Plan",
    "StaleSheet",
    "apply_sheet",
    "fingerprint_of",
    "malformed_fingerprint",
    "plan_sheet",
]

BATCH = 500  # rows per INSERT / UPDATE
SHEET_KEY = "capacity_sheet"  # the pseudo-field naming the sheet in every event of an import
# its label where the trail is listed as recorded (the admin): read through the catalogue
SHEET_LABEL = gettext_noop("capacity sheet")
SCOPE = "resources"  # the current plan's (services.resources.RESOURCES_SCOPE)

Rows = list[tuple[int, dict[str, Any]]]

FINGERPRINT_LENGTH = 32  # hexadecimal digits of a plan's fingerprint (of its SHA-256)
FINGERPRINT_PATTERN = f"^[0-9a-fA-F]{{{FINGERPRINT_LENGTH}}}$"
"""What an ``expected`` fingerprint looks like (either case: a tool may upper-case it)."""


def malformed_fingerprint(expected: str) -> str | None:
    """Why ``expected`` cannot be a fingerprint a check answered (cut off, garbled: a 422 at
    ``expected``), or ``None`` for a well-formed one. Only a well-formed one that differs
    from the plan's is a stale check (:class:`StaleSheet`, a 409)."""
    if re.fullmatch(FINGERPRINT_PATTERN, expected):
        return None
    return _(
        "must be the fingerprint the check (dry run) answered: %(length)s characters, 0-9 and a-f"
    ) % {"length": FINGERPRINT_LENGTH}


class StaleSheet(ConflictError):
    """The plan changed since the report a caller saw (``expected`` fingerprint): nothing is
    written; ``report`` is the new one, ``changed`` the codes of the resources whose stored
    rows changed since (:func:`pmo.resources.xlsx_stale.changed_since`; empty when not
    known)."""

    def __init__(
        self, message: str, *, report: dict[str, Any], changed: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.report = report
        self.changed = changed or []

    def payload(self) -> dict[str, Any]:
        return {
            **super().payload(),
            "fingerprint": self.report["fingerprint"],
            "changed_since": self.changed,
        }


@dataclass
class Plan:
    """What a checked sheet does to the stored rows, not written yet. The resources and
    capacity changes listed are the stored objects with the sheet's values set (or new
    unsaved ones); ``before`` holds a changed capacity change's stored FTE and reason."""

    rows: Rows
    capacity: Rows
    stored: dict[str, Resource]  # the sheet's resources found, by code
    new: list[Resource] = field(default_factory=list)
    changed: list[tuple[Resource, dict[str, list[Any]]]] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    new_changes: list[tuple[str, CapacityChange]] = field(default_factory=list)
    changed_changes: list[tuple[str, CapacityChange, dict[str, list[Any]]]] = field(
        default_factory=list
    )
    gone: list[tuple[str, CapacityChange]] = field(default_factory=list)
    state: list[tuple[str, int, int]] = field(default_factory=list)  # (type, pk, version)

    @property
    def fingerprint(self) -> str:
        """Changes whenever what the plan read or the rows it writes change."""
        return fingerprint_of(self.state, self.rows, self.capacity)


def fingerprint_of(state: list[tuple[str, int, int]], rows: Rows, capacity: Rows) -> str:
    """A plan's fingerprint from the versions of the rows it read (``state``) and the rows of
    the sheet (:mod:`pmo.resources.xlsx_stale` reads it back in time)."""
    text = json.dumps([sorted(state), rows, capacity], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:FINGERPRINT_LENGTH]


def plan_sheet(*, rows: Rows, capacity: Rows, lock: bool) -> Plan:
    """What writing the checked rows of sheets ``Resources`` (``rows``) and ``Capacity``
    (``capacity``) would do; with ``lock`` the rows read are locked for the write."""
    codes = {row["code"] for _n, row in rows} | {e["resource"] for _n, e in capacity}
    query = Resource.objects.filter(code__in=codes)
    stored = {r.code: r for r in (query.select_for_update() if lock else query)}
    plan = Plan(rows=rows, capacity=capacity, stored=stored)
    plan.state = [("resource", r.pk, r.version) for r in stored.values()]
    _plan_resources(plan)
    _plan_capacity(plan, lock)
    return plan


def _plan_resources(plan: Plan) -> None:
    for _number, row in plan.rows:
        resource = plan.stored.get(row["code"])
        if resource is None:
            plan.new.append(Resource(**row))
            continue
        before = snapshot(resource)
        for key, value in row.items():
            setattr(resource, key, value)
        changes = diff(before, snapshot(resource))
        if changes:
            plan.fields.update(row)
            plan.changed.append((resource, changes))


def _plan_capacity(plan: Plan, lock: bool) -> None:
    named = {e["resource"] for _n, e in plan.capacity}
    codes = {r.pk: code for code, r in plan.stored.items() if code in named}
    query = CapacityChange.objects.filter(scenario=None, resource_id__in=codes).order_by("pk")
    stored: dict[tuple[str, Any, Any], list[CapacityChange]] = defaultdict(list)
    for change in query.select_for_update() if lock else query:
        change.resource = plan.stored[codes[change.resource_id]]  # it names it in the trail
        plan.state.append(("capacity", change.pk, change.version))
        stored[(codes[change.resource_id], change.first, change.last)].append(change)
    for _number, entry in plan.capacity:
        code = entry["resource"]
        same_days = stored.get((code, entry["first"], entry["last"]))
        if not same_days:
            resource = plan.stored.get(code)
            new = CapacityChange(
                first=entry["first"], last=entry["last"], fte=entry["fte"], reason=entry["reason"]
            )
            if resource is not None:  # a new resource's id is set when it is written
                new.resource = resource
            plan.new_changes.append((code, new))
            continue
        change = same_days.pop(0)
        if change.fte == entry["fte"] and change.reason == entry["reason"]:
            continue
        before = snapshot(change)
        change.fte, change.reason = entry["fte"], entry["reason"]
        # the resource too, unchanged: the resource page finds its changes' events by it
        rid = change.resource_id
        changes = {**diff(before, snapshot(change)), "resource": [rid, rid]}
        plan.changed_changes.append((code, change, changes))
    plan.gone = [(code, c) for (code, _f, _l), left in stored.items() for c in left]


@transaction.atomic
def apply_sheet(
    *,
    actor: User | None,
    rows: Rows,
    capacity: Rows,
    sheet: str,
    roles: SheetRoles | None = None,
    saved: dt.datetime | None = None,
    dry_run: bool = False,
    expected: str | None = None,
) -> dict[str, Any]:
    """Write the checked rows of sheets ``Resources`` (``rows``) and ``Capacity``
    (``capacity``) of the file named ``sheet`` (saved at ``saved``, as the workbook says) and
    their audit events, after the catalogue roles the rows add or name in Chinese (``roles``,
    :func:`pmo.resources.services.roles.plan_sheet_roles`); the report of what was done
    (:func:`xlsx_report.report`). A ``dry_run`` writes nothing and answers what would be
    done. With ``expected`` (the fingerprint of an earlier report) a plan that changed since
    is refused (:class:`StaleSheet`, nothing written); one that cannot be a fingerprint is
    a 422 at ``expected`` (:func:`malformed_fingerprint`)."""
    if expected is not None:
        problem = malformed_fingerprint(expected)
        if problem:
            raise FieldError("expected", problem)
    plan = plan_sheet(rows=rows, capacity=capacity, lock=not dry_run)
    last = xlsx_report.last_changes(plan)  # before the import's own events
    fingerprint = plan.fingerprint
    if expected is not None and expected.lower() != fingerprint:
        report = xlsx_report.report(plan, last, actor=actor, sheet=sheet, saved=saved, dry_run=True)
        changed = xlsx_stale.changed_since(plan, expected.lower())
        raise StaleSheet(xlsx_stale.stale_message(changed), report=report, changed=changed)
    if not dry_run:
        if roles is not None:  # the roles it adds or names in Chinese, then the resources
            write_sheet_roles(actor, roles, also={SHEET_KEY: [None, sheet]})
        _write_plan(actor, plan, sheet)
    return xlsx_report.report(plan, last, actor=actor, sheet=sheet, saved=saved, dry_run=dry_run)


def _write_plan(actor: User | None, plan: Plan, sheet: str) -> None:
    now = timezone.now()
    source = [None, sheet]
    for resource, _changes in plan.changed:
        resource.version += 1
        resource.updated_at = now
    # ids come back from the INSERT (SQLite 3.35+ and PostgreSQL): the events need them
    Resource.objects.bulk_create(plan.new, batch_size=BATCH)
    _write([r for r, _c in plan.changed], sorted(plan.fields | {"version", "updated_at"}))
    events = [
        _event(actor, AuditAction.CREATE, r, {**diff({}, snapshot(r)), SHEET_KEY: source})
        for r in plan.new
    ]
    events.extend(
        _event(actor, AuditAction.UPDATE, r, {**changes, SHEET_KEY: source})
        for r, changes in plan.changed
    )
    events.extend(
        _event(actor, AuditAction.DELETE, c, {**diff(snapshot(c), {}), SHEET_KEY: source})
        for _code, c in plan.gone
    )
    gone = [c.pk for _code, c in plan.gone]
    for start in range(0, len(gone), BATCH):  # SQLite caps the parameters of one query
        CapacityChange.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    for _code, change, _changes in plan.changed_changes:
        change.version += 1
        change.updated_at = now
    _write(
        [c for _code, c, _ch in plan.changed_changes], ["fte", "reason", "version", "updated_at"]
    )
    events.extend(
        _event(actor, AuditAction.UPDATE, c, {**changes, SHEET_KEY: source})
        for _code, c, changes in plan.changed_changes
    )
    made = {r.code: r for r in plan.new}
    for code, change in plan.new_changes:
        if change.resource_id is None:
            change.resource = made[code]
    CapacityChange.objects.bulk_create([c for _code, c in plan.new_changes], batch_size=BATCH)
    events.extend(
        _event(actor, AuditAction.CREATE, c, {**diff({}, snapshot(c)), SHEET_KEY: source})
        for _code, c in plan.new_changes
    )
    record_all(events)


def _event(
    actor: User | None, action: AuditAction, instance: Any, changes: dict[str, Any]
) -> AuditEvent:
    return build_event(actor=actor, action=action, instance=instance, scope=SCOPE, changes=changes)


def _write(rows: list[Any], fields: list[str]) -> None:
    """Many rows' ``fields`` in one statement (:func:`pmo.core.bulk.update_rows`; the
    sheet's rows are checked already)."""
    update_rows(rows, fields)
