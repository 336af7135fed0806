"""What governance still takes from a project that has ended (closed or cancelled).

A project whose state is in :data:`pmo.portfolio.models.ENDED_STATES` no longer runs: it
starts no lifecycle, takes no new gate review and no gate decision, gets no new line on a
steering agenda, and a meeting held after its end records no outcome for it. What is still
needed after the end is taken (ADR 0002, "Ended projects"):

- the **closure gate** of a project the PMO closed by hand (closing by hand leaves the
  lifecycle running): its review may be requested and passed (Go, Go with conditions), which
  completes the lifecycle in its Closed phase; the project stays closed. The closure gate's
  decision that ends a running project is not affected: the project runs when it is taken;
- **outcomes of a meeting held on or before the day the project ended** (the committee met
  while it ran, or on the day it was stopped or closed; the minutes are written up later);
- minutes (a meeting's, not a project's), withdrawing an open review, closing a gate
  condition (a closure gate's conditions are owed after the end) and reading everything;
- on an agenda (:func:`kept_on_agenda`), the decisions taken in its window (the one that
  ended the project is news) and, of a project closed by hand, its overdue conditions and
  its closure gate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from pmo.core.errors import ConflictError
from pmo.core.i18n import mid_sentence
from pmo.governance.models import AgendaItem, GateDefinition, Outcome, PhaseDefinition
from pmo.governance.reviews import AgendaKind
from pmo.portfolio.models import ENDED_STATES, Phase, Project, ProjectState
from pmo.portfolio.selectors import get_ending

__all__ = [
    "ProjectEndedError",
    "check_decision",
    "check_lifecycle_start",
    "check_outcome",
    "check_review_change",
    "check_review_request",
    "closure_gates",
    "is_closure_gate",
    "kept_on_agenda",
    "review_refusal",
    "still_on_agenda",
]


class ProjectEndedError(ConflictError):
    """Refused because the project has ended (409); ``errors`` names the field ``project``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.errors = [{"field": "project", "message": message}]


def _values(project: Project) -> dict[str, str]:
    return {"project": project.code, "state": mid_sentence(project.get_state_display())}


def is_closure_gate(gate: GateDefinition) -> bool:
    """Whether ``gate`` leads into the last phase of its template and that phase is of the
    category *closed*: passing it closes the project."""
    later = PhaseDefinition.objects.filter(template_id=gate.template_id, order__gte=gate.order)
    return list(later.values_list("order", "category")) == [(gate.order, Phase.CLOSED)]


def closure_gates() -> QuerySet[GateDefinition]:
    """The gates :func:`is_closure_gate` accepts, as a query (for lists filtered in SQL)."""
    phases = PhaseDefinition.objects.filter(template_id=OuterRef("template_id"))
    return GateDefinition.objects.filter(
        Exists(phases.filter(order=OuterRef("order"), category=Phase.CLOSED)),
        ~Exists(phases.filter(order__gt=OuterRef("order"))),
    )


def _closure_left(project: Project, gate: GateDefinition) -> bool:
    """A closed project whose next gate is its closure gate may still pass it."""
    return project.state == ProjectState.CLOSED and is_closure_gate(gate)


def review_refusal(project: Project, gate: GateDefinition | None) -> str | None:
    """Why a review of ``gate`` (the project's next gate) cannot be requested because the
    project has ended, or ``None`` (it runs, or the gate is a closed project's closure gate)."""
    if project.state not in ENDED_STATES:
        return None
    if gate is not None and _closure_left(project, gate):
        return None
    return _("project %(project)s is %(state)s: it takes no new gate review") % _values(project)


def check_review_request(project: Project, gate: GateDefinition | None) -> None:
    """Refuse the review request of an ended project (:func:`review_refusal`)."""
    if refusal := review_refusal(project, gate):
        raise ProjectEndedError(refusal)


