"""Web pages of capacity planning: heat map with drill-down, staffing, loads, scenarios."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pmo.accounts.models import OrgUnit, User, user_of
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from pmo.core.http import posted_version, query_date
from pmo.core.i18n import pick
from pmo.core.models import as_id
from pmo.portfolio.access import can_edit_project, get_visible_project
from pmo.portfolio.models import ENDED_STATES
from pmo.resources import (
    calendars,
    compare,
    costs,
    exports,
    heatmap,
    leveling,
    refresh,
    selectors,
    services,
    xlsx,
)
from pmo.resources.access import can_manage_resources, require_view
from pmo.resources.filters import ResourceFilter
from pmo.resources.forms import (
    AllocationForm,
    CapacityChangeForm,
    ResourceForm,
    add_domain_error,
    allocation_data,
    resource_data,
)
from pmo.resources.heatmap import GROUPINGS, SCALES, UNITS
from pmo.resources.models import CalendarDay, WorkingCalendar


def _viewer(request: HttpRequest) -> None:
    try:
        require_view(user_of(request))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    """A workbook download."""
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(text or default), low), high)
    except ValueError:
        return default


def _options(request: HttpRequest) -> dict[str, Any]:
    by = request.GET.get("by", "role")
    scale = request.GET.get("scale", "week")
    unit = request.GET.get("unit", "fte")
    org_unit = request.GET.get("org_unit", "")
    only = ResourceFilter(
        org_unit=as_id(org_unit),
        role=request.GET.get("role", "")[:100],
        skill=request.GET.get("skill", "")[:100].strip(),
    )
    return {
        "only": only,
        "filter_query": urlencode(only.query()),
        "by": by if by in GROUPINGS else "role",
        "scale": scale if scale in SCALES else "week",
        "unit": unit if unit in UNITS else "fte",
        "start": query_date(request.GET.get("start"), timezone.localdate()),
        "count": _int(request.GET.get("periods"), 12, 1, 52),
        "committed_only": request.GET.get("committed") == "1",
        # the date pickers offer only the dates the product accepts
        "date_min": FIRST_DATE.isoformat(),
        "date_max": LAST_DATE.isoformat(),
    }


def _view_choices() -> dict[str, Any]:
    """The choices of the heat-map and comparison fields (``_view_fields.html``)."""
    return {
        "groupings": [
            ("role", _("Role")),
            ("org_unit", _("Org unit")),
            ("resource", _("Person / pool")),
        ],
        "scales": [("week", _("Week")), ("month", _("Month"))],
        "units": [("fte", _("FTE")), ("hours", _("Hours"))],
        "org_units": OrgUnit.objects.order_by("path"),
        "roles": selectors.list_roles(),
    }


def _scenario(request: HttpRequest, value: str | None) -> Any:
    if (pk := as_id(value)) is None:
        return None
    try:
        return selectors.get_scenario(pk)
    except NotFoundError:
        raise Http404("no such scenario") from None


@login_required
def heatmap_view(request: HttpRequest) -> HttpResponse:
    """Demand against capacity by role, org unit or resource and week or month."""
    _viewer(request)
    options = _options(request)
    scenario = _scenario(request, request.GET.get("scenario"))
    closed = None
    if scenario is not None and scenario.state != "draft":
        # a discarded scenario has no rows left and a committed one is the plan it became:
        # show the current plan and say why, rather than an all-zero or outdated map
        closed, scenario = scenario, None
    result = heatmap.build_heatmap(
        by=options["by"],
        scale=options["scale"],
        start=options["start"],
        count=options["count"],
        scenario_id=scenario.pk if scenario else None,
        committed_only=options["committed_only"],
        unit=options["unit"],
        only=options["only"],
        today=timezone.localdate(),
    )
    if request.GET.get("format") == "xlsx":
        layer = scenario.name if scenario else _("Current plan")
        if options["committed_only"]:
            layer = f"{layer} · {_('Committed only')}"
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return _xlsx(exports.heatmap_workbook(result, layer=layer), f"pmo-heatmap-{stamp}.xlsx")
    context = {
        **options,
        "heatmap": result,
        "scenario": scenario,
        "closed_scenario": closed,
        # the swap replaces only the map: the page title says what it shows too
        "swap_title": bool(request.htmx),  # type: ignore[attr-defined]
        "scenarios": selectors.list_scenarios().filter(state="draft"),
        **_view_choices(),
    }
    template = "resources/partials/_heatmap.html" if request.htmx else "resources/heatmap.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def heatmap_cell(request: HttpRequest) -> HttpResponse:
    """The projects behind one heat-map cell (htmx fragment)."""
    _viewer(request)
    by = request.GET.get("by", "role")
    if by not in GROUPINGS:
        raise Http404("unknown grouping")
    first = query_date(request.GET.get("first"), timezone.localdate())
    last = query_date(request.GET.get("last"), first)
    scenario = _scenario(request, request.GET.get("scenario"))
    options = _options(request)
    unit = options["unit"]
    try:
        causes = selectors.list_cell_causes(
            by=by,
            key=request.GET.get("key", ""),
            first=first,
            last=max(first, last),
            scenario_id=scenario.pk if scenario else None,
            unit=unit,
            only=options["only"],
            committed_only=options["committed_only"],
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    room = []
    if by == "resource" and (pk := as_id(request.GET.get("key"))) is not None:
        room = heatmap.room_in_role(
            pk,
            first=first,
            last=max(first, last),
            scenario_id=scenario.pk if scenario else None,
            unit=unit,
            committed_only=options["committed_only"],
        )
    context = {
        "causes": causes,
        "committed_only": options["committed_only"],
        "room": room,
        "scenario": scenario,
        "label": request.GET.get("label", ""),
        "first": first,
        "last": last,
        "capacity": request.GET.get("capacity", ""),
        "demand": request.GET.get("demand", ""),
        "unit": unit,
    }
    return render(request, "resources/partials/_cell.html", context)


@login_required
def resource_list(request: HttpRequest) -> HttpResponse:
    """Resources and role pools."""
    _viewer(request)
    return render(
        request,
        "resources/resource_list.html",
        {
            "resources": selectors.list_resources().order_by("role", "name"),
            "can_manage": can_manage_resources(user_of(request)),
        },
    )


@login_required
def resource_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a resource, or change one (version-checked); PMO and resource managers only."""
    user = user_of(request)
    if not can_manage_resources(user):
        raise PermissionDenied(_("only the PMO and resource managers change resources"))
    resource = None
    if pk is not None:
        try:
            resource = services.get_resource(pk)
        except NotFoundError as exc:
            raise Http404(exc.message) from None
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            if resource is None:
                saved = services.create_resource(actor=user, data=resource_data(form))
            else:
                saved = services.update_resource(
                    actor=user,
                    resource=resource,
                    data=resource_data(form),
                    version=posted_version(request) or 0,
                )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("resources:resource_detail", pk=saved.pk)
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "resource": resource},
    )


