"""Recording gate decisions and closing their conditions (part of the services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import Person, User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError, ValidationFailed
from pmo.core.i18n import mid_sentence
from pmo.governance import ended
from pmo.governance.checklist import unmet_requirements, unmet_requirements_shown
from pmo.governance.forecasts import _reforecast, _refresh, forecast_gates, milestone_dates
from pmo.governance.models import (
    ConditionStatus,
    GateCondition,
    GateDecision,
    GateReview,
    LifecycleState,
    Outcome,
    PhaseEntry,
    ProjectGate,
    ProjectLifecycle,
    ReviewState,
)
from pmo.governance.services import (
    _locked_lifecycle,
    _locked_review,
    _scope,
    _sync_project,
    can_decide,
)
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.models import Phase, ProjectState

__all__ = ["close_condition", "decide_gate"]

MOVING = {Outcome.GO, Outcome.GO_WITH_CONDITIONS}


def _check_conditions(
    conditions: list[dict[str, Any]], decided_on: dt.date | None = None
) -> list[dict[str, Any]]:
    """The conditions, checked; each error names its row (1-based) and field as the user
    sees them ("Condition 2: choose the owner"), the ``field`` path stays for the API."""
    errors: list[dict[str, str]] = []
    shown: list[str] = []
    clean = []
    owners = set(
        Person.objects.filter(
            pk__in=[c.get("owner_id") for c in conditions if isinstance(c.get("owner_id"), int)]
        ).values_list("pk", flat=True)
    )

    def fail(i: int, field: str, message: str) -> None:
        errors.append({"field": f"conditions.{i}.{field}", "message": message})
        shown.append(_("Condition %(row)s: %(problem)s") % {"row": i + 1, "problem": message})

    for i, c in enumerate(conditions):
        text = (c.get("text") or "").strip()
        if not text:
            fail(i, "text", _("describe the condition"))
        owner = c.get("owner_id")
        if owner in (None, ""):
            fail(i, "owner_id", _("choose the owner"))
        elif owner not in owners:
            fail(i, "owner_id", _("the owner is not a known person"))
        due = c.get("due_date")
        if not isinstance(due, dt.date):
            fail(i, "due_date", _("give the due date"))
        elif decided_on is not None and due < decided_on:
            fail(
                i,
                "due_date",
                _("the due date %(date)s is before the decision (%(decided)s)")
                % {"date": f"{due:%Y-%m-%d}", "decided": f"{decided_on:%Y-%m-%d}"},
            )
        clean.append({"text": text[:300], "owner_id": owner, "due": due})
    if errors:
        raise ValidationFailed(pgettext("list of problems", "; ").join(shown), errors=errors)
    return clean


@transaction.atomic
def decide_gate(
    *,
    actor: User,
    review: GateReview,
    outcome: str,
    rationale: str = "",
    conditions: list[dict[str, Any]] | None = None,
    waive: bool = False,
    waiver_reason: str = "",
    recycle_to: str | None = None,
    decided_on: dt.date | None = None,
    version: int | None = None,
) -> GateDecision:
    """Record the decision of a review and move the project accordingly.

    Go / Go with conditions enter the next phase; Hold keeps the phase; Recycle
    goes back to ``recycle_to`` (the current phase or an earlier one); Stop closes
    the project. A gate with unmet mandatory criteria or deliverables passes only
    when the decision waives them with a reason.
    """
    lifecycle, review = _locked_review(review)
    if review.state == ReviewState.DECIDED:
        raise ConflictError(
            _("gate %(gate)s of this review is already decided") % {"gate": review.gate.code}
        )
    if review.state != ReviewState.REQUESTED:
        raise ConflictError(
            _("the review is %(state)s: nothing to decide")
            % {"state": mid_sentence(review.get_state_display())}
        )
    if not can_decide(actor, review.gate):
        # the roles stay codes (executive, pmo_admin): they are what the template names
        deciders = pgettext("list separator", ", ").join(review.gate.decider_roles) or _(
            "named steering members"
        )
        raise PermissionDeniedError(
            _("you may not decide gate %(gate)s: it is decided by %(deciders)s")
            % {"gate": review.gate.code, "deciders": deciders}
        )
    review.check_version(version)
    if outcome not in Outcome.values:
        raise FieldError(
            "outcome",
            _("one of %(values)s")
            % {"values": pgettext("list separator", ", ").join(Outcome.values)},
        )
    ended.check_decision(lifecycle.project, review.gate, outcome)
    if review.gate.order != lifecycle.current_phase.order + 1:  # defensive: reviews are in order
        raise ConflictError(_("the project has moved since this review was requested"))
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        raise FieldError("decided_on", _("a decision cannot be dated in the future"))
    entry = PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True).first()
    if entry is not None and decided_on < entry.entered_on:
        raise FieldError(
            "decided_on",
            _("is before the project entered its current phase (%(date)s)")
            % {"date": f"{entry.entered_on:%Y-%m-%d}"},
        )
    rationale = (rationale or "").strip()
    conditions = conditions or []
    if outcome == Outcome.GO_WITH_CONDITIONS and not conditions:
        raise FieldError("conditions", _("go with conditions needs at least one condition"))
    if outcome != Outcome.GO_WITH_CONDITIONS and conditions:
        raise FieldError("conditions", _("only a go with conditions carries conditions"))
    if outcome in {Outcome.STOP, Outcome.HOLD, Outcome.RECYCLE} and not rationale:
        raise FieldError("rationale", _("give the reason for this decision"))
    clean_conditions = _check_conditions(conditions, decided_on)
    target = None
    phases = list(lifecycle.template.phases.order_by("order"))
    if outcome == Outcome.RECYCLE:
        target = next((p for p in phases if p.key == recycle_to), None)
        if target is None or target.order > lifecycle.current_phase.order:
            raise FieldError(
                "recycle_to", _("choose the phase to go back to: the current one or an earlier one")
            )
    elif recycle_to:
        raise FieldError("recycle_to", _("only a recycle decision goes back to a phase"))
    waived: list[str] = []
    if outcome in MOVING:
        unmet = unmet_requirements(review)
        if unmet and not waive:
            # ``unmet`` is the English record; the reader gets the requirements in their language
            raise ConflictError(
                _(
                    "gate %(gate)s has unmet mandatory requirements: %(requirements)s. "
                    "Meet them, or waive them explicitly with a reason."
                )
                % {
                    "gate": review.gate.code,
                    "requirements": pgettext("list of problems", "; ").join(
                        unmet_requirements_shown(review)
                    ),
                }
            )
        if unmet:
            if not (waiver_reason or "").strip():
                raise FieldError("waiver_reason", _("a reason is required to waive requirements"))
            waived = unmet
    try:
        with transaction.atomic():
            decision = GateDecision.objects.create(
                review=review,
                outcome=outcome,
                decided_on=decided_on,
                decided_by=actor,
                decided_by_name=actor.get_username(),
                rationale=rationale,
                waived=waived,
                waiver_reason=(waiver_reason or "").strip() if waived else "",
                recycle_to=target,
            )
    except IntegrityError:
        raise ConflictError(
            _("gate %(gate)s of this review is already decided") % {"gate": review.gate.code}
        ) from None
    GateReview.objects.filter(pk=review.pk).update(
        state=ReviewState.DECIDED, version=review.version + 1
    )
    GateCondition.objects.bulk_create(
        GateCondition(
            decision=decision,
            project_id=lifecycle.project_id,
            text=c["text"],
            owner_id=c["owner_id"],
            due_date=c["due"],
        )
        for c in clean_conditions
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=decision,
        scope=_scope(lifecycle.project_id),
        changes={
            "gate": [None, review.gate.code],
            "outcome": [None, outcome],
            "rationale": [None, rationale],
            "waived": [None, waived],
            "waiver_reason": [None, decision.waiver_reason],
            "recycle_to": [None, recycle_to],
            "conditions": [None, [c["text"] for c in clean_conditions]],
        },
    )
    _apply(actor, lifecycle, review, decision, phases, target)
    return decision


def _apply(
    actor: User,
    lifecycle: ProjectLifecycle,
    review: GateReview,
    decision: GateDecision,
    phases: list[Any],
    target: Any,
) -> None:
    """Move the lifecycle after a decision and keep the project's phase and state in step."""
    day = decision.decided_on
    project = lifecycle.project
    outcome = decision.outcome
    if outcome == Outcome.HOLD:
        # the project waits in its phase: "On hold" in the status center until a later
        # decision (go, recycle, stop) moves it again
        _refresh(lifecycle)
        _sync_project(actor, project, lifecycle.current_phase.category, ProjectState.ON_HOLD)
        return
    PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True).update(left_on=day)
    if outcome == Outcome.STOP:
        lifecycle.state = LifecycleState.STOPPED
        lifecycle.version += 1
        lifecycle.save(update_fields=["state", "version", "updated_at"])
        _refresh(lifecycle)
        # a stopped project is cancelled, in the phase it was stopped in: counted apart
        # from the completed ("closed") ones (ADR 0002, "Cancelled projects"); a stopped
        # lifecycle takes no further review, so no decision reopens it
        _sync_project(actor, project, lifecycle.current_phase.category, ProjectState.CANCELLED, day)
        return
    if outcome in MOVING:
        new_phase = phases[review.gate.order]
        for row in ProjectGate.objects.filter(lifecycle=lifecycle, gate=review.gate):
            row.actual = row.forecast = day
            row.save(update_fields=["actual", "forecast"])  # post_save: dependency statuses
    else:  # recycle: gates after the target must be passed again
        new_phase = target
        for row in ProjectGate.objects.filter(
            lifecycle=lifecycle, gate__order__gt=target.order, actual__isnull=False
        ):
            row.actual = None
            row.save(update_fields=["actual"])  # post_save: dependency statuses
    PhaseEntry.objects.create(
        lifecycle=lifecycle, phase=new_phase, entered_on=day, decision=decision
    )
    tied = milestone_dates(lifecycle.template_id, project.pk, new_phase.order)
    _reforecast(
        lifecycle, forecast_gates(phases, day, new_phase.order, project.forecast_finish, tied)
    )
    lifecycle.current_phase = new_phase
    last = new_phase.order == len(phases) - 1
    lifecycle.state = LifecycleState.COMPLETED if last else LifecycleState.ACTIVE
    lifecycle.version += 1
    lifecycle.save(update_fields=["current_phase", "state", "version", "updated_at"])
    _refresh(lifecycle)
    state = ProjectState.CLOSED if new_phase.category == Phase.CLOSED else ProjectState.ACTIVE
    _sync_project(actor, project, new_phase.category, state, day)


@transaction.atomic
def close_condition(
    *, actor: User, condition: GateCondition, note: str = "", version: int | None = None
) -> GateCondition:
    """Close a condition of a gate decision (the project's PM, the PMO or the owner)."""
    lifecycle = _locked_lifecycle(condition.project_id)
    condition = GateCondition.objects.select_related("owner").get(pk=condition.pk)
    owner_user = condition.owner.user_id if condition.owner else None
    if not (can_edit_project(actor, lifecycle.project) or owner_user == actor.pk):
        raise PermissionDeniedError(_("only the PMO, the project manager or the owner close it"))
    if condition.status == ConditionStatus.CLOSED:
        raise ConflictError(_("the condition is closed already"))
    condition.check_version(version)
    condition.status = ConditionStatus.CLOSED
    condition.closed_on = timezone.localdate()
    condition.closing_note = note or ""
    condition.version += 1
    condition.save()
    _refresh(lifecycle)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=condition,
        scope=_scope(condition.project_id),
        changes={"status": [ConditionStatus.OPEN, ConditionStatus.CLOSED], "note": [None, note]},
    )
    return condition
