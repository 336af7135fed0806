"""Governance use-cases: templates, project lifecycles, gate reviews and decisions.

Every write checks permission, validates, checks the version, records an audit event
and runs in one transaction. A decision locks the project's lifecycle row first, so
two people deciding the same gate at once are serialised: the first wins, the second
finds the review decided and gets a 409.

The use-cases of one part each live in a module of their own and are reachable here too
(``services.decide_gate``): gate dates in :mod:`~pmo.governance.forecasts`, the review
checklist in :mod:`~pmo.governance.checklist`, decisions and conditions in
:mod:`~pmo.governance.decisions`, deliverable files in :mod:`~pmo.governance.attachments`,
defining templates in :mod:`~pmo.governance.template_admin`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, PermissionDeniedError
from pmo.core.i18n import mid_sentence
from pmo.governance import ended
from pmo.governance import models as governance_models
from pmo.governance.forecasts import (
    _refresh,
    _set_gate_forecast,
    follow_forecast_finish,
    follow_milestone,
    forecast_gates,
    milestone_dates,
    plan_gates,
    refresh_next_gate,
)
from pmo.governance.models import (
    ConditionStatus,
    CriterionCheck,
    DeliverableLink,
    GateCondition,
    GateDefinition,
    GateReview,
    LifecycleState,
    LifecycleTemplate,
    PhaseEntry,
    ProjectGate,
    ProjectLifecycle,
    ReviewState,
)
from pmo.governance.template_admin import create_template, delete_template
from pmo.portfolio.access import require_edit
from pmo.portfolio.models import Project, ProjectState
from pmo.portfolio.signals import send_if_ended

__all__ = [
    "can_decide",
    "create_template",
    "delete_template",
    "follow_forecast_finish",
    "follow_milestone",
    "forecast_gates",
    "milestone_dates",
    "plan_gates",
    "refresh_next_gate",
    "request_review",
    "start_lifecycle",
    "stop_ended_lifecycle",
    "withdraw_review",
]


def _scope(project: Project | int) -> str:
    return f"project:{project if isinstance(project, int) else project.pk}"


# --- lifecycles -----------------------------------------------------------------------------------


def _sync_project(
    actor: User | None, project: Project, phase: str, state: str, day: dt.date | None = None
) -> None:
    """Keep the status-center fields ``phase`` / ``state`` in step with the lifecycle; a
    project that ends here (closed or stopped on ``day``, today if not given) tells the apps
    that follow it (:data:`pmo.portfolio.signals.project_ended`)."""
    before = snapshot(project, ["phase", "state"])
    project.phase, project.state = phase, state
    changes = diff(before, snapshot(project, ["phase", "state"]))
    if changes:
        project.version += 1
        Project.objects.filter(pk=project.pk).update(
            phase=phase, state=state, version=project.version
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=project,
            scope=_scope(project),
            changes=changes,
        )
        send_if_ended(
            project=project, before=before["state"], actor=actor, day=day or timezone.localdate()
        )


def _close_conditions_of_cancelled(actor: User | None, project: Project, day: dt.date) -> None:
    """A cancelled project's open gate conditions no longer apply: closed on ``day`` with a
    note saying why (audited), so no one is chased for them and the counts drop."""
    note = _("closed: the project was cancelled")
    for condition in GateCondition.objects.filter(project=project, status=ConditionStatus.OPEN):
        condition.status, condition.closed_on = ConditionStatus.CLOSED, day
        condition.closing_note = note
        condition.version += 1
        condition.save(
            update_fields=["status", "closed_on", "closing_note", "version", "updated_at"]
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=condition,
            scope=_scope(project),
            changes={"status": [ConditionStatus.OPEN, ConditionStatus.CLOSED]},
        )
    lifecycle = ProjectLifecycle.objects.filter(project=project).first()
    if lifecycle is not None:
        _refresh(lifecycle)


def stop_ended_lifecycle(*, actor: User | None, project: Project, day: dt.date) -> None:
    """A project set to *Cancelled* by hand (not by a Stop decision) stops its lifecycle the
    same way a Stop does: the phase it is in ends on ``day``, open review requests are
    withdrawn, and the gate calendar and status center no longer expect its gates.

    A project *Closed* by hand stops it the same way unless its next gate is the closure gate,
    which it may still pass (ADR 0002): no other gate of a closed project will be reviewed,
    so none is left "next" on the status center or the project page. Its gate conditions stay
    owed (a closed project delivered); a cancelled project's are closed.
    """
    if project.state == ProjectState.CANCELLED:
        _close_conditions_of_cancelled(actor, project, day)
    elif project.state != ProjectState.CLOSED:
        return
    lifecycle = (
        ProjectLifecycle.objects.select_for_update()
        .filter(project=project, state=LifecycleState.ACTIVE)
        .select_related("current_phase")
        .first()
    )
    if lifecycle is None:  # no lifecycle, or a Stop decision stopped it already
        return
    if project.state == ProjectState.CLOSED:
        following = governance_models.GateDefinition.objects.filter(
            template_id=lifecycle.template_id, order=lifecycle.current_phase.order + 1
        ).first()
        if following is not None and ended.is_closure_gate(following):
            return
    PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True).update(left_on=day)
    withdrawn = GateReview.objects.filter(lifecycle=lifecycle, state=ReviewState.REQUESTED)
    for review in withdrawn:
        review.state = ReviewState.WITHDRAWN
        review.version += 1
        review.save(update_fields=["state", "version", "updated_at"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=review,
            scope=_scope(project),
            changes={"state": [ReviewState.REQUESTED, ReviewState.WITHDRAWN]},
        )
    lifecycle.state = LifecycleState.STOPPED
    lifecycle.version += 1
    lifecycle.save(update_fields=["state", "version", "updated_at"])
    _refresh(lifecycle)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=lifecycle,
        scope=_scope(project),
        changes={"state": [LifecycleState.ACTIVE, LifecycleState.STOPPED]},
    )


@transaction.atomic
def start_lifecycle(
    *,
    actor: User,
    project: Project,
    template: LifecycleTemplate,
    started_on: dt.date | None = None,
) -> ProjectLifecycle:
    """Put a project on a template revision, in its first phase (the PMO decides this)."""
    if not actor.is_authenticated or not actor.is_pmo:
        raise PermissionDeniedError(_("only the PMO assigns a lifecycle to a project"))
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    ended.check_lifecycle_start(project)
    if ProjectLifecycle.objects.filter(project=project).exists():
        raise ConflictError(
            _("project %(project)s already follows a lifecycle") % {"project": project.code}
        )
    started_on = started_on or timezone.localdate()
    phases = list(template.phases.order_by("order"))
    gates = {g.order: g for g in template.gates.all()}
    lifecycle = ProjectLifecycle.objects.create(
        project=project, template=template, current_phase=phases[0], started_on=started_on
    )
    PhaseEntry.objects.create(lifecycle=lifecycle, phase=phases[0], entered_on=started_on)
    plan = plan_gates(phases, started_on)
    tied = milestone_dates(template.pk, project.pk, 0)
    forecast = forecast_gates(phases, started_on, 0, project.forecast_finish, tied)
    ProjectGate.objects.bulk_create(
        ProjectGate(lifecycle=lifecycle, gate=gates[order], planned=day, forecast=forecast[order])
        for order, day in plan.items()
    )
    _refresh(lifecycle)
    record(
        actor=actor,
        action=AuditAction.START,
        instance=lifecycle,
        scope=_scope(project),
        changes={"template": [None, str(template)], "phase": [None, phases[0].key]},
    )
    _sync_project(actor, project, phases[0].category, ProjectState.ACTIVE)
    return lifecycle


def _locked_lifecycle(project_id: int) -> ProjectLifecycle:
    lifecycle = (
        ProjectLifecycle.objects.select_for_update(of=("self",))
        .select_related("current_phase", "template", "project__manager")
        .filter(project_id=project_id)
        .first()
    )
    if lifecycle is None:
        raise ConflictError(_("the project does not follow a lifecycle yet"))
    return lifecycle


# --- gate reviews ---------------------------------------------------------------------------------


@transaction.atomic
def request_review(
    *,
    actor: User,
    project: Project,
    gate_code: str | None = None,
    scheduled_for: dt.date | None = None,
    notes: str = "",
) -> GateReview:
    """Ask for the review of the project's next gate (the PM or the PMO)."""
    lifecycle = _locked_lifecycle(project.pk)
    require_edit(actor, lifecycle.project)
    # an ended project says so in its own state ("is cancelled"), not its lifecycle's
    ended.check_review_request(lifecycle.project, lifecycle.next_gate)
    if lifecycle.state != LifecycleState.ACTIVE:  # stopped or completed
        raise ConflictError(
            _("project %(project)s is %(state)s: no gate is left")
            % {"project": project.code, "state": mid_sentence(lifecycle.get_state_display())}
        )
    gate = lifecycle.next_gate
    if gate is None:
        raise ConflictError(
            _("project %(project)s is in its last phase: no gate is left")
            % {"project": project.code}
        )
    if gate_code and gate_code != gate.code:
        raise ConflictError(
            _("gates are passed in order: the next gate of %(project)s is %(gate)s, not %(asked)s")
            % {"project": project.code, "gate": gate.code, "asked": gate_code},
            field="gate",
        )
    open_review = GateReview.objects.filter(
        lifecycle=lifecycle, state=ReviewState.REQUESTED
    ).first()
    if open_review is not None:
        raise ConflictError(
            _(
                "a review of gate %(gate)s is already open (#%(review)s): "
                "decide or withdraw it first"
            )
            % {"gate": gate.code, "review": open_review.pk}
        )
    review = GateReview(
        lifecycle=lifecycle,
        gate=gate,
        requested_by=actor,
        scheduled_for=scheduled_for,
        notes=notes or "",
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ConflictError(_("a review of this project is already open")) from None
    CriterionCheck.objects.bulk_create(
        CriterionCheck(review=review, criterion=c) for c in gate.criteria.all()
    )
    DeliverableLink.objects.bulk_create(
        DeliverableLink(review=review, deliverable=d) for d in gate.deliverables.all()
    )
    if scheduled_for:
        _set_gate_forecast(lifecycle, gate, scheduled_for)
        _refresh(lifecycle)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=review,
        scope=_scope(project.pk),
        changes={"gate": [None, gate.code], "scheduled_for": [None, str(scheduled_for or "")]},
    )
    return review