@login_required
def calendar_days(request: HttpRequest) -> HttpResponse:
    """Days of the resource calendars entered by hand; resource managers add and remove them."""
    _viewer(request)
    user = user_of(request)
    if request.method == "POST":
        try:
            if (pk := as_id(request.POST.get("delete"))) is not None:
                entry = CalendarDay.objects.filter(pk=pk).first()
                if entry is None:
                    raise Http404("no such calendar day")
                services.delete_calendar_day(actor=user, entry=entry)
                messages.success(request, _("Day removed."))
            else:
                count = services.add_calendar_days(
                    actor=user,
                    calendar=request.POST.get("calendar", "CN"),
                    text=request.POST.get("days", ""),
                )
                saved = ngettext("%(count)s day saved.", "%(count)s days saved.", count)
                messages.success(request, saved % {"count": count})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("resources:calendar_days")
    today = timezone.localdate()
    return render(
        request,
        "resources/calendar_days.html",
        {
            "days": CalendarDay.objects.all(),
            "calendars": WorkingCalendar.choices,
            "can_manage": can_manage_resources(user),
            "assumed": calendars.assumed_years(
                ["CN"], today, today.replace(year=today.year + 1), calendars.load_overrides()
            ),
        },
    )


@login_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's (or pool's) allocations and load by week."""
    _viewer(request)
    try:
        resource = services.get_resource(pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    start = query_date(request.GET.get("start"), timezone.localdate())
    load = heatmap.build_heatmap(by="resource", start=start, count=12, today=timezone.localdate())
    row = next((r for r in load.rows if r.key == str(resource.pk)), None)
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "allocations": _with_costs(selectors.list_allocations(resource_id=resource.pk)),
            "changes": resource.changes.filter(scenario=None),
            "periods": load.periods,
            "row": row,
            "can_manage": can_manage_resources(user_of(request)),
        },
    )


def _with_costs(allocations: Any) -> list[Any]:
    """The allocations, each with ``planned`` (hours, cost and currency) for the table."""
    rows = list(allocations)
    for a, planned in zip(rows, costs.row_costs(rows, calendars.load_overrides()), strict=True):
        a.planned = planned
    return rows


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
        if not may_plan:
            raise PermissionDenied(_("only resource managers change a draft scenario"))
        form = AllocationForm(request.POST)
        if form.is_valid():
            try:
                services.create_allocation(
                    actor=user,
                    data={**allocation_data(form), "project_id": project.pk},
                    scenario=scenario,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Allocation added."))
                return redirect(_staffing_url(project, scenario))
        # the page again, with what was typed and each error at its field
        status = 422
        errors = form.non_field_errors()
        messages.error(
            request,
            " ".join(str(e) for e in errors)
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
            "resources": selectors.list_resources().filter(active=True).order_by("role", "name"),
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
    if scenario is None:
        if not (can_manage_resources(user) or can_edit_project(user, project)):
            raise PermissionDenied(
                _("only resource managers and the project's manager plan staffing")
            )
    elif not can_manage_resources(user):
        raise PermissionDenied(_("only resource managers change a draft scenario"))
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
            add_domain_error(form, exc)
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
            "resources": selectors.list_resources().filter(active=True).order_by("role", "name"),
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


@login_required
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """The current plan and up to four scenarios side by side (``?ids=1&ids=2``)."""
    _viewer(request)
    options = _options(request)
    ids = [pk for v in request.GET.getlist("ids") if (pk := as_id(v)) is not None]
    try:
        comparison = compare.compare_scenarios(
            ids,
            by=options["by"],
            scale=options["scale"],
            start=options["start"],
            count=options["count"],
            unit=options["unit"],
            only=options["only"],
            today=timezone.localdate(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("resources:scenario_list")
    return render(
        request,
        "resources/scenario_compare.html",
        {
            **options,
            "comparison": comparison,
            "ids": ids,
            **_view_choices(),
        },
    )


@login_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    """Scenarios; a resource manager creates one by copying the current plan."""
    _viewer(request)
    user = user_of(request)
    if request.method == "POST":
        try:
            scenario = services.create_scenario(
                actor=user,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("resources:scenario_list")
        return redirect("resources:scenario_detail", pk=scenario.pk)
    return render(
        request,
        "resources/scenario_list.html",
        {
            "scenarios": _flag_out_of_date(selectors.list_scenarios()),
            "can_manage": can_manage_resources(user),
        },
    )


def _flag_out_of_date(scenarios: Any) -> list[Any]:
    """The scenarios, each draft with ``out_of_date`` (why it can no longer be committed)."""
    rows = list(scenarios)
    for s in rows:
        s.out_of_date = selectors.scenario_out_of_date(s)
    return rows


@login_required
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scenario beside the current plan: both heat maps and the overload totals."""
    _viewer(request)
    return _scenario_page(request, _scenario(request, str(pk)), CapacityChangeForm())


