"""Projects that no longer run (closed or cancelled) in change control.

A change request is not raised on an ended project, does not name one among the projects it
affects, and does not ask one for its answer (ADR 0005, "Ended projects and change
requests"). The ending is read as the project page's banner reads it: the state and the day
it was set (:func:`pmo.resources.selectors.ended_on`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext

from pmo.core.errors import ConflictError, FieldError
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.resources.selectors import ended_on, ended_text

__all__ = [
    "check_affected",
    "ended_note",
    "raise_refusal",
    "refuse_apply_ended",
    "refuse_ended_origin",
    "refuse_ended_respondent",
    "refuse_submit_ended",
    "running",
]


def ended_note(project: Project | None) -> str | None:
    """ "P0025 was cancelled on 2026-12-06" for an ended project, ``None`` for a running one."""
    if project is None or not project.is_ended:
        return None
    day = ended_on(project)
    return ended_text(project, day) if day is not None else None


def running(projects: QuerySet[Project]) -> QuerySet[Project]:
    """``projects`` less those that have ended."""
    return projects.exclude(state__in=ENDED_STATES)


def raise_refusal(project: Project) -> str | None:
    """Why no change request may be raised on ``project`` (``None``: it may)."""
    note = ended_note(project)
    if note is None:
        return None
    return gettext("%(ended)s: no change request can be raised on it") % {"ended": note}


def refuse_ended_origin(project: Project | None, field: str = "project") -> None:
    """A change request is not raised on an ended project (422 at ``field``: the project,
    or at program level the slipping milestone or task)."""
    reason = raise_refusal(project) if project is not None else None
    if reason is not None:
        raise FieldError(field, reason)


def refuse_submit_ended(project: Project | None, code: str) -> None:
    """A draft whose project ended meanwhile is not submitted (409): nobody is asked about
    a change to a project that no longer runs; it can be withdrawn."""
    note = ended_note(project)
    if note is not None:
        raise ConflictError(
            gettext("%(ended)s: %(code)s can no longer be submitted; withdraw it")
            % {"ended": note, "code": code}
        )


def refuse_apply_ended(project: Project | None, code: str) -> None:
    """An approved request whose project ended without it being withdrawn (a project loaded
    ended) is not applied (409): the items of an ended project no longer move."""
    note = ended_note(project)
    if note is not None:
        raise ConflictError(
            gettext("%(ended)s: %(code)s can no longer be applied; withdraw it")
            % {"ended": note, "code": code}
        )


def check_affected(projects: Iterable[Project]) -> None:
    """No ended project is named among the projects a change request affects (422 at
    ``affected_projects``, naming the first one in code order)."""
    for project in sorted(projects, key=lambda p: p.code):
        note = ended_note(project)
        if note is not None:
            raise FieldError(
                "affected_projects",
                gettext("%(ended)s: it cannot be among the affected projects") % {"ended": note},
            )


def refuse_ended_respondent(project: Project) -> None:
    """An ended project gives no answer to a change request (422 at ``project``)."""
    note = ended_note(project)
    if note is not None:
        raise FieldError(
            "project",
            gettext("%(ended)s: its answer to change requests is no longer needed")
            % {"ended": note},
        )
