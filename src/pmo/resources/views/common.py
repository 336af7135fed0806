"""What the capacity-planning pages share: the viewer check, the heat-map options read
from the query, the scenario named in it, workbook downloads, allocation costs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import OrgUnit, user_of
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import NotFoundError, PermissionDeniedError
from pmo.core.http import query_date
from pmo.core.models import as_id
from pmo.resources import calendars, costs, selectors
from pmo.resources.access import require_view
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap import GROUPINGS, SCALES, UNITS


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


def _with_costs(allocations: Any) -> list[Any]:
    """The allocations, each with ``planned`` (hours, cost and currency) for the table."""
    rows = list(allocations)
    for a, planned in zip(rows, costs.row_costs(rows, calendars.load_overrides()), strict=True):
        a.planned = planned
    return rows
