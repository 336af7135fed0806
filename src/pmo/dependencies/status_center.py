"""Status-center flags: "affected by a change" and "broken / at-risk dependency"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pmo.portfolio.extensions import Column, ExportColumn, Flag, Panel, registry

__all__ = ["agenda_title", "annotate", "register"]


def annotate(qs: QuerySet, today: dt.date) -> QuerySet:
    """Two ``EXISTS`` subqueries (the list keeps its fixed number of queries)."""
    from pmo.dependencies.models import OPEN_CHANGE_STATES, ChangeRequest, Dependency

    bad = Dependency.objects.filter(status__in=("at_risk", "broken"))
    changes = ChangeRequest.objects.filter(state__in=OPEN_CHANGE_STATES)
    return qs.annotate(
        dependency_trouble=Exists(
            bad.filter(Q(consumer_project=OuterRef("pk")) | Q(supplier_project=OuterRef("pk")))
        ),
        change_pending=Exists(
            changes.filter(Q(project=OuterRef("pk")) | Q(affected_projects=OuterRef("pk")))
        ),
    )


def _panel(project: Any, user: Any) -> dict[str, Any]:
    from pmo.dependencies.selectors import project_panel

    return project_panel(project, user)


AGENDA_REF = "change_request"


def agenda_title(cr: Any, counts: dict[str, int] | None = None) -> str:
    """A change request's agenda line in the active language: code, title, slip in working
    days and the cost with digit grouping and the project's currency; with ``counts``
    (:func:`pmo.dependencies.responses.response_counts`) also the affected projects'
    answers ("affected projects: 1 agrees, 1 objects, 2 not answered").

    Agenda lines keep ``ref="change_request:<id>"``; :func:`agenda_labels` draws this text
    again for each reader, the stored ``title`` is only the fallback. A request withdrawn
    since the agenda was drawn up (by its requester, or because its project ended) says so
    instead of counting answers no longer awaited.
    """
    from pmo.dependencies.models import ChangeState
    from pmo.dependencies.responses import summary_text

    currency = cr.project.currency if cr.project is not None else ""
    cost = f"{floatformat(cr.cost_impact, '2g')} {currency}".strip()
    text = ngettext(
        "%(code)s %(title)s (+%(days)s working day, %(cost)s)",
        "%(code)s %(title)s (+%(days)s working days, %(cost)s)",
        cr.slip_days,
    ) % {"code": cr.code, "title": cr.title, "days": cr.slip_days, "cost": cost}
    if cr.state == ChangeState.WITHDRAWN:
        return (gettext("%(line)s · withdrawn") % {"line": text})[:300]
    summary = summary_text(counts or {})
    if summary:
        text = gettext("%(line)s · affected projects: %(answers)s") % {
            "line": text,
            "answers": summary,
        }
    return text[:300]


def agenda(date: dt.date, window_days: int) -> list[Any]:
    """Steering agenda lines: pending change requests above the thresholds."""
    from pmo.dependencies.responses import response_counts
    from pmo.dependencies.selectors import pending_above_threshold
    from pmo.governance.models import AgendaItem
    from pmo.governance.reviews import AgendaKind

    pending = list(pending_above_threshold())
    counts = response_counts([cr.pk for cr in pending])
    return [
        AgendaItem(
            kind=AgendaKind.OTHER,
            project=cr.project,
            title=agenda_title(cr, counts[cr.pk]),
            ref=f"{AGENDA_REF}:{cr.pk}",
            due=None,
        )
        for cr in pending
    ]


def agenda_labels(keys: list[str]) -> dict[str, str]:
    """The agenda lines of change requests ``keys`` in the active language, in one query
    (a request that is gone is left out)."""
    from pmo.dependencies.models import ChangeRequest
    from pmo.dependencies.responses import response_counts

    ids = [int(k) for k in keys if k.isascii() and k.isdigit()]
    found = list(ChangeRequest.objects.select_related("project").filter(pk__in=ids))
    counts = response_counts([cr.pk for cr in found])
    return {str(cr.pk): agenda_title(cr, counts[cr.pk]) for cr in found}


def agenda_codes(keys: list[str]) -> dict[str, str]:
    """The change requests' codes of agenda lines (``change_request:<pk>``) by key, for the
    steering API's ``code`` field."""
    from pmo.dependencies.models import ChangeRequest

    pks = [int(k) for k in keys if k.isdigit()]
    return {
        str(pk): code
        for pk, code in ChangeRequest.objects.filter(pk__in=pks).values_list("pk", "code")
    }


def agenda_urls(keys: list[str]) -> dict[str, str]:
    """The pages of the change requests of agenda lines (``change_request:<pk>``) by key, no
    query (the steering page links only the lines whose request :func:`agenda_labels` found)."""
    from django.urls import reverse

    return {
        k: reverse("dependencies:change_detail", args=[int(k)])
        for k in keys
        if k.isascii() and k.isdigit()
    }


def register() -> None:
    """Called once from ``DependenciesConfig.ready()``."""
    if annotate in registry.annotators:
        return
    registry.annotators.append(annotate)
    from pmo.governance.reviews import AGENDA_CODES, AGENDA_LABELS, AGENDA_URLS
    from pmo.governance.steering import AGENDA_SOURCES

    AGENDA_SOURCES.append(agenda)
    AGENDA_LABELS[AGENDA_REF] = agenda_labels
    AGENDA_CODES[AGENDA_REF] = agenda_codes
    AGENDA_URLS[AGENDA_REF] = agenda_urls
    registry.flags["dependency_trouble"] = Flag(
        "dependency_trouble", _("Broken or at-risk dependency"), lambda: Q(dependency_trouble=True)
    )
    registry.flags["change_pending"] = Flag(
        "change_pending", _("Affected by a change"), lambda: Q(change_pending=True)
    )
    registry.columns.append(
        Column(
            "dependencies/partials/_status_header.html",
            "dependencies/partials/_status_cell.html",
        )
    )
    registry.panels.append(Panel("dependencies/partials/_project_panel.html", _panel))
    registry.export_columns += [
        ExportColumn(_("Broken or at-risk dependency"), lambda p: bool(p.dependency_trouble)),
        ExportColumn(_("Affected by a change"), lambda p: bool(p.change_pending)),
    ]
