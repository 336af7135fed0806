"""Resources and role pools: the list, the form, a resource's allocations and load, the
calendar days entered by hand (the capacity sheet's upload is :mod:`.capacity_sheet`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.accounts.models import OrgUnit, user_of
from pmo.core.errors import DomainError, NotFoundError
from pmo.core.http import query_date
from pmo.core.models import as_id
from pmo.portfolio.views.common import save_versioned
from pmo.resources import calendars, costs, heatmap, selectors, services
from pmo.resources.access import can_manage_resources, can_view_capacity
from pmo.resources.filters import ResourceFilter
from pmo.resources.forms import ResourceForm, resource_data
from pmo.resources.models import CalendarDay, CalendarYear, ResourceKind, WorkingCalendar
from pmo.resources.views.common import (
    _allocation_rows,
    _viewer,
    _with_costs,
    last_saved,
    mark_counted_twice,
    refuse_non_manager,
    theirs_and_yours,
)

__all__ = ["calendar_days", "resource_detail", "resource_form", "resource_list"]

#: A person's (or pool's) page lists this many allocations at a time.
ALLOCATIONS_PER_PAGE = 100
#: The resource list shows this many resources at a time.
RESOURCES_PER_PAGE = 100


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    """Resources and role pools, narrowed by text, org unit, role, kind and whether they are
    active (the active ones by default), a page at a time; a plain GET form, so a filtered
    list is a link (the role catalogue links a role's resources)."""
    _viewer(request)
    state = request.GET.get("state", "active")
    kind = request.GET.get("kind", "")
    filters: dict[str, Any] = {
        "text": request.GET.get("q", "")[:100].strip(),
        "kind": kind if kind in ResourceKind.values else "",
        "state": state if state in selectors.RESOURCE_STATES else "active",
        "only": ResourceFilter(
            org_unit=as_id(request.GET.get("org_unit", "")),
            role=request.GET.get("role", "")[:100],
        ),
    }
    found = selectors.search_resources(**filters)
    page = Paginator(found, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "resources/resource_list.html",
        {
            "resources": page.object_list,
            "page": page,
            "page_query": urlencode(kept),
            "filtered": any(v for k, v in kept.items() if k != "state") or state != "active",
            **filters,
            "kinds": ResourceKind.choices,
            "states": [
                ("active", pgettext("resource state", "Active")),
                ("inactive", pgettext("resource state", "Inactive")),
                ("all", pgettext("resource state", "All")),
            ],
            "org_units": OrgUnit.objects.order_by("path"),
            "roles": selectors.list_roles(),
            "can_manage": can_manage_resources(user_of(request)),
        },
    )


@login_required
def resource_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a resource, or change one (version-checked); PMO and resource managers only."""
    user = user_of(request)
    if not can_view_capacity(user):  # may not even read resources: the 403 page
        raise PermissionDenied(_("only the PMO and resource managers change resources"))
    resource = None
    if pk is not None:
        try:
            resource = services.get_resource(pk)
        except NotFoundError as exc:
            raise Http404(exc.message) from None
    back = (
        reverse("resources:resource_list")
        if resource is None
        else reverse("resources:resource_detail", args=[resource.pk])
    )
    if (refused := refuse_non_manager(request, back)) is not None:
        return refused
    form = ResourceForm(request.POST or None, instance=resource)
    if resource is None:
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.create_resource(actor=user, data=resource_data(form))
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("resources:resource_detail", pk=saved.pk)
        return render(request, "resources/resource_form.html", {"form": form, "resource": None})
    # a stale save keeps what its user changed and takes what someone else saved meanwhile
    # (the portfolio's edit pages do the same): saving again overwrites knowingly
    result = save_versioned(
        request,
        form,
        resource.version,
        lambda version: services.update_resource(
            actor=user, resource=resource, data=resource_data(form), version=version or 0
        ),
        lambda: services.get_resource(resource.pk),
    )
    if result.saved:
        messages.success(request, _("Saved."))
        return redirect("resources:resource_detail", pk=resource.pk)
    return render(
        request,
        "resources/resource_form.html",
        {
            "form": form,
            "resource": resource,
            "version": result.version,
            "meanwhile": theirs_and_yours(form, result.meanwhile),
            "taken": result.taken,
            "saved_by": last_saved(resource) if result.status == 409 else "",
        },
        status=result.status,
    )


@login_required
def calendar_days(request: HttpRequest) -> HttpResponse:
    """Days of the resource calendars entered by hand; resource managers add and remove them."""
    _viewer(request)
    user = user_of(request)
    if request.method == "POST":
        refuse_non_manager(request, reverse("resources:calendar_days"))  # a post: the 403
        try:
            if "year" in request.POST:
                _mark_year(request, user)
            elif (pk := as_id(request.POST.get("delete"))) is not None:
                entry = CalendarDay.objects.filter(pk=pk).first()
                if entry is None:  # removed by someone else meanwhile
                    messages.info(request, _("That day was removed already."))
                    return redirect("resources:calendar_days")
                services.delete_calendar_day(actor=user, entry=entry)
                messages.success(request, _("Day removed."))
            else:
                calendar = request.POST.get("calendar", "CN")
                text = request.POST.get("days", "")
                replaced = _entered_already(calendar, text)
                count = services.add_calendar_days(actor=user, calendar=calendar, text=text)
                saved = ngettext("%(count)s day saved.", "%(count)s days saved.", count)
                messages.success(request, saved % {"count": count})
                if replaced:
                    messages.warning(request, _replaced_text(replaced))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("resources:calendar_days")
    today = timezone.localdate()
    days = list(CalendarDay.objects.all())
    overrides = calendars.load_overrides()
    next_year_end = dt.date(today.year + 1, 12, 31)  # not today a year on: no 29 Feb next year
    return render(
        request,
        "resources/calendar_days.html",
        {
            "days": days,
            "calendars": WorkingCalendar.choices,
            "can_manage": can_manage_resources(user),
            "assumed": calendars.assumed_years(["CN"], today, next_year_end, overrides),
            "years": _years(today, days),
        },
    )


def _mark_year(request: HttpRequest, user: Any) -> None:
    """Mark a year's official days entered (or withdraw the mark), from the page's form."""
    entered = request.POST.get("entered") == "1"
    year = request.POST.get("year", "")
    services.set_calendar_year(
        actor=user,
        calendar=request.POST.get("calendar", "CN"),
        year=year,
        entered=entered,
        note=request.POST.get("note", ""),
    )
    if entered:
        messages.success(
            request, _("The official days of %(year)s are marked entered.") % {"year": year}
        )
    else:
        messages.warning(
            request,
            _("%(year)s is no longer marked entered: its holidays count as assumed again.")
            % {"year": year},
        )


def _years(today: dt.date, days: list[CalendarDay]) -> list[dict[str, Any]]:
    """The years of the China calendar the holiday library does not know, from this year to
    the next and any with days entered or marked: each with its mark (or ``None``) and how
    many days are entered, for the page's "official days entered" statements."""
    marks = {m.year: m for m in CalendarYear.objects.filter(calendar=WorkingCalendar.CHINA)}
    counts: dict[int, int] = {}
    for d in days:
        if d.calendar == WorkingCalendar.CHINA:
            counts[d.day.year] = counts.get(d.day.year, 0) + 1
    wanted = {today.year, today.year + 1, *counts, *marks}
    unknown = set(calendars.unknown_years(dt.date(min(wanted), 1, 1), dt.date(max(wanted), 12, 31)))
    return [
        {"year": y, "mark": marks.get(y), "days": counts.get(y, 0)}
        for y in sorted(wanted)
        if y in unknown or y in marks
    ]


def _entered_already(calendar: str, text: str) -> list[CalendarDay]:
    """The days of ``calendar`` entered by hand that ``text`` enters again (each replaced by
    what it says): read before they are saved, so the page can say what they were."""
    try:
        days = services.parse_calendar_days(text)
    except DomainError:
        return []  # the save says what is wrong
    posted = {day: (working, name) for day, working, name in days}
    return [
        entry
        for entry in CalendarDay.objects.filter(calendar=calendar, day__in=posted).order_by("day")
        if posted[entry.day] != (entry.working, entry.name)
    ]


def _replaced_text(replaced: list[CalendarDay]) -> str:
    """ "Replaced 2027-01-04 (was: off, Company retreat); ..." for the days entered again."""
    each = []
    for entry in replaced:
        was = _("work") if entry.working else _("off")
        if entry.name:
            was = pgettext("list separator", ", ").join([was, entry.name])
        each.append(_("%(day)s (was: %(was)s)") % {"day": entry.day.isoformat(), "was": was})
    return _("Replaced %(days)s.") % {"days": pgettext("list of problems", "; ").join(each)}


@login_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's (or pool's) allocations, load by week, capacity changes and change
    history."""
    _viewer(request)
    try:
        resource = services.get_resource(pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    start = query_date(request.GET.get("start"), timezone.localdate())
    load = heatmap.build_heatmap(by="resource", start=start, count=12, today=timezone.localdate())
    row = next((r for r in load.rows if r.key == str(resource.pk)), None)
    # every allocation for the totals and the counted-twice marks; one page of them listed
    # (a pool of a big portfolio has thousands: the whole table was half a megabyte)
    allocations = _with_costs(selectors.list_resource_allocations(resource))
    twice = mark_counted_twice(allocations)
    only_twice = request.GET.get("twice") == "1"  # the rows counted twice only
    listed = [a for a in allocations if a.counted_twice] if only_twice else allocations
    page = Paginator(listed, ALLOCATIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = selectors.with_projects(list(page.object_list))
    kept = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "allocations": shown,
            "allocation_rows": _allocation_rows(shown),
            "page": page,
            "page_query": urlencode(kept),
            "allocation_count": len(allocations),
            "counted_twice": twice,
            "only_twice": only_twice,
            "hours_total": sum((a.planned.hours for a in allocations), Decimal(0)),
            "cost_totals": costs.totals(a.planned for a in allocations),
            "changes": resource.changes.filter(scenario=None),
            "history": selectors.resource_history(resource),
            "periods": load.periods,
            "row": row,
            "can_manage": can_manage_resources(user_of(request)),
        },
    )
