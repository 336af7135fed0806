"""Database rows <-> the impact engine. The only module of the app that imports the engine.

Every open task, milestone, gate and project finish of the portfolio becomes a node dated in
working days of its project's calendar (``WorkDays``: the plan calendar when the project has a
plan, else the mainland-China calendar for projects under a China region, else Monday to
Friday); edges carry the slack a delay must use up before the successor moves, counted in the
successor's calendar:

- schedule links of a plan (FS/SS/FF; summary tasks are left out): the room between the
  predecessor's date and the successor's, less the lag;
- a plan task and the status-center milestone it drives: no slack;
- in a project with a plan, gates, unlinked milestones and the project finish follow every
  end task and milestone task finishing on or before them, with the room between the dates;
- a project without a plan: its milestones, gates and finish follow each other in date
  order with no slack (nothing tells us their float, so a slip moves what comes after);
- cross-project dependencies (each side a task, milestone or gate): from the supplier's
  finish (start for SS) to the consumer's start, less the lag.

Items of a closed or cancelled project stay nodes (their dates are read, a critical chain may
start at one) but no edge leads into them: they never move, so nothing moves through them
(ADR 0005, "Ended projects and change requests"); a slip of one is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from pmo.accounts.models import OrgUnit, OrgUnitKind
from pmo.core.errors import DomainError, FieldError
from pmo.dependencies.ended import ended_note
from pmo.dependencies.models import OPEN_STATUSES, Dependency
from pmo.engine.calendars import Calendar as EngineCalendar
from pmo.engine.calendars import china_calendar
from pmo.engine.errors import CycleError
from pmo.engine.impact import ImpactNetwork, build_network, driving_path, propagate
from pmo.governance.models import ProjectGate
from pmo.portfolio.models import ENDED_STATES, Milestone, Project
from pmo.scheduling.adapters import engine_calendar
from pmo.scheduling.models import Link, Plan, Task
from pmo.scheduling.walltime import from_db

__all__ = [
    "Item",
    "PortfolioNetwork",
    "WorkDays",
    "add_workdays",
    "analyse",
    "breached_dependencies",
    "critical_chain",
    "load_network",
    "pushed_across",
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
    calendars: dict[int, WorkDays] = field(default_factory=dict)
    drivers: dict[str, str] = field(default_factory=dict)  # milestone key -> its plan task's

    def workdays(self, project_id: int) -> WorkDays:
        return self.calendars.get(project_id) or WorkDays(None, dt.date.min, dt.date.min)


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days (Mon-Fri) in ``[a, b)`` (negative when ``b`` is before ``a``)."""
    return int(np.busday_count(a, b))


