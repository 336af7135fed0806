"""Change requests: raise with a computed impact, the approval workflow, the apply step.

Workflow: draft -submit-> PM review -approve-> PMO review -approve-> (steering review
-approve->, only above the thresholds) approved -apply-> applied. Each review may reject;
the requester may withdraw before a decision, and approves or rejects their own request at
no stage: one its project's (program's) own manager raised skips the PM review. Every step
is a :class:`ChangeStep`, audited in the scope of every affected project, and notifies the
people concerned.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Role, User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from pmo.dependencies import adapters
from pmo.dependencies.apply import write_impact
from pmo.dependencies.ended import (
    check_affected,
    refuse_ended_origin,
    refuse_submit_ended,
    running,
)
from pmo.dependencies.models import (
    ChangeAction,
    ChangeRequest,
    ChangeState,
    ChangeStep,
    ChangeType,
)
from pmo.dependencies.services import find_project, notify, refresh_dependency_status
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.models import Milestone, Program, Project
from pmo.scheduling.models import Task

__all__ = [
    "ACTIONS",
    "allowed_actions",
    "compute_impact",
    "create_change_request",
    "step_note",
    "thresholds",
    "transition",
    "update_change_request",
]

ACTIONS = ("submit", "approve", "reject", "withdraw", "apply")
DEFAULT_THRESHOLDS = {"slip_days": 10, "cost": 1_000_000, "effort": 200}


def thresholds() -> dict[str, Any]:
    """Above any of these a change needs the steering committee (``PMO_CHANGE_THRESHOLDS``)."""
    return {**DEFAULT_THRESHOLDS, **getattr(settings, "PMO_CHANGE_THRESHOLDS", {})}


def _needs_steering(cr: ChangeRequest) -> bool:
    limits = thresholds()
    max_delay = max((p["max_delay"] for p in cr.impact.get("projects", [])), default=0)
    return (
        max(cr.slip_days, max_delay) > limits["slip_days"]
        or cr.cost_impact > Decimal(str(limits["cost"]))
        or cr.effort_impact > Decimal(str(limits["effort"]))
    )


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


def may_manage(user: User, cr: ChangeRequest) -> bool:
    """The project's PM (program-level: the program manager) or the PMO."""
    if cr.project is not None:
        return can_edit_project(user, cr.project)
    return _leads_program(user, cr.program)


def _leads_program(user: User, program: Program | None) -> bool:
    if user.is_pmo:
        return True
    manager = program.manager if program is not None else None
    return manager is not None and manager.user_id == user.pk


def source_key(milestone: Milestone | None, task: Task | None) -> str:
    """A milestone driven by a plan task slips through its task (so the plan follows)."""
    if milestone is not None:
        driver = Task.objects.filter(portfolio_milestone=milestone).values_list("pk", flat=True)
        if driver:
            return f"t:{driver[0]}"
    return adapters.source_key(milestone=milestone, task=task)


def compute_impact(
    *, milestone: Milestone | None = None, task: Task | None = None, days: int
) -> dict[str, Any]:
    """The what-if: every item that moves when the milestone or task slips ``days``."""
    net = adapters.load_network()
    return adapters.analyse(net, source_key(milestone, task), days)


def _scopes(cr: ChangeRequest) -> list[str]:
    """Audit scopes: every affected project; a program-level request also its program."""
    ids = set(cr.affected_projects.values_list("pk", flat=True))
    if cr.project_id is not None:
        ids.add(cr.project_id)
    scopes = [f"project:{i}" for i in sorted(ids)]
    if cr.project_id is None and cr.program is not None:
        scopes.append(f"program:{cr.program.code}")
    return scopes


def _audit(actor: User | None, action: str, cr: ChangeRequest, changes: dict[str, Any]) -> None:
    for scope in _scopes(cr):
        record(actor=actor, action=action, instance=cr, scope=scope, changes=changes)