def _locked_review(review: GateReview) -> tuple[ProjectLifecycle, GateReview]:
    lifecycle = _locked_lifecycle(review.lifecycle.project_id)
    fresh = GateReview.objects.select_related("gate").get(pk=review.pk)
    return lifecycle, fresh


@transaction.atomic
def withdraw_review(*, actor: User, review: GateReview, version: int | None) -> GateReview:
    """Withdraw an open review (nothing is decided; another can be requested)."""
    lifecycle, review = _locked_review(review)
    require_edit(actor, lifecycle.project)
    if review.state != ReviewState.REQUESTED:
        raise ConflictError(
            _("the review is %(state)s and cannot be withdrawn")
            % {"state": mid_sentence(review.get_state_display())}
        )
    review.check_version(version)
    review.state = ReviewState.WITHDRAWN
    review.version += 1
    review.save()
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=review,
        scope=_scope(lifecycle.project_id),
        changes={"state": [ReviewState.REQUESTED, ReviewState.WITHDRAWN]},
    )
    return review


def can_decide(user: User, gate: GateDefinition) -> bool:
    """Users whose role the gate names, or the steering members it names, decide it."""
    if not user.is_authenticated or not user.is_active:
        return False
    roles = set(gate.decider_roles or [])
    if user.role in roles or (user.is_pmo_admin and "pmo_admin" in roles):
        return True
    return gate.deciders.filter(user=user).exists()


_ELSEWHERE = {
    "attach_deliverable_file": "pmo.governance.attachments",
    "close_condition": "pmo.governance.decisions",
    "decide_gate": "pmo.governance.decisions",
    "prepare_review": "pmo.governance.checklist",
    "submit_review": "pmo.governance.submission",
    "unmet_requirements": "pmo.governance.checklist",
    "unmet_requirements_shown": "pmo.governance.checklist",
}


def __getattr__(name: str) -> Any:
    """Use-cases written in their own modules, reachable here too (``services.decide_gate``).

    Resolved on first use, not at import: those modules import this one, and importing
    them here would make the result depend on which module Python loads first.
    """
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
