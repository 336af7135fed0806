"""A re-imported plan keeps the dependencies and change requests that point into it.

``scheduling.services.replace_plan`` deletes the old plan's tasks and the project's milestones
(the new schedule recreates them). Dependencies on them would go with them (``CASCADE``), and
change requests would lose their slipping item (``SET_NULL``). :func:`before_replace` (a
:data:`pmo.scheduling.hooks.PLAN_REPLACE_HOOKS` hook) detaches the affected dependency ends
first, so the rows survive with their id, status, agreed date and notes, and remembers how to
find each end again: a task by its UID; a milestone by the UID of the task that drives it, else
by its name. Once the new plan is scheduled the ends are re-attached (audited), or, when one
cannot be found, the whole import is refused naming each dependency it would break.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext, gettext_noop, pgettext

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.core.errors import ConflictError
from pmo.dependencies.changes.common import audit_change
from pmo.dependencies.models import OPEN_CHANGE_STATES, ChangeRequest, Dependency
from pmo.dependencies.selectors import label
from pmo.dependencies.status import record_dependency, refresh_dependency_status
from pmo.portfolio.models import Milestone, Project
from pmo.scheduling.hooks import AfterReplace, register_plan_replace_hook
from pmo.scheduling.models import Plan, Task

__all__ = ["before_replace", "register"]

DEPENDENCY_ENDS = ("supplier_task", "supplier_milestone", "consumer_task", "consumer_milestone")
CHANGE_ENDS = ("slip_task", "slip_milestone")
#: Change requests still to be decided or applied need their slipping item.
LIVE_CHANGE_STATES = ("draft", *OPEN_CHANGE_STATES)
REATTACHED = gettext_noop("re-attached to the new plan")


@dataclass(frozen=True, slots=True)
class End:
    """How to find one end again in the new plan: a task by ``uid``; a milestone by the ``uid``
    of the task driving it (``None`` for one entered by hand), else by ``name``."""

    field: str
    old_id: int
    uid: int | None
    name: str

    @property
    def is_task(self) -> bool:
        return self.field.endswith("_task")

    def describe(self) -> str:
        if self.is_task:
            return gettext("task UID %(uid)s") % {"uid": self.uid}
        return gettext("milestone “%(name)s”") % {"name": self.name}


class _Finder:
    """The new plan's tasks and the project's new milestones, looked up by UID and name."""

    def __init__(self, plan: Plan) -> None:
        self.tasks = {
            uid: (pk, summary, milestone_id)
            for uid, pk, summary, milestone_id in Task.objects.filter(plan=plan).values_list(
                "uid", "pk", "summary", "portfolio_milestone_id"
            )
        }
        self.by_name: dict[str, list[int]] = {}
        for pk, name in Milestone.objects.filter(project_id=plan.project_id).values_list(
            "pk", "name"
        ):
            self.by_name.setdefault(name, []).append(pk)

    def find(self, end: End) -> int | None:
        found = self.tasks.get(end.uid) if end.uid is not None else None
        if end.is_task:
            return found[0] if found is not None and not found[1] else None
        if found is not None and found[2] is not None:
            return found[2]
        same_name = self.by_name.get(end.name, [])
        return same_name[0] if len(same_name) == 1 else None  # never guess between two


def _on(field: str, project: Project) -> Q:
    """Rows whose ``field`` is a task of the project's plan or one of its milestones."""
    return Q(
        **{f"{field}__plan__project" if field.endswith("_task") else f"{field}__project": project}
    )


def _ends(
    row: Dependency | ChangeRequest,
    fields: tuple[str, ...],
    project: Project,
    milestones: dict[int, tuple[str, int | None]],
) -> list[End]:
    ends = []
    for field in fields:
        old_id = getattr(row, f"{field}_id")
        if old_id is None:
            continue
        if field.endswith("_task"):
            task = getattr(row, field)
            if task.plan.project_id == project.pk:
                ends.append(End(field, old_id, task.uid, ""))
        elif old_id in milestones:
            name, uid = milestones[old_id]
            ends.append(End(field, old_id, uid, name))
    return ends


def _title(dep: Dependency) -> str:
    return "{} {} → {} {}".format(
        dep.supplier_project.code,
        label(dep, "supplier"),
        dep.consumer_project.code,
        label(dep, "consumer"),
    )