def _next_code() -> str:
    last = ChangeRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"CR-{last + 1:05d}"


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
                % {"project": project.code}
            )
        refuse_ended_origin(project)
        program = project.program
    else:
        program = Program.objects.filter(code=str(program_code)).first()
        if program is None:
            raise FieldError(
                "program",
                gettext("no program with code %(code)s") % {"code": repr(program_code)},
            )
        if not _leads_program(actor, program):
            raise PermissionDeniedError(
                gettext(
                    "only the PMO or the manager of program %(program)s may raise a change "
                    "request on it"
                )
                % {"program": program.code}
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
        cr.impact = compute_impact(milestone=milestone, task=task, days=days)
    cr.needs_steering = _needs_steering(cr)
    cr.save()
    _set_affected(cr)
    _audit(actor, AuditAction.CREATE, cr, diff({}, snapshot(cr, [*_AUDITED, "code", "title"])))
    return cr


EDITABLE = ("type", "title", "description", "slip_days", "cost_impact", "effort_impact")


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
                "change request %(code)s is in state '%(state)s': "
                "it can only be changed as a draft or in the PM review"
            )
            % {"code": locked.code, "state": locked.state}
        )
    if not (locked.requested_by_id == actor.pk or may_manage(actor, locked)):
        raise PermissionDeniedError(
            gettext("you may not change change request %(code)s") % {"code": locked.code}
        )
    for key in data:
        if key not in EDITABLE:
            raise FieldError(key, gettext("is not a change-request field that can be set"))
    before = snapshot(locked, [*_AUDITED, "title", "type"])
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
            compute_impact(milestone=locked.slip_milestone, task=locked.slip_task, days=days)
            if days
            else {}
        )
        _set_affected(locked)
        if slip_changed:
            _ask_again(actor, locked)
    locked.needs_steering = _needs_steering(locked)
    changes = diff(before, snapshot(locked, [*_AUDITED, "title", "type"]))
    if changes:
        locked.version += 1
        locked.save()
        _audit(actor, AuditAction.UPDATE, locked, changes)
    return locked


_AUDITED = ["state", "slip_days", "cost_impact", "effort_impact", "needs_steering", "decision_note"]


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


def origin_project(cr: ChangeRequest) -> Project | None:
    """The project a request is raised on; at program level the project whose milestone or
    task slips (``None`` when it names none)."""
    if cr.project is not None:
        return cr.project
    if cr.slip_milestone is not None:
        return cr.slip_milestone.project
    if cr.slip_task is not None:
        return cr.slip_task.plan.project
    return None


def _ask_again(actor: User, cr: ChangeRequest) -> None:
    """A new slip is a new impact: answers given to the old one go, and the affected
    projects of a submitted request are asked again (``responses``, ADR 0005)."""
    from pmo.dependencies.responses import agree_for_requester, clear_responses

    clear_responses(actor, cr)
    if cr.state != ChangeState.DRAFT:
        agree_for_requester(cr)
        affected = cr.affected_projects.select_related("manager__user")
        notify(
            _asked(cr, affected, actor),
            _(
                "%(code)s %(title)s: its impact changed (%(days)s working days); "
                "please say again whether your project agrees"
            ),
            {"code": cr.code, "title": cr.title, "days": cr.slip_days},
            url=f"/change-requests/{cr.pk}/#responses",
            change=cr,
        )


def _asked(cr: ChangeRequest, affected: Any, actor: User) -> list[User]:
    """The managers asked to answer for the affected projects: not the one who acted, nor
    the requester (their projects agree by the request), nor those of projects that have
    ended since the impact was computed (ADR 0005)."""
    projects = [p for p in affected if not p.is_ended]
    return [u for u in _others(_users_of(projects), actor) if u.pk != cr.requested_by_id]


def _is_exec(user: User) -> bool:
    return user.is_pmo_admin or user.role == Role.EXECUTIVE


def _managed_by(user_id: int | None, cr: ChangeRequest) -> bool:
    """User ``user_id`` is the manager of the request's project (program-level: of its
    program)."""
    if cr.project is not None:
        manager = cr.project.manager
    else:
        manager = cr.program.manager if cr.program is not None else None
    return user_id is not None and manager is not None and manager.user_id == user_id


def _skip_pm_review(cr: ChangeRequest) -> bool:
    """A request raised by its project's (program's) own manager skips the PM review: it
    already is that manager's view, and they do not approve their own request (ADR 0005).
    Recorded as a *skip* step by nobody and audited as the system's. Returns whether it
    skipped."""
    if cr.state != ChangeState.PM_REVIEW or not _managed_by(cr.requested_by_id, cr):
        return False
    before = snapshot(cr, _AUDITED)
    cr.state = ChangeState.PMO_REVIEW
    cr.version += 1
    cr.save()
    ChangeStep.objects.create(
        change=cr,
        action=ChangeAction.SKIP,
        from_state=ChangeState.PM_REVIEW,
        to_state=cr.state,
        actor=None,
        note="",  # read in the reader's language: step_note()
    )
    _audit(None, ChangeAction.SKIP, cr, diff(before, snapshot(cr, _AUDITED)))
    return True


def step_note(cr: ChangeRequest, step: ChangeStep) -> str:
    """A workflow step's note as shown: what was typed, or why the PM review was skipped
    (in the active language)."""
    if step.action == ChangeAction.SKIP and not step.note:
        if cr.project is None:
            return gettext("raised by the program manager")
        return gettext("raised by the project manager")
    return step.note


