"""REST endpoints: dependency register, what-if impact, change requests and their workflow."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages, Version, VersionParam
from pmo.core.errors import FieldError
from pmo.dependencies import changes, selectors, services
from pmo.dependencies.api_responses import router as responses_router
from pmo.dependencies.models import ChangeRequest, Dependency
from pmo.portfolio.access import get_visible_project
from pmo.portfolio.models import Milestone
from pmo.scheduling.models import Task

router = Router(tags=["dependencies"])
router.add_router("/", responses_router)

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
    supplier_owner: int | None
    consumer_owner: int | None
    version: int


def _dep_out(d: Dependency) -> dict[str, Any]:
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
        "supplier_owner": d.supplier_owner_id,
        "consumer_owner": d.consumer_owner_id,
        "version": d.version,
    }


@router.get("/dependencies", response=list[DependencyOut])
@paginate(Pages)
def list_dependencies(
    request: HttpRequest, project: str | None = None, status: DepStatus | None = None
) -> Any:
    """The dependency register (both projects visible to you), by agreed date."""
    return [
        _dep_out(d)
        for d in selectors.list_dependencies(user_of(request), project=project, status=status)
    ]


@router.post("/dependencies", response={201: DependencyOut})
def create_dependency(request: HttpRequest, payload: DependencyIn) -> Any:
    """Register a dependency; a cycle between projects is refused (409)."""
    dep = services.create_dependency(actor=user_of(request), data=payload.dict())
    return Status(201, _dep_out(selectors.get_dependency(user_of(request), dep.pk)))


@router.get("/dependencies/{dep_id}", response=DependencyOut)
def get_dependency(request: HttpRequest, dep_id: int) -> Any:
    return _dep_out(selectors.get_dependency(user_of(request), dep_id))


@router.patch("/dependencies/{dep_id}", response=DependencyOut)
def patch_dependency(request: HttpRequest, dep_id: int, payload: DependencyPatch) -> Any:
    """Change a dependency; send the version you read (409 when it changed)."""
    user = user_of(request)
    dep = selectors.get_dependency(user, dep_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.update_dependency(actor=user, dep=dep, data=data, version=version)
    return _dep_out(selectors.get_dependency(user, dep_id))


@router.delete("/dependencies/{dep_id}", response={204: None})
def delete_dependency(request: HttpRequest, dep_id: int, version: VersionParam) -> Any:
    """Remove a dependency (the PM of either project or the PMO); send the version you read
    (409 when it changed). The other side's PM is notified; the audit keeps the row."""
    user = user_of(request)
    services.delete_dependency(
        actor=user, dep=selectors.get_dependency(user, dep_id), version=version
    )
    return Status(204, None)


class ImpactIn(Body):
    project: str = Field(..., min_length=1, max_length=40)
    milestone: Id | None = None
    task: Id | None = None
    days: int = Field(..., ge=1, le=2000, description="working days of slip (or of added work)")


class ImpactItemOut(Schema):
    key: str
    kind: Literal["task", "milestone", "gate", "project"]
    id: int
    project: str
    name: str
    date: dt.date
    new_date: dt.date
    delay: int


class ImpactProjectOut(Schema):
    project: str
    name: str
    name_zh: str
    max_delay: int
    finish_delay: int
    items: int
    gates: int


class ImpactOut(Schema):
    source: dict[str, Any]
    days: int
    assumed_years: list[int] = Field(
        default_factory=list,
        description="years whose public holidays are not known: counted Monday to Friday",
    )
    items: list[ImpactItemOut]
    projects: list[ImpactProjectOut]
    hidden_projects: int = Field(
        0, description="affected projects you may not read (their items are not listed)"
    )


def _slip_source(user: Any, code: str, milestone: int | None, task: int | None) -> tuple[Any, Any]:
    project = get_visible_project(user, code)
    if bool(milestone) == bool(task):
        raise FieldError("milestone", _("give exactly one milestone or one task that slips"))
    if milestone:
        m = Milestone.objects.filter(pk=milestone, project=project).first()
        if m is None:
            raise FieldError(
                "milestone",
                _("no milestone %(milestone)s in %(where)s")
                % {"milestone": milestone, "where": project.code},
            )
        return m, None
    t = Task.objects.filter(pk=int(task or 0), plan__project=project, summary=False).first()
    if t is None:
        raise FieldError(
            "task",
            _("no task %(task)s in the plan of %(where)s") % {"task": task, "where": project.code},
        )
    return None, t


@router.post("/impact", response=ImpactOut)
def impact(request: HttpRequest, payload: ImpactIn) -> Any:
    """What if this milestone or task slips N working days: everything that moves, with its
    new date and delay (items whose float absorbs the slip are not listed)."""
    user = user_of(request)
    m, t = _slip_source(user, payload.project, payload.milestone, payload.task)
    return selectors.visible_impact(
        user, changes.compute_impact(milestone=m, task=t, days=payload.days)
    )


class ChangeRequestIn(Body):
    project: str | None = Field(None, min_length=1, max_length=40)
    program: str | None = Field(None, min_length=1, max_length=40, description="program-level")
    type: Literal["scope", "schedule", "cost", "resources"]
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    slip_milestone: Id | None = None
    slip_task: Id | None = None
    slip_days: int = Field(0, ge=0, le=2000)
    cost_impact: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    effort_impact: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=1)


