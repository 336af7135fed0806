"""Finding an open task of a project by what a person types: the impact page's task picker
(used when the project has more open tasks than the page lists) and its JSON search. Text
typed without picking that names no task but is part of some gets those listed to choose
from, as the project picker does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.portfolio.lookup import MATCHES_LISTED, clean_typed
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
    rows = list(
        _matching(open_tasks(project), query).values_list("pk", "name", "finish")[: limit + 1]
    )
    return [(pk, task_label(name, finish)) for pk, name, finish in rows[:limit]], len(rows) > limit


def _matching(tasks: QuerySet[Task], query: str) -> QuerySet[Task]:
    """The ``tasks`` whose name contains ``query`` or whose id it is, in the order
    :func:`search_tasks` lists them; all of them when nothing is typed."""
    query = clean_typed(query)
    if not query:
        return tasks
    by_name = tasks.filter(name__icontains=query)
    if query.isdigit() and len(query) < 12:
        by_name = by_name | tasks.filter(pk=int(query))
    return by_name.annotate(
        rank=Case(
            When(name__istartswith=query, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("rank", "start", "uid")


def _task_id(text: str) -> int | None:
    """``text`` as a task's id: its digits, with or without the ``#`` a list shows."""
    digits = text.removeprefix("#")
    return int(digits) if digits.isdigit() and len(digits) < 12 else None


def resolve_task(project: Any, value: str, text: str | None) -> PickedTask:
    """The open task of ``project`` a task picker names: ``value`` (the id it picked) while
    its box ``text`` shows that task's label; else what was typed: an id (``12`` or ``#12``),
    a label or a whole name only one open task has. ``(None, "")`` for an empty box,
    ``(None, why)`` when no task is found: when several have that name, or ``text`` is part
    of some names (what the picker would have listed), ``why`` lists the first few with
    their ids to choose from, as the project picker does."""
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
    if (typed_id := _task_id(text)) is not None:
        found = tasks.filter(pk=typed_id).values_list("pk", flat=True).first()
        if found is not None:
            return found, ""
    names = list(dict.fromkeys((text, text.rsplit(" · ", 1)[0].strip())))
    for name in names:
        named = tasks.filter(name__iexact=name)
        ids = list(named.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return ids[0], ""
        if ids:
            return None, _several(text, named, named.count())
    for name in names:
        # part of some names: the ones the picker would have listed
        matching = _matching(tasks, name)
        if count := matching.count():
            return None, _several(text, matching, count)
    return None, _("no open task of the project is called “%(text)s”.") % {"text": text}


def _several(text: str, matching: QuerySet[Task], count: int) -> str:
    """Why ``text`` names no open task although ``count`` of them match it: the first few
    (:data:`~pmo.portfolio.lookup.MATCHES_LISTED`), each as ``name · finish (#id)``."""
    # names may hold commas ("Data engineers, Shanghai"): the matches are set apart by more
    sep = pgettext("list of picker matches", "; ")
    listed = sep.join(
        pgettext("a match listed by a picker", "%(label)s (%(key)s)")
        % {"label": task_label(name, finish), "key": f"#{pk}"}
        for pk, name, finish in matching.values_list("pk", "name", "finish")[:MATCHES_LISTED]
    )
    if count > MATCHES_LISTED:
        listed += sep + "…"
    return ngettext(
        "%(count)s open task matches “%(text)s”: %(matches)s — pick it or type its #number.",
        "%(count)s open tasks match “%(text)s”: %(matches)s — pick one or type its #number.",
        count,
    ) % {"count": count, "text": text, "matches": listed}
