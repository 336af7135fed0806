"""Web pages of the status center. Thin: read via selectors, write via services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.audit.display import shown_events
from pmo.core.errors import DomainError, NotFoundError, ValidationFailed
from pmo.portfolio import charts, exports, selectors, services
from pmo.portfolio.access import can_create_project, can_edit_project, get_visible_project
from pmo.portfolio.extensions import registry
from pmo.portfolio.filters import ProjectFilterForm
from pmo.portfolio.forms import StatusReportForm, raid_form_class
from pmo.portfolio.models import (
    DIMENSION_LABELS,
    RAG_DIMENSIONS,
    Project,
    ReportState,
    StatusReport,
)
from pmo.portfolio.periods import due_period, period_of
from pmo.portfolio.raid import RAID_MODELS

PAGE_SIZE = 50


def _project_or_404(request: HttpRequest, code: str) -> Any:
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


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


@login_required
def statusreport_create(request: HttpRequest, code: str) -> HttpResponse:
    """Write (or correct) the status report of a period; submit at once or keep a draft."""
    project = _project_or_404(request, code)
    if not can_edit_project(user_of(request), project):
        messages.error(request, _("You may read this project but not report on it."))
        return redirect("portfolio:project_detail", code=project.code)
    try:
        services.require_reporting(project)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portfolio:project_detail", code=project.code)
    today = timezone.localdate()
    if request.method == "POST":
        form = StatusReportForm(request.POST, project=project, today=today)
        if form.is_valid():
            data = dict(form.cleaned_data)
            period = data.pop("period")
            try:
                report = services.create_status_report(
                    actor=user_of(request),
                    project=project,
                    period=period,
                    data=data,
                    submit=request.POST.get("action") != "draft",
                )
            except ValidationFailed as exc:
                for error in exc.errors:
                    field = error["field"] if error["field"] in form.fields else None
                    form.add_error(field, error["message"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if report.state == ReportState.SUBMITTED:
                    messages.success(
                        request,
                        _("Status report %(period)s submitted.") % {"period": report.period},
                    )
                else:
                    messages.info(
                        request, _("Draft saved for %(period)s.") % {"period": report.period}
                    )
                return redirect("portfolio:project_detail", code=project.code)
    else:
        initial: dict[str, Any] = {
            "period": request.GET.get("period") or _next_period_to_report(project, today),
            "percent_complete": project.percent_complete,
            "forecast_finish": project.forecast_finish,
        }
        base = project.latest_report
        if base is not None:
            initial.update({name: getattr(base, name) for name in ("overall", *RAG_DIMENSIONS)})
            initial.update(
                {f"{n}_reason": getattr(base, f"{n}_reason") for n in ("overall", *RAG_DIMENSIONS)}
            )
        form = StatusReportForm(initial=initial, project=project, today=today)
    return render(request, "portfolio/statusreport_form.html", {"project": project, "form": form})


def _next_period_to_report(project: Project, today: dt.date) -> str:
    """The period the form offers: the last one ended, unless it has its report already; then
    the period under way (offering a reported period made "Submit" write a correction)."""
    ended = due_period(today, project.cadence, 0)
    if project.reports.filter(period=ended.key).exclude(state=ReportState.DRAFT).exists():
        return period_of(today, project.cadence).key
    return ended.key


@login_required
def statusreport_detail(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    """One report (any revision)."""
    project = _project_or_404(request, code)
    report = (
        StatusReport.objects.filter(project=project, pk=report_id).select_related("author").first()
    )
    if report is None:
        raise Http404("no such report")
    return render(
        request,
        "portfolio/statusreport_detail.html",
        {
            "project": project,
            "report": report,
            "dimensions": list(DIMENSION_LABELS.items()),
            "can_edit": can_edit_project(user_of(request), project),
        },
    )


@login_required
@require_POST
def statusreport_submit(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    """Submit a draft."""
    project = _project_or_404(request, code)
    report = StatusReport.objects.filter(project=project, pk=report_id).first()
    if report is None:
        raise Http404("no such report")
    try:
        services.submit_status_report(actor=user_of(request), report=report, version=report.version)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Status report %(period)s submitted.") % {"period": report.period}
        )
    return redirect("portfolio:project_detail", code=project.code)


@login_required
def raid_create(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """Add a risk, issue, action, decision or assumption."""
    if kind not in RAID_MODELS:
        raise Http404("unknown RAID kind")
    project = _project_or_404(request, code)
    if not can_edit_project(user_of(request), project):
        messages.error(request, _("You may read this project but not change it."))
        return redirect("portfolio:project_detail", code=project.code)
    form_class = raid_form_class(kind)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_raid_item(
                actor=user_of(request), project=project, kind=kind, data=form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(
                reverse("portfolio:project_detail", args=[project.code]) + f"#raid-{kind}"
            )
    return render(
        request,
        "portfolio/raid_form.html",
        {
            "project": project,
            "form": form,
            "kind": kind,
            "kind_label": RAID_MODELS[kind]._meta.verbose_name,
        },
    )
