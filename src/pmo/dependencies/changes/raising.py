"""Raising a change request and changing it before the PMO review: the checks, the computed
impact and the affected projects (asked again when the impact changes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, snapshot
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from pmo.core.sentences import quoted
from pmo.dependencies.changes.common import (
    AUDITED,
    SLIP_FIELDS,
    asked_managers,
    audit_change,
    compute_impact,
    leads_program,
    may_manage,
    needs_steering,
)
from pmo.dependencies.ended import check_affected, refuse_ended_origin, running
from pmo.dependencies.models import ChangeRequest, ChangeState, ChangeType
from pmo.dependencies.services import find_project, notify
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.models import Milestone, Program, Project
from pmo.scheduling.models import Task

__all__ = ["EDITABLE", "create_change_request", "update_change_request"]


def _next_code() -> str:
    last = ChangeRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"CR-{last + 1:05d}"


def _source(
    project: Project | None, program: Program | None, data: dict[str, Any]
) -> tuple[Milestone | None, Task | None]:
    """The slipping milestone or task: of the project, or of any project of the program."""
    milestone_id, task_id = data.get("slip_milestone"), data.get("slip_task")
    if milestone_id and task_id:
        raise FieldError(
            "slip_milestone", gettext("give the milestone or the task that slips, not both")
        )
    where = (
        project.code
        if project is not None
        else gettext("program %(code)s") % {"code": program.code if program else ""}
    )
    milestones = Milestone.objects.filter(
        **({"project": project} if project is not None else {"project__program": program})
    )
    tasks = Task.objects.filter(
        summary=False,
        **(
            {"plan__project": project}
            if project is not None
            else {"plan__project__program": program}
        ),
    )
    milestone = task = None
    if milestone_id:
        milestone = milestones.filter(pk=milestone_id).first()
        if milestone is None:
            raise FieldError(
                "slip_milestone",
                gettext("no milestone %(milestone)s in %(where)s")
                % {"milestone": milestone_id, "where": where},
            )
    if task_id:
        task = tasks.filter(pk=task_id).first()
        if task is None:
            raise FieldError(
                "slip_task",
                gettext("no task %(task)s in the plans of %(where)s")
                % {"task": task_id, "where": where},
            )
    return milestone, task


@transaction.atomic
def create_change_request(*, actor: User, data: dict[str, Any]) -> ChangeRequest:
    """Raise a change request (draft) on a project or a program; a slip's impact is computed
    and attached."""
    code, program_code = data.get("project"), data.get("program")
    if bool(code) == bool(program_code):
        raise FieldError("project", gettext("give the project or the program the change is about"))
    project: Project | None = None
    program: Program | None
    if code:
        try:
            project = find_project(actor, str(code))
        except NotFoundError:
            raise FieldError(
                "project", gettext("no project with code %(code)s") % {"code": code}
            ) from None
        if not can_edit_project(actor, project):
            raise PermissionDeniedError(
                gettext(
                    "only the PMO or the manager of %(project)s may raise a change request on it"
                )
                % {"project": project.code},
                field="project",
            )
        refuse_ended_origin(project)
        program = project.program
    else:
        program = Program.objects.filter(code=str(program_code)).first()
        if program is None:
            raise FieldError(
                "program",
                gettext("no program with code %(code)s") % {"code": quoted(program_code)},
            )
        if not leads_program(actor, program):
            raise PermissionDeniedError(
                gettext(
                    "only the PMO or the manager of program %(program)s may raise a change "
                    "request on it"
                )
                % {"program": program.code},
                field="program",
            )
    if data.get("type") not in ChangeType.values:
        raise FieldError(
            "type", gettext("must be one of %(values)s") % {"values": ", ".join(ChangeType.values)}
        )
    if not (data.get("title") or "").strip():
        raise FieldError("title", gettext("is required"))
    days = int(data.get("slip_days") or 0)
    if days < 0:
        raise FieldError("slip_days", gettext("must be >= 0 working days"))
    for key in ("cost_impact", "effort_impact"):
        if Decimal(str(data.get(key) or 0)) < 0:
            raise FieldError(key, gettext("must be >= 0"))
    milestone, task = _source(project, program, data)
    if project is None:  # program level: the project whose item slips is the origin
        if milestone is not None:
            refuse_ended_origin(milestone.project, "slip_milestone")
        if task is not None:
            refuse_ended_origin(task.plan.project, "slip_task")
    if days and milestone is None and task is None:
        raise FieldError("slip_milestone", gettext("a slip needs the milestone or task that slips"))
    cr = ChangeRequest(
        code=_next_code(),
        project=project,
        program=program,
        type=data["type"],
        title=data["title"].strip()[:200],
        description=data.get("description") or "",
        requested_by=actor,
        slip_milestone=milestone,
        slip_task=task,
        slip_days=days,
        cost_impact=Decimal(str(data.get("cost_impact") or 0)),
        effort_impact=Decimal(str(data.get("effort_impact") or 0)),
    )
    if days:
        cr.impact = compute_impact(milestone=milestone, task=task, days=days, fields=SLIP_FIELDS)
    cr.steering_compared_on = timezone.localdate()
    cr.needs_steering = needs_steering(cr, cr.steering_compared_on)
    cr.save()
    _set_affected(cr)
    audit_change(actor, AuditAction.CREATE, cr, diff({}, snapshot(cr, [*AUDITED, "code", "title"])))
    return cr


EDITABLE = ("type", "title", "description", "slip_days", "cost_impact", "effort_impact")
#: What a change is audited by and saved on: a change of none of them saves nothing.
CHANGED_FIELDS = [*AUDITED, "title", "type", "description"]


@transaction.atomic
def update_change_request(
    *, actor: User, cr: ChangeRequest, data: dict[str, Any], version: int | None
) -> ChangeRequest:
    """Change a request before the PMO review (e.g. the PM enters cost and resource impact);
    a new slip recomputes the impact. Version-checked."""
    locked = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=cr.pk)
    locked.check_version(version)
    if locked.state not in (ChangeState.DRAFT, ChangeState.PM_REVIEW):
        raise ConflictError(
            gettext(
                "change request %(code)s is in state “%(state)s”: "
                "it can only be changed as a draft or in the PM review"
            )
            % {"code": locked.code, "state": locked.get_state_display()}
        )
    if not (locked.requested_by_id == actor.pk or may_manage(actor, locked)):
        raise PermissionDeniedError(
            gettext("you may not change change request %(code)s") % {"code": locked.code}
        )
    for key in data:
        if key not in EDITABLE:
            raise FieldError(key, gettext("is not a change-request field that can be set"))
    before = snapshot(locked, CHANGED_FIELDS)
    if "type" in data and data["type"] not in ChangeType.values:
        raise FieldError(
            "type", gettext("must be one of %(values)s") % {"values": ", ".join(ChangeType.values)}
        )
    if "title" in data and not (data["title"] or "").strip():
        raise FieldError("title", gettext("is required"))
    for key in ("cost_impact", "effort_impact"):
        if key in data:
            if data[key] is None or Decimal(str(data[key])) < 0:
                raise FieldError(key, gettext("must be >= 0"))
            setattr(locked, key, Decimal(str(data[key])))
    for key in ("type", "title", "description"):
        if key in data:
            setattr(locked, key, (data[key] or "").strip() if key != "type" else data[key])
    if "slip_days" in data:
        days = int(data["slip_days"] or 0)
        if days < 0:
            raise FieldError("slip_days", gettext("must be >= 0 working days"))
        if days and locked.slip_milestone is None and locked.slip_task is None:
            raise FieldError(
                "slip_days", gettext("this request names no milestone or task that slips")
            )
        slip_changed = days != locked.slip_days
        locked.slip_days = days
        locked.impact = (
            compute_impact(
                milestone=locked.slip_milestone,
                task=locked.slip_task,
                days=days,
                fields=SLIP_FIELDS,
            )
            if days
            else {}
        )
        _set_affected(locked)
        if slip_changed:
            _ask_again(actor, locked)
    today = timezone.localdate()
    locked.needs_steering = needs_steering(locked, today)
    changes = diff(before, snapshot(locked, CHANGED_FIELDS))
    if changes:
        # compared today, whether or not the flag flipped; a change that saves nothing
        # leaves the stored flag, and so its day, alone
        locked.steering_compared_on = today
        locked.version += 1
        locked.save()
        audit_change(actor, AuditAction.UPDATE, locked, changes)
    return locked


def _set_affected(cr: ChangeRequest) -> None:
    """The projects the impact reaches (they move, or miss an agreed dependency date),
    less those that have ended: a closed or cancelled project is not asked (ADR 0005)."""
    codes = [p["project"] for p in cr.impact.get("projects", [])]
    codes += [d["consumer"] for d in cr.impact.get("dependencies", [])]  # commitments missed
    affected = running(Project.objects.filter(code__in=codes))
    if cr.project_id is not None:
        affected = affected.exclude(pk=cr.project_id)
    projects = list(affected)
    check_affected(projects)
    cr.affected_projects.set(projects)


def _ask_again(actor: User, cr: ChangeRequest) -> None:
    """A new slip is a new impact: answers given to the old one go, and the affected
    projects of a submitted request are asked again (``responses``, ADR 0005)."""
    from pmo.dependencies.responses import agree_for_requester, clear_responses

    clear_responses(actor, cr)
    if cr.state != ChangeState.DRAFT:
        agree_for_requester(cr)
        affected = cr.affected_projects.select_related("manager__user")
        notify(
            asked_managers(cr, affected, actor),
            _(
                "%(code)s %(title)s: its impact changed (%(days)s working days); "
                "please say again whether your project agrees"
            ),
            {"code": cr.code, "title": cr.title, "days": cr.slip_days},
            url=f"/change-requests/{cr.pk}/#responses",
            change=cr,
        )
