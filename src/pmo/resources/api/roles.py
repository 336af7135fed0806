"""The role catalogue (part of the resources API): list, read, add, change, merge, delete.

The rules live in :mod:`pmo.resources.services.roles` (names unique whatever their case; a
rename reaches every resource of the role; a role with resources is merged, not deleted);
these endpoints only read the request and show each role with how many resources have it
and their standing capacity, counted in the list's one query.
"""

from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Id, Pages, Version, known_query_only, refuse_body
from pmo.core.errors import charged_to
from pmo.resources import services
from pmo.resources.access import require_view
from pmo.resources.models import Role
from pmo.resources.selectors import catalogue_roles

router = Router()

_NAME = "the role, unique whatever its case"
_NAME_ZH = "its Chinese name, shown to readers of Chinese (every resource of the role)"
_CENTS = Decimal("0.01")


class RoleIn(Body):
    # the model's limits, so pydantic names the field and its limit (never Django's sentence)
    name: str = Field(min_length=1, max_length=100, description=_NAME)
    name_zh: str = Field(default="", max_length=100, description=_NAME_ZH)
    description: str = ""


class RolePatch(Body):
    """Only the fields sent change; none of them may be null (a role always has a name, and
    "no Chinese name" or "no description" is the empty text)."""

    version: Version
    name: str = Field(None, min_length=1, max_length=100, description=_NAME)  # type: ignore[assignment]
    name_zh: str = Field(None, max_length=100, description=_NAME_ZH)  # type: ignore[assignment]
    description: str = None  # type: ignore[assignment]


class RoleMerge(Body):
    into: Id = Field(description="the id of the role that takes this role's resources")
    version: Version | None = Field(
        None, description="this role's version, the one you read (the role merged away)"
    )


class RoleFilters(Schema):
    """The filters of ``GET /roles``."""

    q: str = Field("", max_length=100, description="part of the name or Chinese name, any case")


class RoleOut(Schema):
    id: int
    name: str
    name_zh: str
    label: str = Field(description="the role in the reader's language")
    description: str
    resources: int = Field(description="how many resources have this role")
    fte: Decimal = Field(description="the standing capacity of its active resources (FTE)")
    version: int

    @staticmethod
    def resolve_resources(obj: Role) -> int:
        return obj.resource_count  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def resolve_fte(obj: Role) -> Decimal:
        # two places as Resource.fte, on every database (SQLite's sum says "5.5", "0")
        return Decimal(obj.fte).quantize(_CENTS)  # type: ignore[attr-defined]


def _shown(role: Role) -> Role:
    """``role`` as the API shows it, with its resources counted."""
    return catalogue_roles().get(pk=role.pk)


@router.get(
    "/roles",
    response=list[RoleOut],
    summary="The role catalogue, by name, with each role's resources and FTE",
    operation_id="pmo_resources_api_list_roles",
)
@known_query_only
@paginate(Pages, page_size=100)
def list_roles(request: HttpRequest, filters: Query[RoleFilters]) -> object:
    require_view(user_of(request))
    qs = catalogue_roles()
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(name_zh__icontains=filters.q))
    return qs


@router.post(
    "/roles",
    response={201: RoleOut},
    summary="Add a role to the catalogue",
    operation_id="pmo_resources_api_create_role",
)
def create_role(request: HttpRequest, payload: RoleIn) -> Status:
    role = services.create_role(actor=user_of(request), data=payload.dict())
    return Status(201, _shown(role))


@router.get(
    "/roles/{pk}",
    response=RoleOut,
    summary="A role of the catalogue",
    operation_id="pmo_resources_api_get_role",
)
def get_role(request: HttpRequest, pk: int) -> Role:
    require_view(user_of(request))
    return _shown(services.get_role(pk))


@router.patch(
    "/roles/{pk}",
    response=RoleOut,
    summary="Change a role (a new name or Chinese name reaches every resource of it)",
    operation_id="pmo_resources_api_patch_role",
)
def patch_role(request: HttpRequest, pk: int, payload: RolePatch) -> Role:
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    role = services.update_role(
        actor=user_of(request), role=services.get_role(pk), data=data, version=version
    )
    return _shown(role)


@router.delete(
    "/roles/{pk}",
    response={204: None},
    summary="Delete a role no resource has (409 otherwise: merge it into another)",
    operation_id="pmo_resources_api_delete_role",
)
def delete_role(request: HttpRequest, pk: int) -> Status:
    refuse_body(request)
    services.delete_role(actor=user_of(request), role=services.get_role(pk))
    return Status(204, None)


@router.post(
    "/roles/{pk}/merge",
    response=RoleOut,
    summary="Merge a role into another: its resources move there and it is deleted",
    operation_id="pmo_resources_api_merge_role",
)
def merge_role(request: HttpRequest, pk: int, payload: RoleMerge) -> Any:
    """Returns the role merged into, with the resources it now has."""
    role = services.get_role(pk)
    with charged_to("into"):  # a missing role in the body, not the address's 404
        into = services.get_role(payload.into)
    merged = services.merge_role(
        actor=user_of(request), role=role, into=into, version=payload.version
    )
    return _shown(merged)
