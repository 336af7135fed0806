"""Signals the resources app sends to the apps above it (it never imports them), and the
portfolio signal it follows."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

__all__ = ["connect", "request_proposed", "requests_decided", "scenario_committed"]

scenario_committed = Signal()
"""Sent inside the commit's transaction with ``scenario``, ``actor``, ``plans_to_change``
(codes of the projects whose plans must change to match it) and ``allocations_changed``
(project code → how many of its allocations the commit created, changed or removed) with
``allocations_end`` (project code → the last day of its allocations now): the dependencies
app tells their project managers."""

requests_decided = Signal()
"""Sent inside the decision's transaction with ``actor``, ``committed`` and ``declined``
(allocations; the declined ones removed already, their ids kept) and ``reason`` (why the
declined ones were): the dependencies app tells the projects' managers. ``asked`` (allocation
id → the figures as last asked: ``resource``, ``first``, ``last``, ``fte``) names the committed
requests the decider changed before or while committing them ("committed with changes")."""

request_proposed = Signal()
"""Sent inside the change's transaction when someone who does not manage resources (a project's
manager) proposes an allocation of the current plan or changes a proposal's resource, dates or
FTE, from a page or the API (not leveling, scenarios, imports or the demo), with ``actor``,
``allocation`` (as stored, with its project and resource) and ``before`` (``None`` for a new
one, else the figures it had: ``resource``, ``first``, ``last``, ``fte``): the dependencies app
tells the resource managers responsible for the resource."""


def _project_ended(sender: Any, project: Any, actor: Any, day: Any, **kwargs: Any) -> None:
    from pmo.resources.services import release_project

    release_project(actor=actor, project=project, day=day)


def connect() -> None:
    """Called once from ``ResourcesConfig.ready()``: resources follows the portfolio."""
    from pmo.portfolio.signals import project_ended

    project_ended.connect(_project_ended, dispatch_uid="resources.project_ended")
