"""Governance reads: templates, a project's lifecycle, reviews; steering meetings' are in
:mod:`pmo.governance.steering_selectors` (re-exported here), the gate calendar's in
:mod:`pmo.governance.calendar`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from pmo.accounts.models import User
from pmo.governance.forecasts import MilestoneTie, milestone_ties
from pmo.governance.models import (
    ConditionStatus,
    DeliverableLink,
    GateCondition,
    GateDefinition,
    GateReview,
    LifecycleState,
    LifecycleTemplate,
    Outcome,
    PhaseDefinition,
    PhaseEntry,
    ProjectGate,
    ProjectLifecycle,
    ReviewState,
)
from pmo.governance.reviews import GateDecision
from pmo.governance.services import can_decide
from pmo.governance.steering_selectors import (
    AgendaPage,
    MeetingSummary,
    agenda_page,
    list_agenda,
    meeting_state,
    meeting_summaries,
)
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.models import Project, ProjectState

__all__ = [
    "AgendaPage",
    "MeetingSummary",
    "agenda_page",
    "get_deliverable_file",
    "get_lifecycle",
    "lifecycle_panel",
    "list_agenda",
    "list_reviews",
    "list_templates",
    "meeting_state",
    "meeting_summaries",
    "stopped_at",
    "template_definition",
]


def list_templates(*, latest_only: bool = False) -> QuerySet[LifecycleTemplate]:
    """Template revisions with how many projects follow each; newest revision first."""
    qs = LifecycleTemplate.objects.annotate(in_use=Count("lifecycles", distinct=True))
    if latest_only:
        latest = {
            row["code"]: row["m"]
            for row in LifecycleTemplate.objects.values("code").annotate(m=Max("revision"))
        }
        ids = [
            t.pk
            for t in LifecycleTemplate.objects.only("code", "revision")
            if latest.get(t.code) == t.revision
        ]
        qs = qs.filter(pk__in=ids)
    return qs.order_by("code", "-revision")


def template_structure(template: LifecycleTemplate) -> list[PhaseDefinition]:
    """Phases in order, each with ``gate_def`` (or ``None``) holding criteria and deliverables."""
    phases = list(template.phases.order_by("order"))
    gates = {
        g.order: g
        for g in GateDefinition.objects.filter(template=template).prefetch_related(
            "criteria", "deliverables", "deciders"
        )
    }
    for phase in phases:
        phase.gate_def = gates.get(phase.order)  # type: ignore[attr-defined]
    return phases


def template_definition(template: LifecycleTemplate) -> dict[str, Any]:
    """The definition of a revision, in the shape :func:`services.create_template` takes."""
    phases = []
    for phase in template_structure(template):
        item: dict[str, Any] = {
            "key": phase.key,
            "name": phase.name,
            "name_zh": phase.name_zh,
            "category": phase.category,
            "expected_days": phase.expected_days,
        }
        gate = phase.gate_def  # type: ignore[attr-defined]
        if gate is not None:
            item["gate"] = {
                "code": gate.code,
                "name": gate.name,
                "name_zh": gate.name_zh,
                "decider_roles": list(gate.decider_roles),
                "decider_ids": [p.pk for p in gate.deciders.all()],
                "criteria": [
                    {"text": c.text, "text_zh": c.text_zh, "kind": c.kind, "mandatory": c.mandatory}
                    for c in gate.criteria.all()
                ],
                "deliverables": [
                    {
                        "name": d.name,
                        "name_zh": d.name_zh,
                        "mandatory": d.mandatory,
                        "template_url": d.template_url,
                    }
                    for d in gate.deliverables.all()
                ],
                "milestone": gate.milestone,
                "milestone_zh": gate.milestone_zh,
            }
        phases.append(item)
    return {
        "code": template.code,
        "name": template.name,
        "name_zh": template.name_zh,
        "pmo_type": template.pmo_type,
        "description": template.description,
        "description_zh": template.description_zh,
        "phases": phases,
    }


def get_lifecycle(project: Project) -> ProjectLifecycle | None:
    """The project's lifecycle with its template and current phase, or ``None``."""
    return (
        ProjectLifecycle.objects.select_related("template", "current_phase", "next_gate")
        .filter(project=project)
        .first()
    )