def _cost_text(cost: list[costs.CostTotal]) -> str:
    """A scenario's labour cost change, each currency signed ("+1,200.00 CNY; -300.00 GBP")."""
    return "; ".join(
        f"{'+' if c.total > 0 else ''}{floatformat(c.total, '2g')} {c.currency}" for c in cost
    )


def _scenario_page(
    request: HttpRequest, scenario: Any, capacity_form: CapacityChangeForm
) -> HttpResponse:
    user = user_of(request)
    options = _options(request)
    kwargs = {
        "by": options["by"],
        "scale": options["scale"],
        "start": options["start"],
        "count": options["count"],
        "today": timezone.localdate(),
    }
    current = heatmap.build_heatmap(**kwargs)
    what_if = heatmap.build_heatmap(**kwargs, scenario_id=scenario.pk)
    shifts = list(scenario.shifts.select_related("project").order_by("project__code"))
    run = scenario.runs.select_related("created_by", "scenario").first()
    projects = list(
        selectors.list_allocations(scenario_id=scenario.pk)
        .values_list("project__code", "project__name", "project__name_zh", "project__state")
        .distinct()
        .order_by("project__code")
    )
    # a closed or cancelled project takes no more work: it is neither moved nor levelled
    running = [p for p in projects if p[3] not in ENDED_STATES]
    pinned = {s.project.code for s in shifts if s.pinned}
    chosen = request.GET.get("project") or request.POST.get("project") or ""
    changes = selectors.scenario_changes(scenario.pk)
    draft = scenario.state == "draft"
    out_of_date = selectors.scenario_out_of_date(scenario)
    plan_changed, plan_changed_more = (
        selectors.plan_changes_since(scenario) if out_of_date else ([], 0)
    )
    return render(
        request,
        "resources/scenario_detail.html",
        {
            **options,
            "scenario": scenario,
            "draft": draft,
            "out_of_date": out_of_date,
            "plan_changed": plan_changed,
            "plan_changed_more": plan_changed_more,
            "current": current,
            "what_if": what_if,
            "shifts": shifts,
            "shift_priorities": any(s.priority for s in shifts),
            "shift_pins": bool(pinned),
            # moved in this scenario already (Move project, earlier runs): a pin keeps that
            "moved_before": [s for s in shifts if s.days],
            # rendered once here: a big portfolio's scenario has thousands of projects, listed
            # in two selects and the pins (the template engine took 0.6 s for them)
            "project_options": format_html_join(
                "",
                '<option value="{}"{}>{} {}</option>',
                (
                    (code, " selected" if code == chosen else "", code, pick(name, name_zh))
                    for code, name, name_zh, _state in projects
                ),
            ),
            "move_options": format_html_join(
                "",
                '<option value="{}"{}>{} {}</option>',
                (
                    (code, " selected" if code == chosen else "", code, pick(name, name_zh))
                    for code, name, name_zh, _state in running
                ),
            ),
            "pin_boxes": format_html_join(
                "",
                '<label title="{} · {}"><input type="checkbox" name="pin" value="{}"{}>'
                "<span><b>{}</b> · {}</span></label>",
                (
                    (
                        code,
                        pick(name, name_zh),
                        code,
                        " checked" if code in pinned else "",
                        code,
                        pick(name, name_zh),
                    )
                    for code, name, name_zh, _state in running
                ),
            ),
            "changes": changes,
            "project_rows": _project_rows(shifts, changes.by_project),
            "last_refresh": _last_refresh(scenario) if draft else None,
            "cost_text": _cost_text(changes.cost),
            "plans_to_change": [
                {**p, "editable": can_edit_project(user, p["project"])}
                for p in selectors.projects_of(scenario.plans_to_change)
            ],
            "pinned": pinned,
            "resources": selectors.list_resources().filter(active=True).order_by("role", "name"),
            "capacity_form": capacity_form,
            # a draft lists what it changes against the plan; a committed one what it set
            "capacity_diff": selectors.scenario_capacity_changes(scenario.pk) if draft else None,
            "capacity_changes": scenario.capacity_changes.select_related("resource"),
            "can_manage": can_manage_resources(user) and draft,
            **_run_context(run, user),
        },
    )


