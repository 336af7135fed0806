"""Change requests and what a reader may see of their impact analyses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.core.errors import NotFoundError
from pmo.core.i18n import pick
from pmo.core.models import as_id
from pmo.core.sentences import quoted
from pmo.dependencies.models import (
    PENDING_STATES,
    ChangeRequest,
)
from pmo.dependencies.selectors.register import hidden_project_codes
from pmo.portfolio.access import visible_projects
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling.models import Task

__all__ = [
    "ChangeImpact",
    "SlipSummary",
    "find_change_request",
    "get_change_request",
    "impact_projects",
    "list_change_requests",
    "pending_above_threshold",
    "slip_summary",
    "visible_change_impact",
    "visible_impact",
]


def list_change_requests(
    user: User, *, project: str | None = None, state: str | None = None
) -> QuerySet[ChangeRequest]:
    """Change requests on projects ``user`` may read."""
    visible = visible_projects(user)
    qs = ChangeRequest.objects.filter(
        Q(project__in=visible.values("pk"))
        | Q(project__isnull=True, program__in=visible.values("program"))
    )
    if project:
        # one condition on the relation: a project the user may not read matches nothing
        hit = Q(affected_projects__code=project, affected_projects__in=visible.values("pk"))
        qs = qs.filter(Q(project__code=project) | hit).distinct()
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("project", "program", "requested_by")


def get_change_request(user: User, pk: int) -> ChangeRequest:
    cr = list_change_requests(user).filter(pk=pk).first()
    if cr is None:
        raise NotFoundError(_("no change request %(id)s") % {"id": pk})
    return cr


def find_change_request(user: User, ref: str) -> ChangeRequest:
    """The change request ``ref`` names, as people type it: its code (``CR-00007``, any
    letter case) or its id (``7``); one ``user`` may not read is not found."""
    ref = (ref or "").strip()
    if "\x00" in ref:  # PostgreSQL refuses NUL in a query: no code contains one
        raise NotFoundError(_("no change request %(id)s") % {"id": quoted(ref)})
    number = as_id(ref)
    wanted = Q(pk=number) if number is not None else Q(code__iexact=ref)
    cr = list_change_requests(user).filter(wanted).first()
    if cr is None:
        raise NotFoundError(_("no change request %(id)s") % {"id": ref})
    return cr


def pending_above_threshold() -> QuerySet[ChangeRequest]:
    """Pending change requests that need (or will need) the steering committee."""
    return (
        ChangeRequest.objects.filter(state__in=PENDING_STATES, needs_steering=True)
        .select_related("project")
        .order_by("created_at")
    )


def impact_projects(impact: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-project rows of an impact (:func:`pmo.dependencies.adapters.analyse`) with
    ``display_name``: the Chinese name when the page is in Chinese and one is known."""
    return [
        {**p, "display_name": pick(p.get("name", ""), p.get("name_zh") or "")}
        for p in impact.get("projects", [])
    ]


#: The key prefix of each kind of item an apply step updated (``apply._updated``).
_APPLIED_PREFIX = {"task": "t", "milestone": "m", "projectgate": "g", "project": "p"}


def _impact_codes(impact: dict[str, Any]) -> set[str]:
    codes = {p["project"] for p in impact.get("projects", [])}
    codes |= {i["project"] for i in impact.get("items", [])}
    for d in impact.get("dependencies", []):  # a consumer whose commitment is broken
        codes |= {d["supplier"], d["consumer"]}
    if impact.get("source"):
        codes.add(impact["source"].get("project", ""))
    return codes


def _without(impact: dict[str, Any], hidden: set[str]) -> dict[str, Any]:
    """``impact`` less the items, projects and applied updates of the ``hidden`` projects;
    ``hidden_projects`` counts them. An empty impact (no slip) stays empty."""
    if not impact:
        return {}
    items = [i for i in impact.get("items", []) if i["project"] not in hidden]
    out = {
        **impact,
        "items": items,
        "projects": [p for p in impact.get("projects", []) if p["project"] not in hidden],
        "dependencies": [
            d
            for d in impact.get("dependencies", [])
            if d["supplier"] not in hidden and d["consumer"] not in hidden
        ],
        "hidden_projects": len(hidden),
    }
    source = impact.get("source") or {}
    if source.get("project") in hidden:  # a program-level request slipping a hidden project
        out["source"] = {"key": "", "name": "", "project": ""}
    if "applied" in impact:
        shown = {i["key"] for i in items}
        out["applied"] = [
            row
            for row in impact["applied"]
            if f"{_APPLIED_PREFIX.get(row['kind'], '?')}:{row['id']}" in shown
        ]
    return out


def visible_impact(user: User, impact: dict[str, Any]) -> dict[str, Any]:
    """An impact (:func:`pmo.dependencies.adapters.analyse`) as ``user`` may see it: items
    and projects of projects they may not read are left out and counted in
    ``hidden_projects``."""
    return _without(impact, hidden_project_codes(user, _impact_codes(impact)))


@dataclass(frozen=True, slots=True)
class ChangeImpact:
    """What a reader may see of a change request's stored impact."""

    impact: dict[str, Any]
    affected: list[Project]
    hidden_projects: int
    slip_visible: bool


def visible_change_impact(user: User, cr: ChangeRequest) -> ChangeImpact:
    """The stored impact and affected projects of ``cr`` filtered for ``user`` at read time
    (the request was stored once for everyone); ``slip_visible``: the slipping milestone or
    task is of a project ``user`` may read (a program-level request may slip any project of
    the program)."""
    affected = list(cr.affected_projects.order_by("code"))
    hidden = hidden_project_codes(user, _impact_codes(cr.impact) | {p.code for p in affected})
    slip_visible = True
    if cr.project_id is None and (cr.slip_milestone_id or cr.slip_task_id):
        slipping = (
            Project.objects.filter(milestones=cr.slip_milestone_id)
            if cr.slip_milestone_id
            else Project.objects.filter(plan__tasks=cr.slip_task_id)
        )
        slip_visible = visible_projects(user, slipping).exists()
    return ChangeImpact(
        impact=_without(cr.impact, hidden),
        affected=[p for p in affected if p.code not in hidden],
        hidden_projects=len(hidden),
        slip_visible=slip_visible,
    )


@dataclass(frozen=True, slots=True)
class SlipSummary:
    """What a change request moves: its milestone (``kind="milestone"``) or the task that
    gets more work (``"task"``), named in the reader's language, its project, and its date
    before and after the change as the stored impact has them (``""`` when it has none)."""

    kind: str
    name: str
    project: Project
    before: str
    after: str


def slip_summary(cr: ChangeRequest, seen: ChangeImpact) -> SlipSummary | None:
    """The slipping milestone or task of ``cr`` as the reader ``seen`` is for may see it
    (``None``: none, or of a project they may not read)."""
    if not seen.slip_visible:
        return None
    if cr.slip_milestone_id:
        milestone = Milestone.objects.select_related("project").get(pk=cr.slip_milestone_id)
        kind, name, project = (
            "milestone",
            milestone.display_name,
            milestone.project,
        )
        key = f"m:{milestone.pk}"
    elif cr.slip_task_id:
        task = Task.objects.select_related("plan__project").get(pk=cr.slip_task_id)
        kind, name, project, key = "task", task.name, task.plan.project, f"t:{task.pk}"
    else:
        return None
    key = (seen.impact.get("source") or {}).get("key") or key
    row = next((i for i in seen.impact.get("items", []) if i["key"] == key), None)
    before, after = (row["date"], row["new_date"]) if row is not None else ("", "")
    return SlipSummary(kind, name, project, before, after)
