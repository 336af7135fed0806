"""A project's milestones added, and their forecast and actual dates kept, by the project manager
on the project page.

Milestones a project's plan drives take their dates from the plan (scheduling writes them at
every recompute): their page shows the dates read-only with a link to the plan, and the
service refuses to change them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.portfolio import services
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.forms import (
    MilestoneDatesForm,
    MilestoneForm,
)
from pmo.portfolio.models import Milestone, Project
from pmo.portfolio.views.common import _project_or_404, refuse_reader, save_new, save_versioned

__all__ = ["milestone_create", "milestone_edit"]


def _milestone_or_404(project: Project, milestone_id: int) -> Milestone:
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404("no such milestone in this project")
    return milestone


def _back(project: Project) -> str:
    return reverse("portfolio:project_detail", args=[project.code]) + "#milestones"


@login_required
def milestone_create(request: HttpRequest, code: str) -> HttpResponse:
    """Add a milestone (through the API's service, so with its checks). A project with a plan
    takes its milestones from the plan (an import replaces any added here): the page sends the
    manager to the plan with a message saying so, and adds nothing."""
    project = _project_or_404(request, code)
    user = user_of(request)
    if (refused := refuse_reader(request, project)) is not None:
        return refused
    plan_url = services.milestones_source(project)
    if plan_url is not None:
        messages.error(
            request,
            _(
                "This project's milestones come from its plan: add a milestone task in the plan. "
                "Importing the plan again would remove a milestone added on the project page."
            ),
        )
        return redirect(plan_url)
    form = MilestoneForm(request.POST or None)
    status = save_new(
        request,
        form,
        lambda: services.create_milestone(
            actor=user, project=project, data=dict(form.cleaned_data)
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect(_back(project))
    return render(
        request,
        "portfolio/milestone_form.html",
        {
            "project": project,
            "milestone": None,
            "form": form,
            "can_edit": True,
            "plan_url": None,
        },
        status=status,
    )


@login_required
def milestone_edit(request: HttpRequest, code: str, milestone_id: int) -> HttpResponse:
    """Change a milestone's forecast and actual dates (version-checked); read-only for those
    who may only read the project and for the milestones its plan drives."""
    project = _project_or_404(request, code)
    milestone = _milestone_or_404(project, milestone_id)
    user = user_of(request)
    editable = can_edit_project(user, project)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("You may read this project but not change it."))
    plan_url = services.driven_milestones(project).get(milestone.pk)
    initial = {"forecast_date": milestone.forecast_date, "actual_date": milestone.actual_date}
    form = MilestoneDatesForm(request.POST or None, initial=initial)
    if not editable or plan_url:
        for field in form.fields.values():
            field.disabled = True
    result = save_versioned(
        request,
        form,
        milestone.version,
        lambda version: services.update_milestone(
            actor=user, milestone=milestone, data=dict(form.cleaned_data), version=version
        ),
        lambda: _milestone_or_404(project, milestone_id),
    )
    if result.saved:
        messages.success(request, _("Saved."))
        return redirect(_back(project))
    return render(
        request,
        "portfolio/milestone_form.html",
        {
            "project": project,
            "milestone": milestone,
            "form": form,
            "version": result.version,
            "meanwhile": result.meanwhile,
            "taken": result.taken,
            "can_edit": editable,
            "plan_url": plan_url,
        },
        status=result.status,
    )
