"""The status center's list of projects (with its exports) and a project's page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pmo.accounts.models import user_of
from pmo.audit.display import shown_events
from pmo.portfolio import charts, exports, selectors
from pmo.portfolio.access import can_create_project, can_edit_project
from pmo.portfolio.extensions import registry
from pmo.portfolio.filters import ProjectFilterForm
from pmo.portfolio.models import (
    DIMENSION_LABELS,
)
from pmo.portfolio.periods import due_period
from pmo.portfolio.views.common import _project_or_404

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> tuple[ProjectFilterForm, dict[str, Any]]:
    form = ProjectFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # an invalid value drops only its own filter, not every filter
        return form, form.cleaned_data
    return form, {}


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """The status center: every visible project with its status; htmx swaps the table only."""
    form, filters = _filters(request)
    qs = selectors.status_center(user_of(request), filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    context = {
        "as_of": today,
        "due_week": due_period(today, "weekly", settings.PMO_REPORT_GRACE_DAYS).key,
        "form": form,
        "page": page,
        "regions": selectors.region_names(),
        "query": query.urlencode(),
        "sort": filters.get("sort") or "code",
        "can_create": can_create_project(user_of(request)),
        "summary": selectors.status_summary(qs),
        "columns": registry.columns,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "portfolio/partials/_project_table.html", context)
    context["choices"] = selectors.filter_choices(user_of(request))
    return render(request, "portfolio/project_list.html", context)


@login_required
def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current status-center view as XLSX or CSV."""
    if fmt not in exports.FORMATS:
        raise Http404(f"unknown export format {fmt!r}")
    _form, filters = _filters(request)
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
