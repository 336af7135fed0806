"""Lifecycle facts for the one-page report, as they stood on a given day.

Phase stays (``PhaseEntry``) and gate dates (``ProjectGate``) are history kept by the
stage-gate services, so the phase, its age and the gates passed in a past week are read
back as they were; the forecast of a gate not yet passed is its current forecast.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pmo.governance.models import GateDecision, Outcome, PhaseEntry, ProjectGate, ProjectLifecycle

__all__ = ["GateInfo", "gate_info", "gate_stops"]


@dataclass
class GateInfo:
    """Where a project stood in its lifecycle on the day asked for."""

    phase: str  # the status-center category of the phase (idea ... closed)
    phase_name: str
    weeks_in_phase: int
    expected_weeks: int
    next_gate: str
    next_gate_date: dt.date | None
    overdue: bool
    passed: list[str] = field(default_factory=list)  # gates passed within the period


def gate_info(project_ids: list[int], start: dt.date, end: dt.date) -> dict[int, GateInfo]:
    """For each project with a lifecycle: its phase on ``end`` and the gates around it."""
    lifecycles = dict(
        ProjectLifecycle.objects.filter(project_id__in=project_ids).values_list("id", "project_id")
    )
    if not lifecycles:
        return {}
    current: dict[int, PhaseEntry] = {}
    for stay in (
        PhaseEntry.objects.filter(lifecycle_id__in=lifecycles, entered_on__lte=end)
        .select_related("phase")
        .order_by("lifecycle_id", "entered_on", "id")
    ):
        if stay.left_on is None or stay.left_on > end:
            current[stay.lifecycle_id] = stay  # the latest stay that covers ``end``
    gates: dict[int, dict[int, ProjectGate]] = {}
    for gate in ProjectGate.objects.filter(lifecycle_id__in=lifecycles).select_related("gate"):
        gates.setdefault(gate.lifecycle_id, {})[gate.gate.order] = gate
    result: dict[int, GateInfo] = {}
    for lifecycle_id, project_id in lifecycles.items():
        entry = current.get(lifecycle_id)
        if entry is None:
            continue
        by_order = gates.get(lifecycle_id, {})
        following = by_order.get(entry.phase.order + 1)
        passed_by_end = (
            following is not None and following.actual is not None and (following.actual <= end)
        )
        upcoming = None if following is None or passed_by_end else following
        due = upcoming.forecast if upcoming else None
        result[project_id] = GateInfo(
            phase=entry.phase.category,
            phase_name=entry.phase.display_name,
            weeks_in_phase=max(0, (end - entry.entered_on).days) // 7,
            expected_weeks=max(1, round(entry.phase.expected_days / 7)),
            next_gate=upcoming.gate.code if upcoming else "",
            next_gate_date=due,
            overdue=due is not None and due < end,
            passed=[
                g.gate.code
                for g in sorted(by_order.values(), key=lambda g: g.gate.order)
                if g.actual is not None and start <= g.actual <= end
            ],
        )
    return result


def gate_stops(project_ids: list[int], start: dt.date, end: dt.date) -> dict[int, str]:
    """The projects stopped by a gate decision between ``start`` and ``end``: the gate's code."""
    return dict(
        GateDecision.objects.filter(
            review__lifecycle__project_id__in=project_ids,
            outcome=Outcome.STOP,
            decided_on__range=(start, end),
        ).values_list("review__lifecycle__project_id", "review__gate__code")
    )