def get_deliverable_file(review: GateReview, deliverable_id: int) -> DeliverableLink | None:
    """The deliverable of ``review`` with an uploaded file, or ``None`` (no such / no file).

    The caller has checked that the review's project is visible to the user.
    """
    return (
        DeliverableLink.objects.filter(review=review, deliverable_id=deliverable_id)
        .exclude(file="")
        .first()
    )


def list_reviews(project: Project) -> QuerySet[GateReview]:
    """A project's gate reviews, newest first, with decision and requester."""
    return (
        GateReview.objects.filter(lifecycle__project=project)
        .select_related("gate", "requested_by", "decision", "decision__recycle_to")
        .order_by("-created_at", "-id")
    )


@dataclass
class PhaseRow:
    """A phase of the project's lifecycle as the lifecycle panel shows it."""

    phase: PhaseDefinition
    gate: ProjectGate | None
    days: int
    current: bool
    visited: bool
    not_applicable: bool = False
    """The lifecycle was stopped before this phase: it and its gate will not happen."""
    stopped_gate: bool = False
    """This row's gate is the one the lifecycle was stopped at."""
    milestone: MilestoneTie | None = None
    """What the milestone the gate is decided on is in this project (``None``: the gate names
    none): the page says the gate follows it only when the project has it, dated."""
    review_day: dt.date | None = None
    """The date of the gate's requested review: the gate keeps it, not its milestone's."""

    @property
    def milestone_note(self) -> str | None:
        """What the lifecycle page says of the gate's milestone beside its forecast, in the
        active language (ADR 0002, "Gates tied to milestones"); ``None`` where it says
        nothing: the gate names no milestone, is passed, or will not happen."""
        tie, gate = self.milestone, self.gate
        if tie is None or gate is None or gate.actual is not None or self.not_applicable:
            return None
        name = gate.gate.display_milestone
        if not tie.found:
            return gettext("no milestone named %(name)s in this project") % {"name": name}
        if tie.date is None:
            return gettext("milestone %(name)s has no date") % {"name": name}
        if tie.date == gate.forecast:
            return gettext("follows milestone %(name)s") % {"name": name}
        date = f"{tie.date:%Y-%m-%d}"
        if self.review_day is not None:
            return gettext("review requested for %(day)s; milestone %(name)s: %(date)s") % {
                "day": f"{self.review_day:%Y-%m-%d}",
                "name": name,
                "date": date,
            }
        return gettext("milestone %(name)s: %(date)s") % {"name": name, "date": date}


@dataclass(frozen=True)
class StoppedAt:
    """Where, when and why a stopped lifecycle ended (its project is cancelled)."""

    gate: GateDefinition | None
    """The gate it was stopped at: the Stop decision's, or the next one when the PMO
    cancelled the project by hand (``None``: the template has no gate after that phase)."""
    phase: PhaseDefinition
    day: dt.date | None
    decision: GateDecision | None
    """The Stop decision, ``None`` when the project was cancelled (or closed) by hand."""
    closed: bool = False
    """Closed by hand before its closure gate (not cancelled)."""


def stopped_at(lifecycle: ProjectLifecycle) -> StoppedAt | None:
    """How a stopped lifecycle ended, or ``None`` when it is not stopped."""
    if lifecycle.state != LifecycleState.STOPPED:
        return None
    decision = (
        GateDecision.objects.filter(review__lifecycle=lifecycle, outcome=Outcome.STOP)
        .select_related("review__gate")
        .order_by("-id")
        .first()
    )
    if decision is not None:
        return StoppedAt(
            decision.review.gate, lifecycle.current_phase, decision.decided_on, decision
        )
    last = PhaseEntry.objects.filter(lifecycle=lifecycle).order_by("-entered_on", "-id").first()
    gate = GateDefinition.objects.filter(
        template_id=lifecycle.template_id, order=lifecycle.current_phase.order + 1
    ).first()
    closed = lifecycle.project.state == ProjectState.CLOSED
    return StoppedAt(gate, lifecycle.current_phase, last.left_on if last else None, None, closed)