def _reviews(user: User, cr: ChangeRequest) -> bool:
    """``user`` holds the role that reviews ``cr`` in its state (whoever raised it)."""
    if cr.state == ChangeState.PM_REVIEW:
        return may_manage(user, cr)
    if cr.state == ChangeState.PMO_REVIEW:
        return user.is_pmo
    if cr.state == ChangeState.STEERING_REVIEW:
        return _is_exec(user)
    return False


def _own_review(user: User, cr: ChangeRequest, action: str) -> bool:
    """Separation of duties: the requester approves or rejects their own request at no
    stage. Rejecting one's own request is withdrawing it; a request its project's (program's)
    own manager raised skips the PM review on submission (:func:`_skip_pm_review`), so
    nobody is left to approve it in their place (ADR 0005, "Separation of duties").
    """
    return action in ("approve", "reject") and cr.requested_by_id == user.pk


def _own_review_message(cr: ChangeRequest, action: str) -> str:
    """Why the requester may not take this review step, and who may."""
    values = {"code": cr.code}
    if cr.state == ChangeState.STEERING_REVIEW:
        return (
            gettext("you raised %(code)s; another member of the steering committee must decide it")
            % values
        )
    if action == "reject":
        return gettext("you raised %(code)s; withdraw it instead of rejecting it") % values
    if cr.state == ChangeState.PMO_REVIEW:
        return gettext("you raised %(code)s; another PMO member must review it") % values
    if _managed_by(cr.requested_by_id, cr):
        # raised before the PM review was skipped for its own manager: the PMO takes it
        return gettext("you raised %(code)s; a PMO member must take its PM review") % values
    if cr.project is None:
        return (
            gettext("you raised %(code)s; the program manager or another PMO member must review it")
            % values
        )
    return (
        gettext("you raised %(code)s; the project manager or another PMO member must review it")
        % values
    )


def _origin_ended(cr: ChangeRequest) -> bool:
    origin = origin_project(cr)
    return origin is not None and origin.is_ended


def may_submit(user: User, cr: ChangeRequest) -> bool:
    """The requester, the project's (program's) manager or the PMO submits a draft."""
    return cr.requested_by_id == user.pk or may_manage(user, cr)


def allowed_actions(user: User, cr: ChangeRequest) -> list[str]:
    """The workflow actions ``user`` may take on ``cr`` now (for buttons and errors)."""
    state = cr.state
    mine = cr.requested_by_id == user.pk
    pm = may_manage(user, cr)
    actions: list[str] = []
    if state == ChangeState.DRAFT and may_submit(user, cr) and not _origin_ended(cr):
        actions.append("submit")
    if _reviews(user, cr):
        actions += [a for a in ("approve", "reject") if not _own_review(user, cr, a)]
    if state in (ChangeState.DRAFT, ChangeState.PM_REVIEW, ChangeState.PMO_REVIEW) and (
        mine or user.is_pmo
    ):
        actions.append("withdraw")
    if state == ChangeState.APPROVED and (pm or user.is_pmo):
        actions.append("apply")
    return actions


_NEXT = {
    ("submit", "draft"): "pm_review",
    ("approve", "pm_review"): "pmo_review",
    ("approve", "steering_review"): "approved",
}


def _users_of(projects: list[Project | None]) -> list[User | None]:
    return [p.manager.user if p and p.manager is not None else None for p in projects]


def _others(users: Any, actor: User) -> list[User]:
    """``users`` less the one who acted: nobody is told of their own step."""
    return [u for u in users if u is not None and u.pk != actor.pk]


