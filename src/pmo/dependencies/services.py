"""Use-cases of the dependency register: create, change and delete a dependency.

Notifications live in :mod:`pmo.dependencies.notifications`, the statuses that follow the
portfolio (at risk, a cancelled project's links) in :mod:`pmo.dependencies.status`; their
names are imported here too, where other code has always found them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Person, Role, User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, snapshot
from pmo.core.dates import date_out_of_range
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from pmo.core.sentences import quoted
from pmo.dependencies.ended import ended_note
from pmo.dependencies.models import (
    OPEN_STATUSES,
    Dependency,
    DependencyStatus,
    DependencyType,
)
from pmo.dependencies.notifications import (
    manager_user,
    mark_notifications_read,
    notify,
    person_of,
)
from pmo.dependencies.status import (
    follow_cancelled_project,
    record_dependency,
    refresh_dependency_status,
    supplier_forecast,
    tell_cancelled_manager,
)
from pmo.governance.models import ProjectGate
from pmo.portfolio.access import can_edit_project, get_visible_project, visible_projects
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling.models import Task

__all__ = [
    "create_dependency",
    "delete_dependency",
    "find_project",
    "follow_cancelled_project",
    "mark_notifications_read",
    "may_register_dependency",
    "notify",
    "person_of",
    "refresh_dependency_status",
    "supplier_forecast",
    "tell_cancelled_manager",
    "update_dependency",
]

FIELDS = [
    "type",
    "lag",
    "system",
    "description",
    "criticality",
    "status",
    "agreed_date",
    "supplier_owner",
    "consumer_owner",
]
MANUAL_STATUSES = {"proposed", "agreed", "broken", "resolved", "at_risk"}


def find_project(user: User, code: str) -> Project:
    """The visible project with ``code`` as a person types it: surrounding spaces and the
    letter case do not matter (``p0004`` is P0004)."""
    code = code.strip()
    try:
        return get_visible_project(user, code)
    except NotFoundError:
        match = (
            visible_projects(user).filter(code__iexact=code).values_list("code", flat=True).first()
        )
        if match is None:
            raise
        return get_visible_project(user, match)


def _endpoint(
    user: User, side: str, data: dict[str, Any]
) -> tuple[Project, Milestone | None, Task | None, ProjectGate | None]:
    code = data.get(f"{side}_project")
    if not code:
        raise FieldError(f"{side}_project", gettext("is required (a project code)"))
    try:
        project = find_project(user, str(code))
    except NotFoundError:
        raise FieldError(
            f"{side}_project", gettext("no project with code %(code)s") % {"code": code}
        ) from None
    milestone_id, task_id = data.get(f"{side}_milestone"), data.get(f"{side}_task")
    gate_id = data.get(f"{side}_gate")
    if sum(map(bool, (milestone_id, task_id, gate_id))) != 1:
        raise FieldError(
            f"{side}_milestone", gettext("give exactly one milestone, one task or one gate")
        )
    if gate_id:
        gate = (
            ProjectGate.objects.filter(pk=gate_id, lifecycle__project=project)
            .select_related("gate")
            .first()
        )
        if gate is None:
            raise FieldError(
                f"{side}_gate",
                gettext("no gate %(gate)s in project %(project)s")
                % {"gate": gate_id, "project": project.code},
            )
        return project, None, None, gate
    if milestone_id:
        milestone = Milestone.objects.filter(pk=milestone_id, project=project).first()
        if milestone is None:
            raise FieldError(
                f"{side}_milestone",
                gettext("no milestone %(milestone)s in project %(project)s")
                % {"milestone": milestone_id, "project": project.code},
            )
        return project, milestone, None, None
    task = Task.objects.filter(pk=int(task_id or 0), plan__project=project, summary=False).first()
    if task is None:
        raise FieldError(
            f"{side}_task",
            gettext("no task %(task)s in the plan of project %(project)s")
            % {"task": task_id, "project": project.code},
        )
    return project, None, task, None


def _check_acyclic(supplier: Project, consumer: Project, ignore: int | None = None) -> None:
    """Refuse a link that closes a cycle in the project-level dependency graph."""
    if supplier.pk == consumer.pk:
        raise FieldError("consumer_project", gettext("a dependency links two different projects"))
    succ: dict[int, set[int]] = defaultdict(set)
    rows = Dependency.objects.filter(status__in=OPEN_STATUSES)
    if ignore is not None:
        rows = rows.exclude(pk=ignore)
    for a, b in rows.values_list("supplier_project_id", "consumer_project_id"):
        succ[a].add(b)
    parent: dict[int, int] = {consumer.pk: consumer.pk}
    stack = [consumer.pk]
    while stack:
        node = stack.pop()
        if node == supplier.pk:
            path = [node]
            while path[-1] != consumer.pk:
                path.append(parent[path[-1]])
            codes = dict(Project.objects.filter(pk__in=path).values_list("pk", "code"))
            chain = " -> ".join(codes[p] for p in [supplier.pk, *reversed(path)])
            raise ConflictError(
                gettext(
                    "this dependency would close a cycle between projects: %(chain)s; "
                    "a project cannot (indirectly) depend on itself"
                )
                % {"chain": chain}
            )
        for nxt in succ[node]:
            if nxt not in parent:
                parent[nxt] = node
                stack.append(nxt)


def _person(field: str, value: Any) -> Person | None:
    if value in (None, ""):
        return None
    person = Person.objects.filter(pk=value).first()
    if person is None:
        raise FieldError(field, gettext("no person %(person)s") % {"person": value})
    return person


def _date(field: str, value: Any) -> dt.date | None:
    """A date as typed (``YYYY-MM-DD``) or given, within the product's range; else a field
    error (never a failure further down)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(
                field, gettext("%(text)s is not a date") % {"text": quoted(value)}
            ) from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise FieldError(field, gettext("%(text)s is not a date") % {"text": quoted(value)})
    problem = date_out_of_range(value)
    if problem:
        raise FieldError(field, problem)
    return value


