"""REST endpoints for org units and people."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts import selectors, services
from pmo.accounts.models import OrgUnit, OrgUnitKind, Person, user_of
from pmo.core.api import Body, Pages, Version, known_query_only
from pmo.core.errors import NotFoundError

router = Router(tags=["organisation"])


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    kind: str
    parent: str | None = None
    version: int

    @staticmethod
    def resolve_parent(obj: OrgUnit) -> str | None:
        return obj.parent.code if obj.parent else None


class OrgUnitIn(Body):
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    kind: OrgUnitKind
    parent: str | None = Field(None, description="the parent's code; none: a top unit")


class OrgUnitPatch(Body):
    version: Version
    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    name_zh: str = Field(None, max_length=200)  # type: ignore[assignment]
    kind: OrgUnitKind = Field(None)  # type: ignore[assignment]
    parent: str | None = Field(
        None, description="the new parent's code; null: a top unit (a unit below it: 422)"
    )


class PersonOut(Schema):
    id: int
    name: str
    name_zh: str
    email: str
    title: str
    org_unit: str
    username: str | None = None
    version: int

    @staticmethod
    def resolve_org_unit(obj: Person) -> str:
        return obj.org_unit.code

    @staticmethod
    def resolve_username(obj: Person) -> str | None:
        return obj.user.username if obj.user else None


class PersonIn(Body):
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    title: str = Field("", max_length=120)
    org_unit: str
    username: str | None = None


@router.get("/org-units", response=list[OrgUnitOut], summary="List org units (tree order)")
@known_query_only
@paginate(Pages)
def list_org_units(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.list_org_units()


@router.post("/org-units", response={201: OrgUnitOut}, summary="Create an org unit (PMO admin)")
def create_org_unit(request: HttpRequest, payload: OrgUnitIn):  # type: ignore[no-untyped-def]
    return Status(201, services.create_org_unit(actor=user_of(request), data=payload.dict()))


@router.get("/org-units/{code}", response=OrgUnitOut, summary="One org unit, by code or id")
def get_org_unit(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return selectors.get_org_unit(code)


@router.patch(
    "/org-units/{code}",
    response=OrgUnitOut,
    summary="Rename an org unit or move it under another parent (PMO admin)",
)
def patch_org_unit(request: HttpRequest, code: str, payload: OrgUnitPatch):  # type: ignore[no-untyped-def]
    unit = selectors.get_org_unit(code)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_org_unit(actor=user_of(request), unit=unit, data=data, version=version)


@router.get("/people", response=list[PersonOut], summary="List people")
@known_query_only
@paginate(Pages)
def list_people(request: HttpRequest, q: str = ""):  # type: ignore[no-untyped-def]
    return selectors.list_people(search=q)


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def get_person(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    person = selectors.list_people().filter(pk=person_id).first()
    if person is None:
        raise NotFoundError(_("no person with id %(id)s") % {"id": person_id})
    return person


@router.post("/people", response={201: PersonOut}, summary="Add a person (PMO)")
def create_person(request: HttpRequest, payload: PersonIn):  # type: ignore[no-untyped-def]
    return Status(201, services.create_person(actor=user_of(request), data=payload.dict()))
