"""Resources and role pools, and their capacity changes (part of the resources API)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import Person, user_of
from pmo.accounts.selectors import get_org_unit
from pmo.core.api import (
    Body,
    Date,
    Id,
    Pages,
    Version,
    VersionParam,
    known_query_only,
    refuse_body,
)
from pmo.core.errors import FieldError, NotFoundError, charged_to
from pmo.portfolio.api.schemas import AuditEventOut
from pmo.resources import selectors, services
from pmo.resources.access import require_view
from pmo.resources.api.common import _body_scenario
from pmo.resources.models import CapacityChange, Resource
from pmo.resources.services.capacity import (
    CapacityOverlap,
    remove_capacity_change,
    update_capacity_change,
)

router = Router()


Kind = Literal["person", "pool"]
CalendarCode = Literal["CN", ""]
"""A working calendar (:class:`~pmo.resources.models.WorkingCalendar`): ``CN`` mainland
China's holidays and adjusted working days, ``""`` Monday to Friday."""

_CALENDAR = 'working calendar: "CN" (mainland China, holidays and 调休) or "" (Monday-Friday)'
_ORG_UNIT = "the org unit's code (instead of org_unit_id)"
# the model's limits, so pydantic names the field and its limit (never Django's sentence)
FTE = Annotated[Decimal, Field(ge=0, le=99999, max_digits=7, decimal_places=2)]
Hours = Annotated[Decimal, Field(ge=Decimal("0.5"), le=24, max_digits=4, decimal_places=2)]
Rate = Annotated[Decimal, Field(ge=0, le=99999999, max_digits=10, decimal_places=2)]
Currency = Annotated[str, Field(min_length=3, max_length=3, description="ISO 4217, e.g. CNY")]

_ROLE = (
    "a role of the role catalogue (GET /roles), any case: stored in its spelling; "
    "a new one is added to the catalogue"
)
_ROLE_ZH = (
    "the role's Chinese name, kept in the role catalogue: it names a role that has none; "
    "a different one is refused (422): change it in the catalogue (PATCH /roles/{id})"
)


class ResourceIn(Body):
    code: str = Field(max_length=60)
    name: str = Field(max_length=200)
    name_zh: str = ""
    kind: Kind
    role: str = Field(max_length=100, description=_ROLE)
    role_zh: str = Field(default="", max_length=100, description=_ROLE_ZH)
    skills: str = ""
    org_unit_id: Id | None = Field(None, description="the org unit's id (or give org_unit)")
    org_unit: str | None = Field(None, max_length=40, description=_ORG_UNIT)
    person_id: Id | None = None
    fte: FTE = Decimal("1")
    hours_per_day: Hours = Decimal("8")
    cost_rate: Rate = Decimal("0")
    currency: Currency = "CNY"
    calendar: CalendarCode = Field(default="CN", description=_CALENDAR)
    available_from: Date | None = None
    available_until: Date | None = None
    active: bool = True


class ResourcePatch(Body):
    version: Version
    name: str | None = Field(default=None, max_length=200)
    name_zh: str | None = None
    role: str | None = Field(default=None, max_length=100, description=_ROLE)
    role_zh: str | None = Field(default=None, max_length=100, description=_ROLE_ZH)
    skills: str | None = None
    org_unit_id: Id | None = None
    org_unit: str = Field(None, max_length=40, description=_ORG_UNIT)  # type: ignore[assignment]
    person_id: Id | None = Field(None, description="the person; null: none")
    fte: FTE | None = None
    hours_per_day: Hours = None  # type: ignore[assignment]
    cost_rate: Rate | None = None
    currency: Currency = None  # type: ignore[assignment]
    calendar: CalendarCode = Field(None, description=_CALENDAR)  # type: ignore[arg-type]
    available_from: Date | None = None
    available_until: Date | None = None
    active: bool | None = None


