"""Signals the portfolio sends to the apps above it (it never imports them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import Signal

__all__ = ["project_ended", "reports_reminded", "send_if_ended"]

project_ended = Signal()
"""Sent inside the transaction that closes or cancels a project (its state moves into
:data:`~pmo.portfolio.models.ENDED_STATES`), with ``project``, ``actor`` (or ``None``) and
``day`` (the day it ended): resources releases the project's allocations after that day."""

reports_reminded = Signal()
"""Sent inside the transaction that records reminders to report, with ``reminders`` (the
:class:`~pmo.portfolio.reminders.ReportReminder` rows just written, with their project and
manager) and ``actor`` (``None`` for the command line): the dependencies app notifies each
reminded manager in the app."""


def send_if_ended(*, project: Any, before: str, actor: Any, day: dt.date) -> None:
    """Send :data:`project_ended` if ``project`` has just moved from a running state
    (``before``) into an ended one. Whoever changes a project's state calls this."""
    from pmo.portfolio.models import ENDED_STATES

    if project.state in ENDED_STATES and before not in ENDED_STATES:
        project_ended.send(sender=type(project), project=project, actor=actor, day=day)
