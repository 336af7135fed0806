"""The portfolio's open dated items and the edges between them, loaded into the engine's
impact network (see :mod:`pmo.dependencies.adapters` for what becomes a node and an edge)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from pmo.core.errors import DomainError, FieldError
from pmo.dependencies.adapters.calendars import WorkDays, project_calendars
from pmo.dependencies.models import OPEN_STATUSES, Dependency
from pmo.engine.errors import CycleError
from pmo.engine.impact import ImpactNetwork, build_network
from pmo.governance.models import ProjectGate
from pmo.portfolio.models import ENDED_STATES, Milestone, Project
from pmo.scheduling.models import Link, Task
from pmo.scheduling.walltime import from_db

__all__ = [
    "Item",
    "NetworkCycleError",
    "PortfolioNetwork",
    "load_network",
    "source_key",
]


class NetworkCycleError(DomainError):
    """The stored dependencies form a cycle (should not happen: services refuse them)."""

    status_code = 409


@dataclass(frozen=True, slots=True)
class Item:
    """A dated node: ``kind`` is task, milestone, gate or project (its finish)."""

    key: str
    kind: str
    pk: int
    project_id: int
    name: str
    date: dt.date
    start: dt.date
    name_zh: str = ""  # a milestone's Chinese name (shown by the reader's language)


@dataclass
class PortfolioNetwork:
    """The loaded items, their engine network and which edges are cross-project links."""

    items: list[Item]
    index: dict[str, int]
    network: ImpactNetwork
    projects: dict[int, dict[str, Any]]
    cross: dict[tuple[int, int], int] = field(default_factory=dict)
    calendars: dict[int, WorkDays] = field(default_factory=dict)
    drivers: dict[str, str] = field(default_factory=dict)  # milestone key -> its plan task's

    def workdays(self, project_id: int) -> WorkDays:
        return self.calendars.get(project_id) or WorkDays(None, dt.date.min, dt.date.min)


def _day(value: dt.datetime | None) -> dt.date | None:
    wall = from_db(value)
    return wall.date() if wall is not None else None


def load_network() -> PortfolioNetwork:
    """Every open dated item of the portfolio and the edges between them."""
    items: list[Item] = []
    projects: dict[int, dict[str, Any]] = {
        p["id"]: dict(p)
        for p in Project.objects.order_by("id").values(
            "id",
            "code",
            "name",
            "name_zh",
            "forecast_finish",
            "planned_finish",
            "program_id",
            "org_unit__path",
            "state",
        )
    }
    ended = {pid for pid, p in projects.items() if p["state"] in ENDED_STATES}

    def add(
        kind: str,
        pk: int,
        project_id: int,
        name: str,
        date: Any,
        start: Any = None,
        name_zh: str = "",
    ) -> None:
        if date is None:
            return
        items.append(
            Item(f"{kind[0]}:{pk}", kind, pk, project_id, name, date, start or date, name_zh)
        )

    for t in (
        Task.objects.filter(summary=False, actual_finish__isnull=True, finish__isnull=False)
        .order_by("id")
        .values("id", "plan__project_id", "name", "start", "finish")
    ):
        add("task", t["id"], t["plan__project_id"], t["name"], _day(t["finish"]), _day(t["start"]))
    task_milestone = dict(
        Task.objects.filter(portfolio_milestone__isnull=False).values_list(
            "portfolio_milestone_id", "id"
        )
    )
    for m in (
        Milestone.objects.filter(actual_date__isnull=True)
        .order_by("id")
        .values("id", "project_id", "name", "name_zh", "forecast_date", "baseline_date")
    ):
        add(
            "milestone",
            m["id"],
            m["project_id"],
            m["name"],
            m["forecast_date"] or m["baseline_date"],
            name_zh=m["name_zh"],
        )
    for g in (
        ProjectGate.objects.filter(actual__isnull=True)
        .order_by("id")
        .values("id", "lifecycle__project_id", "gate__code", "forecast")
    ):
        add("gate", g["id"], g["lifecycle__project_id"], g["gate__code"], g["forecast"])
    for p in projects.values():
        add("project", p["id"], p["id"], p["code"], p["forecast_finish"] or p["planned_finish"])
    index = {item.key: i for i, item in enumerate(items)}
    calendars = project_calendars(projects, [i.date for i in items] + [i.start for i in items])

    def workdays_between(a: dt.date, b: dt.date, project_id: int) -> int:
        return calendars[project_id].between(a, b)

    src: list[int] = []
    dst: list[int] = []
    slack: list[int] = []

    def edge(a: int, b: int, room: int) -> bool:
        """Add ``a -> b`` unless ``b`` is of a project that ended (it no longer moves)."""
        if items[b].project_id in ended:
            return False
        src.append(a)
        dst.append(b)
        slack.append(room)
        return True

    # schedule links
    has_succ: set[int] = set()
    for link in (
        Link.objects.filter(pred__summary=False, succ__summary=False)
        .order_by("id")
        .values("pred_id", "succ_id", "type", "lag", "plan__minutes_per_day")
    ):
        a, b = index.get(f"t:{link['pred_id']}"), index.get(f"t:{link['succ_id']}")
        if a is None or b is None:
            continue
        has_succ.add(a)
        lag = round(link["lag"] / max(1, link["plan__minutes_per_day"]))
        pred, succ = items[a], items[b]
        if link["type"] == "SS":
            room = workdays_between(pred.start, succ.start, succ.project_id) - lag
        elif link["type"] == "FF":
            room = workdays_between(pred.date, succ.date, succ.project_id) - lag
        elif link["type"] == "SF":
            room = workdays_between(pred.start, succ.date, succ.project_id) - lag
        else:
            room = workdays_between(pred.date, succ.start, succ.project_id) - 1 - lag
        edge(a, b, max(0, room))
    by_project: dict[int, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by_project[item.project_id].append(i)
    for members in by_project.values():
        tasks = [i for i in members if items[i].kind == "task"]
        others = [i for i in members if items[i].kind != "task"]
        if tasks:
            ends = [i for i in tasks if i not in has_succ or items[i].date == items[i].start]
            for i in others:
                item = items[i]
                driver = task_milestone.get(item.pk) if item.kind == "milestone" else None
                if driver is not None and f"t:{driver}" in index:
                    edge(index[f"t:{driver}"], i, 0)
                    continue
                for end in ends:
                    if items[end].date <= item.date:
                        edge(end, i, workdays_between(items[end].date, item.date, item.project_id))
        else:
            order = sorted(others, key=lambda i: (items[i].date, items[i].kind == "project"))
            for a, b in pairwise(order):
                edge(a, b, 0)
    cross: dict[tuple[int, int], int] = {}
    for d in (
        Dependency.objects.filter(status__in=OPEN_STATUSES)
        .order_by("id")
        .values(
            "id",
            "supplier_milestone_id",
            "supplier_task_id",
            "consumer_milestone_id",
            "consumer_task_id",
            "supplier_gate_id",
            "consumer_gate_id",
            "type",
            "lag",
        )
    ):
        a = index.get(
            _endpoint(
                d["supplier_milestone_id"],
                d["supplier_task_id"],
                d["supplier_gate_id"],
                task_milestone,
            )
        )
        b = index.get(
            _endpoint(
                d["consumer_milestone_id"],
                d["consumer_task_id"],
                d["consumer_gate_id"],
                task_milestone,
            )
        )
        if a is None or b is None:
            continue
        sup, con = items[a], items[b]
        if d["type"] == "SS":
            room = workdays_between(sup.start, con.start, con.project_id) - d["lag"]
        else:
            room = workdays_between(sup.date, con.start, con.project_id) - 1 - d["lag"]
        if edge(a, b, max(0, room)):
            cross[(a, b)] = d["id"]
    try:
        network = build_network(len(items), src=src, dst=dst, slack=slack)
    except CycleError as exc:
        names = ", ".join(items[i].key for i in exc.cycle[:10])  # type: ignore[index]
        raise NetworkCycleError(
            _("the portfolio network has a cycle through %(items)s") % {"items": names}
        ) from None
    drivers = {f"m:{m}": f"t:{t}" for m, t in task_milestone.items()}
    return PortfolioNetwork(items, index, network, projects, cross, calendars, drivers)


def _endpoint(
    milestone_id: int | None, task_id: int | None, gate_id: int | None, drivers: dict[int, int]
) -> str:
    """A milestone driven by a plan task links through its task (so the plan moves); a gate
    is its own node (it follows the project's work like a milestone)."""
    if gate_id:
        return f"g:{gate_id}"
    if milestone_id and milestone_id in drivers:
        return f"t:{drivers[milestone_id]}"
    return f"m:{milestone_id}" if milestone_id else f"t:{task_id}"


def source_key(*, milestone: Milestone | None = None, task: Task | None = None) -> str:
    """The node key of what slips."""
    if milestone is not None:
        return f"m:{milestone.pk}"
    if task is not None:
        return f"t:{task.pk}"
    raise FieldError("milestone", _("give the milestone or the task that slips"))