class ResourceFilters(Schema):
    """The filters of ``GET /resources``; each given one narrows the list."""

    q: str = Field("", max_length=100, description="part of the code or name, any case")
    code: str = Field("", max_length=60, description="exactly this code, any case")
    kind: Kind | None = None
    active: bool | None = None
    org_unit: str = Field(
        "", max_length=40, description="an org unit's code or id: it and its sub-units"
    )
    role: str = Field("", max_length=100, description="this role, any case (or its Chinese)")


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
    org_unit: str
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

    @staticmethod
    def resolve_org_unit(obj: Resource) -> str:
        return obj.org_unit.code


_REPLACE = (
    "true: take these days from the resource's other capacity changes in the same plan that "
    "they overlap (one inside them removed, one partly inside shortened, one around them split "
    "in two); false (default): such an overlap is refused (422)"
)


class CapacityIn(Body):
    first: Date
    last: Date
    fte: FTE
    reason: str = Field(default="", max_length=200)
    scenario_id: Id | None = None
    replace_overlap: bool = Field(default=False, description=_REPLACE)


class CapacityPatch(Body):
    version: Version
    first: Date = None  # type: ignore[assignment]
    last: Date = None  # type: ignore[assignment]
    fte: FTE = None  # type: ignore[assignment]
    reason: str = Field(None, max_length=200)  # type: ignore[assignment]
    replace_overlap: bool = Field(default=False, description=_REPLACE)


class CapacityOut(Schema):
    id: int
    resource_id: int
    scenario_id: int | None
    first: dt.date
    last: dt.date
    fte: float
    reason: str
    version: int


def _resource(pk: int) -> Resource:
    return services.get_resource(pk)


def _references(data: dict[str, Any]) -> dict[str, Any]:
    """The body's org unit (``org_unit`` by code or ``org_unit_id``) and person as ids the
    service takes, each missing one a 422 at the body's field (never Django's "instance with
    id 999 is not a valid choice")."""
    data = dict(data)
    code = data.pop("org_unit", None)
    if code is not None:
        with charged_to("org_unit"):
            unit = get_org_unit(code)
        if data.get("org_unit_id") not in (None, unit.pk):
            raise FieldError(
                "org_unit", _("names another org unit than org_unit_id: give one of them")
            )
        data["org_unit_id"] = unit.pk
    elif data.get("org_unit_id") is not None:
        with charged_to("org_unit_id"):
            get_org_unit(data["org_unit_id"])
    elif "org_unit_id" in data:  # an explicit null: every resource belongs to an org unit
        raise FieldError("org_unit_id", _("give the org unit: org_unit_id or org_unit (its code)"))
    if (
        data.get("person_id") is not None
        and not Person.objects.filter(pk=data["person_id"]).exists()
    ):
        raise FieldError("person_id", _("no person with id %(id)s") % {"id": data["person_id"]})
    return data


def _capacity_change(resource: Resource, change_id: int) -> CapacityChange:
    change = CapacityChange.objects.filter(pk=change_id, resource=resource).first()
    if change is None:
        raise NotFoundError(
            _("resource %(resource)s has no capacity change %(change)s")
            % {"resource": resource.pk, "change": change_id}
        )
    return change


def _named_endpoint(exc: CapacityOverlap) -> FieldError:
    """The overlap refusal, naming the parameter that replaces the overlapped days and how
    the API removes or changes the other change."""
    other = exc.change
    address = f"/api/v1/resources/{other.resource_id}/capacity/{other.pk}?version={other.version}"
    return FieldError(
        "first",
        ngettext(
            "overlaps the capacity change %(changes)s: send replace_overlap: true to give its "
            "days to this one (it is shortened, split or removed), or first remove it "
            "(DELETE %(address)s) or change it (PATCH)",
            "overlaps the capacity changes %(changes)s: send replace_overlap: true to give "
            "their days to this one (each is shortened, split or removed), or first remove "
            "(DELETE %(address)s) or change (PATCH) each",
            len(exc.changes),
        )
        % {
            "changes": pgettext("list separator", ", ").join(
                _("%(first)s – %(last)s (%(fte)s FTE, id %(id)s)")
                % {
                    "first": c.first,
                    "last": c.last,
                    "fte": f"{Decimal(str(c.fte)).normalize():f}",
                    "id": c.pk,
                }
                for c in exc.changes
            ),
            "address": address,
        },
    )


