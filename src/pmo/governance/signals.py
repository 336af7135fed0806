"""Governance follows the portfolio: a project's gates follow its forecast finish and the
milestones they are decided on, a project the PMO ends by hand has its lifecycle stopped,
and an ended project's lines in steering agendas not held yet say it was cancelled or
closed."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal

__all__ = ["connect", "review_back_to_preparation", "review_submitted"]

review_submitted = Signal()
"""Sent when a gate review is submitted for decision (``governance.submission``), inside its
transaction, with ``review``, ``actor``, ``deciders`` (the users to tell: the gate's deciders
who can see the project, the submitter left out), ``message`` (a lazy text with
``%(name)s`` placeholders), ``params`` and ``url`` (the review's page). Apps that keep
notifications (above governance) turn it into one per decider."""

review_back_to_preparation = Signal()
"""Sent when a change of its checklist takes a review submitted for decision back to
preparation (``governance.checklist``: criteria, evidence, row notes, document links, a new
file), inside its transaction, once the review is saved, with the arguments of
:data:`review_submitted`: ``deciders`` are the gate's deciders who can see the project but
the one who changed the checklist, and the message says who took it back and why. Not sent
when the review was not submitted, nor when it is withdrawn or decided (those are no step
back to preparation)."""


def _project_saved(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    """A status report, a plan recompute or an edit may move the forecast finish."""
    if created or (update_fields is not None and "forecast_finish" not in update_fields):
        return
    from pmo.governance.forecasts import follow_forecast_finish

    follow_forecast_finish(instance)


MILESTONE_FIELDS = frozenset({"name", "name_zh", "forecast_date", "actual_date"})


def _milestone_saved(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    """A plan recompute, an edit (web or API) or an applied change request may move a
    milestone a gate is decided on, or give one its name."""
    if update_fields is not None and not MILESTONE_FIELDS & set(update_fields):
        return
    from pmo.governance.forecasts import follow_milestone

    follow_milestone(instance)


def _project_ended(sender: Any, project: Any, actor: Any, day: Any, **kwargs: Any) -> None:
    """A project cancelled (or closed before its closure gate) outside a gate decision, by
    hand, stops its lifecycle; the agendas of meetings not held yet say which of their lines
    its end made moot (cancelled by a Stop decision or by hand, closed by hand)."""
    from pmo.governance.services import stop_ended_lifecycle
    from pmo.governance.steering import follow_ended_project

    stop_ended_lifecycle(actor=actor, project=project, day=day)
    follow_ended_project(project=project, day=day)


def connect() -> None:
    """Called once from ``GovernanceConfig.ready()``."""
    from pmo.portfolio.models import Milestone, Project
    from pmo.portfolio.signals import project_ended

    post_save.connect(_project_saved, sender=Project, dispatch_uid="governance.project")
    post_save.connect(_milestone_saved, sender=Milestone, dispatch_uid="governance.milestone")
    project_ended.connect(_project_ended, dispatch_uid="governance.project_ended")
