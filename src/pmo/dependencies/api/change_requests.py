"""Change requests and their workflow (part of the dependencies API)."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Id, Pages, Version
from pmo.dependencies import changes, selectors
from pmo.dependencies.models import ChangeRequest

__all__ = [
    "ChangeRequestIn",
    "ChangeRequestOut",
    "ChangeRequestPatch",
    "ChangeRequestRow",
    "ChangeStepOut",
    "TransitionIn",
    "create_change_request",
    "get_change_request",
    "list_change_requests",
    "patch_change_request",
    "router",
    "transition",
]

router = Router()


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


_COMPARED_ON = (
    "the day needs_steering was last compared with the thresholds (the request raised or "
    "changed), at that day's exchange rates; a later rate does not move either (ADR 0016)"
)


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
    steering_compared_on: dt.date = Field(description=_COMPARED_ON)
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


def _cr_row(cr: ChangeRequest) -> dict[str, Any]:
    """What a list shows of a change request (:class:`ChangeRequestRow`); the full answer
    (:func:`_cr_out`) starts from it."""
    return {
        "id": cr.pk,
        "code": cr.code,
        "project": cr.project.code if cr.project else None,
        "program": cr.program.code if cr.program else None,
        "type": cr.type,
        "title": cr.title,
        "state": cr.state,
        "slip_days": cr.slip_days,
        "needs_steering": cr.needs_steering,
        "steering_compared_on": cr.steering_compared_on,
    }


def _cr_out(request: HttpRequest, cr: ChangeRequest) -> dict[str, Any]:
    user = user_of(request)
    seen = selectors.visible_change_impact(user, cr)
    return {
        **_cr_row(cr),
        "description": cr.description,
        "requested_by": cr.requested_by.username if cr.requested_by else "",
        "slip_milestone": cr.slip_milestone_id if seen.slip_visible else None,
        "slip_task": cr.slip_task_id if seen.slip_visible else None,
        "cost_impact": cr.cost_impact,
        "effort_impact": cr.effort_impact,
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
    steering_compared_on: dt.date = Field(description=_COMPARED_ON)


@router.get(
    "/change-requests",
    response=list[ChangeRequestRow],
    operation_id="pmo_dependencies_api_list_change_requests",
)
@paginate(Pages)
def list_change_requests(
    request: HttpRequest, project: str | None = None, state: str | None = None
) -> Any:
    """Change requests on projects visible to you (newest first)."""
    return [
        _cr_row(c)
        for c in selectors.list_change_requests(user_of(request), project=project, state=state)
    ]


@router.post(
    "/change-requests",
    response={201: ChangeRequestOut},
    operation_id="pmo_dependencies_api_create_change_request",
)
def create_change_request(request: HttpRequest, payload: ChangeRequestIn) -> Any:
    """Raise a change request (draft); a slip's impact is computed and attached."""
    cr = changes.create_change_request(actor=user_of(request), data=payload.dict())
    return Status(201, _cr_out(request, cr))


@router.get(
    "/change-requests/{cr_id}",
    response=ChangeRequestOut,
    operation_id="pmo_dependencies_api_get_change_request",
)
def get_change_request(request: HttpRequest, cr_id: int) -> Any:
    return _cr_out(request, selectors.get_change_request(user_of(request), cr_id))


@router.patch(
    "/change-requests/{cr_id}",
    response=ChangeRequestOut,
    operation_id="pmo_dependencies_api_patch_change_request",
)
def patch_change_request(request: HttpRequest, cr_id: int, payload: ChangeRequestPatch) -> Any:
    """Change a draft (or a request in PM review): e.g. enter its cost and resource impact."""
    user = user_of(request)
    cr = selectors.get_change_request(user, cr_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    changes.update_change_request(actor=user, cr=cr, data=data, version=version)
    return _cr_out(request, selectors.get_change_request(user, cr_id))


@router.post(
    "/change-requests/{cr_id}/transitions",
    response=ChangeRequestOut,
    operation_id="pmo_dependencies_api_transition",
)
def transition(request: HttpRequest, cr_id: int, payload: TransitionIn) -> Any:
    """Workflow step: submit, approve, reject (with a note), withdraw, apply. A step that is
    not possible in the current state is refused with 409 naming the possible ones."""
    user = user_of(request)
    cr = selectors.get_change_request(user, cr_id)
    changes.transition(
        actor=user, cr=cr, action=payload.action, note=payload.note, version=payload.version
    )
    return _cr_out(request, selectors.get_change_request(user, cr_id))
