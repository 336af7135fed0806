"""Status reports: writing one, reading it, submitting it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, ValidationFailed
from pmo.core.http import posted_version, refuse_unless
from pmo.portfolio import services
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.forms import StatusReportForm
from pmo.portfolio.models import (
    DIMENSION_LABELS,
    RAG_DIMENSIONS,
    Project,
    ReportState,
    StatusReport,
)
from pmo.portfolio.periods import due_period, period_of
from pmo.portfolio.views.common import _project_or_404


def _refuse_reader(
    request: HttpRequest, project: Project, back: str | None = None
) -> HttpResponse | None:
    """``None`` when the user may report on ``project``; otherwise a visit goes back to
    ``back`` (the project page) with a message and a post is a 403, before anything posted is
    looked at (:func:`pmo.core.http.refuse_unless`)."""
    return refuse_unless(
        request,
        can_edit_project(user_of(request), project),
        _("You may read this project but not report on it."),
        back or reverse("portfolio:project_detail", kwargs={"code": project.code}),
    )


@login_required
def statusreport_create(request: HttpRequest, code: str) -> HttpResponse:
    """Write (or correct) the status report of a period; submit at once or keep a draft."""
    project = _project_or_404(request, code)
    if (refused := _refuse_reader(request, project)) is not None:
        return refused
    try:
        services.require_reporting(project)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portfolio:project_detail", code=project.code)
    today = timezone.localdate()
    if request.method == "POST":
        draft = request.POST.get("action") == "draft"
        form = StatusReportForm(request.POST, project=project, today=today, draft=draft)

        def create(data: dict[str, Any]) -> StatusReport:
            return services.create_status_report(
                actor=user_of(request),
                project=project,
                period=data.pop("period"),
                data=data,
                submit=not draft,
            )

        if (saved := _save(request, form, create)) is not None:
            return saved
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


def _report_data(form: StatusReportForm) -> dict[str, Any]:
    """The form's values for the service; a draft's empty % complete keeps what it was."""
    data = dict(form.cleaned_data)
    if data.get("percent_complete") is None:
        data.pop("percent_complete", None)
    return data


def _form_errors(form: StatusReportForm, exc: DomainError) -> None:
    """Show a service's refusal at the fields it names, else above the form."""
    if isinstance(exc, ValidationFailed):
        for error in exc.errors:
            field = error["field"] if error["field"] in form.fields else None
            form.add_error(field, error["message"])
    else:
        form.add_error(None, exc.message)


def _save(
    request: HttpRequest, form: StatusReportForm, save: Callable[[dict[str, Any]], StatusReport]
) -> HttpResponse | None:
    """Save a valid form with ``save`` and go back to the project, saying what was done; the
    form with the refusal at its fields (``None``) when it is not valid or the service says
    no."""
    if not form.is_valid():
        return None
    try:
        report = save(_report_data(form))
    except DomainError as exc:
        _form_errors(form, exc)
        return None
    _say_saved(request, report)
    return redirect("portfolio:project_detail", code=report.project.code)


def _say_saved(request: HttpRequest, report: StatusReport) -> None:
    if report.state == ReportState.SUBMITTED:
        messages.success(
            request, _("Status report %(period)s submitted.") % {"period": report.period}
        )
    else:
        messages.info(request, _("Draft saved for %(period)s.") % {"period": report.period})


@login_required
def statusreport_edit(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    """Edit a draft in the form it was written in: save it again (still incomplete, if need
    be) or submit it (then it must be complete). A submitted report is corrected by a new
    revision instead."""
    project = _project_or_404(request, code)
    report = StatusReport.objects.filter(project=project, pk=report_id).first()
    if report is None:
        raise Http404("no such report")
    detail = reverse(
        "portfolio:statusreport_detail", kwargs={"code": project.code, "report_id": report.pk}
    )
    if (refused := _refuse_reader(request, project, detail)) is not None:
        return refused
    if report.state != ReportState.DRAFT:
        return redirect("portfolio:statusreport_detail", code=project.code, report_id=report.pk)
    today = timezone.localdate()
    if request.method == "POST":
        draft = request.POST.get("action") == "draft"
        form = StatusReportForm(
            request.POST, project=project, today=today, draft=draft, report=report
        )

        def update(data: dict[str, Any]) -> StatusReport:
            data.pop("period")
            return services.update_status_report(
                actor=user_of(request),
                report=report,
                data=data,
                version=posted_version(request),
                submit=not draft,
            )

        if (saved := _save(request, form, update)) is not None:
            return saved
        shown_version = request.POST.get("version", "")
    else:
        initial = {name: getattr(report, name) for name in services.REPORT_FIELDS}
        form = StatusReportForm(initial=initial, project=project, today=today, report=report)
        shown_version = str(report.version)
    return render(
        request,
        "portfolio/statusreport_form.html",
        {"project": project, "form": form, "report": report, "version": shown_version},
    )


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
    if (refused := _refuse_reader(request, project)) is not None:
        return refused
    try:
        services.submit_status_report(actor=user_of(request), report=report, version=report.version)
    except ValidationFailed as exc:  # an incomplete draft: back to its form, to complete it
        messages.error(request, exc.message)
        if report.state == ReportState.DRAFT:
            return redirect("portfolio:statusreport_edit", code=project.code, report_id=report.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Status report %(period)s submitted.") % {"period": report.period}
        )
    return redirect("portfolio:project_detail", code=project.code)