@router.get(
    "/resources",
    response=list[ResourceOut],
    summary="Resources and role pools",
    operation_id="pmo_resources_api_list_resources",
)
@known_query_only
@paginate(Pages, page_size=100)
def list_resources(request: HttpRequest, filters: Query[ResourceFilters]) -> object:
    require_view(user_of(request))
    qs = selectors.list_resources()
    if filters.q:
        qs = qs.filter(
            Q(code__icontains=filters.q)
            | Q(name__icontains=filters.q)
            | Q(name_zh__icontains=filters.q)
        )
    if filters.code:
        qs = qs.filter(code__iexact=filters.code)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if filters.org_unit:
        with charged_to("org_unit"):
            unit = get_org_unit(filters.org_unit)
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if filters.role:
        qs = qs.filter(Q(role__iexact=filters.role) | Q(role_zh=filters.role))
    return qs


@router.post(
    "/resources",
    response={201: ResourceOut},
    summary="Create a resource",
    operation_id="pmo_resources_api_create_resource",
)
def create_resource(request: HttpRequest, payload: ResourceIn) -> Status:
    data = payload.dict()  # neither org_unit nor org_unit_id: a 422 at org_unit_id
    resource = services.create_resource(actor=user_of(request), data=_references(data))
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


@router.get(
    "/resources/{pk}/audit",
    response=list[AuditEventOut],
    summary="A resource's history",
    operation_id="pmo_resources_api_resource_audit",
)
@paginate(Pages)
def resource_audit(request: HttpRequest, pk: int) -> object:
    """Newest first: the resource's creation, edits (by hand, the API or a capacity sheet)
    and its capacity changes in the current plan (leave, part time, hiring), as the
    resource page's change history shows them."""
    require_view(user_of(request))
    return selectors.resource_events(_resource(pk))


@router.patch(
    "/resources/{pk}",
    response=ResourceOut,
    summary="Change a resource",
    operation_id="pmo_resources_api_patch_resource",
)
def patch_resource(request: HttpRequest, pk: int, payload: ResourcePatch) -> Resource:
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    resource = _resource(pk)
    return services.update_resource(
        actor=user_of(request), resource=resource, data=_references(data), version=version
    )


@router.get(
    "/resources/{pk}/capacity",
    response=list[CapacityOut],
    summary="Capacity changes",
    operation_id="pmo_resources_api_list_capacity",
)
@known_query_only
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
    try:
        change = services.add_capacity_change(
            actor=user_of(request),
            resource=_resource(pk),
            first=payload.first,
            last=payload.last,
            fte=payload.fte,
            reason=payload.reason,
            scenario=scenario,
            replace_overlap=payload.replace_overlap,
        )
    except CapacityOverlap as exc:
        raise _named_endpoint(exc) from None
    return Status(201, change)


@router.patch(
    "/resources/{pk}/capacity/{change_id}",
    response=CapacityOut,
    summary="Change a capacity change (its days, FTE or reason)",
    operation_id="pmo_resources_api_patch_capacity",
)
def patch_capacity(
    request: HttpRequest, pk: int, change_id: int, payload: CapacityPatch
) -> CapacityChange:
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    replace = data.pop("replace_overlap", False)
    change = _capacity_change(_resource(pk), change_id)
    try:
        return update_capacity_change(
            actor=user_of(request),
            change=change,
            data=data,
            version=version,
            replace_overlap=replace,
        )
    except CapacityOverlap as exc:
        raise _named_endpoint(exc) from None


@router.delete(
    "/resources/{pk}/capacity/{change_id}",
    response={204: None},
    summary="Remove a capacity change (the standing capacity applies again)",
    operation_id="pmo_resources_api_delete_capacity",
)
def delete_capacity(request: HttpRequest, pk: int, change_id: int, version: VersionParam) -> Status:
    refuse_body(request)
    change = _capacity_change(_resource(pk), change_id)
    remove_capacity_change(actor=user_of(request), change=change, version=version)
    return Status(204, None)
