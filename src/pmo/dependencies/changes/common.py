"""What raising a change request and its workflow share: thresholds, who manages a request,
the impact analysis, audit scopes, and who is told or asked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from pmo.accounts.models import User
from pmo.audit.services import record
from pmo.dependencies import adapters
from pmo.dependencies.models import ChangeRequest
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.currencies import base_currency, rates_on
from pmo.portfolio.models import Milestone, Program, Project
from pmo.scheduling.models import Task

__all__ = [
    "AUDITED",
    "DEFAULT_THRESHOLDS",
    "SteeringCost",
    "asked_managers",
    "audit_change",
    "change_scopes",
    "compute_impact",
    "cost_currency",
    "leads_program",
    "may_manage",
    "needs_steering",
    "origin_project",
    "others_than",
    "source_key",
    "steering_cost",
    "thresholds",
    "users_of",
]

DEFAULT_THRESHOLDS = {"slip_days": 10, "cost": 1_000_000, "effort": 200}

AUDITED = ["state", "slip_days", "cost_impact", "effort_impact", "needs_steering", "decision_note"]


def thresholds() -> dict[str, Any]:
    """Above any of these a change needs the steering committee (``PMO_CHANGE_THRESHOLDS``);
    the cost is in the base currency (``PMO_BASE_CURRENCY``)."""
    return {**DEFAULT_THRESHOLDS, **getattr(settings, "PMO_CHANGE_THRESHOLDS", {})}


def cost_currency(cr: ChangeRequest) -> str:
    """The currency of a request's cost: its project's; at program level the one its
    program's projects share, else (several, or none) the base currency (ADR 0016)."""
    if cr.project is not None:
        return cr.project.currency
    if cr.program_id is not None:
        used = set(
            Project.objects.filter(program_id=cr.program_id).values_list("currency", flat=True)
        )
        if len(used) == 1:
            return used.pop()
    return base_currency()


@dataclass(frozen=True)
class SteeringCost:
    """A request's cost against the steering committee's cost threshold (in the base
    currency): ``cost_in_base`` is ``None`` when the cost's currency has no exchange rate
    valid on ``day``; such a cost above 0 is taken to need the steering committee."""

    cost: Decimal
    currency: str
    base: str
    threshold: Decimal
    rate: Decimal | None
    cost_in_base: Decimal | None
    day: dt.date

    @property
    def rate_missing(self) -> bool:
        return self.rate is None

    @property
    def above(self) -> bool:
        """Whether the cost needs the steering committee (conservative without a rate)."""
        if self.cost_in_base is None:
            return self.cost > 0
        return self.cost_in_base > self.threshold


def steering_cost(cr: ChangeRequest, day: dt.date | None = None) -> SteeringCost:
    """The request's cost converted to the base currency with the rate valid on ``day``
    (default: today, the day it is compared) and the threshold it is held against."""
    day = day or timezone.localdate()
    currency, base = cost_currency(cr), base_currency()
    rate = rates_on([currency], day).get(currency)
    cost = Decimal(cr.cost_impact or 0)
    return SteeringCost(
        cost=cost,
        currency=currency,
        base=base,
        threshold=Decimal(str(thresholds()["cost"])),
        rate=rate,
        cost_in_base=None if rate is None else cost * rate,
        day=day,
    )


def needs_steering(cr: ChangeRequest, day: dt.date | None = None) -> bool:
    """The slip, the largest computed delay, the cost (in the base currency, at the rate of
    ``day``, default today; any cost in a currency without a rate) or the effort is above the
    thresholds. Whoever stores the answer stores ``day`` as ``steering_compared_on``."""
    limits = thresholds()
    max_delay = max((p["max_delay"] for p in cr.impact.get("projects", [])), default=0)
    return (
        max(cr.slip_days, max_delay) > limits["slip_days"]
        or steering_cost(cr, day).above
        or cr.effort_impact > Decimal(str(limits["effort"]))
    )


def may_manage(user: User, cr: ChangeRequest) -> bool:
    """The project's PM (program-level: the program manager) or the PMO."""
    if cr.project is not None:
        return can_edit_project(user, cr.project)
    return leads_program(user, cr.program)


def leads_program(user: User, program: Program | None) -> bool:
    if user.is_pmo:
        return True
    manager = program.manager if program is not None else None
    return manager is not None and manager.user_id == user.pk


def source_key(milestone: Milestone | None, task: Task | None) -> str:
    """A milestone driven by a plan task slips through its task (so the plan follows)."""
    if milestone is not None:
        driver = Task.objects.filter(portfolio_milestone=milestone).values_list("pk", flat=True)
        if driver:
            return f"t:{driver[0]}"
    return adapters.source_key(milestone=milestone, task=task)


IMPACT_FIELDS = ("milestone", "task", "days")
"""The request's names of the slipping milestone, task and days (``/impact``)."""
SLIP_FIELDS = ("slip_milestone", "slip_task", "slip_days")
"""The same in a change request's body."""


def compute_impact(
    *,
    milestone: Milestone | None = None,
    task: Task | None = None,
    days: int,
    fields: tuple[str, str, str] = IMPACT_FIELDS,
) -> dict[str, Any]:
    """The what-if: every item that moves when the milestone or task slips ``days``.

    An item that cannot slip (done, undated, of an ended project) is a 422 at the field that
    named it, ``fields[0]`` for a milestone, ``fields[1]`` for a task.
    """
    net = adapters.load_network()
    return adapters.analyse(
        net,
        source_key(milestone, task),
        days,
        source_field=fields[0] if milestone is not None else fields[1],
        days_field=fields[2],
    )


def origin_project(cr: ChangeRequest) -> Project | None:
    """The project a request is raised on; at program level the project whose milestone or
    task slips (``None`` when it names none)."""
    if cr.project is not None:
        return cr.project
    if cr.slip_milestone is not None:
        return cr.slip_milestone.project
    if cr.slip_task is not None:
        return cr.slip_task.plan.project
    return None


def change_scopes(cr: ChangeRequest) -> list[str]:
    """Audit scopes: every affected project; a program-level request also its program."""
    ids = set(cr.affected_projects.values_list("pk", flat=True))
    if cr.project_id is not None:
        ids.add(cr.project_id)
    scopes = [f"project:{i}" for i in sorted(ids)]
    if cr.project_id is None and cr.program is not None:
        scopes.append(f"program:{cr.program.code}")
    return scopes


def audit_change(
    actor: User | None, action: str, cr: ChangeRequest, changes: dict[str, Any]
) -> None:
    """One audit event of ``cr`` in each of its scopes (:func:`change_scopes`)."""
    for scope in change_scopes(cr):
        record(actor=actor, action=action, instance=cr, scope=scope, changes=changes)


def users_of(projects: list[Project | None]) -> list[User | None]:
    return [p.manager.user if p and p.manager is not None else None for p in projects]


def others_than(users: Any, actor: User) -> list[User]:
    """``users`` less the one who acted: nobody is told of their own step."""
    return [u for u in users if u is not None and u.pk != actor.pk]


def asked_managers(cr: ChangeRequest, affected: Any, actor: User) -> list[User]:
    """The managers asked to answer for the affected projects: not the one who acted, nor
    the requester (their projects agree by the request), nor those of projects that have
    ended since the impact was computed (ADR 0005)."""
    projects = [p for p in affected if not p.is_ended]
    return [u for u in others_than(users_of(projects), actor) if u.pk != cr.requested_by_id]
