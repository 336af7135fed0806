"""Resources and role pools, and their capacity changes (part of the resources API)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages, Version
from pmo.resources import selectors, services
from pmo.resources.access import require_view
from pmo.resources.api.common import _body_scenario
from pmo.resources.models import CapacityChange, Resource

router = Router()


Kind = Literal["person", "pool"]


class ResourceIn(Body):
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)
    name_zh: str = ""
    kind: Kind
    role: str = Field(max_length=100)
    role_zh: str = Field(default="", max_length=100)
    skills: str = ""
    org_unit_id: Id
    person_id: Id | None = None
    fte: Decimal = Field(default=Decimal("1"), ge=0, le=99999)
    hours_per_day: Decimal = Field(default=Decimal("8"), gt=0, le=24)
    cost_rate: Decimal = Field(default=Decimal("0"), ge=0, le=99999999)
    currency: str = Field(default="CNY", max_length=3)
    calendar: str = Field(
        default="CN", max_length=4, description='working calendar: "CN" or "" (Monday-Friday)'
    )
    available_from: Date | None = None
    available_until: Date | None = None
    active: bool = True


class ResourcePatch(Body):
    version: Version
    name: str | None = Field(default=None, max_length=200)
    name_zh: str | None = None
    role: str | None = Field(default=None, max_length=100)
    role_zh: str | None = Field(default=None, max_length=100)
    skills: str | None = None
    org_unit_id: Id | None = None
    fte: Decimal | None = Field(default=None, ge=0, le=99999)
    cost_rate: Decimal | None = Field(default=None, ge=0, le=99999999)
    available_from: Date | None = None
    available_until: Date | None = None
    active: bool | None = None


class ResourceOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    kind: str
    role: str
    role_zh: str
    skills: str
    org_unit_id: int
    person_id: int | None
    fte: float
    hours_per_day: float
    cost_rate: float
    currency: str
    calendar: str
    available_from: dt.date | None
    available_until: dt.date | None
    active: bool
    version: int


class CapacityIn(Body):
    first: Date
    last: Date
    fte: Decimal = Field(ge=0, le=99999)
    reason: str = Field(default="", max_length=200)
    scenario_id: Id | None = None


class CapacityOut(Schema):
    id: int
    resource_id: int
    scenario_id: int | None
    first: dt.date
    last: dt.date
    fte: float
    reason: str


def _resource(pk: int) -> Resource:
    return services.get_resource(pk)


@router.get(
    "/resources",
    response=list[ResourceOut],
    summary="Resources and role pools",
    operation_id="pmo_resources_api_list_resources",
)
@paginate(Pages, page_size=100)
def list_resources(request: HttpRequest, role: str | None = None) -> object:
    require_view(user_of(request))
    qs = selectors.list_resources()
    return qs.filter(role=role) if role else qs


@router.post(
    "/resources",
    response={201: ResourceOut},
    summary="Create a resource",
    operation_id="pmo_resources_api_create_resource",
)
def create_resource(request: HttpRequest, payload: ResourceIn) -> Status:
    resource = services.create_resource(actor=user_of(request), data=payload.dict())
    return Status(201, resource)


@router.get(
    "/resources/{pk}",
    response=ResourceOut,
    summary="A resource",
    operation_id="pmo_resources_api_get_resource",
)
def get_resource(request: HttpRequest, pk: int) -> Resource:
    require_view(user_of(request))
    return _resource(pk)


@router.patch(
    "/resources/{pk}",
    response=ResourceOut,
    summary="Change a resource",
    operation_id="pmo_resources_api_patch_resource",
)
def patch_resource(request: HttpRequest, pk: int, payload: ResourcePatch) -> Resource:
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_resource(
        actor=user_of(request), resource=_resource(pk), data=data, version=version
    )


@router.get(
    "/resources/{pk}/capacity",
    response=list[CapacityOut],
    summary="Capacity changes",
    operation_id="pmo_resources_api_list_capacity",
)
def list_capacity(request: HttpRequest, pk: int, scenario_id: Id | None = None) -> object:
    require_view(user_of(request))
    return CapacityChange.objects.filter(resource=_resource(pk), **{"scenario_id": scenario_id})


@router.post(
    "/resources/{pk}/capacity",
    response={201: CapacityOut},
    summary="Change capacity",
    operation_id="pmo_resources_api_add_capacity",
)
def add_capacity(request: HttpRequest, pk: int, payload: CapacityIn) -> Status:
    scenario = _body_scenario(payload.scenario_id)
    change = services.add_capacity_change(
        actor=user_of(request),
        resource=_resource(pk),
        first=payload.first,
        last=payload.last,
        fte=payload.fte,
        reason=payload.reason,
        scenario=scenario,
    )
    return Status(201, change)
