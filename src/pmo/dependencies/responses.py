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

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import ConflictError, FieldError, NotFoundError, PermissionDeniedError
from pmo.dependencies.changes import _scopes
from pmo.dependencies.models import (
    PENDING_STATES,
    ChangeRequest,
    ChangeResponse,
    ChangeState,
    ResponseAnswer,
)
from pmo.dependencies.services import find_project
from pmo.portfolio.models import Project

__all__ = [
    "ResponseRow",
    "clear_responses",
    "may_answer",
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
    for scope in _scopes(locked):
        record(actor=actor, action=action, instance=response, scope=scope, changes=changes)
    return response, created


def clear_responses(actor: User, cr: ChangeRequest) -> int:
    """The impact changed: answers given to the old one are removed (audited); the
    affected projects answer again. Returns how many were removed."""
    gone = list(cr.responses.select_related("change", "project"))
    scopes = _scopes(cr)
    for response in gone:
        changes = diff(snapshot(response, _AUDITED), {})
        for scope in scopes:
            record(
                actor=actor,
                action=AuditAction.DELETE,
                instance=response,
                scope=scope,
                changes=changes,
            )
    cr.responses.all().delete()
    return len(gone)


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """An affected project as the panel shows it, with its current answer (or none)."""

    project: Project
    response: ChangeResponse | None
    can_answer: bool
    own: bool = False  # the reader manages the project (else the PMO may answer for it)

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
    return [
        ResponseRow(
            project=p,
            response=answers.get(p.pk),
            can_answer=pending and may_answer(user, p),
            own=p.manager is not None and p.manager.user_id == user.pk,
        )
        for p in projects
    ]


def response_counts(change_ids: list[int]) -> dict[int, dict[str, int]]:
    """``{change id: {"agree": n, "object": n, "unanswered": n}}`` over each request's
    affected projects, in two queries whatever the number of requests."""
    through = ChangeRequest.affected_projects.through
    counts: dict[int, dict[str, int]] = {
        pk: {"agree": 0, "object": 0, "unanswered": 0} for pk in change_ids
    }
    affected: dict[int, set[int]] = {pk: set() for pk in change_ids}
    for change_id, project_id in through.objects.filter(
        changerequest_id__in=change_ids
    ).values_list("changerequest_id", "project_id"):
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


def rows_counts(rows: list[ResponseRow]) -> dict[str, int]:
    """The counts of :func:`response_counts` for the rows a reader sees."""
    counts = {"agree": 0, "object": 0, "unanswered": 0}
    for row in rows:
        counts[row.response.answer if row.response is not None else "unanswered"] += 1
    return counts


def summary_text(counts: dict[str, Any]) -> str:
    """ "2 agree, 1 objects, 1 not answered" in the active language (parts that are 0 are left
    out; empty when no project is affected)."""
    parts = []
    if counts.get("agree"):
        n = counts["agree"]
        parts.append(ngettext("%(n)s agrees", "%(n)s agree", n) % {"n": n})
    if counts.get("object"):
        n = counts["object"]
        parts.append(ngettext("%(n)s objects", "%(n)s object", n) % {"n": n})
    if counts.get("unanswered"):
        n = counts["unanswered"]
        parts.append(ngettext("%(n)s not answered", "%(n)s not answered", n) % {"n": n})
    return pgettext("list separator", ", ").join(parts)
