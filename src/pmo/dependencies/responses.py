"""Asking the affected projects: each one's manager agrees or objects to a change request.

The answers are advisory (ADR 0005, "Asking the affected projects"): the PMO and the steering
committee read them next to the impact; no workflow step waits for them. One current answer
per affected project, changeable while the request is pending; every answer is audited in
the request's scopes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Role, User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from pmo.dependencies.changes.common import change_scopes
from pmo.dependencies.ended import refuse_ended_respondent
from pmo.dependencies.models import (
    PENDING_STATES,
    ChangeRequest,
    ChangeResponse,
    ChangeState,
    ResponseAnswer,
)
from pmo.dependencies.services import find_project, notify, person_of
from pmo.portfolio.models import ENDED_STATES, Project

__all__ = [
    "ResponseRow",
    "agree_for_requester",
    "clear_responses",
    "may_answer",
    "requester_manages",
    "respond_to_change",
    "response_counts",
    "response_rows",
    "rows_counts",
    "summary_text",
]

_AUDITED = ["answer", "reason", "project"]


def may_answer(user: User, project: Project) -> bool:
    """The project's manager, or the PMO, answers for an affected project."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_pmo:
        return True
    manager = project.manager
    return manager is not None and manager.user_id == user.pk


def requester_manages(cr: ChangeRequest, project: Project) -> bool:
    """``project`` is managed by the person who raised ``cr``: raising it is their answer
    (they agree), so they are not asked for it (ADR 0005)."""
    manager = project.manager
    return (
        manager is not None
        and manager.user_id is not None
        and (manager.user_id == cr.requested_by_id)
    )


def _check_open(cr: ChangeRequest) -> None:
    if cr.state == ChangeState.DRAFT:
        raise ConflictError(
            gettext(
                "change request %(code)s is still a draft: the affected projects are asked "
                "once it is submitted"
            )
            % {"code": cr.code}
        )
    if cr.state not in PENDING_STATES:
        raise ConflictError(
            gettext(
                "change request %(code)s is closed (%(state)s): the answers of the affected "
                "projects can no longer change"
            )
            % {"code": cr.code, "state": ChangeState(cr.state).label}
        )


@transaction.atomic
def respond_to_change(
    *,
    actor: User,
    cr: ChangeRequest,
    project_code: str,
    answer: str,
    reason: str = "",
    version: int | None = None,
) -> tuple[ChangeResponse, bool]:
    """Record the answer of affected project ``project_code`` to ``cr`` (agree, or object
    with a reason); returns the answer and whether it is the project's first.

    ``version``: the version of the answer the user read (0: none yet), to refuse a second
    writer silently replacing an answer given meanwhile (409); ``None`` does not check.
    """
    locked = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=cr.pk)
    try:
        project = find_project(actor, str(project_code or ""))
    except NotFoundError:
        raise FieldError(
            "project", gettext("no project with code %(code)s") % {"code": project_code}
        ) from None
    if not locked.affected_projects.filter(pk=project.pk).exists():
        raise FieldError(
            "project",
            gettext("%(project)s is not among the projects %(code)s affects")
            % {"project": project.code, "code": locked.code},
        )
    if not may_answer(actor, project):
        raise PermissionDeniedError(
            gettext("only the manager of %(project)s or the PMO may answer for it")
            % {"project": project.code}
        )
    _check_open(locked)
    refuse_ended_respondent(project)
    if requester_manages(locked, project):
        raise ConflictError(
            gettext(
                "%(project)s is managed by the requester of %(code)s: it agrees by raising the "
                "request (withdraw or change the request instead)"
            )
            % {"project": project.code, "code": locked.code}
        )
    if answer not in ResponseAnswer.values:
        raise FieldError(
            "answer",
            gettext("must be one of %(values)s") % {"values": ", ".join(ResponseAnswer.values)},
        )
    reason = (reason or "").strip()
    if answer == ResponseAnswer.OBJECT and not reason:
        raise FieldError("reason", gettext("say why the project objects"))
    current = ChangeResponse.objects.filter(change=locked, project=project).first()
    if version is not None and version != (current.version if current else 0):
        raise ConflictError(
            gettext(
                "the answer of %(project)s was changed meanwhile "
                "(your version %(yours)s, current version %(current)s); reload and retry."
            )
            % {
                "project": project.code,
                "yours": version,
                "current": current.version if current else 0,
            },
            current_version=current.version if current else 0,
        )
    created = current is None
    response = current or ChangeResponse(change=locked, project=project)
    before = {} if created else snapshot(response, _AUDITED)
    response.answer, response.reason = answer, reason
    response.responder, response.answered_at = actor, timezone.now()
    if not created:
        response.version += 1
    response.save()
    changes = diff(before, snapshot(response, _AUDITED))
    action = AuditAction.CREATE if created else AuditAction.UPDATE
    _record(actor, action, response, changes, change_scopes(locked))
    if changes:
        _tell(actor, locked, response)
    return response, created


