"""The RAID log's forms: risks, assumptions, issues, actions, decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError
from pmo.portfolio import services
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.forms import raid_form_class
from pmo.portfolio.raid import RAID_MODELS
from pmo.portfolio.views.common import _project_or_404


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