@transaction.atomic
def transition(
    *, actor: User, cr: ChangeRequest, action: str, note: str = "", version: int | None = None
) -> ChangeRequest:
    """Take a workflow step; an action not allowed in this state (or for this user) is a 409
    (or 403) naming what is possible."""
    if action not in ACTIONS:
        raise FieldError(
            "action", gettext("must be one of %(values)s") % {"values": ", ".join(ACTIONS)}
        )
    locked = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=cr.pk)
    locked.check_version(version)
    if action == "submit" and locked.state == ChangeState.DRAFT and may_submit(actor, locked):
        refuse_submit_ended(origin_project(locked), locked.code)
    if action not in allowed_actions(actor, locked):
        everyone = _possible(locked.state)
        if action not in everyone:
            raise ConflictError(
                gettext(
                    "cannot %(action)s change request %(code)s in state '%(state)s'; "
                    "possible now: %(actions)s"
                )
                % {
                    "action": action,
                    "code": locked.code,
                    "state": locked.state,
                    "actions": ", ".join(everyone) or gettext("nothing (closed)"),
                }
            )
        if _reviews(actor, locked) and _own_review(actor, locked, action):
            raise PermissionDeniedError(_own_review_message(locked, action))
        raise PermissionDeniedError(
            gettext("you may not %(action)s change request %(code)s now")
            % {"action": action, "code": locked.code}
        )
    if action == "reject" and not note.strip():
        raise FieldError("note", gettext("say why the change is rejected"))
    if action == "apply":
        return _apply(actor, locked, note)
    old = locked.state
    if action == "reject":
        new = ChangeState.REJECTED
    elif action == "withdraw":
        new = ChangeState.WITHDRAWN
    elif action == "approve" and old == ChangeState.PMO_REVIEW:
        new = ChangeState.STEERING_REVIEW if locked.needs_steering else ChangeState.APPROVED
    else:
        new = ChangeState(_NEXT[(action, old)])
    before = snapshot(locked, _AUDITED)
    locked.state = new
    if new in (ChangeState.APPROVED, ChangeState.REJECTED):
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.decision_note = note
    locked.version += 1
    locked.save()
    ChangeStep.objects.create(
        change=locked, action=action, from_state=old, to_state=new, actor=actor, note=note
    )
    _audit(actor, action, locked, diff(before, snapshot(locked, _AUDITED)))
    if action == "submit" and _skip_pm_review(locked):
        new = ChangeState.PMO_REVIEW
    url = f"/change-requests/{locked.pk}/"
    if action == "submit":
        from pmo.dependencies.responses import agree_for_requester

        agree_for_requester(locked)
        affected = _asked(locked, locked.affected_projects.select_related("manager__user"), actor)
        where = locked.project.code if locked.project else locked.program
        values = {"code": locked.code, "title": locked.title, "project": where}
        # the affected projects' managers are asked for their answer (advisory, ADR 0005)
        notify(
            affected,
            _(
                "%(code)s %(title)s: raised on %(project)s and affects your project; "
                "please say whether you agree or object"
            ),
            values,
            url=f"{url}#responses",
            change=locked,
        )
        asked = {u.pk for u in affected}
        notify(
            [u for u in _others(_users_of([locked.project]), actor) if u.pk not in asked],
            _("%(code)s %(title)s: raised on %(project)s, your project may be affected"),
            values,
            url=url,
            change=locked,
        )
    if new == ChangeState.PMO_REVIEW:
        notify(
            _others(User.objects.filter(role__in=(Role.PMO_ADMIN, Role.PMO_MEMBER)), actor),
            _("%(code)s awaits the PMO review"),
            {"code": locked.code},
            url=url,
            change=locked,
        )
    if new == ChangeState.STEERING_REVIEW:
        notify(
            _others(User.objects.filter(role=Role.EXECUTIVE), actor),
            _("%(code)s is above the thresholds: steering decision needed"),
            {"code": locked.code},
            url=url,
            change=locked,
        )
    if new in (ChangeState.APPROVED, ChangeState.REJECTED):
        notify(
            _others([locked.requested_by], actor),
            _("%(code)s: %(state)s"),
            {"code": locked.code, "state": new.label},
            url=url,
            change=locked,
        )
    return locked


def _possible(state: str) -> list[str]:
    return {
        "draft": ["submit", "withdraw"],
        "pm_review": ["approve", "reject", "withdraw"],
        "pmo_review": ["approve", "reject", "withdraw"],
        "steering_review": ["approve", "reject"],
        "approved": ["apply"],
    }.get(state, [])


def _apply(actor: User, cr: ChangeRequest, note: str) -> ChangeRequest:
    """Write the approved slip into plans, milestones, gates and forecasts (traced to ``cr``)."""
    applied: list[dict[str, Any]] = []
    trace = {"change_request": [None, cr.code]}
    if cr.slip_days:
        net = adapters.load_network()
        key = source_key(cr.slip_milestone, cr.slip_task)
        impact = adapters.analyse(net, key, cr.slip_days)
        applied = write_impact(actor, net, impact, trace)
        cr.impact = {**impact, "applied": applied}
    before = snapshot(cr, _AUDITED)
    old = cr.state
    cr.state = ChangeState.APPLIED
    cr.applied_by, cr.applied_at = actor, timezone.now()
    cr.version += 1
    cr.save()
    ChangeStep.objects.create(
        change=cr,
        action="apply",
        from_state=old,
        to_state=cr.state,
        actor=actor,
        note=note,  # the page counts the items in the reader's language (impact["applied"])
    )
    _audit(
        actor, "apply", cr, {**diff(before, snapshot(cr, _AUDITED)), "items": [None, len(applied)]}
    )
    refresh_dependency_status(actor=actor)
    notify(
        _others([cr.requested_by, *_users_of([cr.project, *cr.affected_projects.all()])], actor),
        _("%(code)s applied: plans and forecasts updated"),
        {"code": cr.code},
        url=f"/change-requests/{cr.pk}/",
        change=cr,
    )
    return cr
