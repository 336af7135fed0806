"""Gate dates of project lifecycles: planned from the template, forecast after every move,
on the milestone a gate is decided on and reconciled with the project's forecast finish (ADR
0002, "Gate forecasts", "Gates tied to milestones"), and the lifecycle's denormalised next
gate, its due date and open-condition count (part of the services;
:mod:`pmo.governance.services` re-exports the public names)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pmo.governance.models import (
    ConditionStatus,
    GateCondition,
    GateDefinition,
    GateReview,
    LifecycleState,
    PhaseDefinition,
    PhaseEntry,
    ProjectGate,
    ProjectLifecycle,
    ReviewState,
)
from pmo.portfolio.models import Milestone, Phase, Project

__all__ = [
    "MilestoneTie",
    "follow_forecast_finish",
    "follow_milestone",
    "forecast_gates",
    "milestone_dates",
    "milestone_ties",
    "plan_gates",
    "refresh_next_gate",
]


def plan_gates(
    phases: list[PhaseDefinition], start: dt.date, from_order: int = 0
) -> dict[int, dt.date]:
    """Gate order → date, walking expected phase durations from ``start`` at ``from_order``."""
    dates: dict[int, dt.date] = {}
    day = start
    for phase in phases[from_order:]:
        if phase.order > from_order:
            dates[phase.order] = day
        day = day + dt.timedelta(days=phase.expected_days)
    return dates


def forecast_gates(
    phases: list[PhaseDefinition],
    day: dt.date,
    from_order: int,
    finish: dt.date | None,
    tied: dict[int, dt.date] | None = None,
) -> dict[int, dt.date]:
    """Gate order → forecast once the project is in phase ``from_order`` since ``day``.

    The template's expected days from ``day`` (:func:`plan_gates`); a gate tied to a
    milestone (``tied``: gate order → the milestone's date, :func:`milestone_dates`) is
    forecast on it instead when that date is on or after ``day``. Then reconciled with the
    project's forecast finish when there is one on or after ``day``: no gate is forecast after
    it, and the closure gate (into a last phase of category ``closed``) is forecast on it —
    the committee closes the project when its work ends, not when the template's days say.
    A finish or milestone before ``day`` is out of date and is not used (ADR 0002, "Gate
    forecasts").
    """
    dates = plan_gates(phases, day, from_order)
    for order, when in (tied or {}).items():
        if order in dates and when >= day:
            dates[order] = when
    if finish is None or finish < day or not dates:
        return dates
    last = phases[-1]
    return _on_finish(dates, finish, last.order if last.category == Phase.CLOSED else None)


def _on_finish(
    dates: dict[int, dt.date], finish: dt.date, closure: int | None
) -> dict[int, dt.date]:
    """Gate forecasts reconciled with the forecast finish: none after it, the closure gate
    (order ``closure``, if any) on it."""
    reconciled = {order: min(when, finish) for order, when in dates.items()}
    if closure in reconciled:
        reconciled[closure] = finish
    return reconciled


def _reforecast(lifecycle: ProjectLifecycle, dates: dict[int, dt.date]) -> bool:
    """Write gate forecasts row by row (``save``): other apps' post_save receivers see the
    gates move (a dependency on a gate turns at risk). Whether any moved."""
    moved = False
    rows = ProjectGate.objects.filter(lifecycle=lifecycle, gate__order__in=list(dates))
    for row in rows.select_related("gate"):
        when = dates[row.gate.order]
        if row.forecast != when:
            row.forecast = when
            row.save(update_fields=["forecast"])
            moved = True
    return moved


def _set_gate_forecast(lifecycle: ProjectLifecycle, gate: Any, day: dt.date) -> None:
    """Row by row (``save``), so post_save receivers of other apps see the gate move."""
    for row in ProjectGate.objects.filter(lifecycle=lifecycle, gate=gate):
        if row.forecast != day:
            row.forecast = day
            row.save(update_fields=["forecast"])


def _refresh(lifecycle: ProjectLifecycle) -> None:
    """Recompute the denormalised next gate, its due date and the open-condition count."""
    gate = None
    if lifecycle.state == LifecycleState.ACTIVE:
        gate = GateDefinition.objects.filter(
            template_id=lifecycle.template_id, order=lifecycle.current_phase.order + 1
        ).first()
    due = None
    if gate is not None:
        due = (
            ProjectGate.objects.filter(lifecycle=lifecycle, gate=gate)
            .values_list("forecast", flat=True)
            .first()
        )
    lifecycle.next_gate = gate
    lifecycle.next_gate_due = due
    lifecycle.open_conditions = GateCondition.objects.filter(
        project_id=lifecycle.project_id, status=ConditionStatus.OPEN
    ).count()
    ProjectLifecycle.objects.filter(pk=lifecycle.pk).update(
        next_gate=gate, next_gate_due=due, open_conditions=lifecycle.open_conditions
    )


def _key(name: str) -> str:
    """A milestone name as gates are matched to it: case and runs of spaces do not count."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class MilestoneTie:
    """What a gate that names a milestone finds in one project (:func:`milestone_ties`)."""

    found: bool
    """A milestone of the project bears the name (in English or Chinese)."""
    date: dt.date | None
    """The latest of their dates (actual once reached, else forecast); ``None``: no date, the
    gate is not tied for this project."""


def milestone_ties(template_id: int, project_id: int, after: int = 0) -> dict[int, MilestoneTie]:
    """Gate order → what the gate's milestone is in the project, for the template's gates
    after order ``after`` that name one (ADR 0002, "Gates tied to milestones"). The one rule
    of matching, for the forecasts and for the pages that say which milestone a gate follows.

    A gate names its milestone in English and/or Chinese; a project milestone matches when its
    name or Chinese name is either, ignoring case and spaces. Its date is the actual date once
    reached, else the forecast (else none: the gate is not tied). Several matches (a pilot and
    a main go-live both named "Go-live"): the latest date, the one the decision waits for.
    """
    links = [
        (order, {_key(n) for n in names if n.strip()})
        for order, *names in GateDefinition.objects.filter(template_id=template_id, order__gt=after)
        .exclude(milestone="", milestone_zh="")
        .values_list("order", "milestone", "milestone_zh")
    ]
    if not links:
        return {}
    milestones = [
        ({_key(name), _key(name_zh)} - {""}, actual or forecast)
        for name, name_zh, forecast, actual in Milestone.objects.filter(
            project_id=project_id
        ).values_list("name", "name_zh", "forecast_date", "actual_date")
    ]
    ties: dict[int, MilestoneTie] = {}
    for order, names in links:
        matches = [when for keys, when in milestones if keys & names]
        dates = [when for when in matches if when is not None]
        ties[order] = MilestoneTie(found=bool(matches), date=max(dates) if dates else None)
    return ties


def milestone_dates(template_id: int, project_id: int, after: int) -> dict[int, dt.date]:
    """Gate order → the date of the milestone the gate is decided on, for the template's gates
    after order ``after`` tied to a dated milestone of the project (:func:`milestone_ties`)."""
    return {
        order: tie.date
        for order, tie in milestone_ties(template_id, project_id, after).items()
        if tie.date is not None
    }


def follow_forecast_finish(project: Project) -> None:
    """The project's forecast finish or a milestone moved (a status report, a plan recompute,
    an edit): its gates still ahead follow as a decision would have them (ADR 0002, "Gate
    forecasts"): a gate tied to a milestone on the milestone's date (actual, else forecast),
    no gate after the finish, the closure gate on it. A finish or milestone date before the
    current phase began is out of date and moves nothing; a gate whose review is requested
    keeps its date (the review's). Other gates are not pulled later again (only a decision
    re-forecasts them from the template)."""
    _follow(project.pk, finish=project.forecast_finish)


def follow_milestone(milestone: Milestone) -> None:
    """A milestone was added or changed: the gates ahead tied to a milestone follow (with the
    finish's rules, :func:`follow_forecast_finish`). Costs two queries for a project whose
    template ties no gate ahead to a milestone (a plan recompute saves every milestone)."""
    lifecycle = (
        ProjectLifecycle.objects.filter(
            project_id=milestone.project_id, state=LifecycleState.ACTIVE
        )
        .select_related("current_phase")
        .first()
    )
    if lifecycle is None:
        return
    tied = (
        GateDefinition.objects.filter(
            template_id=lifecycle.template_id, order__gt=lifecycle.current_phase.order
        )
        .exclude(milestone="", milestone_zh="")
        .exists()
    )
    if tied:
        _follow(milestone.project_id, lifecycle)


_READ = object()  # the finish is read from the database


def _follow(
    project_id: int, lifecycle: ProjectLifecycle | None = None, finish: Any = _READ
) -> None:
    lifecycle = lifecycle or (
        ProjectLifecycle.objects.filter(project_id=project_id, state=LifecycleState.ACTIVE)
        .select_related("current_phase")
        .first()
    )
    if lifecycle is None:
        return
    since = (
        PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True)
        .values_list("entered_on", flat=True)
        .first()
    ) or lifecycle.started_on
    if finish is _READ:
        finish = (
            Project.objects.filter(pk=project_id).values_list("forecast_finish", flat=True).first()
        )
    current = lifecycle.current_phase.order
    tied = {
        order: when
        for order, when in milestone_dates(lifecycle.template_id, project_id, current).items()
        if when >= since
    }
    if (finish is None or finish < since) and not tied:
        return
    reviewed = GateReview.objects.filter(
        lifecycle=lifecycle, state=ReviewState.REQUESTED
    ).values_list("gate_id", flat=True)
    ahead = (
        ProjectGate.objects.filter(
            lifecycle=lifecycle, actual__isnull=True, gate__order__gt=current
        )
        .exclude(gate_id__in=reviewed)
        .values_list("gate__order", "forecast")
    )
    dates = {order: tied.get(order, when) for order, when in ahead}
    if finish is not None and finish >= since:
        last = (
            PhaseDefinition.objects.filter(template_id=lifecycle.template_id)
            .order_by("-order")
            .values_list("order", "category")
            .first()
        )
        closure = last[0] if last is not None and last[1] == Phase.CLOSED else None
        dates = _on_finish(dates, finish, closure)
    if _reforecast(lifecycle, dates):
        _refresh(lifecycle)


def refresh_next_gate(project_id: int) -> None:
    """Recompute a project's next gate and its due date after its gate forecasts moved from
    outside governance (a change request applied): the status center reads them denormalised."""
    lifecycle = ProjectLifecycle.objects.filter(project_id=project_id).first()
    if lifecycle is not None:
        _refresh(lifecycle)
