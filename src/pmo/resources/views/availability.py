"""Who is free: resources with capacity left over some days, ready to staff a project."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pmo.accounts.models import user_of
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import NotFoundError
from pmo.portfolio.access import get_visible_project
from pmo.resources import heatmap, selectors
from pmo.resources.filters import ResourceFilter
from pmo.resources.forms import AvailabilityForm
from pmo.resources.views.common import _scenario, _viewer
from pmo.resources.views.staffing import may_plan_staffing, staffing_url

__all__ = ["AVAILABILITY_WEEKS", "availability"]

AVAILABILITY_WEEKS = 12  # the window asked about when the page opens: from today, 12 weeks


@login_required
def availability(request: HttpRequest) -> HttpResponse:
    """Resources of a role, skill or org unit with room from one day to another, most room
    first; with ``?project=CODE`` (from its staffing page) each offers to allocate it there,
    in the current plan or a draft scenario (``?scenario=ID``)."""
    _viewer(request)
    user = user_of(request)
    today = timezone.localdate()
    project = _project(request, request.GET.get("project", ""))
    first, last = _window(today, project)
    query = request.GET.copy()
    query.setdefault("first", first.isoformat())
    query.setdefault("last", last.isoformat())
    form = AvailabilityForm(query, roles=selectors.list_roles())
    scenario = _scenario(request, request.GET.get("scenario"))
    closed = None
    if scenario is not None and scenario.state != "draft":
        closed, scenario = scenario, None  # as the heat map: the current plan, and why
    result = None
    if form.is_valid():
        data = form.cleaned_data
        need = float(data["fte"]) if data["fte"] else None
        result = heatmap.find_available(
            first=data["first"],
            last=data["last"],
            only=ResourceFilter(
                org_unit=data["org_unit"].pk if data["org_unit"] else None,
                role=data["role"],
                skill=data["skill"].strip(),
            ),
            need=need,
            scenario_id=scenario.pk if scenario else None,
            committed_only=data["committed"],
        )
    allocate = _allocate_url(user, project, scenario)
    rows: list[tuple[heatmap.Free, str]] = []
    if result is not None:
        rows = [
            (f, allocate + allocate_query(f.resource.pk, result.first, result.last, result.need))
            if allocate
            else (f, "")
            for f in result.rows
        ]
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "rows": rows,
        "columns": 6 + (len(result.periods) if result else 0),
        "scenario": scenario,
        "closed_scenario": closed,
        "scenarios": selectors.list_scenarios().filter(state="draft"),
        "project": project,
        "date_min": FIRST_DATE.isoformat(),
        "date_max": LAST_DATE.isoformat(),
    }
    return render(
        request, "resources/availability.html", context, status=200 if form.is_valid() else 422
    )


def _window(today: dt.date, project: Any) -> tuple[dt.date, dt.date]:
    """The days asked about when the page opens: from today (or the project's start, when
    later) to the project's forecast or planned finish, else :data:`AVAILABILITY_WEEKS`
    weeks on — an allocation offered past a project's finish would only warn once added."""
    first = max(today, project.start_date) if project and project.start_date else today
    finish = project and (project.forecast_finish or project.planned_finish)
    if finish and first <= finish and (finish - first).days < heatmap.MAX_DAYS:
        return first, finish
    return first, first + dt.timedelta(days=7 * AVAILABILITY_WEEKS - 1)


def _project(request: HttpRequest, code: str) -> Any:
    """The project the search staffs (``?project=CODE``), a 404 when the reader cannot see
    one of that code; ``None`` when none is named."""
    if not code.strip():
        return None
    try:
        return get_visible_project(user_of(request), code.strip())
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def _allocate_url(user: Any, project: Any, scenario: Any) -> str:
    """The staffing page a row's "Allocate" opens (its form filled in by the row's query),
    empty when there is no project or the reader may not plan its staffing."""
    if (
        project is None
        or not may_plan_staffing(user, project, scenario)
        or selectors.ended_on(project)
    ):
        return ""
    url = staffing_url(project, scenario)
    return url + ("&" if "?" in url else "?")


def allocate_query(resource_id: int, first: dt.date, last: dt.date, fte: float | None) -> str:
    """The query that fills a staffing page's "Add an allocation" form (its anchor last)."""
    values = {"resource": str(resource_id), "first": first.isoformat(), "last": last.isoformat()}
    if fte:
        values["fte"] = f"{fte:g}"
    return urlencode(values) + "#add-allocation"
