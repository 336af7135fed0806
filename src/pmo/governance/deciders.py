"""Telling a gate review's deciders about its hand-over (ADR 0002, "Submitting a review for
decision"): who they are, and the signal that carries one message to each of them. Apart
from :mod:`pmo.governance.submission` so that the checklist, which takes a submitted review
back to preparation, can tell them too without importing the submission (which reads the
checklist)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import Signal

from pmo.accounts.models import Person, User
from pmo.governance.models import GateReview
from pmo.portfolio.access import visible_projects
from pmo.portfolio.models import Project

__all__ = ["deciders_of", "tell_deciders"]


def deciders_of(review: GateReview, project: Project) -> list[User]:
    """Who decides the review's gate (``services.can_decide``: its deciding roles, PMO admins
    for ``pmo_admin``, its named deciders) among the active users who can see the project."""
    gate = review.gate
    roles = list(gate.decider_roles or [])
    who = Q(role__in=roles) | Q(pk__in=gate.deciders.filter(user__isnull=False).values("user"))
    if "pmo_admin" in roles:
        who |= Q(is_superuser=True)
    users = User.objects.filter(who, is_active=True).order_by("pk")
    return [u for u in users if visible_projects(u).filter(pk=project.pk).exists()]


def _who(actor: User) -> Any:
    """The actor as a notification names them: their person, else their user name."""
    person = Person.objects.filter(user=actor).first()
    return person if person is not None else actor.get_username()


def tell_deciders(
    signal: Signal, *, review: GateReview, actor: User, project: Project, message: Any
) -> None:
    """Send ``signal`` (``signals.review_submitted`` or ``signals.review_back_to_preparation``)
    with the review's deciders but ``actor``, ``message`` (lazy, with ``%(who)s``,
    ``%(gate)s`` and ``%(project)s``), its parameters and the review's page."""
    signal.send(
        sender=GateReview,
        review=review,
        actor=actor,
        deciders=[u for u in deciders_of(review, project) if u.pk != actor.pk],
        message=message,
        params={"who": _who(actor), "gate": review.gate.code, "project": project.code},
        url=f"/projects/{project.code}/gate-reviews/{review.pk}/",
    )
