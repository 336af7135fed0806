"""The dependency register: links with their dates and margins, who may see which, the
critical chain and the choices of the register's form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.core.errors import NotFoundError
from pmo.dependencies import adapters
from pmo.dependencies.models import (
    OPEN_CHANGE_STATES,
    ChangeRequest,
    Dependency,
)
from pmo.dependencies.services import find_project
from pmo.governance.models import ProjectGate
from pmo.portfolio.access import visible_projects
from pmo.portfolio.models import Milestone
from pmo.scheduling.models import Task
from pmo.scheduling.walltime import from_db

__all__ = [
    "dependency_flags",
    "endpoint_choices",
    "get_critical_chain",
    "get_dependency",
    "hidden_project_codes",
    "label",
    "list_dependencies",
    "register_rows",
    "with_dates",
]


_RELATED = (
    "supplier_project",
    "consumer_project",
    "supplier_milestone",
    "consumer_milestone",
    "supplier_task",
    "consumer_task",
    "supplier_gate__gate",
    "consumer_gate__gate",
    "supplier_owner",
    "consumer_owner",
    "consumer_project__org_unit",  # the consumer's calendar counts the margin
)


#: The register's margin filters: at most this many working days ("tight"), below 0 ("late":
#: exactly the links the at-risk rule finds late, :attr:`adapters.DependencyDates.late`).
MARGIN_FILTERS = {"late": -1, "tight": 5}


def list_dependencies(
    user: User, *, project: str | None = None, status: str | None = None
) -> QuerySet[Dependency]:
    """Dependencies whose two projects ``user`` may read, optionally of one project."""
    visible = visible_projects(user).values("pk")
    qs = Dependency.objects.filter(
        supplier_project__in=visible, consumer_project__in=visible
    ).select_related(*_RELATED)
    if project:
        qs = qs.filter(Q(supplier_project__code=project) | Q(consumer_project__code=project))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("agreed_date", "id")


def with_dates(
    deps: list[Dependency], found: dict[int, adapters.DependencyDates] | None = None
) -> list[Dependency]:
    """``deps`` (of :func:`list_dependencies`), each with ``dates``: the supplier's date, the
    date the consumer needs it, whether each side is done and the margin in working days
    (:class:`pmo.dependencies.adapters.DependencyDates`; ``found``: already read)."""
    if found is None:
        found = adapters.dependency_dates(deps)
    for d in deps:
        d.dates = found[d.pk]  # type: ignore[attr-defined]
    return deps


def register_rows(
    user: User,
    *,
    project: str | None = None,
    status: str | None = None,
    margin: str | None = None,
    sort: str | None = None,
    limit: int = 500,
) -> list[Dependency]:
    """The register's rows with their dates (:func:`with_dates`). ``margin``: only the open
    links whose margin (to the earlier of the agreed date and the consumer's need) is below 0
    (``late``, the at-risk rule's number) or at most five working days (``tight``); settled
    links have none; ``sort="margin"``: tightest first (no margin last), else by agreed
    date."""
    deps = list(list_dependencies(user, project=project, status=status)[:limit])
    found = adapters.dependency_dates(deps)
    bound = MARGIN_FILTERS.get(margin or "")
    if bound is not None:
        deps = [d for d in deps if found[d.pk].within(bound)]
    if sort == "margin":  # stable: by agreed date within one margin
        deps.sort(key=lambda d: (found[d.pk].margin is None, found[d.pk].margin or 0))
    return with_dates(deps, found)


def get_dependency(user: User, pk: int) -> Dependency:
    dep = list_dependencies(user).filter(pk=pk).first()
    if dep is None:
        raise NotFoundError(_("no dependency %(id)s") % {"id": pk})
    return dep


def label(dep: Dependency, side: str) -> str:
    """The milestone, task or gate name of one side, in the reader's language."""
    gate = getattr(dep, f"{side}_gate")
    if gate is not None:
        return str(gate.gate)
    milestone = getattr(dep, f"{side}_milestone")
    if milestone is not None:
        return milestone.display_name
    return str(getattr(dep, f"{side}_task") or "")


def dependency_flags(project_ids: list[int]) -> tuple[set[int], set[int]]:
    """(projects with an at-risk or broken dependency, projects hit by an open change)."""
    troubled: set[int] = set()
    for a, b in Dependency.objects.filter(status__in=("at_risk", "broken")).values_list(
        "supplier_project_id", "consumer_project_id"
    ):
        troubled.update((a, b))
    changed: set[int] = set()
    open_changes = ChangeRequest.objects.filter(state__in=OPEN_CHANGE_STATES)
    changed.update(open_changes.values_list("project_id", flat=True))
    changed.update(
        ChangeRequest.affected_projects.through.objects.filter(
            changerequest__state__in=OPEN_CHANGE_STATES
        ).values_list("project_id", flat=True)
    )
    wanted = set(project_ids)
    return troubled & wanted, changed & wanted


def hidden_project_codes(user: User, codes: Iterable[str]) -> set[str]:
    """The codes among ``codes`` of projects ``user`` may not read."""
    wanted = {c for c in codes if c}
    if not wanted:
        return set()
    readable = visible_projects(user).filter(code__in=wanted).values_list("code", flat=True)
    return wanted - set(readable)


def get_critical_chain(user: User, target: str) -> tuple[list[dict[str, Any]], int]:
    """The driving chain to the item ``target`` (``m:<id>``, ``t:<id>``, ...) as ``user``
    may see it, and how many projects they may not read it runs through (a milestone's
    step carries its ``name_zh`` too: the page names it in the reader's language).

    A target of a project ``user`` may not read is :class:`NotFoundError`. Steps of hidden
    projects are left out; a step reached by a link from one keeps ``hidden_link`` instead
    of the link's number (the register does not show that link to ``user``).
    """
    net = adapters.load_network()
    at = net.index.get(target)
    if at is not None:
        project_id = net.items[at].project_id
        if not visible_projects(user).filter(pk=project_id).exists():
            raise NotFoundError(_("no item %(target)s") % {"target": target})
    chain = adapters.critical_chain(net, target)
    hidden = hidden_project_codes(user, (c["project"] for c in chain))
    links = {c["dependency"] for c in chain if c["dependency"]}
    readable = set(list_dependencies(user).filter(pk__in=links).values_list("pk", flat=True))
    shown = []
    for step in chain:
        if step["project"] in hidden:
            continue
        link = step["dependency"]
        shown.append(
            {
                **step,
                "dependency": link if link in readable else None,
                "hidden_link": bool(link) and link not in readable,
            }
        )
    return shown, len(hidden)


def endpoint_choices(user: Any, code: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The open milestones, gates and tasks of the project ``code`` (empty if unknown),
    grouped for a select: values ``m:<id>``, ``g:<id>``, ``t:<id>``."""
    if not code:
        return []
    try:
        project = find_project(user, code)
    except NotFoundError:
        return []
    milestones = [
        (f"m:{m.pk}", f"{m.display_name} · {m.forecast_date or m.baseline_date or '—'}")
        for m in Milestone.objects.filter(project=project, actual_date__isnull=True).order_by(
            "forecast_date", "id"
        )
    ]
    gates = [
        (f"g:{g.pk}", f"{g.gate} · {g.forecast}")
        for g in ProjectGate.objects.filter(lifecycle__project=project, actual__isnull=True)
        .select_related("gate")
        .order_by("forecast", "id")
    ]
    tasks = [
        (f"t:{pk}", f"{name} · {wall.date() if (wall := from_db(finish)) else '—'}")
        for pk, name, finish in Task.objects.filter(
            plan__project=project, summary=False, percent_complete__lt=100
        )
        .order_by("start", "uid")
        .values_list("pk", "name", "finish")[:500]
    ]
    groups = [
        (str(_("Milestones")), milestones),
        (str(_("Gates")), gates),
        (str(_("Plan tasks")), tasks),
    ]
    return [(label, rows) for label, rows in groups if rows]
