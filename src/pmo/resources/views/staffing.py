"""Staffing: a project's allocations in the current plan or a scenario, and the page
that changes or removes one allocation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, NotFoundError
from pmo.core.forms import add_service_error
from pmo.core.http import posted_version, refuse_unless
from pmo.core.sentences import join_sentences
from pmo.portfolio.access import can_edit_project, get_visible_project
from pmo.resources import costs, selectors, services
from pmo.resources.access import can_manage_resources
from pmo.resources.forms import AllocationForm, allocation_data, resource_picker
from pmo.resources.views.common import _scenario, _viewer, _with_costs

__all__ = [
    "FormInvalid",
    "allocation_edit",
    "project_staffing",
    "scenario_allocation_edit",
    "scenario_staffing",
]


def _staffing_project(request: HttpRequest, code: str) -> Any:
    _viewer(request)
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


@login_required
def project_staffing(request: HttpRequest, code: str) -> HttpResponse:
    """Who works on a project, when and how much; add, commit, change or remove allocations.

    Resource managers allocate and commit; the project's manager proposes (the services
    decide: a refused change comes back as a message).
    """
    return _staffing(request, code, None)


@login_required
def scenario_staffing(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's allocations in a scenario (``?project=CODE``): the what-ifs a project
    shift cannot express — move demand to another pool, change FTE or dates of one row, add
    a contractor. Resource managers and PMO members, in a draft scenario."""
    scenario = _scenario(request, str(pk))
    code = request.GET.get("project") or request.POST.get("project") or ""
    if not code:
        messages.error(request, _("Choose a project."))
        return redirect("resources:scenario_detail", pk=pk)
    return _staffing(request, code, scenario)


def refuse_planner(
    request: HttpRequest, project: Any, scenario: Any, allowed: bool
) -> HttpResponse | None:
    """The answer of the staffing edit pages to someone who may not plan ``project``'s
    staffing (in ``scenario``): a visit goes back to its staffing page with a message, a
    post is a 403 (:func:`pmo.core.http.refuse_unless`)."""
    message = (
        _("Only resource managers and the project's manager may change its staffing.")
        if scenario is None
        else _("Only resource managers may change a draft scenario.")
    )
    return refuse_unless(request, allowed, message, _staffing_url(project, scenario))


def _staffing_url(project: Any, scenario: Any) -> str:
    if scenario is None:
        return reverse("resources:project_staffing", args=[project.code])
    url = reverse("resources:scenario_staffing", args=[scenario.pk])
    return f"{url}?{urlencode({'project': project.code})}"


def _staffing(request: HttpRequest, code: str, scenario: Any) -> HttpResponse:
    project = _staffing_project(request, code)
    user = user_of(request)
    manager = can_manage_resources(user)
    if scenario is None:
        may_plan = manager or can_edit_project(user, project)
    else:
        may_plan = manager and scenario.state == "draft"
    ended = selectors.ended_on(project)
    today = timezone.localdate()
    form = AllocationForm(initial={"first": today, "fte": 1, "status": "proposed"})
    status = 200
    if request.method == "POST":
        refuse_planner(request, project, scenario, may_plan)  # a post: the 403
        form = AllocationForm(request.POST)
        if form.is_valid():
            try:
                services.create_allocation(
                    actor=user,
                    data={**allocation_data(form), "project_id": project.pk},
                    scenario=scenario,
                )
            except DomainError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Allocation added."))
                return redirect(_staffing_url(project, scenario))
        # the page again, with what was typed and each error at its field
        status = 422
        errors = form.non_field_errors()
        messages.error(
            request,
            join_sentences(errors)
            if errors and ended is not None
            else _("The allocation was not added: correct the form below."),
        )
    allocations = _with_costs(
        selectors.list_allocations(
            project_id=project.pk, scenario_id=scenario.pk if scenario else None
        )
    )
    return render(
        request,
        "resources/project_staffing.html",
        {
            "project": project,
            "scenario": scenario,
            "allocations": allocations,
            "cost_totals": costs.totals(a.planned for a in allocations),
            "may_plan": may_plan,
            "may_commit": manager,
            "ended_on": ended,
            "ended_text": selectors.ended_text(project, ended) if ended else "",
            "form": form,
            "resource_picker": resource_picker(form),
            "today": today,
        },
        status=status,
    )


@login_required
def allocation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one allocation of the current plan (dates, FTE, status, note) or remove it."""
    _viewer(request)
    return _allocation_edit(request, _allocation(pk, None), None)


@login_required
def scenario_allocation_edit(request: HttpRequest, pk: int, allocation: int) -> HttpResponse:
    """Change or remove one allocation of a draft scenario (resource, dates, FTE, ...)."""
    _viewer(request)
    scenario = _scenario(request, str(pk))
    return _allocation_edit(request, _allocation(allocation, scenario), scenario)


def _allocation_edit(request: HttpRequest, allocation: Any, scenario: Any) -> HttpResponse:
    user = user_of(request)
    project = _staffing_project(request, allocation.project.code)
    may = can_manage_resources(user) or (scenario is None and can_edit_project(user, project))
    if (refused := refuse_planner(request, project, scenario, may)) is not None:
        return refused
    here = request.get_full_path()
    form = AllocationForm(
        initial={
            "resource": allocation.resource_id,
            "first": allocation.first,
            "last": allocation.last,
            "fte": allocation.fte,
            "status": allocation.status,
            "note": allocation.note,
        }
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            version = posted_version(request) or 0
            if action == "delete":
                services.delete_allocation(actor=user, allocation=allocation, version=version)
                messages.success(request, _("Allocation removed."))
            elif action == "commit":
                services.update_allocation(
                    actor=user,
                    allocation=allocation,
                    data={"status": "committed"},
                    version=version,
                )
                messages.success(request, _("Allocation committed."))
            else:
                form = AllocationForm(request.POST)
                if not form.is_valid():
                    raise FormInvalid
                services.update_allocation(
                    actor=user, allocation=allocation, data=allocation_data(form), version=version
                )
                messages.success(request, _("Allocation saved."))
        except FormInvalid:
            status = 422
            messages.error(request, _("The allocation was not saved: correct the form below."))
        except DomainError as exc:
            if action in ("delete", "commit") or not form.is_bound:
                # refused before the form was read (a damaged version): say so, page again
                messages.error(request, exc.message)
                return redirect(here)
            add_service_error(form, exc)
            status = 422
            messages.error(request, _("The allocation was not saved: correct the form below."))
        else:
            return redirect(_staffing_url(project, scenario))
    ended = selectors.ended_on(project)
    return render(
        request,
        "resources/allocation_edit.html",
        {
            "project": project,
            "scenario": scenario,
            "staffing_url": _staffing_url(project, scenario),
            "allocation": allocation,
            "form": form,
            "ended_text": selectors.ended_text(project, ended) if ended else "",
            "may_commit": can_manage_resources(user),
            "resource_picker": resource_picker(form),
        },
        status=status,
    )


class FormInvalid(Exception):
    """The allocation form did not validate (its errors are on the form)."""


def _allocation(pk: int, scenario: Any) -> Any:
    allocation = (
        selectors.list_allocations(scenario_id=scenario.pk if scenario else None)
        .filter(pk=pk)
        .select_related("project", "resource")
        .first()
    )
    if allocation is None:
        raise Http404("no such allocation in this plan")
    return allocation