def _project_rows(shifts: list[Any], changed: dict[str, int]) -> list[dict[str, Any]]:
    """The projects the scenario changes: moved, given a priority or pinned, or with
    allocations that differ from the current plan; by code."""
    rows = {
        s.project.code: {"code": s.project.code, "name": s.project.display_name, "shift": s}
        for s in shifts
    }
    missing = [code for code in changed if code not in rows]
    for project in selectors.projects_of(missing):
        rows[project["code"]] = {"code": project["code"], "name": project["name"], "shift": None}
    return [{**rows[c], "changed": changed.get(c, 0)} for c in sorted(rows)]


def _person_name(pk: Any) -> str:
    """The name of the user ``pk`` as pages show people (their person's name)."""
    user = User.objects.filter(pk=pk or 0).select_related("person").first()
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.display_name if person is not None else user.get_full_name() or user.username


def _kept_text(kept: dict[str, Any]) -> str:
    """One project's changes a refresh kept: "P0003 (2 allocations, moved +14 days)"."""
    parts = []
    if kept.get("allocations"):
        parts.append(
            ngettext("%(count)s allocation", "%(count)s allocations", kept["allocations"])
            % {"count": kept["allocations"]}
        )
    if kept.get("days"):
        parts.append(
            ngettext("moved %(days)s day", "moved %(days)s days", abs(kept["days"]))
            % {"days": f"{kept['days']:+d}"}
        )
    if kept.get("priority"):
        parts.append(_("priority %(priority)s") % {"priority": kept["priority"]})
    if kept.get("pinned"):
        parts.append(_("pinned"))
    return f"{kept['project']} ({', '.join(parts)})" if parts else kept["project"]


