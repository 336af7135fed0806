"""Upload and download of plans from the Gantt page (MS Project XML, XLSX)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, NotFoundError
from pmo.interop import services, xlsx
from pmo.interop.api import CONTENT_TYPES, SUFFIX
from pmo.interop.blank import blank_plan_xlsx
from pmo.interop.mspdi_read import MAX_BYTES
from pmo.portfolio.access import get_visible_project
from pmo.portfolio.models import Project
from pmo.portfolio.views.common import refuse_reader
from pmo.scheduling import selectors


def _project_or_404(request: HttpRequest, code: str) -> Project:
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


@login_required
@require_POST
def plan_import(request: HttpRequest, code: str) -> HttpResponse:
    """Replace the plan by an uploaded file (MS Project XML or XLSX, whichever it is); a bad
    file changes nothing and says why. Someone who may only read the project gets the 403
    page saying so, before the file is looked at (as every edit page answers them)."""
    project = _project_or_404(request, code)
    if (refused := refuse_reader(request, project)) is not None:
        return refused
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to import."))
    elif upload.size and upload.size > MAX_BYTES:
        messages.error(request, _("The file is too large."))
    else:
        try:
            # the file says what it is (a workbook is a ZIP, MS Project XML starts with "<"):
            # the form's format choice is not needed to read it
            result = services.import_upload(
                actor=user_of(request),
                project=project,
                content=upload.read(),
                filename=upload.name or "",
            )
        except DomainError as exc:
            messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": exc.message})
        else:
            messages.success(request, services.describe_import(result))
            for warning in result.warnings:  # dates far from the project's: stored all the same
                messages.warning(request, warning)
    return redirect("scheduling:plan_detail", code=code)


@login_required
def plan_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Download the plan as MS Project XML or XLSX."""
    project = _project_or_404(request, code)
    plan = selectors.get_plan(project)
    if plan is None or fmt not in CONTENT_TYPES:
        raise Http404("no plan")
    content = services.export_msproject(plan) if fmt == "msproject" else xlsx.write_xlsx(plan)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{code}-plan.{SUFFIX[fmt]}"'
    return response


@login_required
def plan_template(request: HttpRequest, code: str) -> HttpResponse:
    """A blank XLSX plan for the project (the template's layout, no tasks), to fill in and
    import on the plan page."""
    project = _project_or_404(request, code)
    response = HttpResponse(blank_plan_xlsx(project), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{code}-plan-template.xlsx"'
    return response
