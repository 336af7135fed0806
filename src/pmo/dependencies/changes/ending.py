"""A project that ends (closed or cancelled) takes its open change requests with it.

A change to a project that no longer runs is moot, whatever stage it had reached: its drafts,
the requests in review and those approved but not applied yet are withdrawn by the system
(ADR 0005, "Ended projects and change requests"). A request of a project that is only among
the *affected* ones goes on for the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Role, User
from pmo.audit.services import diff, snapshot
from pmo.dependencies.changes.common import AUDITED, audit_change, origin_project, users_of
from pmo.dependencies.ended import ended_note
from pmo.dependencies.models import (
    PENDING_STATES,
    ChangeAction,
    ChangeRequest,
    ChangeState,
    ChangeStep,
)
from pmo.dependencies.services import notify
from pmo.portfolio.models import Project, ProjectState

__all__ = ["WITHDRAWN_WHEN_ENDED", "ended_step_note", "withdraw_for_ended_project"]

#: Every state before *applied* that is not final: a draft, the three reviews, and approved
#: (an approved change never applied to a project that ended will not be applied).
WITHDRAWN_WHEN_ENDED = (ChangeState.DRAFT, *PENDING_STATES, ChangeState.APPROVED)

#: Why the audit trail says a request was withdrawn, read in the reader's language.
ENDED_REASONS: dict[str, str] = {
    ProjectState.CANCELLED: gettext_noop("its project was cancelled"),
    ProjectState.CLOSED: gettext_noop("its project was closed"),
}


def _raised_on(project: Project) -> Q:
    """Requests raised on ``project``: its own, and program-level ones whose slipping
    milestone or task is of it (:func:`pmo.dependencies.changes.common.origin_project`)."""
    program_level = Q(project__isnull=True) & (
        Q(slip_milestone__project=project) | Q(slip_task__plan__project=project)
    )
    return Q(project=project) | program_level


def _reviewers(cr: ChangeRequest) -> list[User | None]:
    """Who is asked to review ``cr`` in its state: the project's (program's) manager in the
    PM review, the PMO in the PMO review, the executives at the steering review (the people
    :func:`pmo.dependencies.changes.transition` asked); nobody for a draft or an approved
    request."""
    if cr.state == ChangeState.PM_REVIEW:
        if cr.project is not None:
            return users_of([cr.project])
        manager = cr.program.manager if cr.program is not None else None
        return [manager.user if manager is not None else None]
    if cr.state == ChangeState.PMO_REVIEW:
        return list(User.objects.filter(role__in=(Role.PMO_ADMIN, Role.PMO_MEMBER), is_active=True))
    if cr.state == ChangeState.STEERING_REVIEW:
        return list(User.objects.filter(role=Role.EXECUTIVE, is_active=True))
    return []


def withdraw_for_ended_project(*, actor: User | None, project: Project, day: dt.date) -> int:
    """Withdraw every open change request raised on ``project``, which has just been closed
    or cancelled on ``day`` by ``actor`` (``None``: the system).

    Each becomes a *project ended* step by nobody (its note, "P0012 was cancelled on
    2026-12-06", is read in the reader's language: :func:`ended_step_note`), audited as a
    withdrawal (``"ended": [null, "cancelled"]``) in every scope of the request with the
    person who ended the project as the actor. The
    requester, the people asked to review it now and the managers asked for their answer are
    told, except the one who ended the project. Returns how many were withdrawn.
    """
    requests = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .filter(_raised_on(project), state__in=WITHDRAWN_WHEN_ENDED)
        .select_related(
            "project__manager__user", "program__manager__user", "requested_by", "slip_milestone"
        )
        .order_by("pk")
    )
    cancelled = project.state == ProjectState.CANCELLED
    message = (
        _("%(code)s %(title)s is withdrawn: %(project)s was cancelled on %(day)s")
        if cancelled
        else _("%(code)s %(title)s is withdrawn: %(project)s was closed on %(day)s")
    )
    count = 0
    for cr in requests:
        told: list[Any] = [cr.requested_by, *_reviewers(cr)]
        if cr.state in PENDING_STATES:  # the affected projects' managers were asked to answer
            affected = cr.affected_projects.exclude(pk=project.pk).select_related("manager__user")
            told += [u for u in users_of(list(affected)) if u is not None]
        before = snapshot(cr, AUDITED)
        old = cr.state
        cr.state = ChangeState.WITHDRAWN
        cr.version += 1
        cr.save()
        ChangeStep.objects.create(
            change=cr,
            action=ChangeAction.PROJECT_ENDED,
            from_state=old,
            to_state=cr.state,
            actor=None,
            note="",  # read in the reader's language: ended_step_note()
        )
        # a withdrawal (the audit's action names are short), with what ended the request
        why = ENDED_REASONS.get(str(project.state), ENDED_REASONS[ProjectState.CLOSED])
        changes = {**diff(before, snapshot(cr, AUDITED)), "reason": [None, why]}
        audit_change(actor, ChangeAction.WITHDRAW, cr, changes)
        notify(
            [u for u in told if u is not None and (actor is None or u.pk != actor.pk)],
            message,
            {"code": cr.code, "title": cr.title, "project": project.code, "day": day.isoformat()},
            url=f"/change-requests/{cr.pk}/",
            change=cr,
        )
        count += 1
    return count


def ended_step_note(cr: ChangeRequest) -> str:
    """The note of a *project ended* step in the active language: "P0012 was cancelled on
    2026-12-06", as the project page's banner says it), or "P0012 ended" should it run
    again."""
    origin = origin_project(cr)
    note = ended_note(origin)
    if note is not None:
        return note
    if origin is None:  # a program-level request whose slipping item is gone
        return gettext("its project ended")
    return gettext("%(code)s ended") % {"code": origin.code}
