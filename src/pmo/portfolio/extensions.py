"""Extension points of the status center for apps above portfolio (e.g. governance).

Portfolio must not import higher apps; they register here from ``AppConfig.ready()``:
annotations added to the status-center queryset (subqueries or joins only, so the
list keeps its fixed number of queries), flags for the filter bar, extra table
and export columns (header and cell templates, rendered with ``p`` = the project row) and
panels on the project page (a template and a function giving its context), and the apps that
set some milestones' dates themselves (a plan's milestone tasks), which the status center then
shows read-only and its services refuse to change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

__all__ = ["Column", "ExportColumn", "Flag", "MilestoneDriver", "Panel", "registry"]


@dataclass(frozen=True)
class Flag:
    key: str
    label: Any
    condition: Callable[[], Q]


@dataclass(frozen=True)
class Column:
    header_template: str
    cell_template: str


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class ExportColumn:
    label: Any
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class MilestoneDriver:
    """An app that sets some of a project's milestones itself: ``driven(project)`` gives their
    ids, ``url(project)`` the page where their dates are changed, and ``owns_all(project)``
    whether it sets all of them (a project with a plan: none is added by hand, as the next
    import would replace it)."""

    driven: Callable[[Any], set[int]]
    url: Callable[[Any], str]
    owns_all: Callable[[Any], bool] | None = None


@dataclass
class Registry:
    annotators: list[Callable[[QuerySet, dt.date], QuerySet]] = field(default_factory=list)
    flags: dict[str, Flag] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    sort_keys: dict[str, str] = field(default_factory=dict)
    export_columns: list[ExportColumn] = field(default_factory=list)
    milestone_drivers: list[MilestoneDriver] = field(default_factory=list)

    def annotate(self, qs: QuerySet, today: dt.date) -> QuerySet:
        for annotator in self.annotators:
            qs = annotator(qs, today)
        return qs

    def flag_choices(self) -> list[tuple[str, Any]]:
        return [(flag.key, flag.label) for flag in self.flags.values()]


registry = Registry()
