"""A steering meeting's agenda drawn up from the portfolio, in three sections (see
:mod:`pmo.governance.steering`); other apps add lines through :data:`AGENDA_SOURCES`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _

from pmo.governance import ended
from pmo.governance.meetings import SECTION_OF_KIND, AgendaSection
from pmo.governance.models import (
    AgendaItem,
    ConditionStatus,
    GateCondition,
    GateDecision,
    GateReview,
    LifecycleState,
    ProjectLifecycle,
    ReviewState,
)
from pmo.governance.reviews import AgendaKind
from pmo.governance.steering_reports import report_decisions
from pmo.portfolio.models import Project, ProjectState, Rag, StatusReport
from pmo.portfolio.raid import Escalation, Issue, RaidStatus

__all__ = [
    "AGENDA_SOURCES",
    "CONDITION_REF",
    "SECTION_RANK",
    "agenda_candidates",
    "condition_labels",
    "in_sections",
    "red_for_two_periods",
]


def red_for_two_periods() -> list[Project]:
    """Active projects whose last two submitted periods are both red."""
    candidates = list(
        Project.objects.filter(state=ProjectState.ACTIVE, latest_report__overall=Rag.RED)
        .select_related("latest_report")
        .order_by("code")
    )
    if not candidates:
        return []
    earliest = min(p.latest_report.period_end for p in candidates if p.latest_report)  # type: ignore[union-attr]
    previous: dict[int, int] = {}
    rows = (
        StatusReport.objects.filter(
            project__in=candidates,
            is_current=True,
            period_end__gte=earliest - dt.timedelta(days=62),
        )
        .order_by("project_id", "-period_end")
        .values_list("project_id", "overall", "period_end")
    )
    seen: dict[int, int] = {}
    for project_id, overall, _end in rows:
        seen[project_id] = seen.get(project_id, 0) + 1
        if seen[project_id] == 2:
            previous[project_id] = overall
    return [p for p in candidates if previous.get(p.pk) == Rag.RED]


#: Functions ``(date, window_days) -> [AgendaItem]`` registered by higher apps (``ready()``).
AGENDA_SOURCES: list[Callable[[dt.date, int], list[AgendaItem]]] = []


def agenda_candidates(date: dt.date, window_days: int) -> list[AgendaItem]:
    """The agenda lines for a meeting on ``date`` (unsaved, in order)."""
    horizon = date + dt.timedelta(days=window_days)
    items: list[AgendaItem] = []
    lifecycles = (
        ProjectLifecycle.objects.filter(
            state=LifecycleState.ACTIVE, next_gate__isnull=False, next_gate_due__lte=horizon
        )
        .select_related("project", "next_gate")
        .order_by("next_gate_due", "project__code")
    )
    reviewed = set(
        GateReview.objects.filter(state=ReviewState.REQUESTED).values_list(
            "lifecycle_id", flat=True
        )
    )
    listed: set[int] = set()
    for lc in lifecycles:
        items.append(
            AgendaItem(
                kind=AgendaKind.GATE,
                project=lc.project,
                gate=lc.next_gate,
                due=lc.next_gate_due,
                overdue=lc.next_gate_due is not None and lc.next_gate_due < date,
                review_requested=lc.pk in reviewed,
            )
        )
        listed.add(lc.pk)
    for review in (
        GateReview.objects.filter(state=ReviewState.REQUESTED)
        .exclude(lifecycle_id__in=listed)
        .select_related("lifecycle__project", "gate")
        .order_by("scheduled_for", "id")
    ):
        items.append(
            AgendaItem(
                kind=AgendaKind.GATE,
                project=review.lifecycle.project,
                gate=review.gate,
                due=review.scheduled_for,
                review_requested=True,
            )
        )
    items.extend(report_decisions(date, window_days))
    for issue in (
        Issue.objects.filter(status=RaidStatus.OPEN, escalation=Escalation.STEERING)
        .select_related("project")
        .order_by("-severity", "due_date", "id")
    ):
        items.append(
            AgendaItem(
                kind=AgendaKind.ESCALATED,
                project=issue.project,
                title=issue.title[:300],
                due=issue.due_date,
            )
        )
    for project in red_for_two_periods():
        items.append(AgendaItem(kind=AgendaKind.RED, project=project))
    for condition in (
        GateCondition.objects.filter(status=ConditionStatus.OPEN, due_date__lt=date)
        .exclude(project__state=ProjectState.CANCELLED)  # no gate of it will follow
        .select_related("project", "owner")
        .order_by("due_date", "id")
    ):
        items.append(
            AgendaItem(
                kind=AgendaKind.CONDITION,
                project=condition.project,
                title=condition.text[:300],
                ref=f"{CONDITION_REF}:{condition.pk}",  # read with its owner's name
                due=condition.due_date,
            )
        )
    for decision in (
        GateDecision.objects.filter(
            decided_on__gte=date - dt.timedelta(days=window_days), decided_on__lte=date
        )
        .select_related("review__lifecycle__project", "review__gate")
        .order_by("decided_on", "id")
    ):
        items.append(
            AgendaItem(
                kind=AgendaKind.DECIDED,
                project=decision.review.lifecycle.project,
                gate=decision.review.gate,
                decision=decision,
                due=decision.decided_on,
            )
        )
    for source in AGENDA_SOURCES:
        items.extend(source(date, window_days))
    for item in items:
        prefix = item.ref.partition(":")[0]
        if item.kind == AgendaKind.OTHER and prefix in AgendaKind.values:
            item.kind = prefix  # a reference that names a kind (change_request:12) is of it
        item.section = SECTION_OF_KIND.get(item.kind, AgendaSection.DECIDE)
    return in_sections(ended.still_on_agenda(items))


SECTION_RANK = {section: rank for rank, section in enumerate(AgendaSection.values)}


def in_sections(items: list[AgendaItem]) -> list[AgendaItem]:
    """``items`` section by section (to decide, to watch, for information), each section's
    lines in the order they came."""
    return sorted(items, key=lambda item: SECTION_RANK.get(item.section, 0))


CONDITION_REF = "condition"
"""The ``ref`` prefix of an overdue-condition line: :func:`condition_labels` writes it."""


def condition_labels(keys: list[str]) -> dict[str, str]:
    """Overdue-condition agenda lines in the reader's language: the condition's text and its
    owner's name ("与财务确认预算（孙丽）"), one query for all; a condition gone is left out."""
    pks = [int(k) for k in keys if k.isdigit()]
    found = GateCondition.objects.filter(pk__in=pks).select_related("owner")
    return {
        str(c.pk): _("%(text)s (%(owner)s)") % {"text": c.text, "owner": c.owner.display_name}
        for c in found
    }
