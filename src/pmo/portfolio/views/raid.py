"""The RAID log's forms: risks, assumptions, issues, actions, decisions — added, changed, and
closed or reopened from the project page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError
from pmo.core.http import posted_version
from pmo.portfolio import services
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.forms import (
    raid_data,
    raid_form_class,
)
from pmo.portfolio.models import Project
from pmo.portfolio.raid import RAID_MODELS, Decision, RaidItem, RaidStatus
from pmo.portfolio.views.common import _project_or_404, refuse_reader, save_new, save_versioned

__all__ = ["raid_create", "raid_edit", "raid_status"]


def _kind_or_404(kind: str) -> type[RaidItem]:
    if kind not in RAID_MODELS:
        raise Http404("unknown RAID kind")
    return RAID_MODELS[kind]


def _item_or_404(project: Project, kind: str, item_id: int) -> RaidItem:
    item = (
        _kind_or_404(kind)
        ._default_manager.filter(project=project, pk=item_id)
        .select_related("owner")
        .first()
    )
    if item is None:
        raise Http404("no such RAID entry in this project")
    return item


def _back(project: Project, kind: str) -> str:
    return reverse("portfolio:project_detail", args=[project.code]) + f"#raid-{kind}"


def decided_by_suggestions(project: Project) -> list[str]:
    """Names a decision of ``project`` is likely decided by: its sponsor, manager and program
    manager, and who decided its earlier decisions (a committee is text, not a person)."""
    people = [
        project.sponsor,
        project.manager,
        project.program.manager if project.program else None,
    ]
    names = [p.display_name for p in people if p is not None]
    names += (
        Decision.objects.filter(project=project)
        .exclude(decided_by="")
        .values_list("decided_by", flat=True)
    )
    return list(dict.fromkeys(names))


def _render(
    request: HttpRequest,
    project: Project,
    kind: str,
    form: Any,
    *,
    item: RaidItem | None = None,
    version: Any = None,
    meanwhile: list[tuple[str, str]] | None = None,
    taken: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portfolio/raid_form.html",
        {
            "project": project,
            "form": form,
            "kind": kind,
            "kind_label": RAID_MODELS[kind]._meta.verbose_name,
            "item": item,
            "version": version,
            "meanwhile": meanwhile or [],
            "taken": taken or [],
            "can_edit": can_edit_project(user_of(request), project),
            "back": _back(project, kind),
        },
        status=status,
    )


@login_required
def raid_create(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """Add a risk, issue, action, decision or assumption."""
    _kind_or_404(kind)
    project = _project_or_404(request, code)
    if (refused := refuse_reader(request, project)) is not None:
        return refused
    form_class = raid_form_class(kind)
    form = form_class(request.POST or None, suggestions=decided_by_suggestions(project))
    status = save_new(
        request,
        form,
        lambda: services.create_raid_item(
            actor=user_of(request), project=project, kind=kind, data=raid_data(form)
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect(_back(project, kind))
    return _render(request, project, kind, form, status=status)


@login_required
def raid_edit(request: HttpRequest, code: str, kind: str, item_id: int) -> HttpResponse:
    """Change a RAID entry (version-checked); people who may only read the project see it
    read-only (its description, mitigation or resolution are not in the project page's tables).

    A version clash (someone saved it since the form was opened) keeps what its user changed,
    takes what the other save changed in the fields they left, lists the fields both changed,
    and takes the current version: saving again overwrites knowingly.
    """
    project = _project_or_404(request, code)
    item = _item_or_404(project, kind, item_id)
    user = user_of(request)
    editable = can_edit_project(user, project)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("You may read this project but not change it."))
    form = raid_form_class(kind)(
        request.POST or None, instance=item, suggestions=decided_by_suggestions(project)
    )
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    result = save_versioned(
        request,
        form,
        item.version,
        lambda version: services.update_raid_item(
            actor=user, item=item, kind=kind, data=raid_data(form), version=version
        ),
        lambda: _item_or_404(project, kind, item_id),
    )
    if result.saved:
        messages.success(request, _("Saved."))
        return redirect(_back(project, kind))
    return _render(
        request,
        project,
        kind,
        form,
        item=item,
        version=result.version,
        meanwhile=result.meanwhile,
        taken=result.taken,
        status=result.status,
    )


@login_required
@require_POST
def raid_status(request: HttpRequest, code: str, kind: str, item_id: int) -> HttpResponse:
    """Close or reopen a RAID entry from the project page (version-checked)."""
    project = _project_or_404(request, code)
    item = _item_or_404(project, kind, item_id)
    if not can_edit_project(user_of(request), project):
        raise PermissionDenied(_("You may read this project but not change it."))
    wanted = request.POST.get("status", "")
    if wanted not in RaidStatus.values:
        messages.error(request, _("Choose open or closed."))
        return redirect(_back(project, kind))
    try:
        services.update_raid_item(
            actor=user_of(request),
            item=item,
            kind=kind,
            data={"status": wanted},
            version=posted_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = _("Closed: %(title)s") if wanted == RaidStatus.CLOSED else _("Reopened: %(title)s")
        messages.success(request, done % {"title": item.title})
    return redirect(_back(project, kind))
