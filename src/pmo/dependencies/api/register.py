"""The dependency register: dependencies between projects (part of the dependencies API)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages, Version, VersionParam, refuse_body
from pmo.dependencies import selectors, services
from pmo.dependencies.models import Dependency

__all__ = [
    "CritName",
    "DepStatus",
    "DepType",
    "DependencyIn",
    "DependencyOut",
    "DependencyPatch",
    "create_dependency",
    "delete_dependency",
    "get_dependency",
    "list_dependencies",
    "patch_dependency",
    "router",
]

router = Router()

DepType = Literal["FS", "SS", "NEED"]
DepStatus = Literal["proposed", "agreed", "at_risk", "broken", "resolved"]
CritName = Literal["low", "medium", "high", "critical"]


class DependencyIn(Body):
    supplier_project: str = Field(..., min_length=1, max_length=40)
    supplier_milestone: Id | None = None
    supplier_task: Id | None = None
    supplier_gate: Id | None = None
    consumer_project: str = Field(..., min_length=1, max_length=40)
    consumer_milestone: Id | None = None
    consumer_task: Id | None = None
    consumer_gate: Id | None = None
    type: DepType = "FS"
    lag: int = Field(0, ge=-250, le=250)
    system: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    criticality: CritName = "medium"
    status: DepStatus = "proposed"
    agreed_date: Date | None = None
    supplier_owner: Id | None = None
    consumer_owner: Id | None = None


class DependencyPatch(Body):
    version: Version
    type: DepType | None = None
    lag: int | None = Field(None, ge=-250, le=250)
    system: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    criticality: CritName | None = None
    status: DepStatus | None = None
    agreed_date: Date | None = None
    supplier_owner: Id | None = None
    consumer_owner: Id | None = None


class DependencyOut(Schema):
    id: int
    supplier_project: str
    supplier_milestone: int | None
    supplier_task: int | None
    supplier_gate: int | None
    supplier_item: str
    consumer_project: str
    consumer_milestone: int | None
    consumer_task: int | None
    consumer_gate: int | None
    consumer_item: str
    type: str
    lag: int
    system: str
    description: str
    criticality: str
    status: str
    agreed_date: dt.date | None
    supplier_date: dt.date | None = Field(
        description="The supplier's forecast (its actual date once done); its start for SS"
    )
    supplier_done: bool
    consumer_date: dt.date | None = Field(
        description="When the consumer needs it: its milestone's or gate's date, its task's start"
    )
    consumer_done: bool
    margin_days: int | None = Field(
        description=(
            "Working days the supplier's date may still slip before it passes the agreed "
            "date or makes the consumer's date move after the lag, whichever comes first, in "
            "the consumer's calendar; below 0: late by that many (the link is at risk); null "
            "when either item is done, the link is resolved or broken, or nothing is dated"
        )
    )
    margin_to: str | None = Field(
        description=(
            "What margin_days is counted to: agreed (the agreed date) or consumer (the "
            "consumer's need); null without a margin"
        )
    )
    supplier_owner: int | None
    consumer_owner: int | None
    version: int


def _dep_out(d: Dependency) -> dict[str, Any]:
    """The answer's body; a dependency not read with its dates (:func:`selectors.with_dates`)
    has them read here."""
    if not hasattr(d, "dates"):
        selectors.with_dates([d])
    dates = d.dates  # type: ignore[attr-defined]
    return {
        "id": d.pk,
        "supplier_project": d.supplier_project.code,
        "supplier_milestone": d.supplier_milestone_id,
        "supplier_task": d.supplier_task_id,
        "supplier_gate": d.supplier_gate_id,
        "supplier_item": selectors.label(d, "supplier"),
        "consumer_project": d.consumer_project.code,
        "consumer_milestone": d.consumer_milestone_id,
        "consumer_task": d.consumer_task_id,
        "consumer_gate": d.consumer_gate_id,
        "consumer_item": selectors.label(d, "consumer"),
        "type": d.type,
        "lag": d.lag,
        "system": d.system,
        "description": d.description,
        "criticality": d.criticality,
        "status": d.status,
        "agreed_date": d.agreed_date,
        "supplier_date": dates.supplier_date,
        "supplier_done": dates.supplier_done,
        "consumer_date": dates.consumer_date,
        "consumer_done": dates.consumer_done,
        "margin_days": dates.margin,
        "margin_to": dates.margin_to or None,
        "supplier_owner": d.supplier_owner_id,
        "consumer_owner": d.consumer_owner_id,
        "version": d.version,
    }


@router.get(
    "/dependencies",
    response=list[DependencyOut],
    operation_id="pmo_dependencies_api_list_dependencies",
)
@paginate(Pages)
def list_dependencies(
    request: HttpRequest, project: str | None = None, status: DepStatus | None = None
) -> Any:
    """The dependency register (both projects visible to you), by agreed date, with each
    link's dates and margin."""
    deps = list(selectors.list_dependencies(user_of(request), project=project, status=status))
    return [_dep_out(d) for d in selectors.with_dates(deps)]


@router.post(
    "/dependencies",
    response={201: DependencyOut},
    operation_id="pmo_dependencies_api_create_dependency",
)
def create_dependency(request: HttpRequest, payload: DependencyIn) -> Any:
    """Register a dependency; a cycle between projects is refused (409)."""
    dep = services.create_dependency(actor=user_of(request), data=payload.dict())
    return Status(201, _dep_out(selectors.get_dependency(user_of(request), dep.pk)))


@router.get(
    "/dependencies/{dep_id}",
    response=DependencyOut,
    operation_id="pmo_dependencies_api_get_dependency",
)
def get_dependency(request: HttpRequest, dep_id: int) -> Any:
    return _dep_out(selectors.get_dependency(user_of(request), dep_id))


@router.patch(
    "/dependencies/{dep_id}",
    response=DependencyOut,
    operation_id="pmo_dependencies_api_patch_dependency",
)
def patch_dependency(request: HttpRequest, dep_id: int, payload: DependencyPatch) -> Any:
    """Change a dependency; send the version you read (409 when it changed)."""
    user = user_of(request)
    dep = selectors.get_dependency(user, dep_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.update_dependency(actor=user, dep=dep, data=data, version=version)
    return _dep_out(selectors.get_dependency(user, dep_id))


@router.delete(
    "/dependencies/{dep_id}",
    response={204: None},
    operation_id="pmo_dependencies_api_delete_dependency",
)
def delete_dependency(request: HttpRequest, dep_id: int, version: VersionParam) -> Any:
    """Remove a dependency (the PM of either project or the PMO); send the version you read
    (409 when it changed). The other side's PM is notified; the audit keeps the row."""
    refuse_body(request)
    user = user_of(request)
    services.delete_dependency(
        actor=user, dep=selectors.get_dependency(user, dep_id), version=version
    )
    return Status(204, None)