def before_replace(actor: User | None, project: Project) -> AfterReplace:
    """Detach what points at the plan and milestones ``replace_plan`` is about to delete;
    return the step that re-attaches it to the new plan (or refuses the import)."""
    milestones: dict[int, tuple[str, int | None]] = {
        pk: (name, uid)
        for pk, name, uid in Milestone.objects.filter(project=project).values_list(
            "pk", "name", "schedule_task__uid"
        )
    }
    touching = Q()
    for field in DEPENDENCY_ENDS:
        touching |= _on(field, project)
    deps = list(
        Dependency.objects.filter(touching)
        .select_related(
            "supplier_project",
            "consumer_project",
            "supplier_milestone",
            "consumer_milestone",
            "supplier_task__plan",
            "consumer_task__plan",
            "supplier_gate__gate",
            "consumer_gate__gate",
        )
        .order_by("id")
    )
    detached = [
        (dep, _ends(dep, DEPENDENCY_ENDS, project, milestones), _title(dep)) for dep in deps
    ]
    for field in DEPENDENCY_ENDS:  # the rows outlive the delete; their ends come back after
        Dependency.objects.filter(_on(field, project)).update(**{field: None})
    changes = [
        (cr, _ends(cr, CHANGE_ENDS, project, milestones))
        for cr in ChangeRequest.objects.filter(
            _on("slip_task", project) | _on("slip_milestone", project)
        )
        .select_related("slip_task__plan")
        .order_by("id")
    ]

    def after(plan: Plan) -> None:
        finder = _Finder(plan)
        missing_deps = [
            (dep, title, [end.describe() for end in ends if finder.find(end) is None])
            for dep, ends, title in detached
        ]
        missing_deps = [m for m in missing_deps if m[2]]
        missing_crs = [
            (cr, [end.describe() for end in ends if finder.find(end) is None])
            for cr, ends in changes
            if cr.state in LIVE_CHANGE_STATES
        ]
        missing_crs = [m for m in missing_crs if m[1]]
        problems = _dependency_problems(missing_deps) + _change_problems(missing_crs)
        if problems:  # replace_plan's transaction rolls back
            raise ConflictError(pgettext("list of problems", "; ").join(problems))
        for dep, ends, _ in detached:
            _reattach(actor, dep, ends, finder)
        refresh_dependency_status(
            Dependency.objects.filter(pk__in=[dep.pk for dep, _, _ in detached]).select_related(
                "supplier_milestone",
                "supplier_task",
                "supplier_gate",
                "supplier_project__manager__user",
                "consumer_project__manager__user",
            ),
            actor=actor,
        )
        for cr, ends in changes:
            _repoint(actor, cr, ends, finder)

    return after


def _reattach(actor: User | None, dep: Dependency, ends: list[End], finder: _Finder) -> None:
    changes: dict[str, list[object]] = {}
    for end in ends:
        new_id = finder.find(end)
        setattr(dep, f"{end.field}_id", new_id)  # the end was let go before the old plan went
        if new_id != end.old_id:  # a milestone the import kept is the same row: no change
            changes[end.field] = [end.old_id, new_id]
    if not changes:
        dep.save(update_fields=[end.field for end in ends])
        return
    dep.version += 1
    dep.save(update_fields=[*(end.field for end in ends), "version", "updated_at"])
    record_dependency(actor, AuditAction.UPDATE, dep, {**changes, "plan": [None, REATTACHED]})


def _repoint(actor: User | None, cr: ChangeRequest, ends: list[End], finder: _Finder) -> None:
    """Point a change request's slipping item at its successor (a closed request whose item
    is gone keeps none, as before)."""
    changes: dict[str, list[object]] = {}
    for end in ends:
        new_id = finder.find(end)
        if new_id is not None and new_id != end.old_id:
            changes[end.field] = [end.old_id, new_id]
    if not changes:
        return
    values = {f"{field}_id": new for field, (_old, new) in changes.items()}
    ChangeRequest.objects.filter(pk=cr.pk).update(**values, version=cr.version + 1)
    audit_change(actor, AuditAction.UPDATE, cr, {**changes, "plan": [None, REATTACHED]})


def register() -> None:
    """Called once from ``DependenciesConfig.ready()``."""
    register_plan_replace_hook(before_replace)


_NAMED = 3  # an error line names this many and counts the rest


def _listed(items: list[str]) -> str:
    """Up to three ``items`` and "and 9 more": one line, however many there are."""
    shown = pgettext("list separator", ", ").join(items[:_NAMED])
    if len(items) <= _NAMED:
        return shown
    return gettext("%(list)s and %(count)s more") % {
        "list": shown,
        "count": len(items) - _NAMED,
    }


def _dependency_problems(missing: list[tuple[Dependency, str, list[str]]]) -> list[str]:
    """The refusal for dependencies whose ends the new plan lacks (one sentence, counted)."""
    if not missing:
        return []
    if len(missing) == 1 and len(missing[0][2]) == 1:
        dep, title, (end,) = missing[0]
        return [
            gettext(
                "dependency #%(id)s (%(title)s) needs %(end)s, which the new plan "
                "does not have: keep it or remove the dependency first"
            )
            % {"id": dep.pk, "title": title, "end": end}
        ]
    items = [
        gettext("#%(id)s (%(title)s) needs %(ends)s")
        % {"id": dep.pk, "title": title, "ends": pgettext("list separator", ", ").join(ends)}
        for dep, title, ends in missing
    ]
    return [
        gettext(
            "%(count)s dependencies need what the new plan does not have: %(list)s; keep them "
            "or remove the dependencies first"
        )
        % {"count": len(missing), "list": _listed(items)}
    ]


def _change_problems(missing: list[tuple[ChangeRequest, list[str]]]) -> list[str]:
    """The refusal for open change requests slipping what the new plan lacks."""
    if not missing:
        return []
    if len(missing) == 1 and len(missing[0][1]) == 1:
        cr, (end,) = missing[0]
        return [
            gettext(
                "change request %(code)s slips %(end)s, which the new plan does not "
                "have: keep it or withdraw the change request first"
            )
            % {"code": cr.code, "end": end}
        ]
    items = [
        gettext("%(code)s slips %(ends)s")
        % {"code": cr.code, "ends": pgettext("list separator", ", ").join(ends)}
        for cr, ends in missing
    ]
    return [
        gettext(
            "%(count)s open change requests slip what the new plan does not have: %(list)s; "
            "keep them or withdraw the change requests first"
        )
        % {"count": len(missing), "list": _listed(items)}
    ]
