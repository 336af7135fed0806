"""Who is free: resources with capacity left over some days (part of the resources API)."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from pmo.accounts.models import user_of
from pmo.core.api import Date, Id, known_query_only
from pmo.core.errors import FieldError
from pmo.resources import heatmap
from pmo.resources.access import require_view
from pmo.resources.api.common import ORG_UNIT_QUERY, ROLE_QUERY, _org_unit_pk, _role, _scenario_id
from pmo.resources.api.maps import PeriodOut
from pmo.resources.filters import ResourceFilter

router = Router()

WEEKS = 12  # the window when no end is given: 12 weeks from the start


class FreeOut(Schema):
    resource_id: int
    code: str
    name: str = Field(description="in the reader's language (the Chinese name when asked)")
    kind: str
    role: str
    org_unit: str = Field(description="the org unit's code")
    fte: float = Field(description="the resource's standing capacity")
    least: float = Field(description="the least free FTE on any day it works in the window")
    mean: float = Field(description="the mean free FTE over the days it works in the window")
    fits: bool = Field(description="free by the FTE needed on every day it works (true without)")
    weeks: list[float | None] = Field(
        description="per period: the mean free FTE of its working days, null without one"
    )


class AvailabilityOut(Schema):
    first: dt.date
    last: dt.date
    need: float | None
    periods: list[PeriodOut] = Field(description="the weeks (Monday to Sunday) of the window")
    found: int = Field(description="resources with room, before the limit")
    fitting: int = Field(description="of those, free by the FTE needed on every working day")
    assumed_years: list[int] = Field(
        description="years whose public holidays are not known: counted Monday to Friday"
    )
    rows: list[FreeOut]


@router.get(
    "/capacity/availability",
    response=AvailabilityOut,
    summary="Who is free",
    operation_id="pmo_resources_api_get_availability",
)
@known_query_only
def get_availability(
    request: HttpRequest,
    first: Date | None = None,
    last: Date | None = None,
    need: float | None = Query(
        None, gt=0, le=99999.99, description="FTE needed on every working day"
    ),
    role: str = Query("", max_length=100, description=ROLE_QUERY),
    skill: str = Query("", max_length=100, description="skills containing this text"),
    org_unit: str | None = Query(None, max_length=40, description=ORG_UNIT_QUERY),
    scenario_id: Id | None = None,
    committed_only: bool = False,
    limit: int = Query(100, ge=1, le=1000),
) -> dict[str, object]:
    """The active resources with capacity left from ``first`` (default today) to ``last``
    (default 12 weeks on; at most a year),
    most room first: free by ``need`` on every day they work, then by the least and the mean
    free FTE. Free FTE is capacity minus demand on each working day of the resource's
    calendar, less its absences; an allocation of ``need`` FTE over the window overloads a
    resource that ``fits`` on no day."""
    user = user_of(request)
    require_view(user)
    first = first or timezone.localdate()
    last = last or first + dt.timedelta(days=7 * WEEKS - 1)
    if last < first:
        raise FieldError("last", _("the end date is before the start date"))
    if (last - first).days >= heatmap.MAX_DAYS:
        raise FieldError("last", _("Choose at most a year (366 days) from the start date."))
    result = heatmap.find_available(
        first=first,
        last=last,
        only=ResourceFilter(org_unit=_org_unit_pk(org_unit), role=_role(role), skill=skill.strip()),
        need=need,
        scenario_id=_scenario_id(user, scenario_id),
        committed_only=committed_only,
        limit=limit,
    )
    return {
        "first": result.first,
        "last": result.last,
        "need": result.need,
        "periods": result.periods,
        "found": result.found,
        "fitting": result.fitting,
        "assumed_years": list(result.assumed_years),
        "rows": [
            {
                "resource_id": f.resource.pk,
                "code": f.resource.code,
                "name": f.label,
                "kind": f.resource.kind,
                "role": f.resource.role,
                "org_unit": f.resource.org_unit.code if f.resource.org_unit else "",
                "fte": float(f.resource.fte),
                "least": f.least,
                "mean": f.mean,
                "fits": f.fits,
                "weeks": list(f.weeks),
            }
            for f in result.rows
        ],
    }