def _plan_text(first: str | None, last: str | None, fte: str | None) -> str:
    """A row's dates and FTE, "2027-02-08 – 2027-03-29, 0.60 FTE"."""
    return _("%(first)s – %(last)s, %(fte)s FTE") % {"first": first, "last": last, "fte": fte}


def _last_refresh(scenario: Any) -> dict[str, Any] | None:
    """The scenario's last refresh from the current plan and its last project reset, with
    who did them, what each refresh kept (by project) and each dropped change with its
    reason and both versions (the scenario's and the current plan's now)."""
    report = scenario.last_refresh or {}
    reset = report.get("last_reset")
    shown: dict[str, Any] = {"refresh": None, "reset": None}
    if report.get("at"):
        kept = [_kept_text(k) for k in report.get("kept_projects", [])]
        if report.get("kept_capacity"):
            kept.append(
                ngettext(
                    "%(count)s capacity change",
                    "%(count)s capacity changes",
                    report["kept_capacity"],
                )
                % {"count": report["kept_capacity"]}
            )
        shown["refresh"] = {
            "at": dt.datetime.fromisoformat(report["at"]),
            "by": _person_name(report.get("by")),
            "kept": report.get("kept", 0),
            "kept_list": kept,
            "from_plan": report.get("from_plan", 0),
            "dropped": [
                {
                    **d,
                    "message": refresh.dropped_message(d["reason"]),
                    "scenario_text": _plan_text(d["first"], d["last"], d["fte"]),
                    "plan_text": _plan_text(d["plan_first"], d.get("plan_last"), d.get("plan_fte"))
                    if d.get("plan_first")
                    else "",
                }
                for d in report.get("dropped", [])
            ],
        }
    if reset:
        shown["reset"] = {
            **reset,
            "at": dt.datetime.fromisoformat(reset["at"]),
            "by": _person_name(reset.get("by")),
        }
    return shown if shown["refresh"] or shown["reset"] else None


def _run_context(run: Any, user: Any) -> dict[str, Any]:
    if run is None:
        return {"run": None}
    phases = {
        "queued": _("Waiting for a worker"),
        "building": _("Building the model"),
        "solving": _("Solving (at most %(seconds)s s)") % {"seconds": run.time_limit},
        "applying": _("Writing the scenario"),
        "done": _("Done"),
        "failed": _("Failed"),
        "cancelled": _("Cancelled"),
    }
    solver = (run.result or {}).get("solver", {})
    statuses = {
        "optimal": _("optimal"),
        "feasible": _("feasible, not proven optimal"),
        "nothing to move": _("nothing to move"),
    }
    result = run.result or {}
    project_names, resource_names = selectors.run_names(result)
    moved_days = selectors.shifted_days(run.scenario_id) if run.scenario_id else {}
    projects = [
        {
            **p,
            "name": project_names.get(p["project"], ""),
            # a pin keeps the dates the scenario gave the project before this run
            "moved_before": moved_days.get(p["project"], 0) if p["pinned"] else 0,
        }
        for p in result.get("projects", [])
    ]
    affected = [p for p in projects if p["delay"] or p["moved"] or p["pinned"]]
    longest = max((p["delay"] for p in affected), default=0)
    # bar lengths for the delay chart, in percent of the longest delay
    affected = [{**p, "bar": round(100 * p["delay"] / longest) if longest else 0} for p in affected]

    def named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                **r,
                "project_name": project_names.get(r["project"], ""),
                "resource_label": resource_names.get(r["resource"])
                or r.get("resource_name")
                or r["resource"],
            }
            for r in rows
        ]

    return {
        "run": run,
        "run_closed": run.scenario_id is not None and run.scenario.state != "draft",
        "run_projects": affected,
        "run_all_projects": projects,
        "run_moved": named(result.get("moved", [])),
        "run_not_levelable": named(result.get("not_levelable", [])),
        "run_status": statuses.get(solver.get("status", ""), solver.get("status", "")),
        "run_unaffected": len(projects) - len(affected),
        "run_progress": leveling.shown_progress(run),
        "run_phase": phases.get(run.phase, run.phase),
        "run_can_cancel": run.active and can_manage_resources(user),
    }


