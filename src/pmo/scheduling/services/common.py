"""What the scheduling services share: the audit scope of a project, the fast task writer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.bulk import update_rows
from pmo.portfolio.models import Project
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.walltime import to_db

__all__ = ["scope_of", "write_status_date"]


def _write(tasks: list[Task], fields: list[str]) -> None:
    """Many tasks' ``fields`` in one statement (:func:`pmo.core.bulk.update_rows`)."""
    update_rows(tasks, fields)


def scope_of(project: Project) -> str:
    return f"project:{project.pk}"


def write_status_date(locked: Plan, status_date: dt.datetime | None, actor: Any) -> None:
    """Set the plan's status date (``locked``: selected for update), bump its version and
    record the change in the project's history."""
    before = snapshot(locked, ["status_date"])
    locked.status_date = to_db(status_date)
    locked.version += 1
    locked.save(update_fields=["status_date", "version", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=locked,
        scope=scope_of(locked.project),
        changes=diff(before, snapshot(locked, ["status_date"])),
    )