class ChangeRequestPatch(Body):
    version: Version
    type: Literal["scope", "schedule", "cost", "resources"] | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    slip_days: int | None = Field(None, ge=0, le=2000)
    cost_impact: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    effort_impact: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=1)


class ChangeStepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    note: str
    at: dt.datetime


class ChangeRequestOut(Schema):
    id: int
    code: str
    project: str | None
    program: str | None
    type: str
    title: str
    description: str
    requested_by: str
    slip_milestone: int | None
    slip_task: int | None
    slip_days: int
    cost_impact: Decimal
    effort_impact: Decimal
    needs_steering: bool
    state: str
    affected_projects: list[str]
    hidden_projects: int = Field(
        description="affected projects you may not read (left out of the lists and the impact)"
    )
    impact: dict[str, Any]
    decision_note: str
    actions: list[str]
    steps: list[ChangeStepOut]
    version: int


class TransitionIn(Body):
    action: Literal["submit", "approve", "reject", "withdraw", "apply"]
    note: str = Field("", max_length=5000)
    version: Version | None = None


def _cr_out(request: HttpRequest, cr: ChangeRequest) -> dict[str, Any]:
    user = user_of(request)
    seen = selectors.visible_change_impact(user, cr)
    return {
        "id": cr.pk,
        "code": cr.code,
        "project": cr.project.code if cr.project else None,
        "program": cr.program.code if cr.program else None,
        "type": cr.type,
        "title": cr.title,
        "description": cr.description,
        "requested_by": cr.requested_by.username if cr.requested_by else "",
        "slip_milestone": cr.slip_milestone_id if seen.slip_visible else None,
        "slip_task": cr.slip_task_id if seen.slip_visible else None,
        "slip_days": cr.slip_days,
        "cost_impact": cr.cost_impact,
        "effort_impact": cr.effort_impact,
        "needs_steering": cr.needs_steering,
        "state": cr.state,
        "affected_projects": [p.code for p in seen.affected],
        "hidden_projects": seen.hidden_projects,
        "impact": seen.impact,
        "decision_note": cr.decision_note,
        "actions": changes.allowed_actions(user, cr),
        "steps": [
            {
                "action": s.action,
                "from_state": s.from_state,
                "to_state": s.to_state,
                "actor": s.actor.username if s.actor else "",
                "note": changes.step_note(cr, s),
                "at": s.at,
            }
            for s in cr.steps.select_related("actor")
        ],
        "version": cr.version,
    }


class ChangeRequestRow(Schema):
    id: int
    code: str
    project: str | None
    program: str | None
    type: str
    title: str
    state: str
    slip_days: int
    needs_steering: bool


@router.get("/change-requests", response=list[ChangeRequestRow])
@paginate(Pages)
def list_change_requests(
    request: HttpRequest, project: str | None = None, state: str | None = None
) -> Any:
    """Change requests on projects visible to you (newest first)."""
    return [
        {
            "id": c.pk,
            "code": c.code,
            "project": c.project.code if c.project else None,
            "program": c.program.code if c.program else None,
            "type": c.type,
            "title": c.title,
            "state": c.state,
            "slip_days": c.slip_days,
            "needs_steering": c.needs_steering,
        }
        for c in selectors.list_change_requests(user_of(request), project=project, state=state)
    ]


@router.post("/change-requests", response={201: ChangeRequestOut})
def create_change_request(request: HttpRequest, payload: ChangeRequestIn) -> Any:
    """Raise a change request (draft); a slip's impact is computed and attached."""
    cr = changes.create_change_request(actor=user_of(request), data=payload.dict())
    return Status(201, _cr_out(request, cr))


@router.get("/change-requests/{cr_id}", response=ChangeRequestOut)
def get_change_request(request: HttpRequest, cr_id: int) -> Any:
    return _cr_out(request, selectors.get_change_request(user_of(request), cr_id))


@router.patch("/change-requests/{cr_id}", response=ChangeRequestOut)
def patch_change_request(request: HttpRequest, cr_id: int, payload: ChangeRequestPatch) -> Any:
    """Change a draft (or a request in PM review): e.g. enter its cost and resource impact."""
    user = user_of(request)
    cr = selectors.get_change_request(user, cr_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes.update_change_request(actor=user, cr=cr, data=data, version=version)
    return _cr_out(request, selectors.get_change_request(user, cr_id))


@router.post("/change-requests/{cr_id}/transitions", response=ChangeRequestOut)
def transition(request: HttpRequest, cr_id: int, payload: TransitionIn) -> Any:
    """Workflow step: submit, approve, reject (with a note), withdraw, apply. A step that is
    not possible in the current state is refused with 409 naming the possible ones."""
    user = user_of(request)
    cr = selectors.get_change_request(user, cr_id)
    changes.transition(
        actor=user, cr=cr, action=payload.action, note=payload.note, version=payload.version
    )
    return _cr_out(request, selectors.get_change_request(user, cr_id))
