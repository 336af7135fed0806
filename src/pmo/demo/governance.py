"""Demo lifecycles and gate history, consistent with each project's phase and status history.

Each demo project follows the built-in template of its PMO type. The gates before its
current phase were passed on the dates of its timeline (:mod:`pmo.demo.timeline`), the
others are planned and forecast by it; a gate passed while the project was red was first
put on hold and then passed with conditions, one passed while amber carries a condition
(closed when old).
Rows are written with ``bulk_create`` (``--projects 5000`` stays fast) and the derived
fields the services would keep (current phase, next gate, open conditions) set here.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from pmo.accounts.models import Person, User
from pmo.demo.language import ENGLISH, Text, in_chinese, text
from pmo.demo.timeline import PhaseSpec, Timeline
from pmo.governance.builtin import template_for_pmo_type
from pmo.governance.models import (
    ConditionStatus,
    CriterionCheck,
    DeliverableLink,
    GateCondition,
    GateDecision,
    GateReview,
    LifecycleTemplate,
    Outcome,
    PhaseEntry,
    ProjectGate,
    ProjectLifecycle,
    ReviewState,
    SteeringMeeting,
)
from pmo.portfolio.models import Project

__all__ = ["lifecycle_phases", "load_governance", "reset_governance", "stop_a_project"]

# the texts a decision writes: in the manager's language (the demo's, else the region's)
CONDITIONS: list[Text] = [
    ("Confirm the budget with finance", "与财务确认预算"),
    ("Name a deputy project manager", "任命项目副经理"),
    ("Close the open architecture issues", "关闭未决的架构问题"),
    ("Sign the vendor contract", "签署供应商合同"),
]

HOLD: Text = ("Project red: recover first.", "项目为红色：先恢复再过阶段门。")


def _submitted_on(today: dt.date) -> dt.datetime:
    """When a ready review was submitted for decision: the day before, mid-morning."""
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(10)))


STOP: Text = (
    "The business case no longer holds: the market moved. Stop and release the team.",
    "业务论证不再成立：市场已变化。终止项目并释放团队。",
)


def _chunks(items: list[Any], size: int = 2000) -> Any:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _structure(template: LifecycleTemplate) -> dict[str, Any]:
    phases = list(template.phases.order_by("order"))
    gates = {g.order: g for g in template.gates.all()}
    criteria: dict[int, list[Any]] = {g.pk: list(g.criteria.all()) for g in gates.values()}
    deliverables: dict[int, list[Any]] = {g.pk: list(g.deliverables.all()) for g in gates.values()}
    return {
        "template": template,
        "phases": phases,
        "gates": gates,
        "criteria": criteria,
        "deliverables": deliverables,
    }


def _latest_templates() -> dict[str, LifecycleTemplate]:
    return {
        t.code: t
        for t in LifecycleTemplate.objects.order_by("code", "revision")  # last revision wins
    }


def lifecycle_phases() -> dict[str, list[PhaseSpec]]:
    """PMO type → the phases of the lifecycle its demo projects follow."""
    latest = _latest_templates()
    phases = {
        code: [
            PhaseSpec(category=p.category, expected_days=p.expected_days)
            for p in t.phases.order_by("order")
        ]
        for code, t in latest.items()
    }
    return {
        pmo_type: phases[template_for_pmo_type(pmo_type)]
        for pmo_type in ("rnd", "business", "delivery", "strategy", "assistant", "")
        if template_for_pmo_type(pmo_type) in phases
    }


def load_governance(
    *,
    projects: list[Project],
    stories: list[tuple[str, list[int]]],
    timelines: list[Timeline],
    periods: list[Any],
    today: dt.date,
    users: dict[str, User],
    people: list[Person],
    seed: int,
    language: str = ENGLISH,
) -> None:
    """Lifecycles, gate decisions and conditions for the demo projects (the decisions'
    texts in ``language``; English: the China region's in Chinese)."""
    rng = random.Random(seed + 1)
    latest = _latest_templates()
    structures = {code: _structure(t) for code, t in latest.items()}
    decider = users["exec"]
    first_day = periods[0].start

    def rag_on(path: list[int], day: dt.date) -> int:
        index = min(len(path) - 1, max(0, (day - first_day).days // 7))
        return path[index]

    plans: list[dict[str, Any]] = []
    lifecycles: list[ProjectLifecycle] = []
    for project, (_pattern, path), timeline in zip(projects, stories, timelines, strict=True):
        s = structures[template_for_pmo_type(project.pmo_type)]
        phases = s["phases"]
        current = phases[timeline.current]
        assert current.category == project.phase == timeline.category
        forecast = dict(enumerate(timeline.forecast))
        due = forecast.get(current.order + 1)
        # a review is requested for some gates due in the coming weeks, on the gate's date
        open_review = (
            due is not None and today < due <= today + dt.timedelta(days=21) and rng.random() < 0.4
        )
        review_day = due if open_review else None
        lifecycles.append(
            ProjectLifecycle(
                project=project,
                template=s["template"],
                current_phase=current,
                started_on=timeline.start,
                version=2,
                next_gate=s["gates"].get(current.order + 1),
                next_gate_due=forecast.get(current.order + 1),
            )
        )
        plans.append(
            {
                "s": s,
                "current": current,
                "timeline": timeline,
                "path": path,
                "open_review": open_review,
                "review_day": review_day,
                "forecast": forecast,
                "requester": (project.manager.user if project.manager else None) or users["pm"],
            }
        )
    for chunk in _chunks(lifecycles, 1000):
        ProjectLifecycle.objects.bulk_create(chunk)

    reviews: list[GateReview] = []
    review_meta: list[dict[str, Any]] = []
    for lifecycle, plan in zip(lifecycles, plans, strict=True):
        s, current, timeline = plan["s"], plan["current"], plan["timeline"]
        k = current.order
        for order in range(1, k + 1):
            day = timeline.actual[order]
            gate = s["gates"][order]
            rag = rag_on(plan["path"], day)
            outcomes = (
                [Outcome.HOLD, Outcome.GO_WITH_CONDITIONS]
                if rag == 3
                else [Outcome.GO_WITH_CONDITIONS]
                if rag == 2
                else [Outcome.GO]
            )
            for step, outcome in enumerate(outcomes):
                when = day - dt.timedelta(days=14 * (len(outcomes) - 1 - step))
                when = max(when, timeline.actual[order - 1] + dt.timedelta(days=1))
                reviews.append(
                    GateReview(
                        lifecycle=lifecycle,
                        gate=gate,
                        state=ReviewState.DECIDED,
                        requested_by=None,
                        scheduled_for=when,
                        version=2,
                    )
                )
                review_meta.append({"outcome": outcome, "day": when, "plan": plan, "order": order})
        if plan["open_review"]:
            # a review in the coming week has its checklist complete and is submitted for
            # decision (ADR 0002): the review list, agenda and calendar show it ready
            ready = plan["review_day"] <= today + dt.timedelta(days=7)
            reviews.append(
                GateReview(
                    lifecycle=lifecycle,
                    gate=s["gates"][k + 1],
                    state=ReviewState.REQUESTED,
                    scheduled_for=plan["review_day"],
                    requested_by=plan["requester"],
                    submitted_at=_submitted_on(today) if ready else None,
                    submitted_by=plan["requester"] if ready else None,
                )
            )
            review_meta.append({"outcome": None, "plan": plan, "order": k + 1, "ready": ready})
    for chunk in _chunks(reviews, 2000):
        GateReview.objects.bulk_create(chunk)

    decisions: list[GateDecision] = []
    checks: list[Any] = []
    links: list[Any] = []
    decided_reviews: list[tuple[GateDecision, dict[str, Any], GateReview]] = []
    for review, meta in zip(reviews, review_meta, strict=True):
        s = meta["plan"]["s"]
        met = meta["outcome"] is not None or meta.get("ready", False)
        checks += [
            CriterionCheck(review=review, criterion=c, met=met)
            for c in s["criteria"][review.gate.pk]
        ]
        links += [
            DeliverableLink(
                review=review, deliverable=d, url="https://wiki.example.com/docs" if met else ""
            )
            for d in s["deliverables"][review.gate.pk]
        ]
        if meta["outcome"] is None:
            continue
        decision = GateDecision(
            review=review,
            outcome=meta["outcome"],
            decided_on=meta["day"],
            decided_by=decider,
            decided_by_name=decider.username,
            rationale=""
            if meta["outcome"] != Outcome.HOLD
            else text(HOLD, in_chinese(language, review.lifecycle.project.org_unit.code)),
        )
        decisions.append(decision)
        decided_reviews.append((decision, meta, review))
    for chunk in _chunks(decisions, 2000):
        GateDecision.objects.bulk_create(chunk)
    for rows, model in ((checks, CriterionCheck), (links, DeliverableLink)):
        for chunk in _chunks(rows, 5000):
            model.objects.bulk_create(chunk)

    entries: list[PhaseEntry] = []
    conditions: list[GateCondition] = []
    moving: dict[tuple[int, int], GateDecision] = {}
    for decision, meta, review in decided_reviews:
        if decision.outcome != Outcome.HOLD:
            moving[(review.lifecycle_id, meta["order"])] = decision
        if decision.outcome == Outcome.GO_WITH_CONDITIONS:
            condition = rng.choice(CONDITIONS)
            project = review.lifecycle.project
            due = decision.decided_on + dt.timedelta(days=rng.randrange(20, 60))
            closed = due < today - dt.timedelta(days=rng.randrange(0, 30))
            conditions.append(
                GateCondition(
                    decision=decision,
                    project=project,
                    text=text(condition, in_chinese(language, project.org_unit.code)),
                    owner=project.manager or rng.choice(people),
                    due_date=due,
                    status=ConditionStatus.CLOSED if closed else ConditionStatus.OPEN,
                    closed_on=due if closed else None,
                )
            )
    for chunk in _chunks(conditions, 2000):
        GateCondition.objects.bulk_create(chunk)

    open_conditions: dict[int, int] = {}
    for c in conditions:
        if c.status == ConditionStatus.OPEN:
            open_conditions[c.project_id] = open_conditions.get(c.project_id, 0) + 1
    gates: list[ProjectGate] = []
    for lifecycle, plan in zip(lifecycles, plans, strict=True):
        s, current = plan["s"], plan["current"]
        phases = s["phases"]
        day = lifecycle.started_on
        for phase in phases[: current.order + 1]:
            left = None
            if phase.order < current.order:
                left = moving[(lifecycle.pk, phase.order + 1)].decided_on
            entries.append(
                PhaseEntry(
                    lifecycle=lifecycle,
                    phase=phase,
                    entered_on=day,
                    left_on=left,
                    decision=moving.get((lifecycle.pk, phase.order)),
                )
            )
            day = left or day
        planned = plan["timeline"].planned
        forecast = plan["forecast"]
        for order, when in enumerate(planned):
            if not order:
                continue
            passed = moving.get((lifecycle.pk, order))
            actual = passed.decided_on if passed else None
            gates.append(
                ProjectGate(
                    lifecycle=lifecycle,
                    gate=s["gates"][order],
                    planned=when,
                    forecast=actual or forecast[order],
                    actual=actual,
                )
            )
    for chunk in _chunks(entries, 5000):
        PhaseEntry.objects.bulk_create(chunk)
    for chunk in _chunks(gates, 5000):
        ProjectGate.objects.bulk_create(chunk)
    by_count: dict[int, list[int]] = {}
    for lifecycle in lifecycles:
        n = open_conditions.get(lifecycle.project_id, 0)
        if n:
            by_count.setdefault(n, []).append(lifecycle.pk)
    for n, ids in by_count.items():
        for chunk in _chunks(ids, 500):
            ProjectLifecycle.objects.filter(pk__in=chunk).update(open_conditions=n)


def reset_governance(project_ids: list[int], admin_ids: list[int]) -> None:
    """Remove the governance rows of the demo projects (children first: decisions are protected)."""
    for chunk in _chunks(project_ids, 500):
        lifecycles = ProjectLifecycle.objects.filter(project_id__in=chunk)
        PhaseEntry.objects.filter(lifecycle__in=lifecycles).delete()
        GateCondition.objects.filter(project_id__in=chunk).delete()
        GateDecision.objects.filter(review__lifecycle__in=lifecycles).delete()
        GateReview.objects.filter(lifecycle__in=lifecycles).delete()
        ProjectGate.objects.filter(lifecycle__in=lifecycles).delete()
        lifecycles.delete()
    SteeringMeeting.objects.filter(created_by_id__in=admin_ids).delete()


def stop_a_project(
    projects: list[Project], users: dict[str, User], today: dt.date, language: str = ENGLISH
) -> Project | None:
    """One non-strategic project is stopped at its next gate today (the real services: its
    lifecycle stops, the project is cancelled and gives its resources back), so the demo
    shows a cancelled project. One with no dependency and no open condition is chosen;
    ``None`` if the demo has no such project (fewer than six projects)."""
    from pmo.dependencies.models import Dependency
    from pmo.governance.decisions import decide_gate
    from pmo.governance.services import request_review

    linked = set(Dependency.objects.values_list("supplier_project_id", flat=True))
    linked |= set(Dependency.objects.values_list("consumer_project_id", flat=True))
    candidates = [
        p
        for p in projects
        if not p.strategic
        and p.pk not in linked
        and p.phase in ("initiation", "planning", "execution")
    ]
    lifecycle = (
        ProjectLifecycle.objects.filter(
            project__in=candidates, open_conditions=0, next_gate__isnull=False
        )
        .select_related("project")
        .order_by("project__code")
        .first()
    )
    if lifecycle is None:
        return None
    project = lifecycle.project
    review = GateReview.objects.filter(lifecycle=lifecycle, state=ReviewState.REQUESTED).first()
    if review is None:
        review = request_review(actor=users["admin"], project=project, scheduled_for=today)
    decide_gate(
        actor=users["exec"],
        review=review,
        outcome=Outcome.STOP,
        rationale=text(STOP, in_chinese(language, project.org_unit.code)),
        decided_on=today,
    )
    project.refresh_from_db()
    return project
