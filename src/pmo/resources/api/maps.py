"""The heat map of demand against capacity, the projects behind a cell and the room left
in a role (part of the resources API)."""

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from pmo.accounts.models import user_of
from pmo.core.api import Date, Id, known_query_only
from pmo.core.errors import FieldError, NotFoundError
from pmo.resources import heatmap, selectors
from pmo.resources.access import require_view
from pmo.resources.api.common import (
    ORG_UNIT_QUERY,
    ROLE_QUERY,
    _org_unit_pk,
    _role,
    _scenario_id,
)
from pmo.resources.filters import ResourceFilter

router = Router()

KEY_QUERY = (
    "the heat-map row's key: by role, the role (any case, or its Chinese name); by org_unit "
    "or resource, its id (the rows' keys) or its code (a number is an id first); "
    "one that names none is a 404"
)


class CellOut(Schema):
    capacity: float
    demand: float
    overloaded: bool = Field(description="over capacity on the days from today on")
    past: bool = Field(
        description="over capacity only on days already gone (history: not counted as overloaded)"
    )


class RowOut(Schema):
    key: str
    label: str
    cells: list[CellOut]


class PeriodOut(Schema):
    first: dt.date
    last: dt.date
    label: str


class HeatMapOut(Schema):
    by: str
    scale: str
    unit: str = Field(description="fte: average FTE over the weekdays; hours: person-hours")
    periods: list[PeriodOut]
    rows: list[RowOut]
    overloaded_cells: int
    overload: float = Field(
        description="sum over overloaded cells of demand above capacity, in the unit"
    )
    assumed_years: list[int] = Field(
        description="years whose public holidays are not known: counted Monday to Friday"
    )


class CauseOut(Schema):
    code: str
    name: str
    priority: int
    demand: float
    committed: float
    proposed: float
    counted_twice: bool = Field(
        description="the project's plan and a hand-entered allocation give the same resource "
        "work on some of the same days in the cell: both are counted (twice?)"
    )


class RoomOut(Schema):
    resource_id: int
    label: str
    capacity: float
    demand: float
    free: float


@router.get(
    "/capacity/heatmap",
    response=HeatMapOut,
    summary="Demand against capacity",
    operation_id="pmo_resources_api_get_heatmap",
)
@known_query_only
def get_heatmap(
    request: HttpRequest,
    by: Literal["role", "org_unit", "resource"] = "role",
    scale: Literal["week", "month"] = "week",
    start: Date | None = None,
    periods: int = Query(12, ge=1, le=104),
    scenario_id: Id | None = None,
    committed_only: bool = False,
    unit: Literal["fte", "hours"] = "fte",
    org_unit: str | None = Query(None, max_length=40, description=ORG_UNIT_QUERY),
    role: str = Query("", max_length=100, description=ROLE_QUERY),
    skill: str = Query("", description="only resources whose skills contain this text"),
) -> dict[str, object]:
    user = user_of(request)
    require_view(user)
    result = heatmap.build_heatmap(
        by=by,
        scale=scale,
        start=start or timezone.localdate(),
        count=periods,
        scenario_id=_scenario_id(user, scenario_id),
        committed_only=committed_only,
        unit=unit,
        only=ResourceFilter(org_unit=_org_unit_pk(org_unit), role=_role(role), skill=skill),
        today=timezone.localdate(),
    )
    return {
        "by": result.by,
        "scale": result.scale,
        "unit": result.unit,
        "periods": result.periods,
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "cells": [
                    {
                        "capacity": c.capacity,
                        "demand": c.demand,
                        "overloaded": c.overloaded,
                        "past": c.past_overload,
                    }
                    for c in r.cells
                ],
            }
            for r in result.rows
        ],
        "overloaded_cells": result.overloaded_cells,
        "overload": result.overload,
        "assumed_years": list(result.assumed_years),
    }


@router.get(
    "/capacity/causes",
    response=list[CauseOut],
    summary="Projects behind a cell",
    operation_id="pmo_resources_api_get_causes",
)
@known_query_only
def get_causes(
    request: HttpRequest,
    by: Literal["role", "org_unit", "resource"],
    key: Annotated[str, Query(..., description=KEY_QUERY)],
    first: Date,
    last: Date,
    scenario_id: Id | None = None,
    committed_only: bool = False,
    unit: Literal["fte", "hours"] = "fte",
    org_unit: str | None = Query(None, max_length=40, description=ORG_UNIT_QUERY),
    role: str = Query("", max_length=100, description=ROLE_QUERY),
    skill: str = "",
) -> object:
    user = user_of(request)
    require_view(user)
    if last < first:
        raise FieldError("last", _("the end date is before the start date"))
    return selectors.list_cell_causes(
        by=by,
        key=key,
        first=first,
        last=last,
        scenario_id=_scenario_id(user, scenario_id),
        unit=unit,
        only=ResourceFilter(org_unit=_org_unit_pk(org_unit), role=_role(role), skill=skill),
        committed_only=committed_only,
    )


@router.get(
    "/capacity/room",
    response=list[RoomOut],
    summary="Same-role resources with room in a period",
    operation_id="pmo_resources_api_get_room",
)
@known_query_only
def get_room(
    request: HttpRequest,
    resource_id: Id,
    first: Date,
    last: Date,
    scenario_id: Id | None = None,
    unit: Literal["fte", "hours"] = "fte",
    committed_only: bool = False,
) -> object:
    """The other resources of the resource's role with capacity left in the heat-map period
    ``first..last`` (a week or a month), most room first."""
    user = user_of(request)
    require_view(user)
    if last < first:
        raise FieldError("last", _("the end date is before the start date"))
    if not selectors.list_resources().filter(pk=resource_id).exists():
        raise NotFoundError(_("no resource %(resource)s") % {"resource": resource_id})
    return heatmap.room_in_role(
        resource_id,
        first=first,
        last=last,
        scenario_id=_scenario_id(user, scenario_id),
        unit=unit,
        committed_only=committed_only,
    )
