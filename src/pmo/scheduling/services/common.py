"""What the scheduling services share: the audit scope of a project, the fast task writer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Field

from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.portfolio.models import Project
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.walltime import to_db

__all__ = ["scope_of", "write_status_date"]


def _write(tasks: list[Task], fields: list[str]) -> None:
    """``UPDATE ... WHERE id = %s`` for many tasks in one ``executemany``.

    ``bulk_update`` builds a ``CASE WHEN`` expression per row and field in Python, which
    takes seconds for thousands of tasks; the rows are already validated here.
    """
    if not tasks:
        return
    meta = Task._meta
    columns: list[Field] = []
    for name in fields:
        field = meta.get_field(name)
        assert isinstance(field, Field) and field.column
        columns.append(field)
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in columns),
        quote(str(meta.pk.column if meta.pk else "id")),
    )
    params = [
        [f.get_db_prep_save(getattr(t, f.attname), connection) for f in columns] + [t.pk]
        for t in tasks
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


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
