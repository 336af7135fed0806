"""Reads of capacity data: drill-down of a heat-map cell, staffing of a project, loads."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.core.errors import NotFoundError
from pmo.core.i18n import is_chinese, pick
from pmo.core.models import as_id
from pmo.portfolio.models import Project, ProjectState
from pmo.portfolio.selectors import get_ending
from pmo.resources import calendars, costs
from pmo.resources.filters import ResourceFilter
from pmo.resources.models import (
    Allocation,
    AllocationSource,
    AllocationStatus,
    CapacityChange,
    LevelingRun,
    LevelingState,
    ProjectShift,
    Resource,
    Scenario,
    ScenarioState,
)
from pmo.resources.roles import chinese_roles

__all__ = [
    "CapacityDiff",
    "CauseRow",
    "ScenarioChanges",
    "ended_on",
    "ended_text",
    "get_scenario",
    "list_allocations",
    "list_cell_causes",
    "list_resources",
    "list_roles",
    "list_scenarios",
    "plan_changes_since",
    "run_names",
    "scenario_capacity_changes",
    "scenario_changes",
    "scenario_out_of_date",
    "shifted_days",
]


@dataclass(frozen=True)
class CauseRow:
    """One project's demand in a heat-map cell, in the heat map's unit (FTE or hours)."""

    project_id: int
    code: str
    name: str
    priority: int
    demand: float
    committed: float
    proposed: float


def list_resources() -> QuerySet[Resource]:
    """All resources with their org unit."""
    return Resource.objects.select_related("org_unit", "person")


def list_roles() -> list[tuple[str, str]]:
    """The roles resources have, sorted, each with its label in the active language (the
    Chinese role any resource of it carries, when Chinese is on)."""
    chinese = chinese_roles()
    roles = Resource.objects.order_by("role").values_list("role", flat=True).distinct()
    return [(role, pick(role, chinese.get(role, ""))) for role in roles]


def list_scenarios() -> QuerySet[Scenario]:
    """Scenarios, newest first."""
    return Scenario.objects.select_related("created_by__person")


def get_scenario(pk: int) -> Scenario:
    """The scenario ``pk`` or :class:`NotFoundError`."""
    scenario = Scenario.objects.filter(pk=pk).first()
    if scenario is None:
        raise NotFoundError(_("no scenario %(scenario)s") % {"scenario": pk})
    return scenario


def ended_on(project: Project) -> dt.date | None:
    """The day a closed or cancelled project ended, ``None`` while it runs.

    That is the day its state was set, as the audit trail recorded it
    (:func:`pmo.portfolio.selectors.get_ending`, the project page's banner); today when the
    trail does not say (a project loaded ended). Its allocations end the day before
    (:func:`pmo.resources.services.release_project`), and none may run on or after it.
    """
    ending = get_ending(project)
    if ending is None:
        return None
    return ending.day or timezone.localdate()


def ended_text(project: Project, day: dt.date) -> str:
    """ "P0006 was cancelled on 2026-12-06" in the active language."""
    values = {"code": project.code, "day": day.isoformat()}
    if project.state == ProjectState.CANCELLED:
        return _("%(code)s was cancelled on %(day)s") % values
    return _("%(code)s was closed on %(day)s") % values


def list_allocations(
    *,
    scenario_id: int | None = None,
    project_id: int | None = None,
    resource_id: int | None = None,
) -> QuerySet[Allocation]:
    """Allocations of the current plan (or a scenario), optionally of a project or resource."""
    qs = Allocation.objects.filter(**{"scenario_id": scenario_id}).select_related(
        "resource", "project"
    )
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if resource_id is not None:
        qs = qs.filter(resource_id=resource_id)
    return qs.order_by("first", "pk")


def _group_filter(by: str, key: str) -> dict[str, object]:
    if by == "role":
        return {"resource__role": key}
    pk = as_id(key)
    if pk is None:
        raise ValueError(key)
    return {"resource__org_unit_id": pk} if by == "org_unit" else {"resource_id": pk}


def list_cell_causes(
    *,
    by: str,
    key: str,
    first: dt.date,
    last: dt.date,
    scenario_id: int | None = None,
    unit: str = "fte",
    only: ResourceFilter | None = None,
    committed_only: bool = False,
) -> list[CauseRow]:
    """The projects demanding a group's capacity between ``first`` and ``last``, biggest first.

    Each project's figure is, as in the heat map, its FTE-days on the days its resources
    work (by their calendars) divided by the period's Monday-Friday days, so the rows add up
    to the cell's demand; with ``unit="hours"``, person-hours in the period (FTE times the
    resource's hours per day on each day it works). ``committed_only`` leaves proposed
    allocations out, as the heat map's "committed only" view does.
    """
    try:
        condition = _group_filter(by, key)
    except ValueError:
        raise NotFoundError(
            _("no %(grouping)s %(key)s") % {"grouping": by, "key": repr(key)}
        ) from None
    found = Allocation.objects.filter(
        (only or ResourceFilter()).q("resource__"),
        **{"scenario_id": scenario_id},
        first__lte=last,
        last__gte=first,
        **condition,
    )
    if committed_only:
        found = found.filter(status=AllocationStatus.COMMITTED)
    rows = list(
        found.values_list(
            "project_id",
            "project__code",
            "project__name",
            "project__priority",
            "first",
            "last",
            "fte",
            "status",
            "resource__calendar",
            "resource__hours_per_day",
            "project__name_zh",
            "resource_id",
        )
    )
    days = max(int(np.busday_count(first, last + dt.timedelta(days=1))), 1)
    if unit == "hours":
        days = 1
    if not rows:
        return []
    # days each row's resource works within the cell, by its calendar (prefix sums)
    overrides = calendars.load_overrides()
    worked = {
        code: np.concatenate(([0], np.cumsum(calendars.working(code, first, last, overrides))))
        for code in {r[8] for r in rows}
    }

    def worked_in(code: str, lo: dt.date, hi: dt.date) -> float:
        """Days the calendar works in ``lo..hi`` (inside the cell)."""
        return float(worked[code][(hi - first).days + 1] - worked[code][(lo - first).days])

    overlap = [worked_in(r[8], max(r[4], first), min(r[5], last)) for r in rows]
    # an absence of the row's resource is time off: its work pauses, as in the heat map
    off: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for resource_id, off_first, off_last, fte in CapacityChange.objects.filter(
        **{"scenario_id": scenario_id},
        resource_id__in={r[11] for r in rows},
        fte=0,
        first__lte=last,
        last__gte=first,
    ).values_list("resource_id", "first", "last", "fte"):
        if calendars.is_absence(fte, off_first, off_last):
            off.setdefault(resource_id, []).append((off_first, off_last))
    for j, lo, hi in calendars.absence_overlaps(
        ((j, r[11], max(r[4], first), min(r[5], last)) for j, r in enumerate(rows)), off
    ):
        overlap[j] -= worked_in(rows[j][8], lo, hi)
    overlap = [share / days for share in overlap]
    causes: dict[int, list[float]] = {}
    info: dict[int, tuple[str, str, int]] = {}
    zh = is_chinese()  # once, not per row
    for row, share in zip(rows, overlap, strict=True):
        entry = causes.setdefault(row[0], [0.0, 0.0])
        worth = float(row[9]) if unit == "hours" else 1.0
        entry[0 if row[7] == "committed" else 1] += float(row[6]) * worth * float(share)
        info[row[0]] = (row[1], (zh and row[10]) or row[2], row[3])
    result = [
        CauseRow(
            project_id=pid,
            code=info[pid][0],
            name=info[pid][1],
            priority=info[pid][2],
            demand=round(c + p, 2),
            committed=round(c, 2),
            proposed=round(p, 2),
        )
        for pid, (c, p) in causes.items()
    ]
    result.sort(key=lambda r: (-r.demand, r.code))
    return [r for r in result if r.demand > 0]


def run_names(result: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Names in the active language of the projects and resources a leveling run's result
    names by code (the result keeps codes, which stay valid if a name changes later).

    Two queries; codes no longer in the database are simply missing from the maps.
    """
    projects = {p["project"] for p in result.get("projects", [])}
    resources = set()
    for row in [*result.get("moved", []), *result.get("not_levelable", [])]:
        projects.add(row["project"])
        resources.add(row["resource"])
    return (
        {p.code: p.display_name for p in Project.objects.filter(code__in=projects)},
        {r.code: r.display_name for r in Resource.objects.filter(code__in=resources)},
    )


_CHANGED = (
    Q(origin__isnull=True)
    | ~Q(first=F("origin__first"))
    | ~Q(last=F("origin__last"))
    | ~Q(resource=F("origin__resource"))
    | ~Q(fte=F("origin__fte"))
)
"""A scenario row that differs from the current-plan row it copies, or has none."""


def plans_to_change(scenario_id: int) -> list[str]:
    """Codes of the projects whose plans must change for the current plan to match the
    scenario: it moved (dates, resource or FTE; leveling inside slack included) or
    added schedule demand, or shifted a project that has schedule demand. Schedule demand
    belongs to the plans, so committing does not rewrite it (ADR 0006)."""
    moved = Allocation.objects.filter(
        _CHANGED, scenario_id=scenario_id, source=AllocationSource.SCHEDULE
    ).values_list("project__code", flat=True)
    shifted = (
        ProjectShift.objects.filter(scenario_id=scenario_id)
        .exclude(days=0)
        .filter(
            project__allocations__scenario=None,
            project__allocations__source=AllocationSource.SCHEDULE,
        )
        .values_list("project__code", flat=True)
    )
    return sorted({*moved, *shifted})


def schedule_moves(scenario_id: int, project_id: int) -> dict[int, dt.date]:
    """Task UID → the latest first day of its schedule demand in the scenario: where the
    scenario (leveling, a shift) wants the task of the project's plan to start."""
    rows = (
        Allocation.objects.filter(
            scenario_id=scenario_id,
            project_id=project_id,
            source=AllocationSource.SCHEDULE,
            task_uid__isnull=False,
        )
        .values("task_uid")
        .annotate(first=Max("first"))
        .values_list("task_uid", "first")
    )
    return {uid: first for uid, first in rows if uid is not None}


def shifted_days(scenario_id: int) -> dict[str, int]:
    """Project code → calendar days the scenario moved the project so far (the largest move
    of one of its allocations, by Move project and leveling runs); unmoved ones left out."""
    return dict(
        ProjectShift.objects.filter(scenario_id=scenario_id)
        .exclude(days=0)
        .values_list("project__code", "days")
    )


def projects_of(codes: list[str]) -> list[dict[str, Any]]:
    """Code, name (in the reader's language), manager and the project of ``codes``."""
    found = Project.objects.filter(code__in=codes).select_related("manager").order_by("code")
    return [
        {
            "code": p.code,
            "name": pick(p.name, p.name_zh),
            "manager": str(p.manager) if p.manager is not None else "",
            "project": p,
        }
        for p in found
    ]


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
    cost has both parts. Only those rows are read and costed (three queries), so this stays
    fast on big plans; currencies with no change are left out of ``cost``."""
    if overrides is None:
        overrides = calendars.load_overrides()
    scenario_rows = Allocation.objects.filter(scenario_id=scenario_id)
    changed = list(scenario_rows.filter(_CHANGED).select_related("resource", "project"))
    kept = scenario_rows.exclude(origin=None).values("origin_id")
    before = list(
        Allocation.objects.filter(scenario=None)
        .filter(Q(pk__in=[a.origin_id for a in changed if a.origin_id]) | ~Q(pk__in=kept))
        .select_related("resource")
    )
    signed = [
        *costs.row_costs(changed, overrides),
        *(replace(c, cost=-c.cost) for c in costs.row_costs(before, overrides)),
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
    if scenario.state != ScenarioState.DRAFT:
        return None
    copied = scenario.copied_at or scenario.created_at
    live = Allocation.objects.filter(scenario=None, source=AllocationSource.MANUAL)
    since = Q(created_at__gt=copied) | Q(updated_at__gt=copied)
    if live.filter(since).exists():
        return "allocations"
    versions = dict(live.values_list("pk", "version"))
    copies = Allocation.objects.filter(
        scenario=scenario, source=AllocationSource.MANUAL, origin_version__isnull=False
    ).values_list("origin_id", "origin_version")
    if any(origin is None or versions.get(origin) != version for origin, version in copies):
        return "allocations"
    live_changes = CapacityChange.objects.filter(scenario=None)
    if (
        live_changes.filter(updated_at__gt=copied).exists()
        or live_changes.count() != scenario.copied_capacity_changes
    ):
        return "capacity"
    return None


def plan_changes_since(scenario: Scenario, limit: int = 5) -> tuple[list[str], int]:
    """What changed in the current plan since the scenario copied it, for the out-of-date
    notice: the codes of the projects whose allocations were added, changed or removed, then
    the names of the resources whose capacity changes were; at most ``limit`` of them, and
    how many more there are."""
    copied = scenario.copied_at or scenario.created_at
    live = Allocation.objects.filter(scenario=None)
    since = Q(created_at__gt=copied) | Q(updated_at__gt=copied)
    project_ids = set(live.filter(since).values_list("project_id", flat=True))
    versions = dict(live.values_list("pk", "version"))
    for origin, version, project_id in Allocation.objects.filter(
        scenario=scenario, origin_version__isnull=False
    ).values_list("origin_id", "origin_version", "project_id"):
        if origin is None or versions.get(origin) != version:
            project_ids.add(project_id)
    codes = sorted(Project.objects.filter(pk__in=project_ids).values_list("code", flat=True))
    plan_changes = CapacityChange.objects.filter(scenario=None)
    resource_ids = set(
        plan_changes.filter(updated_at__gt=copied).values_list("resource_id", flat=True)
    )
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
