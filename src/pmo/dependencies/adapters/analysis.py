"""What a slip does, read off the loaded network: the moved items, per project, the agreed
dates it would miss; where it enters a plan from outside; the critical chain to an item."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pmo.core.errors import FieldError
from pmo.dependencies.adapters.network import PortfolioNetwork
from pmo.dependencies.ended import ended_note
from pmo.dependencies.models import OPEN_STATUSES, Dependency
from pmo.engine.impact import driving_path, propagate
from pmo.portfolio.models import ENDED_STATES, Project

__all__ = ["analyse", "breached_dependencies", "critical_chain", "pushed_across"]


def analyse(
    net: PortfolioNetwork,
    key: str,
    days: int,
    *,
    source_field: str = "source",
    days_field: str = "days",
) -> dict[str, Any]:
    """What moves when the item ``key`` slips ``days`` working days (JSON-ready).

    An item that cannot slip (done, undated, of an ended project) is a 422 at
    ``source_field``, too few days at ``days_field``: the request's names of them.
    """
    if days < 1:
        raise FieldError(days_field, _("must be at least 1 working day"))
    if key not in net.index:
        raise FieldError(
            source_field, _("this item is done or has no date, so it cannot slip any more")
        )
    _refuse_ended_source(net, key, source_field)
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
                "name_zh": item.name_zh,
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


def _refuse_ended_source(net: PortfolioNetwork, key: str, field: str) -> None:
    """An item of a closed or cancelled project no longer slips (422 at ``field``, saying
    when the project ended)."""
    project_id = net.items[net.index[key]].project_id
    if net.projects[project_id]["state"] not in ENDED_STATES:
        return
    note = ended_note(Project.objects.get(pk=project_id))
    if note is not None:
        raise FieldError(
            field,
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
                "name_zh": row.get("name_zh", ""),
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
                "name_zh": item.name_zh,
                "date": item.date.isoformat(),
                "dependency": link,
            }
        )
    return chain
