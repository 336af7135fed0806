"""The workflow of a change request: who may take which step, separation of duties, the
steps themselves with their notifications, and the apply step."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Role, User
from pmo.audit.services import diff, snapshot
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.dependencies import adapters
from pmo.dependencies.apply import write_impact
from pmo.dependencies.changes.common import (
    AUDITED,
    asked_managers,
    audit_change,
    may_manage,
    origin_project,
    others_than,
    source_key,
    users_of,
)
from pmo.dependencies.changes.ending import ended_step_note
from pmo.dependencies.ended import refuse_apply_ended, refuse_submit_ended
from pmo.dependencies.models import ChangeAction, ChangeRequest, ChangeState, ChangeStep
from pmo.dependencies.services import notify, refresh_dependency_status

__all__ = ["ACTIONS", "allowed_actions", "may_submit", "step_note", "transition"]


ACTIONS = ("submit", "approve", "reject", "withdraw", "apply")


_NEXT = {
    ("submit", "draft"): "pm_review",
    ("approve", "pm_review"): "pmo_review",
    ("approve", "steering_review"): "approved",
}


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
        # a project that ended takes its requests with it (changes.ending); one that ended
        # without that (loaded ended) leaves its approved request to be withdrawn, not applied
        actions.append("withdraw" if _origin_ended(cr) else "apply")
    return actions


@transaction.atomic
def transition(
    *, actor: User, cr: ChangeRequest, action: str, note: str = "", version: int | None = None
) -> ChangeRequest:
    """Take a workflow step; an action not allowed in this state (or for this user) is a 409
    (or 403) naming what is possible."""
    if action not in ACTIONS:
        raise FieldError(
            "action",
            gettext("must be one of %(values)s")
            % {"values": pgettext("list separator", ", ").join(ACTIONS)},
        )
    locked = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=cr.pk)
    locked.check_version(version)
    if action == "submit" and locked.state == ChangeState.DRAFT and may_submit(actor, locked):
        refuse_submit_ended(origin_project(locked), locked.code)
    if action == "apply" and locked.state == ChangeState.APPROVED and may_manage(actor, locked):
        refuse_apply_ended(origin_project(locked), locked.code)
    if action not in allowed_actions(actor, locked):
        everyone = _possible(locked)
        if action not in everyone:
            raise ConflictError(
                gettext(
                    "cannot %(action)s change request %(code)s in state “%(state)s”; "
                    "possible now: %(actions)s"
                )
                % {
                    "action": action,
                    "code": locked.code,
                    "state": locked.get_state_display(),
                    "actions": pgettext("list separator", ", ").join(everyone)
                    or gettext("nothing (closed)"),
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
    before = snapshot(locked, AUDITED)
    locked.state = new
    if new in (ChangeState.APPROVED, ChangeState.REJECTED):
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.decision_note = note
    locked.version += 1
    locked.save()
    ChangeStep.objects.create(
        change=locked, action=action, from_state=old, to_state=new, actor=actor, note=note
    )
    audit_change(actor, action, locked, diff(before, snapshot(locked, AUDITED)))
    if action == "submit" and _skip_pm_review(locked):
        new = ChangeState.PMO_REVIEW
    url = f"/change-requests/{locked.pk}/"
    if action == "submit":
        from pmo.dependencies.responses import agree_for_requester

        agree_for_requester(locked)
        affected = asked_managers(
            locked, locked.affected_projects.select_related("manager__user"), actor
        )
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
            [u for u in others_than(users_of([locked.project]), actor) if u.pk not in asked],
            _("%(code)s %(title)s: raised on %(project)s, your project may be affected"),
            values,
            url=url,
            change=locked,
        )
    if new == ChangeState.PMO_REVIEW:
        notify(
            others_than(User.objects.filter(role__in=(Role.PMO_ADMIN, Role.PMO_MEMBER)), actor),
            _("%(code)s awaits the PMO review"),
            {"code": locked.code},
            url=url,
            change=locked,
        )
    if new == ChangeState.STEERING_REVIEW:
        notify(
            others_than(User.objects.filter(role=Role.EXECUTIVE), actor),
            _("%(code)s is above the thresholds: steering decision needed"),
            {"code": locked.code},
            url=url,
            change=locked,
        )
    if new in (ChangeState.APPROVED, ChangeState.REJECTED):
        notify(
            others_than([locked.requested_by], actor),
            _("%(code)s: %(state)s"),
            {"code": locked.code, "state": new.label},
            url=url,
            change=locked,
        )
    return locked


def _possible(cr: ChangeRequest) -> list[str]:
    """The actions someone may take on ``cr`` in its state."""
    state = cr.state
    if state == ChangeState.APPROVED and _origin_ended(cr):
        return ["withdraw"]
    return {
        "draft": ["submit", "withdraw"],
        "pm_review": ["approve", "reject", "withdraw"],
        "pmo_review": ["approve", "reject", "withdraw"],
        "steering_review": ["approve", "reject"],
        "approved": ["apply"],
    }.get(state, [])


def _skip_pm_review(cr: ChangeRequest) -> bool:
    """A request raised by its project's (program's) own manager skips the PM review: it
    already is that manager's view, and they do not approve their own request (ADR 0005).
    Recorded as a *skip* step by nobody and audited as the system's. Returns whether it
    skipped."""
    if cr.state != ChangeState.PM_REVIEW or not _managed_by(cr.requested_by_id, cr):
        return False
    before = snapshot(cr, AUDITED)
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
    audit_change(None, ChangeAction.SKIP, cr, diff(before, snapshot(cr, AUDITED)))
    return True


def step_note(cr: ChangeRequest, step: ChangeStep) -> str:
    """A workflow step's note as shown: what was typed, why the PM review was skipped, or
    which project ended (in the active language)."""
    if step.action == ChangeAction.PROJECT_ENDED and not step.note:
        return ended_step_note(cr)
    if step.action == ChangeAction.SKIP and not step.note:
        if cr.project is None:
            return gettext("raised by the program manager")
        return gettext("raised by the project manager")
    return step.note


def _apply(actor: User, cr: ChangeRequest, note: str) -> ChangeRequest:
    """Write the approved slip into plans, milestones, gates and forecasts (traced to ``cr``)."""
    applied: list[dict[str, Any]] = []
    trace = {"change_request": [None, cr.code]}
    if cr.slip_days:
        net = adapters.load_network()
        key = source_key(cr.slip_milestone, cr.slip_task)
        try:
            impact = adapters.analyse(net, key, cr.slip_days)
        except FieldError as exc:  # done (or ended) since it was approved: nothing to apply
            raise ConflictError(
                gettext("%(code)s cannot be applied: %(reason)s")
                % {"code": cr.code, "reason": exc.errors[0]["message"]}
            ) from None
        applied = write_impact(actor, net, impact, trace)
        cr.impact = {**impact, "applied": applied}
    before = snapshot(cr, AUDITED)
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
    audit_change(
        actor, "apply", cr, {**diff(before, snapshot(cr, AUDITED)), "items": [None, len(applied)]}
    )
    refresh_dependency_status(actor=actor)
    notify(
        others_than([cr.requested_by, *users_of([cr.project, *cr.affected_projects.all()])], actor),
        _("%(code)s applied: plans and forecasts updated"),
        {"code": cr.code},
        url=f"/change-requests/{cr.pk}/",
        change=cr,
    )
    return cr
