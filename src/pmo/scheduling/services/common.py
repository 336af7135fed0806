"""What the scheduling services share: the audit scope of a project, the fast task writer."""

from __future__ import annotations

from django.db import connection
from django.db.models import Field

from pmo.portfolio.models import Project
from pmo.scheduling.models import Task

__all__ = ["scope_of"]


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
