"""Reads of scenarios: the list, one scenario, the names a leveling run's result shows, the
projects a scenario moved and the task dates it wants of their plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils.translation import gettext as _

from pmo.core.errors import NotFoundError
from pmo.core.i18n import is_chinese, pick
from pmo.portfolio.models import Project
from pmo.resources.models import Allocation, AllocationSource, ProjectShift, Resource, Scenario

__all__ = [
    "get_scenario",
    "list_scenarios",
    "projects_of",
    "run_names",
    "schedule_moves",
    "shifted_days",
]


def list_scenarios(*, with_shifts: bool = False) -> QuerySet[Scenario]:
    """Scenarios, newest first; ``with_shifts``: their project shifts (with the project) read
    in one more query, not one per scenario."""
    found = Scenario.objects.select_related("created_by__person")
    if with_shifts:
        found = found.prefetch_related(
            Prefetch("shifts", queryset=ProjectShift.objects.select_related("project"))
        )
    return found


def get_scenario(pk: int) -> Scenario:
    """The scenario ``pk`` or :class:`NotFoundError`."""
    scenario = Scenario.objects.filter(pk=pk).first()
    if scenario is None:
        raise NotFoundError(_("no scenario %(scenario)s") % {"scenario": pk})
    return scenario


def run_names(result: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Names in the active language of the projects and resources a leveling run's result
    names by code (the result keeps codes, which stay valid if a name changes later).

    Two queries; codes no longer in the database are simply missing from the maps. Only the
    names are read (a big portfolio's run names thousands of projects: whole rows took
    0.4 s there).
    """
    projects = {p["project"] for p in result.get("projects", [])}
    resources = set()
    for row in [*result.get("moved", []), *result.get("not_levelable", [])]:
        projects.add(row["project"])
        resources.add(row["resource"])
    zh = is_chinese()  # once, not per name

    def names(rows: Any) -> dict[str, str]:
        return {code: (zh and name_zh) or name for code, name, name_zh in rows}

    return (
        names(Project.objects.filter(code__in=projects).values_list("code", "name", "name_zh")),
        names(Resource.objects.filter(code__in=resources).values_list("code", "name", "name_zh")),
    )


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
