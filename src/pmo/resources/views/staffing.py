"""Staffing: a project's allocations in the current plan or a scenario, and the page
that changes or removes one allocation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.audit.display import actor_name
from pmo.audit.last import last_change
from pmo.audit.models import AuditAction, AuditEvent
from pmo.core.errors import DomainError, NotFoundError
from pmo.core.forms import add_service_error
from pmo.core.http import posted_version, query_date, refuse_unless
from pmo.core.models import as_id
from pmo.core.sentences import join_sentences
from pmo.portfolio.access import can_edit_project, get_visible_project
from pmo.portfolio.forms import stale_message
from pmo.portfolio.models import Project
from pmo.portfolio.views.common import save_versioned
from pmo.resources import calendars, costs, selectors, services
from pmo.resources.access import can_manage_resources
from pmo.resources.forms import AllocationForm, allocation_data, resource_picker
from pmo.resources.heatmap.requests import pending_requests
from pmo.resources.lookup import resource_label
from pmo.resources.models import Allocation, AllocationStatus, Resource
from pmo.resources.views.common import (
    _scenario,
    _viewer,
    _with_costs,
    assumed_in,
    last_saved,
    mark_counted_twice,
    theirs_and_yours,
)

__all__ = [
    "FormInvalid",
    "allocation_edit",
    "may_plan_staffing",
    "project_staffing",
    "scenario_allocation_edit",
    "scenario_staffing",
    "staffing_url",
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
    _viewer(request)
    scenario = _scenario_or_404(request, pk)
    if request.method == "POST":
        # someone who may not plan this scenario: the 403, before the post's project is
        # looked at (one naming none went back to the scenario as if merely incomplete)
        refuse_unless(
            request,
            may_plan_staffing(user_of(request), None, scenario),
            _("Only resource managers may change a draft scenario."),
            reverse("resources:scenario_detail", args=[scenario.pk]),
        )
    code = request.GET.get("project") or request.POST.get("project") or ""
    if not code:
        messages.error(request, _("Choose a project."))
        return redirect("resources:scenario_detail", pk=pk)
    return _staffing(request, code, scenario)


def _scenario_or_404(request: HttpRequest, pk: int) -> Any:
    """The scenario of a scenario page's URL; a key no scenario can have is a 404 (not the
    current plan, which ``None`` stands for on the shared staffing pages)."""
    scenario = _scenario(request, str(pk))
    if scenario is None:
        raise Http404("no such scenario")
    return scenario


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
    return refuse_unless(request, allowed, message, staffing_url(project, scenario))


def staffing_url(project: Any, scenario: Any) -> str:
    if scenario is None:
        return reverse("resources:project_staffing", args=[project.code])
    url = reverse("resources:scenario_staffing", args=[scenario.pk])
    return f"{url}?{urlencode({'project': project.code})}"


def _staffing(request: HttpRequest, code: str, scenario: Any) -> HttpResponse:
    project = _staffing_project(request, code)
    user = user_of(request)
    may_plan = may_plan_staffing(user, project, scenario)
    today = timezone.localdate()
    form = AllocationForm(
        initial={"first": today, "fte": 1, "status": "proposed", **_prefilled(request)}
    )
    status = 200
    if request.method == "POST":
        refuse_planner(request, project, scenario, may_plan)  # a post: the 403
        form = AllocationForm(request.POST)
        if form.is_valid():
            try:
                added = services.create_allocation(
                    actor=user,
                    data={**allocation_data(form), "project_id": project.pk},
                    scenario=scenario,
                )
            except DomainError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Allocation added."))
                _warn(request, added)
                return redirect(staffing_url(project, scenario))
        # the page again, with what was typed and each error at its field
        status = 422
        errors = form.non_field_errors()
        messages.error(
            request,
            join_sentences(errors)
            if errors and selectors.ended_on(project) is not None
            else _("The allocation was not added: correct the form below."),
        )
    return _staffing_page(request, project, scenario, form, status)


def _prefilled(request: HttpRequest) -> dict[str, Any]:
    """What the query fills the add form with (``resource``, ``first``, ``last``, ``fte``:
    the "Who is free?" page's Allocate); values that are not what they should be are left
    out, the form's defaults stay."""
    values: dict[str, Any] = {}
    if (pk := as_id(request.GET.get("resource"))) is not None:
        values["resource"] = pk
    for name in ("first", "last"):
        if (day := query_date(request.GET.get(name), dt.date.min)) != dt.date.min:
            values[name] = day
    try:
        fte = Decimal(request.GET.get("fte", ""))
    except ArithmeticError:
        fte = None
    if fte is not None and fte.is_finite() and 0 < fte <= Decimal("99999.99"):
        values["fte"] = fte
    return values


def may_plan_staffing(user: Any, project: Any, scenario: Any) -> bool:
    if scenario is None:
        return can_manage_resources(user) or can_edit_project(user, project)
    return can_manage_resources(user) and scenario.state == "draft"


def _staffing_page(
    request: HttpRequest, project: Any, scenario: Any, form: AllocationForm, status: int
) -> HttpResponse:
    """The staffing page of ``project`` (in ``scenario``), its add form being ``form``."""
    user = user_of(request)
    ended = selectors.ended_on(project)
    overrides = calendars.load_overrides()
    allocations = _with_costs(
        selectors.list_allocations(
            project_id=project.pk, scenario_id=scenario.pk if scenario else None
        ),
        overrides,
    )
    twice = mark_counted_twice(allocations)
    if scenario is None and any(a.status == AllocationStatus.PROPOSED for a in allocations):
        # each proposal with whether it fits, as the requests page says
        found = pending_requests(project_id=project.pk, overrides=overrides, asked=False)
        judged = {r.allocation.pk: r for r in found.rows}
        for allocation in allocations:
            allocation.request = judged.get(allocation.pk)
    return render(
        request,
        "resources/project_staffing.html",
        {
            "project": project,
            "scenario": scenario,
            "allocations": allocations,
            "cost_totals": costs.totals(a.planned for a in allocations),
            "counted_twice": twice,
            "assumed_years": assumed_in(allocations, overrides),
            "may_plan": may_plan_staffing(user, project, scenario),
            "may_commit": can_manage_resources(user),
            "ended_on": ended,
            "ended_text": selectors.ended_text(project, ended) if ended else "",
            "form": form,
            # posted to the staffing page also when shown by another (a removed allocation's)
            "add_url": staffing_url(project, scenario),
            "resource_picker": resource_picker(form),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def allocation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one allocation of the current plan (dates, FTE, status, note) or remove it."""
    _viewer(request)
    allocation = _allocation(pk, None, request)
    if isinstance(allocation, HttpResponse):
        return allocation
    return _allocation_edit(request, allocation, None)


@login_required
def scenario_allocation_edit(request: HttpRequest, pk: int, allocation: int) -> HttpResponse:
    """Change or remove one allocation of a draft scenario (resource, dates, FTE, ...)."""
    _viewer(request)
    scenario = _scenario_or_404(request, pk)
    found = _allocation(allocation, scenario, request)
    if isinstance(found, HttpResponse):
        return found
    return _allocation_edit(request, found, scenario)


def _allocation_edit(request: HttpRequest, allocation: Any, scenario: Any) -> HttpResponse:
    user = user_of(request)
    project = _staffing_project(request, allocation.project.code)
    may = can_manage_resources(user) or (scenario is None and can_edit_project(user, project))
    if (refused := refuse_planner(request, project, scenario, may)) is not None:
        return refused
    back = _requests_back(request) or staffing_url(project, scenario)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("delete", "commit"):
        return _allocation_action(request, allocation, action, back)
    form = AllocationForm(
        request.POST or None,
        initial={
            "resource": allocation.resource_id,
            "first": allocation.first,
            "last": allocation.last,
            "fte": allocation.fte,
            "status": allocation.status,
            "note": allocation.note,
        },
    )
    saved: list[Allocation] = []  # the row as stored, for its warnings

    def save(version: int | None) -> None:
        saved.append(
            services.update_allocation(
                actor=user, allocation=allocation, data=allocation_data(form), version=version or 0
            )
        )

    # a stale save keeps what its user changed and takes what someone else saved meanwhile
    # (as the portfolio's edit pages do), a 409 listing the fields both changed
    result = save_versioned(
        request, form, allocation.version, save, lambda: _allocation(allocation.pk, scenario)
    )
    if result.saved:
        committed = (
            allocation.status == AllocationStatus.PROPOSED
            and saved[0].status == AllocationStatus.COMMITTED
        )
        messages.success(
            request, _("Allocation saved and committed.") if committed else _("Allocation saved.")
        )
        _warn(request, saved[0])
        return redirect(back)
    if result.status == 409 and result.taken:
        _picker_follows(form, request.POST)
    elif result.status != 200 and result.status != 409:
        messages.error(request, _("The allocation was not saved: correct the form below."))
    named = _stale_named(form, allocation) if result.status == 409 else False
    ended = selectors.ended_on(project)
    return render(
        request,
        "resources/allocation_edit.html",
        {
            "project": project,
            "scenario": scenario,
            "staffing_url": staffing_url(project, scenario),
            "allocation": allocation,
            "form": form,
            "version": result.version,
            "meanwhile": theirs_and_yours(form, result.meanwhile),
            "taken": result.taken,
            # the form's error names who saved it and when: no banner saying it again
            "saved_by": last_saved(allocation) if result.status == 409 and not named else "",
            "opened": mark_safe(  # the picker and the status select are drawn by hand
                "".join(str(form[n].as_hidden(only_initial=True)) for n in ("resource", "status"))
            ),
            "ended_text": selectors.ended_text(project, ended) if ended else "",
            "may_commit": can_manage_resources(user),
            "resource_picker": resource_picker(form),
        },
        status=result.status,
    )


def _stale_named(form: AllocationForm, allocation: Allocation) -> bool:
    """After a stale save (someone else saved ``allocation`` since the form was opened), say
    who and when in the form's error in place of "someone else" alone; False when the form
    has no such error or the history has no event of the row."""
    change = last_change(Allocation, allocation.pk)
    stale = stale_message(allocation)
    errors: list[str] = [str(e) for e in form.errors.get(NON_FIELD_ERRORS, [])]
    if change is None or stale not in errors:
        return False
    named = (
        _(
            "Someone else saved this allocation while you were editing it: %(who)s, at %(when)s. "
            "Nothing of yours is saved yet: the fields you changed keep what you typed, the others "
            "show what is saved now. Check them, then save again to keep your version."
        )
        % change.named()
    )
    form.errors[NON_FIELD_ERRORS] = form.error_class([named if e == stale else e for e in errors])
    return True


def _requests_back(request: HttpRequest) -> str:
    """``?next=``, when it is the requests page (with its filters) the edit was opened from:
    a request changed there goes back to the list (nowhere else: no open redirect)."""
    target = request.GET.get("next", "")
    page = reverse("resources:requests")
    return target if target == page or target.startswith(page + "?") else ""


def _allocation_action(
    request: HttpRequest, allocation: Any, action: str, back: str
) -> HttpResponse:
    """Remove or commit ``allocation`` (of the version the page read); a refusal goes back to
    the page with the reason."""
    user = user_of(request)
    try:
        version = posted_version(request) or 0
        if action == "delete":
            services.delete_allocation(actor=user, allocation=allocation, version=version)
            messages.success(request, _("Allocation removed."))
        else:
            services.update_allocation(
                actor=user, allocation=allocation, data={"status": "committed"}, version=version
            )
            messages.success(request, _("Allocation committed."))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(request.get_full_path())
    return redirect(back)


def _warn(request: HttpRequest, allocation: Allocation) -> None:
    """What is odd about an allocation just stored (past its project's planned finish, above
    its resource's capacity), one warning message each, as the API answers ``warnings``."""
    for warning in services.allocation_warnings(allocation):
        messages.warning(request, warning)


def _picker_follows(form: AllocationForm, posted: Any) -> None:
    """After a stale save took the resource someone else chose into ``form``, make the
    picker's box name it too (the box would otherwise pick the typed resource again)."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
    if data.get("resource") == posted.get("resource") or "resource_text" not in data:
        return
    pk = as_id(data.get("resource"))
    chosen = Resource.objects.filter(pk=pk).first() if pk is not None else None
    if chosen is None:
        return
    data["resource_text"] = resource_label(chosen)
    form.data = data
    form._errors = None  # type: ignore[attr-defined]  # cleaned again on the values shown
    form.__dict__.pop("changed_data", None)
    form._bound_fields_cache.clear()  # type: ignore[attr-defined]
    form.full_clean()


class FormInvalid(Exception):
    """The allocation form did not validate (its errors are on the form)."""


def _allocation(pk: int, scenario: Any, request: HttpRequest | None = None) -> Any:
    """The allocation ``pk`` of the plan; one removed meanwhile is a 404, or, for a ``request``
    that saved it, the staffing page saying who removed it (:func:`_removed`)."""
    allocation = (
        selectors.list_allocations(scenario_id=scenario.pk if scenario else None)
        .filter(pk=pk)
        .select_related("project", "resource")
        .first()
    )
    if allocation is None:
        if (
            request is not None
            and request.method == "POST"
            and (answer := _removed(request, pk, scenario)) is not None
        ):
            return answer
        raise Http404("no such allocation in this plan")
    return allocation


def _removed(request: HttpRequest, pk: int, scenario: Any) -> HttpResponse | None:
    """The answer to saving an allocation someone removed meanwhile: its project's staffing
    page (409) saying who removed it and when, what was typed in its add form so that it can
    be added again. None when the audit trail does not know the allocation."""
    events = AuditEvent.objects.filter(
        object_type=Allocation._meta.label_lower, object_id=str(pk), action=AuditAction.DELETE
    )
    if scenario is not None:
        events = events.filter(scope=f"scenario:{scenario.pk}")
    event = events.select_related("actor__person").order_by("-timestamp", "-id").first()
    project_id = _recorded(event.changes.get("project")) if event is not None else None
    if event is None or project_id is None:
        return None
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return None
    project = _staffing_project(request, project.code)
    refuse_planner(
        request, project, scenario, may_plan_staffing(user_of(request), project, scenario)
    )
    form = AllocationForm(request.POST)
    form.is_valid()  # the fields' own problems beside them, as on the add form
    named = {
        "who": actor_name(event),
        "when": date_filter(timezone.localtime(event.timestamp), "Y-m-d H:i"),
    }
    declined = event.changes.get("declined")
    if isinstance(declined, list) and declined and declined[-1]:
        message = _(
            "This request was declined by %(who)s at %(when)s (“%(reason)s”): nothing was "
            "saved. What you typed is in the form below; ask them before you propose it again."
        ) % {**named, "reason": declined[-1]}
    else:
        message = (
            _(
                "This allocation was removed by %(who)s at %(when)s: nothing was saved. What you "
                "typed is in the form below; add it again if it is still needed."
            )
            % named
        )
    messages.error(request, message)
    return _staffing_page(request, project, scenario, form, 409)


def _recorded(pair: Any) -> int | None:
    """The id an audit event recorded as a removed row's value (``[before, after]``)."""
    if isinstance(pair, list) and pair:
        return as_id(str(pair[0]))
    return None
