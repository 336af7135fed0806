"""The heat map of demand against capacity (also as a workbook) and its drill-down."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.core.errors import NotFoundError
from pmo.core.http import query_date
from pmo.core.models import as_id
from pmo.resources import exports, heatmap, selectors
from pmo.resources.access import can_manage_resources
from pmo.resources.heatmap import GROUPINGS
from pmo.resources.heatmap.requests import pending_requests
from pmo.resources.views.common import (
    _cause_rows,
    _options,
    _scenario,
    _view_choices,
    _viewer,
    _xlsx,
)

__all__ = ["heatmap_cell", "heatmap_view"]


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
        "can_manage": can_manage_resources(user_of(request)),  # the import link is theirs
        # the header's "Requests to commit (N)" of the resources the map is narrowed to (its
        # link carries the same filters; a swap replaces it out of band): one query
        "requests_waiting": pending_requests(only=options["only"], limit=0).total,
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
        "cause_rows": _cause_rows(causes),
        "committed_only": options["committed_only"],
        "room": room,
        "scenario": scenario,
        "label": request.GET.get("label", ""),
        # a role's cell offers the search for others of the role with room in its days, in
        # the org unit and skill the map was narrowed to
        "free_query": urlencode(
            {
                **options["only"].query(),
                "role": request.GET.get("key", ""),
                "first": first.isoformat(),
                "last": max(first, last).isoformat(),
                **({"scenario": scenario.pk} if scenario else {}),
                **({"committed": "on"} if options["committed_only"] else {}),
            }
        )
        if by == "role"
        else "",
        "first": first,
        "last": last,
        "capacity": request.GET.get("capacity", ""),
        "demand": request.GET.get("demand", ""),
        "unit": unit,
    }
    return render(request, "resources/partials/_cell.html", context)