def _tell(actor: User, cr: ChangeRequest, response: ChangeResponse) -> None:
    """The requester hears every answer; the PMO reviewers also hear an objection. Nobody
    is told of their own answer."""
    values: dict[str, Any] = {
        "project": response.project.code,
        "code": cr.code,
        "title": cr.title,
        "who": person_of(actor),
    }
    url = f"/change-requests/{cr.pk}/#responses"
    if response.answer == ResponseAnswer.AGREE:
        told = [cr.requested_by]
        message = _("%(project)s agrees with %(code)s %(title)s (answered by %(who)s)")
    else:
        reviewers = User.objects.filter(
            role__in=(Role.PMO_ADMIN, Role.PMO_MEMBER), is_active=True
        ).order_by("pk")
        told = [cr.requested_by, *reviewers]
        values["reason"] = response.reason[:150]
        message = _("%(project)s objects to %(code)s %(title)s (answered by %(who)s): %(reason)s")
    notify(
        [u for u in told if u is not None and u.pk != actor.pk], message, values, url=url, change=cr
    )


def agree_for_requester(cr: ChangeRequest) -> int:
    """The affected projects the requester manages agree by the request itself: their answer
    is recorded as *agree* by the requester (audited) when the projects are asked (on
    submission, and again after a new slip). Returns how many were recorded."""
    requester = cr.requested_by
    if requester is None:
        return 0
    own = [
        p
        for p in cr.affected_projects.select_related("manager").order_by("code")
        if requester_manages(cr, p) and not p.is_ended
    ]
    scopes = change_scopes(cr) if own else []
    made = 0
    for project in own:
        if ChangeResponse.objects.filter(change=cr, project=project).exists():
            continue
        response = ChangeResponse.objects.create(
            change=cr,
            project=project,
            answer=ResponseAnswer.AGREE,
            responder=requester,
            answered_at=timezone.now(),
        )
        _record(
            requester, AuditAction.CREATE, response, diff({}, snapshot(response, _AUDITED)), scopes
        )
        made += 1
    return made


def _record(
    actor: User | None,
    action: str,
    response: ChangeResponse,
    changes: dict[str, Any],
    scopes: list[str],
) -> None:
    """An answer's change in the history of every project the request touches."""
    for scope in scopes:
        record(actor=actor, action=action, instance=response, scope=scope, changes=changes)


def clear_responses(actor: User, cr: ChangeRequest) -> int:
    """The impact changed: answers given to the old one are removed (audited); the
    affected projects answer again. Returns how many were removed."""
    gone = list(cr.responses.select_related("change", "project"))
    scopes = change_scopes(cr)
    for response in gone:
        _record(actor, AuditAction.DELETE, response, diff(snapshot(response, _AUDITED), {}), scopes)
    cr.responses.all().delete()
    return len(gone)


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """An affected project as the panel shows it, with its current answer (or none)."""

    project: Project
    response: ChangeResponse | None
    can_answer: bool
    own: bool = False  # the reader manages the project (else the PMO may answer for it)
    by_requester: bool = False  # the requester manages it: it agrees by the request
    ended: bool = False  # closed or cancelled since: its answer is no longer needed

    @property
    def version(self) -> int:
        return self.response.version if self.response is not None else 0