def _set_fields(dep: Dependency, data: dict[str, Any]) -> None:
    for key in FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "type" and value not in DependencyType.values:
            raise FieldError(
                "type",
                gettext("must be one of %(values)s") % {"values": ", ".join(DependencyType.values)},
            )
        if key == "status" and value not in MANUAL_STATUSES:
            raise FieldError(
                "status",
                gettext("must be one of %(values)s")
                % {"values": ", ".join(DependencyStatus.values)},
            )
        if key in ("supplier_owner", "consumer_owner"):
            value = _person(key, value)
        if key in ("system", "description") and value is None:
            value = ""
        if key == "agreed_date":
            value = _date(key, value)
        setattr(dep, key, value)
    if dep.type == DependencyType.NEED and not dep.agreed_date:
        raise FieldError(
            "agreed_date", gettext("is required when a project needs a system by a date")
        )
    if dep.status == DependencyStatus.AGREED and not dep.agreed_date:
        raise FieldError("agreed_date", gettext("an agreed dependency needs its agreed date"))


def _may_edit(user: User, dep: Dependency) -> bool:
    return can_edit_project(user, dep.supplier_project) or can_edit_project(
        user, dep.consumer_project
    )


def may_register_dependency(user: User) -> bool:
    """Whether ``user`` may register any dependency at all: the PMO, or a project manager
    who manages at least one project (one side of a link must be theirs). Executives and
    viewers may not, so the register does not offer them its form."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_pmo:
        return True
    return user.role == Role.PROJECT_MANAGER and Project.objects.filter(manager__user=user).exists()


@transaction.atomic
def create_dependency(*, actor: User, data: dict[str, Any]) -> Dependency:
    """Register a dependency; the PM of either side (or the PMO) may do so. Someone who may
    register none (:func:`may_register_dependency`) is refused (403) before the body is
    read, so an executive never learns of a typing error in a form they may not send."""
    if not may_register_dependency(actor):
        raise PermissionDeniedError(
            gettext(
                "only the PMO or the manager of one of the two projects may register a dependency"
            )
        )
    supplier, s_milestone, s_task, s_gate = _endpoint(actor, "supplier", data)
    consumer, c_milestone, c_task, c_gate = _endpoint(actor, "consumer", data)
    if not (can_edit_project(actor, supplier) or can_edit_project(actor, consumer)):
        raise PermissionDeniedError(
            gettext(
                "only the PMO or the manager of one of the two projects may register a dependency"
            )
        )
    for field, project in (("supplier_project", supplier), ("consumer_project", consumer)):
        ended = ended_note(project)  # delivered or never will: nothing left to depend on
        if ended is not None:
            raise FieldError(
                field,
                gettext("%(ended)s: no new dependency is registered on it") % {"ended": ended},
            )
    _check_acyclic(supplier, consumer)
    dep = Dependency(
        supplier_project=supplier,
        supplier_milestone=s_milestone,
        supplier_task=s_task,
        supplier_gate=s_gate,
        consumer_project=consumer,
        consumer_milestone=c_milestone,
        consumer_task=c_task,
        consumer_gate=c_gate,
        supplier_owner=supplier.manager,
        consumer_owner=consumer.manager,
    )
    _set_fields(dep, {k: v for k, v in data.items() if not (k.endswith("_owner") and v is None)})
    dep.save()
    record_dependency(actor, AuditAction.CREATE, dep, diff({}, snapshot(dep)))
    refresh_dependency_status([dep], actor=actor)
    dep.refresh_from_db()
    notify(
        [manager_user(supplier), manager_user(consumer)],
        _("%(consumer)s depends on %(supplier)s (dependency #%(id)s)"),
        {"consumer": consumer.code, "supplier": supplier.code, "id": dep.pk},
        url="/dependencies/",
    )
    return dep


@transaction.atomic
def update_dependency(
    *, actor: User, dep: Dependency, data: dict[str, Any], version: int | None
) -> Dependency:
    """Change a dependency (version-checked); reopening it re-checks for cycles."""
    if not _may_edit(actor, dep):
        raise PermissionDeniedError(
            gettext(
                "only the PMO or the manager of one of the two projects may change this dependency"
            )
        )
    locked = Dependency.objects.select_for_update(of=("self",)).get(pk=dep.pk)
    locked.check_version(version)
    before = snapshot(locked)
    was_open = locked.status in OPEN_STATUSES
    _set_fields(locked, data)
    if not was_open and locked.status in OPEN_STATUSES:
        _check_acyclic(locked.supplier_project, locked.consumer_project, ignore=locked.pk)
    changes = diff(before, snapshot(locked))
    if changes:
        locked.version += 1
        locked.save()
        record_dependency(actor, AuditAction.UPDATE, locked, changes)
    if changes.keys() & {"agreed_date", "lag", "type"}:  # the dates it is held against moved
        refresh_dependency_status([locked], actor=actor)
    return locked


@transaction.atomic
def delete_dependency(*, actor: User, dep: Dependency, version: int | None) -> None:
    """Remove a dependency (version-checked): the PM of either side or the PMO.

    The audit event keeps the whole row (in both projects' history) and the other side's PM
    is told. Change requests whose impact went through the link keep their impact: it is
    what the deciders saw; applying one recomputes it without the link (ADR 0005).
    """
    if not _may_edit(actor, dep):
        raise PermissionDeniedError(
            gettext(
                "only the PMO or the manager of one of the two projects may delete this dependency"
            )
        )
    locked = (
        Dependency.objects.select_for_update(of=("self",))
        .select_related("supplier_project__manager__user", "consumer_project__manager__user")
        .get(pk=dep.pk)
    )
    locked.check_version(version)
    record_dependency(actor, AuditAction.DELETE, locked, diff(snapshot(locked), {}))
    supplier, consumer, pk = locked.supplier_project, locked.consumer_project, locked.pk
    locked.delete()
    told = (manager_user(supplier), manager_user(consumer))
    notify(
        [u for u in told if u is None or u.pk != actor.pk],
        _("Dependency #%(id)s (%(consumer)s depends on %(supplier)s) was deleted by %(actor)s"),
        {
            "id": pk,
            "consumer": consumer.code,
            "supplier": supplier.code,
            "actor": person_of(actor),
        },
        url="/dependencies/",
    )