@login_required
@require_POST
def scenario_level(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a leveling run of the scenario (pins from the checkboxes)."""
    scenario = _scenario(request, str(pk))
    try:
        leveling.start_leveling(
            actor=user_of(request),
            scenario=scenario,
            time_limit=int(request.POST.get("time_limit") or 30),
            pinned=request.POST.getlist("pin"),
        )
    except ValueError:
        messages.error(request, _("Enter a time limit in whole seconds."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("resources:scenario_detail", pk=scenario.pk)


@login_required
@require_POST
def leveling_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a queued or running run; back to its scenario."""
    try:
        run = leveling.get_leveling_run(pk)
    except NotFoundError:
        raise Http404("no such run") from None
    try:
        leveling.cancel_leveling(actor=user_of(request), run=run)
        messages.success(request, _("Leveling run cancelled; the scenario is unchanged."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("resources:scenario_detail", pk=run.scenario_id)


@login_required
def leveling_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The run panel (htmx polls it while the run is under way; reloads the page when done)."""
    _viewer(request)
    try:
        run = leveling.get_leveling_run(pk)
    except NotFoundError:
        raise Http404("no such run") from None
    context = _run_context(run, user_of(request))
    if request.GET.get("format") == "xlsx":
        if run.state != "done":
            raise Http404("the run has no result (yet)")
        when = timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M")
        book = exports.leveling_run_workbook(
            heading=_("Leveling run of scenario %(name)s, started %(when)s")
            % {"name": run.scenario.name, "when": when},
            projects=context["run_all_projects"],
            moved=context["run_moved"],
            not_levelable=context["run_not_levelable"],
        )
        return _xlsx(book, f"pmo-leveling-run-{run.pk}.xlsx")
    response = render(
        request,
        "resources/partials/_leveling_run.html",
        {**context, "polling": True},
    )
    if request.GET.get("poll") and not run.active:
        response["HX-Refresh"] = "true"  # the heat maps and tables changed: show them
    return response


@login_required
@require_POST
def scenario_shift(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a project (and change its priority) in a scenario; say what changed."""
    scenario = _scenario(request, str(pk))
    user = user_of(request)
    code = request.POST.get("project", "")
    here = (
        f"{reverse('resources:scenario_detail', args=[scenario.pk])}?{urlencode({'project': code})}"
    )
    try:
        project = get_visible_project(user, code)
        days = int(request.POST.get("days") or 0)
        priority = request.POST.get("priority")
        shift = services.shift_project(
            actor=user,
            scenario=scenario,
            project=project,
            days=days,
            priority=int(priority) if priority else None,
        )
    except ValueError:
        messages.error(request, _("Enter a whole number of days."))
        return redirect(here)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(here)
    for message in _shift_messages(
        project.code, days, shift.priority if priority else None, scenario
    ):
        messages.success(request, message)
    return redirect(here)


def _shift_messages(code: str, days: int, priority: int | None, scenario: Any) -> list[str]:
    """What a Move project did, for the flash: the move and the allocations it changed,
    and the priority set."""
    said = []
    if days:
        count = (
            selectors.list_allocations(scenario_id=scenario.pk).filter(project__code=code).count()
        )
        moved = (
            ngettext(
                "%(code)s moved %(days)s calendar day later.",
                "%(code)s moved %(days)s calendar days later.",
                days,
            )
            if days > 0
            else ngettext(
                "%(code)s moved %(days)s calendar day earlier.",
                "%(code)s moved %(days)s calendar days earlier.",
                -days,
            )
        ) % {"code": code, "days": abs(days)}
        changed = ngettext(
            "%(count)s allocation changed.", "%(count)s allocations changed.", count
        ) % {"count": count}
        said.append(f"{moved} {changed}")
    if priority:
        said.append(
            _("Priority of %(code)s set to %(priority)s (1 = highest, 5 = lowest).")
            % {"code": code, "priority": priority}
        )
    return said or [_("Nothing changed: enter days to move the project by, or a priority.")]


@login_required
@require_POST
def scenario_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a resource's capacity for a window in a scenario (e.g. hire, leave); a refused
    change comes back as the page with the form's values and errors beside its fields."""
    scenario = _scenario(request, str(pk))
    form = CapacityChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_capacity_change(
                actor=user_of(request),
                resource=data["resource"],
                first=data["first"],
                last=data["last"],
                fte=data["fte"],
                reason=data["reason"],
                scenario=scenario,
            )
        except FieldError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, exc.errors[0]["message"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Capacity changed in the scenario."))
            return redirect("resources:scenario_detail", pk=scenario.pk)
    messages.error(request, _("The capacity was not changed: correct the form below."))
    return _scenario_page(request, scenario, form)


@login_required
@require_POST
def scenario_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Refresh a draft scenario from the current plan; the page lists what was dropped."""
    scenario = _scenario(request, str(pk))
    try:
        result = refresh.refresh_scenario(
            actor=user_of(request), scenario=scenario, version=posted_version(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("resources:scenario_detail", pk=scenario.pk)
    said = _("Refreshed from the current plan: %(kept)s of the scenario's changes kept.") % {
        "kept": result.kept
    }
    if result.dropped:
        said += " " + ngettext(
            "%(count)s no longer applies and was dropped (listed below).",
            "%(count)s no longer apply and were dropped (listed below).",
            len(result.dropped),
        ) % {"count": len(result.dropped)}
    messages.success(request, said)
    return redirect("resources:scenario_detail", pk=scenario.pk)


@login_required
@require_POST
def scenario_reset(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Reset one project of a draft scenario to the current plan."""
    scenario = _scenario(request, str(pk))
    user = user_of(request)
    try:
        result = refresh.reset_project(
            actor=user,
            scenario=scenario,
            project=get_visible_project(user, code),
            version=posted_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("resources:scenario_detail", pk=scenario.pk)
    messages.success(
        request,
        ngettext(
            "%(code)s is as in the current plan again: %(count)s allocation copied from it.",
            "%(code)s is as in the current plan again: %(count)s allocations copied from it.",
            result.copied,
        )
        % {"code": result.project, "count": result.copied},
    )
    return redirect("resources:scenario_detail", pk=scenario.pk)


@login_required
@require_POST
def scenario_close(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Commit or discard a scenario."""
    if action not in ("commit", "discard"):
        raise Http404("unknown action")
    scenario = _scenario(request, str(pk))
    user = user_of(request)
    try:
        if action == "commit":
            result = services.commit_scenario(actor=user, scenario=scenario)
            messages.success(request, _("Scenario committed: it is now the current plan."))
            if result.plans_to_change:
                messages.info(
                    request,
                    _("Change these plans to match the scenario: %(codes)s")
                    % {"codes": ", ".join(result.plans_to_change)},
                )
        else:
            services.discard_scenario(actor=user, scenario=scenario)
            messages.success(request, _("Scenario discarded."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("resources:scenario_detail", pk=scenario.pk)


@login_required
def capacity_import(request: HttpRequest) -> HttpResponse:
    """Upload a capacity sheet (XLSX) or download the empty template."""
    _viewer(request)
    if request.GET.get("template"):
        return _xlsx(xlsx.template(), "capacity-template.xlsx")
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file."))
        else:
            try:
                result = xlsx.import_capacity(actor=user_of(request), stream=upload)
            except DomainError as exc:
                messages.error(request, exc.message)
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)s resources created, %(updated)s updated, "
                        "%(changes)s capacity changes."
                    )
                    % {
                        "created": result["resources_created"],
                        "updated": result["resources_updated"],
                        "changes": result["capacity_changes"],
                    },
                )
                return redirect("resources:resource_list")
    return render(request, "resources/capacity_import.html", {"errors": errors})
