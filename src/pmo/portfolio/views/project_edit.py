"""A new project opened, and a project's own fields changed, on web pages: thin over the
services the API calls (``create_project`` / ``update_project``), so the checks, the defaults
(the baseline finish copied from the planned finish) and the audit trail are the API's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.portfolio import services
from pmo.portfolio.access import can_create_project
from pmo.portfolio.models import Project
from pmo.portfolio.project_forms import ProjectForm, project_data
from pmo.portfolio.views.common import _project_or_404, refuse_reader, save_new, save_versioned

__all__ = ["project_create", "project_edit"]


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    """Open a new project (the PMO). Others are sent back to the status center with a message
    (a post is a 403, as the API's)."""
    user = user_of(request)
    if not can_create_project(user):
        if request.method == "POST":
            raise PermissionDenied(_("Only the PMO may create projects."))
        messages.error(request, _("Only the PMO may create projects."))
        return redirect("portfolio:project_list")
    form = ProjectForm(request.POST or None)
    created: list[Project] = []
    status = save_new(
        request,
        form,
        lambda: created.append(services.create_project(actor=user, data=project_data(form))),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("portfolio:project_detail", code=created[0].code)
    return render(
        request,
        "portfolio/project_form.html",
        {
            "project": None,
            "form": form,
            "can_edit": True,
            "missing": form.missing_references(),
            "is_admin": user.is_pmo_admin,
        },
        status=status,
    )


@login_required
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a project's own fields (version-checked); a project manager changes those the
    API lets them, and sees the PMO's fields disabled. Someone who may only read the project
    is sent back to it with a message (a post is a 403)."""
    project = _project_or_404(request, code)
    user = user_of(request)
    if (refused := refuse_reader(request, project)) is not None:
        return refused
    form = ProjectForm(request.POST or None, project=project, pmo=user.is_pmo)
    saved: list[Project] = []
    result = save_versioned(
        request,
        form,
        project.version,
        lambda version: saved.append(
            services.update_project(
                actor=user, project=project, data=project_data(form), version=version
            )
        ),
        lambda: Project.objects.select_related("manager", "sponsor").get(pk=project.pk),
    )
    if result.saved:
        messages.success(request, _("Saved."))
        return redirect("portfolio:project_detail", code=saved[0].code)  # the PMO may recode
    return render(
        request,
        "portfolio/project_form.html",
        {
            "project": project,
            "form": form,
            "version": result.version,
            "meanwhile": result.meanwhile,
            "taken": result.taken,
            "can_edit": True,
            "pmo": user.is_pmo,
            "missing": [],
        },
        status=result.status,
    )