def add_workdays(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days`` working days (a weekend day first rolls to Monday)."""
    value = np.busday_offset(np.datetime64(day, "D"), days, roll="forward")
    return dt.date.fromisoformat(str(value))


CALENDAR_YEARS_BACK, CALENDAR_YEARS_AHEAD = 10, 20
"""The span of the working-day calendars built for an analysis, around today."""


class WorkDays:
    """The working days of one calendar between ``first`` and ``last`` as a sorted array, so
    counting and shifting are two ``searchsorted`` calls (holidays and make-up working
    weekends, 调休, included). Outside that range: Monday to Friday. ``calendar=None``: Monday
    to Friday everywhere."""

    def __init__(self, calendar: EngineCalendar | None, first: dt.date, last: dt.date) -> None:
        self.calendar = calendar
        self.first, self.last = first, last
        self.days = np.empty(0, dtype="datetime64[D]")
        if calendar is not None:
            span = (last - first).days + 1
            self.days = np.array(
                [
                    first + dt.timedelta(days=k)
                    for k in range(span)
                    if calendar.day_hours(first + dt.timedelta(days=k))
                ],
                dtype="datetime64[D]",
            )

    def _inside(self, day: dt.date) -> bool:
        return self.calendar is not None and self.first <= day <= self.last

    def between(self, a: dt.date, b: dt.date) -> int:
        """Working days in ``[a, b)`` (negative when ``b`` is before ``a``)."""
        if self._inside(a) and self._inside(b):
            i, j = np.searchsorted(self.days, np.array([a, b], dtype="datetime64[D]"))
            return int(j - i)
        return workdays_between(a, b)

    def add(self, day: dt.date, n: int) -> dt.date:
        """``day`` moved by ``n >= 0`` working days (a day off first rolls to the next working
        day); past the range the rest is counted Monday to Friday."""
        if not self._inside(day):
            return add_workdays(day, n)
        i = int(np.searchsorted(self.days, np.datetime64(day, "D"))) + n
        if i < len(self.days):
            return dt.date.fromisoformat(str(self.days[i]))
        return add_workdays(self.last + dt.timedelta(days=1), i - len(self.days))

    def assumed_years(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """Years in ``[a, b]`` whose holidays the calendar's source did not know."""
        return self.calendar.unknown_years(a, b) if self.calendar is not None else ()


def _china_units() -> list[str]:
    """Paths of org-unit regions named or coded like mainland China."""
    rows = OrgUnit.objects.filter(kind=OrgUnitKind.REGION).values_list(
        "path", "code", "name", "name_zh"
    )
    return [
        path
        for path, code, name, name_zh in rows
        if code.lower() in ("cn", "china")
        or code.lower().startswith("cn-")
        or "china" in name.lower()
        or "中国" in (name_zh or "")
    ]


def _project_calendars(
    projects: dict[int, dict[str, Any]], items: list[Item]
) -> dict[int, WorkDays]:
    """Each project's working days, one ``WorkDays`` per distinct calendar."""
    dates = [item.date for item in items] + [item.start for item in items]
    # the calendars are built day by day: bounded to the years planning can mean, so one item
    # dated in year 100 or 9999 neither stalls every analysis nor overflows (Monday to Friday
    # counts outside the range, as documented on WorkDays)
    today = dt.date.today()
    earliest = today - dt.timedelta(days=366 * CALENDAR_YEARS_BACK)
    latest = today + dt.timedelta(days=366 * CALENDAR_YEARS_AHEAD)
    first = max(min(dates, default=today), earliest) - dt.timedelta(days=31)
    last = min(max(dates, default=today), latest) + dt.timedelta(days=2 * 366)
    plan_calendar: dict[int, EngineCalendar] = {}
    stored: dict[int, EngineCalendar] = {}
    for plan in (
        Plan.objects.filter(calendar__isnull=False)
        .select_related("calendar__base")
        .prefetch_related("calendar__exceptions", "calendar__base__exceptions")
    ):
        assert plan.calendar is not None
        key = plan.calendar.pk
        if key not in stored:
            try:
                stored[key] = engine_calendar(plan.calendar)
            except DomainError:
                continue  # a broken plan calendar: the project counts Monday to Friday
        plan_calendar[plan.project_id] = stored[key]
    china = _china_units()
    cn = china_calendar()
    built: dict[EngineCalendar | None, WorkDays] = {}
    out: dict[int, WorkDays] = {}
    for pid, p in projects.items():
        cal: EngineCalendar | None = plan_calendar.get(pid)
        if cal is None and any((p["org_unit__path"] or "").startswith(c) for c in china):
            cal = cn
        if cal not in built:
            built[cal] = WorkDays(cal, first, last)
        out[pid] = built[cal]
    return out


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

    def add(kind: str, pk: int, project_id: int, name: str, date: Any, start: Any = None) -> None:
        if date is None:
            return
        items.append(Item(f"{kind[0]}:{pk}", kind, pk, project_id, name, date, start or date))

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
        .values("id", "project_id", "name", "forecast_date", "baseline_date")
    ):
        add(
            "milestone",
            m["id"],
            m["project_id"],
            m["name"],
            m["forecast_date"] or m["baseline_date"],
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
    calendars = _project_calendars(projects, items)

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


def analyse(net: PortfolioNetwork, key: str, days: int) -> dict[str, Any]:
    """What moves when the item ``key`` slips ``days`` working days (JSON-ready)."""
    if days < 1:
        raise FieldError("days", _("must be at least 1 working day"))
    if key not in net.index:
        raise FieldError(
            "source", _("this item is done or has no date, so it cannot slip any more")
        )
    _refuse_ended_source(net, key)
    moved = propagate(net.network, {net.index[key]: days})
    rows = []
    assumed: set[int] = set()
    per_project: dict[int, dict[str, Any]] = {}
    for i, delay in sorted(moved.items(), key=lambda kv: (net.items[kv[0]].date, kv[0])):
        item = net.items[i]
        project = net.projects[item.project_id]
        days_of = net.workdays(item.project_id)
        new_date = days_of.add(item.date, delay)
        assumed.update(days_of.assumed_years(item.date, new_date))
        rows.append(
            {
                "key": item.key,
                "kind": item.kind,
                "id": item.pk,
                "project": project["code"],
                "name": item.name,
                "date": item.date.isoformat(),
                "new_date": new_date.isoformat(),
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
    dependencies = breached_dependencies(rows, net.projects)
    return {
        "source": {
            "key": key,
            "name": source.name,
            "project": net.projects[source.project_id]["code"],
        },
        "days": days,
        "assumed_years": sorted(assumed),
        "items": rows,
        "projects": sorted(per_project.values(), key=lambda p: (-p["max_delay"], p["project"])),
        "dependencies": dependencies,
    }


def _refuse_ended_source(net: PortfolioNetwork, key: str) -> None:
    """An item of a closed or cancelled project no longer slips (422 at ``source``, saying
    when the project ended)."""
    project_id = net.items[net.index[key]].project_id
    if net.projects[project_id]["state"] not in ENDED_STATES:
        return
    note = ended_note(Project.objects.get(pk=project_id))
    if note is not None:
        raise FieldError(
            "source",
            _("%(ended)s: its milestones, tasks and gates no longer move") % {"ended": note},
        )


def _supplier_key(d: Any) -> str:
    """The item of a dependency's supplier side whose date the agreed date is held against
    (a milestone's own date, even when a plan task drives it)."""
    if d["supplier_gate_id"]:
        return f"g:{d['supplier_gate_id']}"
    if d["supplier_milestone_id"]:
        return f"m:{d['supplier_milestone_id']}"
    return f"t:{d['supplier_task_id']}"


def breached_dependencies(
    rows: list[dict[str, Any]], projects: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The open dependencies with an agreed date that the moved supplier dates of ``rows``
    would pass: the commitment is broken even when the consumer has the float to keep its
    own dates (the register would turn them "at risk"). A consumer that has ended (closed)
    misses nothing."""
    moved = {row["key"]: row for row in rows}
    out = []
    for d in (
        Dependency.objects.filter(status__in=OPEN_STATUSES, agreed_date__isnull=False)
        .order_by("id")
        .values(
            "id",
            "status",
            "agreed_date",
            "supplier_project_id",
            "consumer_project_id",
            "supplier_milestone_id",
            "supplier_task_id",
            "supplier_gate_id",
        )
    ):
        row = moved.get(_supplier_key(d))
        if projects[d["consumer_project_id"]].get("state") in ENDED_STATES:
            continue
        agreed = d["agreed_date"].isoformat() if d["agreed_date"] else ""
        if row is None or not agreed or row["new_date"] <= agreed:
            continue
        out.append(
            {
                "id": d["id"],
                "supplier": projects[d["supplier_project_id"]]["code"],
                "consumer": projects[d["consumer_project_id"]]["code"],
                "name": row["name"],
                "agreed_date": agreed,
                "date": row["date"],
                "new_date": row["new_date"],
                "already_late": row["date"] > agreed,
                "status": d["status"],
            }
        )
    return out


def pushed_across(net: PortfolioNetwork, rows: list[dict[str, Any]]) -> set[str]:
    """Keys of the moved tasks (``rows`` of :func:`analyse`) that a cross-project link pushes
    as far as they move: where the slip enters a plan from outside (its own links move the
    rest of the plan)."""
    delay = {row["key"]: row["delay"] for row in rows}
    g = net.network
    out: set[str] = set()
    for a, b in net.cross:
        sup, con = net.items[a], net.items[b]
        if con.kind != "task" or sup.key not in delay or con.key not in delay:
            continue
        slack = min(g.in_slack[e] for e in range(g.in_ptr[b], g.in_ptr[b + 1]) if g.in_src[e] == a)
        if delay[sup.key] - slack >= delay[con.key]:
            out.add(con.key)
    return out


def critical_chain(net: PortfolioNetwork, key: str) -> list[dict[str, Any]]:
    """The driving chain to item ``key`` with the cross-project links on it marked."""
    if key not in net.index:
        raise FieldError("target", _("this item is done or has no date"))
    path = driving_path(net.network, net.index[key])
    chain: list[dict[str, Any]] = []
    for pos, i in enumerate(path):
        item = net.items[i]
        link = net.cross.get((path[pos - 1], i)) if pos else None
        if chain and net.drivers.get(item.key) == chain[-1]["key"]:
            # a milestone and the plan task driving it are one step (same name and date)
            link = chain.pop()["dependency"] or link
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
