"""The role catalogue: its list (with how many resources each role has and their standing
FTE), a role's form (a rename reaches every resource of the role), merging a role into
another and deleting an unused one. Capacity viewers read the list; the PMO and resource
managers change it (:mod:`pmo.resources.services.roles` does the writing)."""

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
from pmo.core.errors import ConflictError, DomainError, NotFoundError
from pmo.core.forms import add_service_error
from pmo.core.http import posted_version
from pmo.core.sentences import quoted
from pmo.portfolio.forms import carry_opened
from pmo.portfolio.views.common import save_new, save_versioned
from pmo.resources import selectors, services
from pmo.resources.access import can_manage_resources, can_view_capacity
from pmo.resources.forms import RoleForm, RoleMergeForm
from pmo.resources.models import Resource, Role
from pmo.resources.views.common import _viewer, last_saved, refuse_non_manager, theirs_and_yours

__all__ = ["role_delete", "role_form", "role_list", "role_merge"]


@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """The role catalogue; managers add, change, merge and delete roles from here."""
    _viewer(request)
    roles = list(selectors.catalogue_roles())
    alike = selectors.look_alike_roles(roles)
    for role in roles:
        role.alike = alike.get(role.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "resources/role_list.html",
        {"roles": roles, "can_manage": can_manage_resources(user_of(request))},
    )


def _role_or_404(pk: int) -> Role:
    try:
        return services.get_role(pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def _data(form: RoleForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.ROLE_FIELDS}


@login_required
def role_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a role, or change one (version-checked; a new name or Chinese name reaches every
    resource of the role); PMO and resource managers only."""
    user = user_of(request)
    if not can_view_capacity(user):  # may not even read the catalogue: the 403 page
        raise PermissionDenied(_("only the PMO and resource managers change roles"))
    role = _role_or_404(pk) if pk is not None else None
    if (refused := refuse_non_manager(request, reverse("resources:role_list"))) is not None:
        return refused
    if role is None:
        form = RoleForm(request.POST or None)
        made: list[Role] = []
        status = save_new(
            request,
            form,
            lambda: made.append(services.create_role(actor=user, data=_data(form))),
        )
        if status is None:
            messages.success(
                request, _("Role %(role)s added to the catalogue.") % {"role": quoted(made[0].name)}
            )
            return redirect("resources:role_list")
        return render(
            request, "resources/role_form.html", {"form": form, "role": None}, status=status
        )
    form = RoleForm(
        request.POST or None,
        initial={"name": role.name, "name_zh": role.name_zh, "description": role.description},
    )
    result = save_versioned(
        request,
        form,
        role.version,
        lambda version: services.update_role(
            actor=user, role=role, data=_data(form), version=version
        ),
        lambda: services.get_role(role.pk),
    )
    if result.saved:
        messages.success(request, _("Saved."))
        return redirect("resources:role_list")
    return _edit_page(
        request,
        _role_or_404(role.pk),  # as saved: the heading and the merge form are about it
        form,
        RoleMergeForm(role=role),
        version=result.version,
        status=result.status,
        meanwhile=theirs_and_yours(form, result.meanwhile),
        taken=result.taken,
        saved_by=last_saved(role) if result.status == 409 else "",
    )


def _edit_page(
    request: HttpRequest,
    role: Role,
    form: RoleForm,
    merge_form: RoleMergeForm,
    *,
    version: Any,
    status: int = 200,
    **more: Any,
) -> HttpResponse:
    """A role's edit page: its form, how many resources a change reaches, the merge form."""
    return render(
        request,
        "resources/role_form.html",
        {
            "form": form,
            "merge_form": merge_form,
            "role": role,
            "version": version,
            "resource_count": Resource.objects.filter(role=role.name).count(),
            **more,
        },
        status=status,
    )


@login_required
@require_POST
def role_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a role no resource has; one with resources stays, and the message says why."""
    refuse_non_manager(request, reverse("resources:role_list"))  # a post: the 403
    role = Role.objects.filter(pk=pk).first()
    if role is None:  # deleted or merged by someone else meanwhile
        messages.info(request, _("That role was removed from the catalogue already."))
        return redirect("resources:role_list")
    try:
        services.delete_role(actor=user_of(request), role=role)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Role %(role)s deleted from the catalogue.") % {"role": quoted(role.name)}
        )
    return redirect("resources:role_list")


@login_required
@require_POST
def role_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a role into another (version-checked): its resources move there and it is
    deleted. A refusal shows the role's edit page again with the reason at the merge form."""
    user = user_of(request)
    refuse_non_manager(request, reverse("resources:role_list"))  # a post: the 403
    role = _role_or_404(pk)
    merge_form = RoleMergeForm(request.POST, role=role)
    status = 422
    if merge_form.is_valid():
        into = merge_form.cleaned_data["into"]
        try:
            services.merge_role(actor=user, role=role, into=into, version=posted_version(request))
        except ConflictError as exc:
            # changed since the page was opened (renamed, say): shown again as it is now, to
            # merge knowingly
            merge_form.add_error(None, exc.message)
            status = 409
        except DomainError as exc:
            add_service_error(merge_form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("Role %(role)s merged into %(into)s; its resources have role %(into)s now.")
                % {"role": quoted(role.name), "into": quoted(into.name)},
            )
            return redirect("resources:role_list")
    form = RoleForm(
        initial={"name": role.name, "name_zh": role.name_zh, "description": role.description}
    )
    carry_opened(form)  # as the edit page's own form: a later stale save can tell changes
    return _edit_page(request, role, form, merge_form, version=role.version, status=status)
