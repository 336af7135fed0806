"""REST endpoints: the answers of the projects a change request affects (ADR 0005).

Mounted under the dependencies router (``api.router.add_router``).
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from pmo.accounts.models import user_of
from pmo.core.api import Body
from pmo.core.models import MAX_ID
from pmo.dependencies import responses, selectors
from pmo.dependencies.models import ChangeRequest

router = Router(tags=["dependencies"])


class ChangeResponseIn(Body):
    project: str = Field(..., min_length=1, max_length=40, description="an affected project")
    answer: Literal["agree", "object"]
    reason: str = Field("", max_length=5000, description="required when objecting")
    version: int | None = Field(
        None,
        ge=0,
        le=MAX_ID,
        strict=True,
        description="the version of the project's answer you read (0: none yet); "
        "409 when it changed meanwhile. Leave out to replace whatever is there.",
    )


class ChangeResponseOut(Schema):
    project: str
    project_name: str
    manager: str = Field(description="the project manager's name")
    answer: Literal["agree", "object"] | None = Field(description="null: not answered yet")
    reason: str
    responder: str = Field(description="who answered (the manager, or the PMO for them)")
    answered_at: dt.datetime | None
    version: int = Field(description="0 while not answered")
    can_answer: bool = Field(description="you may answer for this project now")
    by_requester: bool = Field(
        description="the requester manages this project: it agrees by the request itself"
    )
    ended: bool = Field(
        False,
        description="the project is closed or cancelled: its answer is no longer needed "
        "(not counted)",
    )


class ChangeResponsesOut(Schema):
    code: str
    state: str
    agree: int
    object: int
    unanswered: int
    objecting: list[str] = Field(description="codes of the projects that object")
    summary: str = Field(
        description='e.g. "2 agree, 1 objects (P0016), 1 not answered" (closed or cancelled '
        "projects are not counted)"
    )
    hidden_projects: int = Field(description="affected projects you may not read (left out)")
    responses: list[ChangeResponseOut]


def _name(user: Any) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return person.display_name if person is not None else user.username


def _row_out(row: responses.ResponseRow) -> dict[str, Any]:
    r = row.response
    manager = row.project.manager
    return {
        "project": row.project.code,
        "project_name": row.project.display_name,
        "manager": manager.display_name if manager is not None else "",
        "answer": r.answer if r else None,
        "reason": r.reason if r else "",
        "responder": _name(r.responder) if r else "",
        "answered_at": r.answered_at if r else None,
        "version": row.version,
        "can_answer": row.can_answer,
        "by_requester": row.by_requester,
        "ended": row.ended,
    }


def _list_out(request: HttpRequest, cr: ChangeRequest) -> dict[str, Any]:
    user = user_of(request)
    seen = selectors.visible_change_impact(user, cr)
    rows = responses.response_rows(user, cr, seen.affected)
    counts = responses.rows_counts(rows)
    return {
        "code": cr.code,
        "state": cr.state,
        **counts,
        "summary": responses.summary_text(counts),
        "hidden_projects": cr.affected_projects.count() - len(rows),
        "responses": [_row_out(row) for row in rows],
    }


@router.get(
    "/change-requests/{code}/responses",
    response=ChangeResponsesOut,
    operation_id="pmo_dependencies_api_responses_list_responses",
)
def list_responses(request: HttpRequest, code: str) -> Any:
    """Each affected project of change request ``code`` (or its id) with its manager's
    answer: agree, object (with the reason) or not answered yet. Advisory: the PMO decides."""
    return _list_out(request, selectors.find_change_request(user_of(request), code))


@router.post(
    "/change-requests/{code}/responses",
    response={200: ChangeResponseOut, 201: ChangeResponseOut},
    operation_id="pmo_dependencies_api_responses_post_response",
)
def post_response(request: HttpRequest, code: str, payload: ChangeResponseIn) -> Any:
    """Answer for an affected project (its manager or the PMO): agree, or object with a
    reason. 201 for the project's first answer, 200 when it changes one; 409 once the request
    is decided (or still a draft); 422 naming ``project`` (unknown, not affected, closed or
    cancelled) or ``reason`` (objecting without one); 403 for anyone else."""
    user = user_of(request)
    cr = selectors.find_change_request(user, code)
    response, created = responses.respond_to_change(
        actor=user,
        cr=cr,
        project_code=payload.project,
        answer=payload.answer,
        reason=payload.reason,
        version=payload.version,
    )
    row = next(
        r
        for r in responses.response_rows(user, cr, [response.project])
        if r.project.pk == response.project_id
    )
    return Status(201 if created else 200, _row_out(row))
