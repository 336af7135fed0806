"""Database rows <-> the impact engine. The only module of the app that imports the engine.

Every open task, milestone, gate and project finish of the portfolio becomes a node dated in
working days (Monday to Friday, ``numpy.busday_count``); edges carry the slack a delay must
use up before the successor moves:

- schedule links of a plan (FS/SS/FF; summary tasks are left out): the room between the
  predecessor's date and the successor's, less the lag;
- a plan task and the status-center milestone it drives: no slack;
- in a project with a plan, gates, unlinked milestones and the project finish follow every
  end task and milestone task finishing on or before them, with the room between the dates;
- a project without a plan: its milestones, gates and finish follow each other in date
  order with no slack (nothing tells us their float, so a slip moves what comes after);
- cross-project dependencies (each side a task, milestone or gate): from the supplier's
  finish (start for SS) to the consumer's start, less the lag.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from pmo.core.errors import DomainError, FieldError
from pmo.dependencies.models import OPEN_STATUSES, Dependency
from pmo.engine.errors import CycleError
from pmo.engine.impact import ImpactNetwork, build_network, driving_path, propagate
from pmo.governance.models import ProjectGate
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling.models import Link, Task
from pmo.scheduling.walltime import from_db

__all__ = [
    "Item",
    "PortfolioNetwork",
    "add_workdays",
    "analyse",
    "critical_chain",
    "load_network",
    "workdays_between",
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


@dataclass
class PortfolioNetwork:
    """The loaded items, their engine network and which edges are cross-project links."""

    items: list[Item]
    index: dict[str, int]
    network: ImpactNetwork
    projects: dict[int, dict[str, Any]]
    cross: dict[tuple[int, int], int] = field(default_factory=dict)


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days in ``[a, b)`` (negative when ``b`` is before ``a``)."""
    return int(np.busday_count(a, b))


