"""Reads of the dependency register, change requests and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _

from pmo.accounts.models import User
from pmo.core.errors import NotFoundError
from pmo.core.i18n import pick
from pmo.core.models import as_id
from pmo.dependencies import adapters
from pmo.dependencies.changes import thresholds
from pmo.dependencies.models import (
    OPEN_CHANGE_STATES,
    PENDING_STATES,
    ChangeRequest,
    Dependency,
    Notification,
)
from pmo.dependencies.services import find_project
from pmo.governance.models import ProjectGate
from pmo.portfolio.access import visible_projects
from pmo.portfolio.models import ENDED_STATES, Milestone, Project
from pmo.scheduling.models import Task
from pmo.scheduling.walltime import from_db

__all__ = [
    "ChangeImpact",
    "SlipSummary",
    "change_currency",
    "dependency_flags",
    "endpoint_choices",
    "find_change_request",
    "get_change_request",
    "get_critical_chain",
    "get_dependency",
    "hidden_project_codes",
    "impact_projects",
    "list_change_requests",
    "list_dependencies",
    "notifications_shown",
    "pending_above_threshold",
    "project_choices",
    "project_panel",
    "register_rows",
    "slip_summary",
    "unread_count",
    "visible_change_impact",
    "visible_impact",
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

#: The register's margin filters: at most this many working days ("tight"), below 0 ("late").
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
    """The register's rows with their dates (:func:`with_dates`). ``margin``: only the links
    whose supplier is not done yet and whose margin is below 0 (``late``) or at most five
    working days (``tight``); ``sort="margin"``: tightest first (no margin last), else by
    agreed date."""
    deps = list(list_dependencies(user, project=project, status=status)[:limit])
    found = adapters.dependency_dates(deps)
    bound = MARGIN_FILTERS.get(margin or "")
    if bound is not None:
        deps = [d for d in deps if _within(found[d.pk], bound)]
    if sort == "margin":  # stable: by agreed date within one margin
        deps.sort(key=lambda d: (found[d.pk].margin is None, found[d.pk].margin or 0))
    return with_dates(deps, found)


def _within(dates: adapters.DependencyDates, bound: int) -> bool:
    """Still to be delivered, with a margin of at most ``bound`` working days."""
    return dates.margin is not None and dates.margin <= bound and not dates.supplier_done


def get_dependency(user: User, pk: int) -> Dependency:
    dep = list_dependencies(user).filter(pk=pk).first()
    if dep is None:
        raise NotFoundError(_("no dependency %(id)s") % {"id": pk})
    return dep


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
        raise NotFoundError(_("no change request %(id)s") % {"id": repr(ref)})
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


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_shown(user: User, limit: int = 100) -> list[Notification]:
    """The notifications page: unread first, so none hides behind the latest ``limit``;
    newest first in each."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return list(
        Notification.objects.filter(user=user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-id")[:limit]
    )


def impact_projects(impact: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-project rows of an impact (:func:`pmo.dependencies.adapters.analyse`) with
    ``display_name``: the Chinese name when the page is in Chinese and one is known."""
    return [
        {**p, "display_name": pick(p.get("name", ""), p.get("name_zh") or "")}
        for p in impact.get("projects", [])
    ]


def label(dep: Dependency, side: str) -> str:
    """The milestone, task or gate name of one side."""
    gate = getattr(dep, f"{side}_gate")
    if gate is not None:
        return str(gate.gate)
    milestone = getattr(dep, f"{side}_milestone")
    task = getattr(dep, f"{side}_task")
    return str(milestone or task or "")


def project_panel(project: Any, user: User) -> dict[str, Any]:
    """The dependencies and change requests shown on the project page."""
    deps = list(list_dependencies(user, project=project.code)[:50])
    for d in deps:
        d.supplier_label = label(d, "supplier")  # type: ignore[attr-defined]
        d.consumer_label = label(d, "consumer")  # type: ignore[attr-defined]
    changes = list(list_change_requests(user, project=project.code)[:20])
    return {"dependencies": deps, "changes": changes, "thresholds": thresholds()}


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


# What a reader may see of an analysis. The analyses run over the whole portfolio network
# (a slip does propagate through projects the reader may not read, and the delays of what
# they may read must stay right); what is shown is cut down to the projects the reader may
# read, the rest counted.

#: The key prefix of each kind of item an apply step updated (``apply._updated``).
_APPLIED_PREFIX = {"task": "t", "milestone": "m", "projectgate": "g", "project": "p"}


def hidden_project_codes(user: User, codes: Iterable[str]) -> set[str]:
    """The codes among ``codes`` of projects ``user`` may not read."""
    wanted = {c for c in codes if c}
    if not wanted:
        return set()
    readable = visible_projects(user).filter(code__in=wanted).values_list("code", flat=True)
    return wanted - set(readable)


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
            pick(milestone.name, milestone.name_zh),
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


def change_currency(cr: ChangeRequest) -> str:
    """The currency of a request's cost, and so of the steering threshold it is held against
    (amounts are compared as they are: there are no exchange rates): its project's; at
    program level, the one its program's projects share (``""`` when they use several)."""
    if cr.project is not None:
        return cr.project.currency
    if cr.program_id is None:
        return ""
    used = set(Project.objects.filter(program_id=cr.program_id).values_list("currency", flat=True))
    return used.pop() if len(used) == 1 else ""


def get_critical_chain(user: User, target: str) -> tuple[list[dict[str, Any]], int]:
    """The driving chain to the item ``target`` (``m:<id>``, ``t:<id>``, ...) as ``user``
    may see it, and how many projects they may not read it runs through.

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


def project_choices(user: User, chosen: str = "", limit: int = 1000) -> list[tuple[str, str]]:
    """The projects the impact page offers, ``(code, "code · name")`` with the name in the
    reader's language: the running projects ``user`` may read (a closed or cancelled one no
    longer moves), and ``chosen`` as typed in the address when it is not among them (the
    page then says why it cannot be analysed)."""
    running = visible_projects(user).exclude(state__in=ENDED_STATES).order_by("code")
    rows = [(p.code, f"{p.code} · {p.display_name}") for p in running[:limit]]
    if chosen and chosen not in {code for code, _label in rows}:
        found = visible_projects(user).filter(code=chosen).first()
        rows.insert(0, (chosen, f"{found.code} · {found.display_name}" if found else chosen))
    return rows


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
        (f"m:{m.pk}", f"{m.name} · {m.forecast_date or m.baseline_date or '—'}")
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
