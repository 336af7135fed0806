"""A scenario against the current plan: the allocations and labour cost it changes, the
plans that must follow, what the plan changed since the copy (out of date), and its capacity
changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext as _

from pmo.portfolio.models import Project
from pmo.resources import calendars, costs
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    CapacityChange,
    LevelingRun,
    LevelingState,
    Resource,
    Scenario,
    ScenarioState,
)

__all__ = [
    "CapacityDiff",
    "ScenarioChanges",
    "plan_changes_since",
    "plans_to_change",
    "scenario_capacity_changes",
    "scenario_changes",
    "scenario_out_of_date",
    "scenarios_out_of_date",
]


_CHANGED = (
    Q(origin__isnull=True)
    | ~Q(first=F("origin__first"))
    | ~Q(last=F("origin__last"))
    | ~Q(resource=F("origin__resource"))
    | ~Q(fte=F("origin__fte"))
)
"""A scenario row that differs from the current-plan row it copies, or has none."""

_COSTED = (
    *("scenario_id", "resource_id", "project_id", "first", "last", "fte", "status"),
    *("resource__calendar", "resource__hours_per_day", "resource__cost_rate"),
    "resource__currency",
)
"""The columns an allocation's labour cost reads (:func:`pmo.resources.costs.row_costs`):
whole rows of thousands of allocations and their resources took most of the time."""


def plans_to_change(scenario_id: int) -> list[str]:
    """Codes of the projects whose plans must change for the current plan to match the
    scenario: it moved (dates, resource or FTE; leveling inside slack included) or added
    schedule demand. Schedule demand belongs to the plans, so committing does not rewrite it
    (ADR 0006). A project shift alone does not list a plan: a leveling run that moved only a
    project's hand-entered rows shifts the project too, and its plan had nothing to change
    (its manager was told to move tasks and was then told no task starts later)."""
    moved = Allocation.objects.filter(
        _CHANGED, scenario_id=scenario_id, source=AllocationSource.SCHEDULE
    ).values_list("project__code", flat=True)
    return sorted(set(moved))


@dataclass(frozen=True)
class ScenarioChanges:
    """What a scenario changes against the current plan."""

    # changed or added allocations, by project code; an allocation leveling split (the work
    # done stays, the rest moves) counts once, as the run's table lists it
    by_project: dict[str, int]
    cost: list[costs.CostTotal]  # planned labour cost change per currency (differences)
    split: int = 0  # of the changed allocations, those leveling split in two

    @property
    def changed(self) -> int:
        return sum(self.by_project.values())


def _split_pieces(scenario_id: int) -> set[int]:
    """Ids of the rows leveling runs of the scenario split off allocations under way (the
    part that moved; the row it was cut from keeps the days already worked)."""
    results = LevelingRun.objects.filter(
        scenario_id=scenario_id, state=LevelingState.DONE
    ).values_list("result", flat=True)
    return {
        m["new_id"]
        for result in results
        for m in (result or {}).get("moved", [])
        if m.get("new_id")
    }


def scenario_changes(
    scenario_id: int, overrides: calendars.Overrides | None = None
) -> ScenarioChanges:
    """The allocations of a scenario that differ from the current-plan rows they copy
    (dates, resource or FTE: leveling moves dates, a what-if may give the work to another
    pool) or have none (added), and the labour cost that makes: those rows minus the plan
    rows they copy, minus the plan rows the scenario no longer has. An allocation leveling
    split (its later part became a row of its own) is counted once, and in ``split``; the
    cost has both parts. Only those rows are read and costed (four queries, the
    resources' absences one of them), so this stays fast on big plans; currencies with no
    change are left out of ``cost``."""
    if overrides is None:
        overrides = calendars.load_overrides()
    scenario_rows = Allocation.objects.filter(scenario_id=scenario_id)
    changed = list(
        scenario_rows.filter(_CHANGED)
        .select_related("resource", "project")
        .only(*_COSTED, "origin_id", "project__code")
    )
    kept = scenario_rows.exclude(origin=None).values("origin_id")
    before = list(
        Allocation.objects.filter(scenario=None)
        .filter(Q(pk__in=[a.origin_id for a in changed if a.origin_id]) | ~Q(pk__in=kept))
        .select_related("resource")
        .only(*_COSTED)
    )
    absences = costs.load_absences([*changed, *before])  # both layers, one query
    signed = [
        *costs.row_costs(changed, overrides, absences),
        *(replace(c, cost=-c.cost) for c in costs.row_costs(before, overrides, absences)),
    ]
    cost = [t for t in costs.totals(signed) if t.committed or t.proposed]
    cost.sort(key=lambda t: (-abs(t.total), t.currency))
    pieces = _split_pieces(scenario_id)
    return ScenarioChanges(
        Counter(a.project.code for a in changed if a.pk not in pieces),
        cost,
        split=sum(1 for a in changed if a.pk in pieces),
    )


def scenario_out_of_date(scenario: Scenario) -> str | None:
    """Why a draft scenario can no longer be committed, or ``None`` while it can.

    ``"allocations"``: the current plan's hand-entered allocations changed since the
    scenario copied them (one added, changed or removed, e.g. by committing another
    scenario); ``"capacity"``: its capacity changes did. "Copied" is when the scenario was
    created or last refreshed (:func:`pmo.resources.refresh.refresh_scenario`). The rule
    :func:`pmo.resources.services.commit_scenario` refuses a commit by, so the pages can say
    so before anyone levels or commits. A closed scenario is never out of date.
    """
    return scenarios_out_of_date([scenario])[scenario.pk]


def scenarios_out_of_date(scenarios: list[Scenario]) -> dict[int, str | None]:
    """:func:`scenario_out_of_date` of each scenario, by id: four queries however many
    scenarios there are (the list page asked five per draft, each reading every allocation
    of the current plan)."""
    result: dict[int, str | None] = {s.pk: None for s in scenarios}
    drafts = [s for s in scenarios if s.state == ScenarioState.DRAFT]
    if not drafts:
        return result
    live = Allocation.objects.filter(scenario=None, source=AllocationSource.MANUAL)
    # a row created or updated after the copy: the latest of either, compared once per draft
    touched = live.aggregate(
        created=Max("created_at"), updated=Max("updated_at"), highest=Max("pk")
    )
    highest = touched.pop("highest") or 0
    latest = max((t for t in touched.values() if t is not None), default=None)
    versions = dict(live.values_list("pk", "version"))
    stale: set[int] = set()
    for scenario_id, origin, version in Allocation.objects.filter(
        scenario_id__in=[s.pk for s in drafts],
        source=AllocationSource.MANUAL,
        origin_version__isnull=False,
    ).values_list("scenario_id", "origin_id", "origin_version"):
        if origin is None or versions.get(origin) != version:
            stale.add(scenario_id)
    capacity = CapacityChange.objects.filter(scenario=None).aggregate(
        updated=Max("updated_at"), count=Count("pk"), highest=Max("pk")
    )
    for s in drafts:
        copied = s.copied_at or s.created_at
        # a row newer than the copy: written after it, or before it but committed after
        newer = s.copied_up_to is not None and highest > s.copied_up_to
        if (latest is not None and latest > copied) or newer or s.pk in stale:
            result[s.pk] = "allocations"
        elif (
            (capacity["updated"] is not None and capacity["updated"] > copied)
            or capacity["count"] != s.copied_capacity_changes
            or (
                s.copied_changes_up_to is not None
                and (capacity["highest"] or 0) > s.copied_changes_up_to
            )
        ):
            result[s.pk] = "capacity"
    return result


def plan_changes_since(scenario: Scenario, limit: int = 5) -> tuple[list[str], int]:
    """What changed in the current plan since the scenario copied it, for the out-of-date
    notice: the codes of the projects whose allocations were added, changed or removed, then
    the names of the resources whose capacity changes were; at most ``limit`` of them, and
    how many more there are."""
    copied = scenario.copied_at or scenario.created_at
    live = Allocation.objects.filter(scenario=None)
    since = Q(created_at__gt=copied) | Q(updated_at__gt=copied)
    if scenario.copied_up_to is not None:
        since |= Q(pk__gt=scenario.copied_up_to)
    project_ids = set(live.filter(since).values_list("project_id", flat=True))
    versions = dict(live.values_list("pk", "version"))
    for origin, version, project_id in Allocation.objects.filter(
        scenario=scenario, origin_version__isnull=False
    ).values_list("origin_id", "origin_version", "project_id"):
        if origin is None or versions.get(origin) != version:
            project_ids.add(project_id)
    codes = sorted(Project.objects.filter(pk__in=project_ids).values_list("code", flat=True))
    plan_changes = CapacityChange.objects.filter(scenario=None)
    changed = Q(updated_at__gt=copied)
    if scenario.copied_changes_up_to is not None:
        changed |= Q(pk__gt=scenario.copied_changes_up_to)
    resource_ids = set(plan_changes.filter(changed).values_list("resource_id", flat=True))
    keys = set(plan_changes.values_list("resource_id", "first", "last", "fte"))
    for key in CapacityChange.objects.filter(scenario=scenario, copied=True).values_list(
        "resource_id", "first", "last", "fte"
    ):
        if key not in keys:  # removed (or changed) in the plan
            resource_ids.add(key[0])
    names = sorted(r.display_name for r in Resource.objects.filter(pk__in=resource_ids))
    labels = codes + [_("capacity of %(name)s") % {"name": name} for name in names]
    return labels[:limit], max(0, len(labels) - limit)


@dataclass(frozen=True)
class CapacityDiff:
    """A scenario's capacity changes against the current plan's."""

    added: list[CapacityChange]  # in the scenario only (or changed there)
    removed: list[CapacityChange]  # in the current plan, no longer in the scenario
    inherited: int  # copied from the current plan and unchanged


def scenario_capacity_changes(scenario_id: int) -> CapacityDiff:
    """The capacity changes a scenario makes: those it has that the current plan has not
    (same resource, window, FTE and reason), those of the plan it dropped, and how many it
    merely inherited. Two queries."""
    key_fields = ("resource_id", "first", "last", "fte", "reason")

    def key(c: CapacityChange) -> tuple[Any, ...]:
        return tuple(getattr(c, f) for f in key_fields)

    mine = list(
        CapacityChange.objects.filter(scenario_id=scenario_id)
        .select_related("resource")
        .order_by("first", "pk")
    )
    plan = list(
        CapacityChange.objects.filter(scenario=None)
        .select_related("resource")
        .order_by("first", "pk")
    )
    in_plan = Counter(key(c) for c in plan)
    in_scenario = Counter(key(c) for c in mine)
    added, removed = [], []
    for c in mine:
        if in_plan[key(c)] > 0:
            in_plan[key(c)] -= 1
        else:
            added.append(c)
    for c in plan:
        if in_scenario[key(c)] > 0:
            in_scenario[key(c)] -= 1
        else:
            removed.append(c)
    return CapacityDiff(added, removed, len(mine) - len(added))