def response_rows(user: User, cr: ChangeRequest, affected: list[Project]) -> list[ResponseRow]:
    """One row per affected project ``user`` may read (``affected``: already filtered for
    them), with its answer; ``can_answer``: ``user`` may answer for it now."""
    ids = [p.pk for p in affected]
    projects = Project.objects.filter(pk__in=ids).select_related("manager").order_by("code")
    answers = {
        r.project_id: r
        for r in ChangeResponse.objects.filter(change=cr, project_id__in=ids).select_related(
            "responder__person"
        )
    }
    pending = cr.state in PENDING_STATES
    rows = []
    for p in projects:
        by_requester = requester_manages(cr, p)
        rows.append(
            ResponseRow(
                project=p,
                response=answers.get(p.pk),
                can_answer=pending and not by_requester and not p.is_ended and may_answer(user, p),
                own=p.manager is not None and p.manager.user_id == user.pk,
                by_requester=by_requester,
                ended=p.is_ended,
            )
        )
    return rows


def response_counts(change_ids: list[int]) -> dict[int, dict[str, int]]:
    """``{change id: {"agree": n, "object": n, "unanswered": n}}`` over each request's
    affected projects that still run (an ended one's answer no longer counts, given or not),
    in two queries whatever the number of requests."""
    through = ChangeRequest.affected_projects.through
    counts: dict[int, dict[str, int]] = {
        pk: {"agree": 0, "object": 0, "unanswered": 0} for pk in change_ids
    }
    affected: dict[int, set[int]] = {pk: set() for pk in change_ids}
    for change_id, project_id in (
        through.objects.filter(changerequest_id__in=change_ids)
        .exclude(project__state__in=ENDED_STATES)
        .values_list("changerequest_id", "project_id")
    ):
        affected[change_id].add(project_id)
    answered: dict[int, set[int]] = {pk: set() for pk in change_ids}
    for change_id, project_id, answer in ChangeResponse.objects.filter(
        change_id__in=change_ids
    ).values_list("change_id", "project_id", "answer"):
        if project_id in affected[change_id]:
            counts[change_id][answer] += 1
            answered[change_id].add(project_id)
    for pk in change_ids:
        counts[pk]["unanswered"] = len(affected[pk] - answered[pk])
    return counts


def rows_counts(rows: list[ResponseRow]) -> dict[str, Any]:
    """The counts of :func:`response_counts` for the rows a reader sees, and ``objecting``:
    the codes of the projects that object (in code order). Ended projects are not counted."""
    counts: dict[str, Any] = {"agree": 0, "object": 0, "unanswered": 0, "objecting": []}
    for row in rows:
        if row.ended:
            continue
        counts[row.response.answer if row.response is not None else "unanswered"] += 1
        if row.response is not None and row.response.answer == ResponseAnswer.OBJECT:
            counts["objecting"].append(row.project.code)
    return counts


def summary_text(counts: dict[str, Any]) -> str:
    """ "2 agree, 1 objects (P0016), 1 not answered" in the active language (parts that are 0
    are left out; empty when no project is affected). The objecting projects are named when
    ``counts`` has their codes (``objecting``: a reader's rows, :func:`rows_counts`)."""
    parts = []
    if counts.get("agree"):
        n = counts["agree"]
        parts.append(ngettext("%(n)s agrees", "%(n)s agree", n) % {"n": n})
    if counts.get("object"):
        n = counts["object"]
        codes = counts.get("objecting") or []
        if codes:
            parts.append(
                ngettext("%(n)s objects (%(projects)s)", "%(n)s object (%(projects)s)", n)
                % {"n": n, "projects": pgettext("list separator", ", ").join(codes)}
            )
        else:
            parts.append(ngettext("%(n)s objects", "%(n)s object", n) % {"n": n})
    if counts.get("unanswered"):
        n = counts["unanswered"]
        parts.append(ngettext("%(n)s not answered", "%(n)s not answered", n) % {"n": n})
    return pgettext("list separator", ", ").join(parts)
