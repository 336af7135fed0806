"""Allocations of resources to projects, with their planned hours and cost (part of the
resources API)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages, Version, VersionParam, refuse_body
from pmo.core.errors import FieldError, NotFoundError
from pmo.portfolio.access import get_visible_project
from pmo.resources import calendars, costs, selectors, services
from pmo.resources.access import require_view
from pmo.resources.api.common import _body_scenario, _scenario_id
from pmo.resources.models import Allocation

router = Router()


Status_ = Literal["proposed", "committed"]


def _trimmed(value: str | None) -> str | None:
    if value is not None and value != value.strip():
        raise ValueError(_("no spaces at the start or end"))
    return value


# a client's key: said in words when it starts or ends with a space (not as a pattern)
ExternalRef = Annotated[str | None, AfterValidator(_trimmed)]


class AllocationIn(Body):
    resource_id: Id
    project: str = Field(description="project code")
    first: Date
    last: Date
    fte: Decimal = Field(gt=0, le=99999)
    status: Status_ = "proposed"
    note: str = Field(default="", max_length=200)
    scenario_id: Id | None = None
    external_ref: ExternalRef = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="your own key of this allocation, unique in its layer (the current plan or "
        "the scenario): when a row of the layer has it already, that row is changed to this "
        "body and the answer is 200, else one is created (201). Safe to retry; without it, "
        "every POST adds a row",
    )


class AllocationPatch(Body):
    version: Version
    resource_id: Id | None = None
    first: Date | None = None
    last: Date | None = None
    fte: Decimal | None = Field(default=None, gt=0, le=99999)
    status: Status_ | None = None
    note: str | None = Field(default=None, max_length=200)
    external_ref: ExternalRef = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="your own key of this allocation (see POST); null removes it. A key "
        "another allocation of the layer has is refused (409 naming external_ref); schedule "
        "demand takes none",
    )


def _planned(obj: Allocation, context: Any) -> costs.RowCost:
    """The allocation's planned hours and cost, computed once per object; the hand-entered
    calendar days and the absences of a layer are read once per request."""
    cached = obj.__dict__.get("_planned")
    if cached is None:
        request = (context or {}).get("request")
        overrides = getattr(request, "_pmo_calendar_days", None)
        if overrides is None:
            overrides = calendars.load_overrides()
            if request is not None:
                request._pmo_calendar_days = overrides
        # the absences of the row's layer, once per request and layer (a page of rows is one)
        layers = request.__dict__.setdefault("_pmo_absences", {}) if request is not None else {}
        if obj.scenario_id not in layers:
            layers[obj.scenario_id] = costs.load_absences(scenario_ids=[obj.scenario_id])
        cached = obj.__dict__["_planned"] = costs.row_cost(obj, overrides, layers[obj.scenario_id])
    return cached


class AllocationOut(Schema):
    id: int
    scenario_id: int | None
    resource_id: int
    resource: str
    project: str
    first: dt.date
    last: dt.date
    fte: float
    status: Status_
    source: Literal["manual", "schedule"] = Field(
        description="manual: entered by hand; schedule: demand from the project's plan "
        "(change the plan instead)"
    )
    note: str
    external_ref: str | None = Field(description="the client's key of the row, if it gave one")
    version: int
    hours: float = Field(description="planned hours: FTE x hours per day x working days")
    cost: float = Field(description="planned labour cost: hours x the resource's cost rate")
    currency: str

    @staticmethod
    def resolve_resource(obj: Allocation) -> str:
        return obj.resource.code

    @staticmethod
    def resolve_external_ref(obj: Allocation) -> str | None:
        return obj.external_ref or None

    @staticmethod
    def resolve_hours(obj: Allocation, context: Any) -> float:
        return float(_planned(obj, context).hours)

    @staticmethod
    def resolve_cost(obj: Allocation, context: Any) -> float:
        return float(_planned(obj, context).cost)

    @staticmethod
    def resolve_currency(obj: Allocation) -> str:
        return obj.resource.currency

    @staticmethod
    def resolve_project(obj: Allocation) -> str:
        return obj.project.code


class AllocationSavedOut(AllocationOut):
    warnings: list[str] = Field(
        default_factory=list,
        description="What is odd about the allocation, which is stored all the same: it ends "
        "after its project's planned finish; its FTE is above the resource's capacity in its "
        "dates (the standing FTE or a capacity change of the row's layer, the most of them), or "
        "above 1 FTE on a person. Empty when it fits. An inactive resource, or dates before "
        "its available_from or after its available_until, are refused (422) instead",
    )

    @staticmethod
    def resolve_warnings(obj: Allocation) -> list[str]:
        return services.allocation_warnings(obj)


@router.get(
    "/allocations",
    response=list[AllocationOut],
    summary="Allocations",
    operation_id="pmo_resources_api_list_allocations",
)
@paginate(Pages, page_size=200)
def list_allocations(
    request: HttpRequest,
    project: str | None = None,
    resource_id: Id | None = None,
    scenario_id: Id | None = None,
    first: Date | None = None,
    last: Date | None = None,
    status: Literal["proposed", "committed"] | None = None,
) -> object:
    """The current plan's (or a scenario's) allocations, by start date; narrowed to a
    project, a resource, one status, or those with some days from ``first`` to ``last``
    (either may be left out: from ``first`` on, up to ``last``)."""
    user = user_of(request)
    require_view(user)
    if first and last and last < first:
        raise FieldError("last", _("the end date is before the start date"))
    project_id = get_visible_project(user, project).pk if project else None
    return selectors.list_allocations(
        scenario_id=_scenario_id(user, scenario_id),
        project_id=project_id,
        resource_id=resource_id,
        first=first,
        last=last,
        status=status or "",
    )


@router.post(
    "/allocations",
    response={201: AllocationSavedOut, 200: AllocationSavedOut},
    summary="Allocate a resource (or change the row your external_ref names)",
    description="201 with a new row. With `external_ref`, a row of the same layer that has "
    "it already is changed to the body instead (200): a retried call leaves one row.",
    operation_id="pmo_resources_api_create_allocation",
)
def create_allocation(request: HttpRequest, payload: AllocationIn) -> Status:
    user = user_of(request)
    data = payload.dict()
    code = data.pop("project")
    try:
        project = get_visible_project(user, code)
    except NotFoundError as exc:  # a field of the body, not the address: 422 naming it
        raise FieldError("project", exc.message) from None
    scenario_id = data.pop("scenario_id")
    scenario = _body_scenario(scenario_id)
    data["project_id"] = project.pk
    if not data.get("external_ref"):
        data.pop("external_ref", None)
    allocation, created = services.upsert_allocation(actor=user, data=data, scenario=scenario)
    return Status(
        201 if created else 200,
        Allocation.objects.select_related("resource", "project").get(pk=allocation.pk),
    )


def _allocation(user: object, pk: int) -> Allocation:
    allocation = Allocation.objects.select_related("resource", "project").filter(pk=pk).first()
    if allocation is None:
        raise NotFoundError(_("no allocation %(allocation)s") % {"allocation": pk})
    return allocation


@router.patch(
    "/allocations/{pk}",
    response=AllocationSavedOut,
    summary="Change an allocation",
    operation_id="pmo_resources_api_patch_allocation",
)
def patch_allocation(request: HttpRequest, pk: int, payload: AllocationPatch) -> Allocation:
    user = user_of(request)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.update_allocation(
        actor=user, allocation=_allocation(user, pk), data=data, version=version
    )
    return _allocation(user, pk)


@router.delete(
    "/allocations/{pk}",
    response={204: None},
    summary="Remove an allocation",
    operation_id="pmo_resources_api_delete_allocation",
)
def delete_allocation(request: HttpRequest, pk: int, version: VersionParam) -> Status:
    refuse_body(request)
    user = user_of(request)
    services.delete_allocation(actor=user, allocation=_allocation(user, pk), version=version)
    return Status(204, None)