def phase_rows(lifecycle: ProjectLifecycle, today: dt.date | None = None) -> list[PhaseRow]:
    """Phases with their gate dates and the days spent in each (derived from phase entries).

    In a stopped lifecycle the phases after the one it stopped in are not applicable (their
    gates' forecasts are no plan any more), and the first of their gates is where it stopped.
    """
    today = today or timezone.localdate()
    phases = list(lifecycle.template.phases.order_by("order"))
    gates = {
        g.gate.order: g
        for g in ProjectGate.objects.filter(lifecycle=lifecycle).select_related("gate")
    }
    days: dict[int, int] = {}
    order_of = {p.pk: p.order for p in phases}
    entries = PhaseEntry.objects.filter(lifecycle=lifecycle).select_related("decision")
    for entry in entries.order_by("entered_on", "id"):
        if entry.decision is not None and entry.decision.outcome == Outcome.RECYCLE:
            # a recycle starts the phases from its target over: their earlier time is history
            back_to = order_of.get(entry.phase_id, 0)
            days = {pk: n for pk, n in days.items() if order_of.get(pk, 0) < back_to}
        end = entry.left_on or (
            today if lifecycle.state == LifecycleState.ACTIVE else entry.entered_on
        )
        days[entry.phase_id] = days.get(entry.phase_id, 0) + max(0, (end - entry.entered_on).days)
    stopped = lifecycle.state == LifecycleState.STOPPED
    current_order = order_of.get(lifecycle.current_phase_id, 0)
    ties = milestone_ties(lifecycle.template_id, lifecycle.project_id)
    reviews: dict[int, dt.date] = {}
    if ties:
        reviews = {
            order: day
            for order, day in GateReview.objects.filter(
                lifecycle=lifecycle, state=ReviewState.REQUESTED
            ).values_list("gate__order", "scheduled_for")
            if day is not None
        }
    return [
        PhaseRow(
            phase=p,
            gate=gates.get(p.order),
            days=days.get(p.pk, 0),
            current=p.pk == lifecycle.current_phase_id,
            visited=p.pk in days or p.pk == lifecycle.current_phase_id,
            not_applicable=stopped and p.order > current_order,
            stopped_gate=stopped and p.order == current_order + 1,
            milestone=ties.get(p.order),
            review_day=reviews.get(p.order),
        )
        for p in phases
    ]


def lifecycle_panel(project: Project, user: User) -> dict[str, Any]:
    """Context of the lifecycle panel on the project page."""
    lifecycle = get_lifecycle(project)
    open_review = None
    conditions: list[GateCondition] = []
    if lifecycle is not None:
        open_review = (
            GateReview.objects.filter(lifecycle=lifecycle, state=ReviewState.REQUESTED)
            .select_related("gate")
            .first()
        )
        conditions = list(
            GateCondition.objects.filter(
                project=project, status=ConditionStatus.OPEN
            ).select_related("owner")
        )
    return {
        "lifecycle": lifecycle,
        "rows": phase_rows(lifecycle) if lifecycle else [],
        "stopped": stopped_at(lifecycle) if lifecycle else None,
        "open_review": open_review,
        "conditions": conditions,
        "can_edit": can_edit_project(user, project),
        "can_assign": user.is_pmo and lifecycle is None and not project.is_ended,
        "today": timezone.localdate(),
    }


def can_decide_review(user: User, review: GateReview) -> bool:
    return review.state == ReviewState.REQUESTED and can_decide(user, review.gate)


def decisions_prefetch() -> Prefetch:
    return Prefetch("conditions", queryset=GateCondition.objects.select_related("owner"))
