"""The status center's list of projects (with its exports) and a project's page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pmo.accounts.models import Person, Role, User, user_of
from pmo.audit.display import shown_events
from pmo.portfolio import charts, exports, selectors
from pmo.portfolio.access import can_create_project, can_edit_project, visible_projects
from pmo.portfolio.extensions import registry
from pmo.portfolio.filters import ProjectFilterForm
from pmo.portfolio.models import DIMENSION_LABELS, Project
from pmo.portfolio.periods import due_period
from pmo.portfolio.views.common import _project_or_404

PAGE_SIZE = 50


SCOPE_KEY = "status_center_scope"
"""The session's last "Mine" / "All" choice: a bare visit of the status center opens it."""


def filters_of(query: QueryDict) -> tuple[ProjectFilterForm, dict[str, Any]]:
    """The status-center filters of a query string (the page, its exports, the reminder
    button's list): an invalid value drops only its own filter, not every filter; no state
    chosen is the running projects (a state filter shows ended ones)."""
    form = ProjectFilterForm(query or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = dict(form.cleaned_data)
    if not filters.get("state"):
        filters["state"] = "running"
    return form, filters


def _link(query: QueryDict, key: str, value: str, *, toggle: bool = True) -> str:
    """The query string with ``key`` set to ``value`` (removed if it has it and ``toggle``),
    the other non-empty filters kept and the page reset."""
    result = QueryDict(mutable=True)
    for name, values in query.lists():
        if name not in ("page", key):
            for item in values:
                if item:
                    result.appendlist(name, item)
    if not (toggle and query.get(key) == value):
        result[key] = value
    return f"?{result.urlencode()}"


#: The summary chips and the filter each one sets (key, value).
CHIPS = {
    "red": ("rag", "red"),
    "amber": ("rag", "amber"),
    "green": ("rag", "green"),
    "unrated": ("rag", "none"),
    "worse": ("flag", "worse"),
    "missing": ("flag", "missing"),
    "decision": ("flag", "decision"),
    "closed": ("state", "closed"),
    "cancelled": ("state", "cancelled"),
}


def _chips(query: QueryDict) -> dict[str, dict[str, Any]]:
    return {
        name: {"href": _link(query, key, value), "active": query.get(key) == value}
        for name, (key, value) in CHIPS.items()
    }


def _default_scope(request: HttpRequest, user: User) -> str:
    """Where a bare visit goes: the session's last choice, else "Mine" for a project
    manager who manages a project; "" for the whole list."""
    remembered = request.session.get(SCOPE_KEY, "")
    if remembered == "all":
        return ""
    if remembered == "mine" or user.role == Role.PROJECT_MANAGER:
        return "mine" if selectors.manages_projects(user) else ""
    return ""


def _empty_state(user: User, filters: dict[str, Any]) -> dict[str, Any]:
    """What an empty list says and what to do next: no project at all yet (the PMO creates
    one; others ask the PMO), none this user may see, or none matching the filters. A user
    linked to no person is told so whenever it explains the emptiness (no "My projects", and
    a viewer sees the projects of their person's org unit)."""
    visible = visible_projects(user).exists()
    return {
        "none_yet": not visible and not Project.objects.exists(),
        "none_visible": not visible,
        "no_person": not Person.objects.filter(user=user).exists()
        and (not visible or filters.get("scope") == "mine"),
        "reads_unit": not user.reads_whole_portfolio,
    }


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """The status center: every visible project with its status; htmx swaps the table only."""
    user = user_of(request)
    htmx = request.htmx  # type: ignore[attr-defined]
    if not request.GET and not htmx and (scope := _default_scope(request, user)):
        return redirect(f"{reverse('portfolio:project_list')}?scope={scope}")
    form, filters = filters_of(request.GET)
    if filters.get("scope") and request.session.get(SCOPE_KEY) != filters["scope"]:
        request.session[SCOPE_KEY] = filters["scope"]
    qs = selectors.status_center(user, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    page.object_list = rows
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    # no state chosen lists the running projects; the summary still counts the ended ones
    # (their chips lead to them)
    summary_qs = (
        selectors.status_center(user, {**filters, "state": "all"})
        if not (form.is_bound and form.cleaned_data.get("state"))
        else qs
    )
    missing = [p for p in rows if getattr(p, "missing", False)]  # annotate_status's flag
    empty = _empty_state(user, filters) if not rows else None
    context = {
        "as_of": today,
        "due_week": due_period(today, "weekly", settings.PMO_REPORT_GRACE_DAYS).key,
        "form": form,
        "page": page,
        "regions": selectors.region_names(),
        "query": query.urlencode(),
        "sort": filters.get("sort") or "code",
        "scope": filters.get("scope") or "",
        "can_create": can_create_project(user),
        "can_remind": user.is_pmo,
        "remindable": selectors.remindable_count(qs, today) if user.is_pmo else 0,
        "reminders": selectors.reminders_shown(missing, today) if missing else {},
        "summary": selectors.status_summary(summary_qs),
        "chips": _chips(request.GET),
        "columns": registry.columns,
        "empty": empty,
    }
    if htmx:
        return render(request, "portfolio/partials/_project_table.html", context)
    context["choices"] = choices = selectors.filter_choices(user)
    # "Mine" is offered to whoever manages a project of the list's managers (no query more)
    if context["scope"] or any(m.user_id == user.pk for m in choices["managers"]):
        context["scope_links"] = {
            "mine": _link(request.GET, "scope", "mine", toggle=False),
            "all": _link(request.GET, "scope", "all", toggle=False),
        }
    return render(request, "portfolio/project_list.html", context)


@login_required
def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current status-center view as XLSX or CSV (the list's filters and defaults)."""
    if fmt not in exports.FORMATS:
        raise Http404(f"unknown export format {fmt!r}")
    _form, filters = filters_of(request.GET)
    qs = selectors.status_center(user_of(request), filters)
    return exports.export_projects(qs, fmt, regions=selectors.region_names())


@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A project's facts, status history, latest report, milestones, RAID log and audit trail."""
    project = _project_or_404(request, code)
    page = selectors.get_project_page(project)
    latest = page.history[-1] if page.history else None
    context = {
        "project": project,
        "p": page,
        "latest": latest,
        "audit": shown_events(page.audit),
        "dimensions": list(DIMENSION_LABELS.items()),
        "heat_rows": [
            {
                "impact": i,
                "cells": [
                    {"p": p, "score": p * i, "count": page.heat[i - 1][p - 1]} for p in range(1, 6)
                ],
            }
            for i in range(5, 0, -1)
        ],
        "can_edit": can_edit_project(user_of(request), project),
        "panels": [
            {"template": panel.template, **panel.context(project, user_of(request))}
            for panel in registry.panels
        ],
    }
    return render(request, "portfolio/project_detail.html", context)


@login_required
def rag_history_chart(request: HttpRequest, code: str) -> HttpResponse:
    """SVG chart of RAG per dimension over the reporting periods."""
    project = _project_or_404(request, code)
    history = list(
        selectors.list_status_reports(project, include_drafts=False).filter(is_current=True)
    )
    svg = charts.rag_history_svg(sorted(history, key=lambda r: r.period_end))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response
