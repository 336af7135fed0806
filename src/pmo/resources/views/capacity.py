"""A resource's capacity changes in the current plan, from its page: add one (leave, a
part-time period, a pool growing) or remove one.

The views only read the form and call the services the scenario's *Change capacity* form and
the API use (:func:`pmo.resources.services.add_capacity_change`,
:func:`~pmo.resources.services.delete_capacity_change`), so the rules are theirs: resource
managers and the PMO only, no two changes of one resource overlapping, every change audited.
A change to 0 FTE of at most two weeks is time off (ADR 0006).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import ConflictError, DomainError, NotFoundError
from pmo.core.forms import add_service_error
from pmo.core.http import posted_version
from pmo.core.models import as_id
from pmo.core.sentences import join_sentences
from pmo.resources import services
from pmo.resources.calendars import is_absence
from pmo.resources.forms import ReplaceOverlapForm, ResourceCapacityForm
from pmo.resources.models import CapacityChange, Resource, Scenario
from pmo.resources.services.capacity import (
    Carved,
    overlapping,
    plan_carve_out,
    remove_capacity_change,
)
from pmo.resources.views.common import _viewer, last_saved, refuse_non_manager

__all__ = [
    "carved_sentences",
    "resource_capacity_add",
    "resource_capacity_delete",
    "saved_message",
    "show_overlap",
]


def _resource(request: HttpRequest, pk: int) -> Resource:
    """The resource ``pk`` (404) for a user who may read capacity (viewers get the capacity
    pages' own 403)."""
    _viewer(request)
    try:
        return services.get_resource(pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def _refused(request: HttpRequest, pk: int) -> HttpResponse | None:
    """Someone who reads but does not manage capacity: a visit goes back to the resource, a
    post is a 403."""
    return refuse_non_manager(request, reverse("resources:resource_detail", args=[pk]))


def saved_message(resource: Resource, change: CapacityChange) -> str:
    """What saving ``change`` of ``resource`` says (time off, or the capacity set), on the
    resource's page and in a scenario alike."""
    values = {
        "name": resource.display_name,
        "first": change.first.isoformat(),
        "last": change.last.isoformat(),
        "fte": f"{Decimal(str(change.fte)).normalize():f}",  # 0.5, 12: no trailing zeros
    }
    if is_absence(change.fte, change.first, change.last):
        return _("Time off of %(name)s from %(first)s to %(last)s saved.") % values
    return _("Capacity of %(name)s from %(first)s to %(last)s set to %(fte)s FTE.") % values


def carved_sentences(carved: list[Carved]) -> list[str]:
    """What saving a change did to the changes it overlapped ("Shortened …", "Split …")."""
    return [c.sentence() for c in carved]


def show_overlap(
    form: ReplaceOverlapForm, resource: Resource, scenario: Scenario | None, typed: dict[str, Any]
) -> None:
    """After a refused save, the changes of ``resource`` the days ``typed`` (the form's
    cleaned data, read before an error at a field took its value out) overlap, which the form
    names beside its *Replace these days* box (none: no box), saying what ticking it does to
    each (:func:`plan_carve_out`, what the save with it would carve)."""
    first, last = typed.get("first"), typed.get("last")
    if first and last and first <= last:
        form.overlapping = overlapping(resource=resource, scenario=scenario, first=first, last=last)
        form.carve_plan = plan_carve_out(form.overlapping, first=first, last=last)


@login_required
def resource_capacity_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a capacity change of the current plan to a resource. The resource's page holds the
    form; a refused one comes back on its own page (422) with what was typed, each error at
    its field and the resource's changes (the one it overlaps among them)."""
    resource = _resource(request, pk)
    if (refused := _refused(request, pk)) is not None:
        return refused
    form = ResourceCapacityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        typed: dict[str, Any] = {}
        if form.is_valid():
            data = typed = dict(form.cleaned_data)
            carved: list[Carved] = []
            try:
                change = services.add_capacity_change(
                    actor=user_of(request),
                    resource=resource,
                    first=data["first"],
                    last=data["last"],
                    fte=data["fte"],
                    reason=data["reason"],
                    replace_overlap=data["replace_overlap"],
                    seen=data["seen"],
                    carved=carved,
                )
            except ConflictError as exc:
                add_service_error(form, exc)
                status = 409
            except DomainError as exc:
                add_service_error(form, exc)
            else:
                said = [saved_message(resource, change), *carved_sentences(carved)]
                messages.success(request, join_sentences(said))
                return redirect("resources:resource_detail", pk=resource.pk)
        status = status if status == 409 else 422
        show_overlap(form, resource, None, typed)
    return render(
        request,
        "resources/resource_capacity.html",
        # the changes a refused one may overlap, each with its Remove
        {"resource": resource, "form": form, "changes": resource.changes.filter(scenario=None)},
        status=status,
    )


@login_required
@require_POST
def resource_capacity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the resource's capacity changes in the current plan (its standing
    capacity applies again on those days); a scenario's changes are changed in the scenario."""
    resource = _resource(request, pk)
    if (refused := _refused(request, pk)) is not None:
        return refused
    change_id = as_id(request.POST.get("change"))
    change = (
        CapacityChange.objects.filter(pk=change_id, resource=resource, scenario=None).first()
        if change_id is not None
        else None
    )
    if change is None:
        messages.error(request, _("That capacity change no longer exists: nothing was removed."))
        return redirect("resources:resource_detail", pk=resource.pk)
    try:
        # of the version the page showed: one changed since is not removed unseen (issue #6)
        remove_capacity_change(
            actor=user_of(request), change=change, version=posted_version(request)
        )
    except ConflictError as exc:
        if exc.current_version is None:
            messages.error(request, exc.message)
        else:
            change.refresh_from_db()
            messages.error(
                request,
                join_sentences(
                    [
                        _(
                            "This capacity change was changed since you opened the page: "
                            "nothing was removed. It is %(first)s to %(last)s, %(fte)s FTE now; "
                            "remove it again if it should still go."
                        )
                        % {
                            "first": change.first.isoformat(),
                            "last": change.last.isoformat(),
                            "fte": f"{change.fte.normalize():f}",
                        },
                        last_saved(change),
                    ]
                ),
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Capacity change from %(first)s to %(last)s removed.")
            % {"first": change.first.isoformat(), "last": change.last.isoformat()},
        )
    return redirect("resources:resource_detail", pk=resource.pk)
