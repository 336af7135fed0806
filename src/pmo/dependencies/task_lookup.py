"""Finding an open task of a project by what a person types: the impact page's task picker
(used when the project has more open tasks than the page lists) and its JSON search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from pmo.portfolio.lookup import clean_typed
from pmo.scheduling.models import Task
from pmo.scheduling.walltime import from_db

__all__ = ["PickedTask", "open_tasks", "resolve_task", "search_tasks", "task_label"]

#: What the impact page's result needs of a picked task: its id, or why none was found.
PickedTask = tuple[int | None, str]


def open_tasks(project: Any) -> QuerySet[Task]:
    """The tasks of ``project``'s plan that can still take more work: not summaries, not done;
    earliest start first (as the page lists them)."""
    return Task.objects.filter(
        plan__project=project, summary=False, percent_complete__lt=100
    ).order_by("start", "uid")


def task_label(name: str, finish: dt.datetime | None) -> str:
    """``name · finish day`` (plan dates are wall-clock times stored as if UTC: read with
    ``from_db``, never converted to the server's zone)."""
    wall = from_db(finish) if finish else None
    return f"{name} · {wall.date() if wall else '—'}"


def search_tasks(
    project: Any, query: str, *, limit: int = 20
) -> tuple[list[tuple[int, str]], bool]:
    """The open tasks of ``project`` whose name contains ``query`` (any letter case) or whose
    id it is, at most ``limit`` as ``(id, label)``: names that start with it first. Also says
    whether more match."""
    query = clean_typed(query)
    tasks = open_tasks(project)
    if query:
        by_name = tasks.filter(name__icontains=query)
        if query.isdigit() and len(query) < 12:
            by_name = by_name | tasks.filter(pk=int(query))
        tasks = by_name.annotate(
            rank=Case(
                When(name__istartswith=query, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("rank", "start", "uid")
    rows = list(tasks.values_list("pk", "name", "finish")[: limit + 1])
    return [(pk, task_label(name, finish)) for pk, name, finish in rows[:limit]], len(rows) > limit


def resolve_task(project: Any, value: str, text: str | None) -> PickedTask:
    """The open task of ``project`` a task picker names: ``value`` (the id it picked) while
    its box ``text`` shows that task's label; else what was typed: an id, a label or a whole
    name only one open task has. ``(None, "")`` for an empty box, ``(None, why)`` when no task
    is found."""
    value = clean_typed(value)
    if text is None:
        return (int(value) if value.isdigit() and len(value) < 12 else None), ""
    text = clean_typed(text)
    if not text:
        return None, ""
    tasks = open_tasks(project)
    if value.isdigit() and len(value) < 12:
        row = tasks.filter(pk=int(value)).values_list("pk", "name", "finish").first()
        if row is not None and text in (str(row[0]), task_label(row[1], row[2])):
            return row[0], ""
    if text.isdigit() and len(text) < 12:
        found = tasks.filter(pk=int(text)).values_list("pk", flat=True).first()
        if found is not None:
            return found, ""
    for name in (text, text.rsplit(" · ", 1)[0].strip()):
        named = list(tasks.filter(name__iexact=name).values_list("pk", flat=True)[:2])
        if len(named) == 1:
            return named[0], ""
        if named:
            return None, _(
                "“%(text)s” is the name of several open tasks: pick one from the list."
            ) % {"text": text}
    return None, _("no open task of the project is called “%(text)s”.") % {"text": text}