def check_review_change(project: Project, gate: GateDefinition) -> None:
    """Refuse preparing an open review of an ended project, or attaching files to it, but
    for a closed project's closure gate (which may still be passed). Ending a project
    withdraws its other open reviews; this guards the ones of projects loaded ended."""
    if project.state in ENDED_STATES and not _closure_left(project, gate):
        raise ProjectEndedError(
            _(
                "project %(project)s is %(state)s: its review of gate %(gate)s will not be "
                "decided and cannot change (withdraw it)"
            )
            % {**_values(project), "gate": gate.code}
        )


def check_decision(project: Project, gate: GateDefinition, outcome: str) -> None:
    """Refuse a gate decision for an ended project, except passing a closed project's
    closure gate (which completes its lifecycle; the project stays closed)."""
    if project.state not in ENDED_STATES:
        return
    if not _closure_left(project, gate):
        raise ProjectEndedError(
            _("project %(project)s is %(state)s: it takes no further gate decision")
            % _values(project)
        )
    if outcome not in {Outcome.GO, Outcome.GO_WITH_CONDITIONS}:
        raise ProjectEndedError(
            _(
                "project %(project)s is %(state)s: its closure gate %(gate)s can only be "
                "passed (Go or Go with conditions)"
            )
            % {**_values(project), "gate": gate.code}
        )


def check_lifecycle_start(project: Project) -> None:
    """Refuse putting an ended project on a lifecycle (it would set it active again)."""
    if project.state in ENDED_STATES:
        raise ProjectEndedError(
            _("project %(project)s is %(state)s: a project that has ended starts no lifecycle")
            % _values(project)
        )


def check_outcome(project: Project, meeting_date: dt.date) -> None:
    """Refuse an outcome for an ended project of a meeting after the day it ended (or when
    that day is not known: the project was loaded ended)."""
    project = Project.objects.get(pk=project.pk)  # its state now, not the caller's copy
    if project.state not in ENDED_STATES:
        return
    ending = get_ending(project)
    day = ending.day if ending is not None else None
    if day is None:
        raise ProjectEndedError(
            _("project %(project)s is %(state)s: a steering meeting records no outcome for it")
            % _values(project)
        )
    if meeting_date > day:
        raise ProjectEndedError(
            _(
                "project %(project)s is %(state)s since %(day)s: a meeting on %(date)s "
                "records no outcome for it"
            )
            % {**_values(project), "day": f"{day:%Y-%m-%d}", "date": f"{meeting_date:%Y-%m-%d}"}
        )


def kept_on_agenda(item: AgendaItem, state: str | None) -> bool:
    """Whether ``item``, an agenda line about a project now in ``state``, still belongs on an
    agenda: one rule for agendas generated after the end (:func:`still_on_agenda` leaves the
    others out) and for agendas drawn up before it (``steering.follow_ended_project`` marks
    the others "project closed/cancelled on ..."). A running project's lines all stay; of an
    ended project only the gate decisions taken in the window (the one that ended it is news)
    and, of a project closed by hand, its overdue conditions (still owed) and its closure gate
    (it may still be passed). A cancelled project's conditions were closed with it."""
    if state is None:
        return True
    if item.kind == AgendaKind.DECIDED:
        return True
    if state != ProjectState.CLOSED:
        return False
    if item.kind == AgendaKind.CONDITION:
        return True
    return item.kind == AgendaKind.GATE and item.gate is not None and is_closure_gate(item.gate)


def still_on_agenda(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    """``items`` without the lines about ended projects that :func:`kept_on_agenda` leaves out
    (one query for the projects' states, one per gate line of a closed project)."""
    items = list(items)
    ended = dict(
        Project.objects.filter(
            pk__in={i.project_id for i in items if i.project_id}, state__in=ENDED_STATES
        ).values_list("pk", "state")
    )
    return [
        item
        for item in items
        if kept_on_agenda(item, ended.get(item.project_id) if item.project_id else None)
    ]