def add_workdays(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days`` working days (a weekend day first rolls to Monday)."""
    value = np.busday_offset(np.datetime64(day, "D"), days, roll="forward")
    return dt.date.fromisoformat(str(value))


def _day(value: dt.datetime | None) -> dt.date | None:
    wall = from_db(value)
    return wall.date() if wall is not None else None


def load_network() -> PortfolioNetwork:
    """Every open dated item of the portfolio and the edges between them."""
    items: list[Item] = []
    projects: dict[int, dict[str, Any]] = {
        p["id"]: dict(p)
        for p in Project.objects.values(
            "id", "code", "name", "name_zh", "forecast_finish", "planned_finish", "program_id"
        )
    }

    def add(kind: str, pk: int, project_id: int, name: str, date: Any, start: Any = None) -> None:
        if date is None:
            return
        items.append(Item(f"{kind[0]}:{pk}", kind, pk, project_id, name, date, start or date))

    for t in Task.objects.filter(
        summary=False, actual_finish__isnull=True, finish__isnull=False
    ).values("id", "plan__project_id", "name", "start", "finish"):
        add("task", t["id"], t["plan__project_id"], t["name"], _day(t["finish"]), _day(t["start"]))
    task_milestone = dict(
        Task.objects.filter(portfolio_milestone__isnull=False).values_list(
            "portfolio_milestone_id", "id"
        )
    )
    for m in Milestone.objects.filter(actual_date__isnull=True).values(
        "id", "project_id", "name", "forecast_date", "baseline_date"
    ):
        add(
            "milestone",
            m["id"],
            m["project_id"],
            m["name"],
            m["forecast_date"] or m["baseline_date"],
        )
    for g in ProjectGate.objects.filter(actual__isnull=True).values(
        "id", "lifecycle__project_id", "gate__code", "forecast"
    ):
        add("gate", g["id"], g["lifecycle__project_id"], g["gate__code"], g["forecast"])
    for p in projects.values():
        add("project", p["id"], p["id"], p["code"], p["forecast_finish"] or p["planned_finish"])
    index = {item.key: i for i, item in enumerate(items)}
    src: list[int] = []
    dst: list[int] = []
    slack: list[int] = []

    def edge(a: int, b: int, room: int) -> None:
        src.append(a)
        dst.append(b)
        slack.append(room)

    # schedule links
    has_succ: set[int] = set()
    for link in Link.objects.filter(pred__summary=False, succ__summary=False).values(
        "pred_id", "succ_id", "type", "lag", "plan__minutes_per_day"
    ):
        a, b = index.get(f"t:{link['pred_id']}"), index.get(f"t:{link['succ_id']}")
        if a is None or b is None:
            continue
        has_succ.add(a)
        lag = round(link["lag"] / max(1, link["plan__minutes_per_day"]))
        pred, succ = items[a], items[b]
        if link["type"] == "SS":
            room = workdays_between(pred.start, succ.start) - lag
        elif link["type"] == "FF":
            room = workdays_between(pred.date, succ.date) - lag
        elif link["type"] == "SF":
            room = workdays_between(pred.start, succ.date) - lag
        else:
            room = workdays_between(pred.date, succ.start) - 1 - lag
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
                        edge(end, i, workdays_between(items[end].date, item.date))
        else:
            order = sorted(others, key=lambda i: (items[i].date, items[i].kind == "project"))
            for a, b in pairwise(order):
                edge(a, b, 0)
    cross: dict[tuple[int, int], int] = {}
    for d in Dependency.objects.filter(status__in=OPEN_STATUSES).values(
        "id",
        "supplier_milestone_id",
        "supplier_task_id",
        "consumer_milestone_id",
        "consumer_task_id",
        "supplier_gate_id",
        "consumer_gate_id",
        "type",
        "lag",
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
            room = workdays_between(sup.start, con.start) - d["lag"]
        else:
            room = workdays_between(sup.date, con.start) - 1 - d["lag"]
        edge(a, b, max(0, room))
        cross[(a, b)] = d["id"]
    try:
        network = build_network(len(items), src=src, dst=dst, slack=slack)
    except CycleError as exc:
        names = ", ".join(items[i].key for i in exc.cycle[:10])  # type: ignore[index]
        raise NetworkCycleError(f"the portfolio network has a cycle through {names}") from None
    return PortfolioNetwork(items, index, network, projects, cross)


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
    raise FieldError("milestone", "give the milestone or the task that slips")


def analyse(net: PortfolioNetwork, key: str, days: int) -> dict[str, Any]:
    """What moves when the item ``key`` slips ``days`` working days (JSON-ready)."""
    if days < 1:
        raise FieldError("days", "must be at least 1 working day")
    if key not in net.index:
        raise FieldError("source", "this item is done or has no date, so it cannot slip any more")
    moved = propagate(net.network, {net.index[key]: days})
    rows = []
    per_project: dict[int, dict[str, Any]] = {}
    for i, delay in sorted(moved.items(), key=lambda kv: (net.items[kv[0]].date, kv[0])):
        item = net.items[i]
        project = net.projects[item.project_id]
        rows.append(
            {
                "key": item.key,
                "kind": item.kind,
                "id": item.pk,
                "project": project["code"],
                "name": item.name,
                "date": item.date.isoformat(),
                "new_date": add_workdays(item.date, delay).isoformat(),
                "delay": delay,
            }
        )
        summary = per_project.setdefault(
            item.project_id,
            {
                "project": project["code"],
                "name": project["name"],
                "name_zh": project["name_zh"],
                "max_delay": 0,
                "finish_delay": 0,
                "items": 0,
                "gates": 0,
            },
        )
        summary["max_delay"] = max(summary["max_delay"], delay)
        summary["items"] += 1
        summary["gates"] += item.kind == "gate"
        if item.kind == "project":
            summary["finish_delay"] = delay
    source = net.items[net.index[key]]
    return {
        "source": {
            "key": key,
            "name": source.name,
            "project": net.projects[source.project_id]["code"],
        },
        "days": days,
        "items": rows,
        "projects": sorted(per_project.values(), key=lambda p: (-p["max_delay"], p["project"])),
    }


def critical_chain(net: PortfolioNetwork, key: str) -> list[dict[str, Any]]:
    """The driving chain to item ``key`` with the cross-project links on it marked."""
    if key not in net.index:
        raise FieldError("target", "this item is done or has no date")
    path = driving_path(net.network, net.index[key])
    chain = []
    for pos, i in enumerate(path):
        item = net.items[i]
        link = net.cross.get((path[pos - 1], i)) if pos else None
        chain.append(
            {
                "key": item.key,
                "kind": item.kind,
                "project": net.projects[item.project_id]["code"],
                "name": item.name,
                "date": item.date.isoformat(),
                "dependency": link,
            }
        )
    return chain
