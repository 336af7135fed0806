"""Requests to commit: the proposed allocations of the current plan, whether each fits beside
the committed work, and a resource manager's decisions on several at once (part of the
resources API; the reading is :mod:`pmo.resources.heatmap.requests`, the writing
:func:`pmo.resources.services.decide_requests`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import MAX_ID, MAX_PAGE_SIZE, Body, Pages, Version
from pmo.core.errors import FieldError, charged_to
from pmo.portfolio.access import get_visible_project
from pmo.resources import services
from pmo.resources.access import require_view
from pmo.resources.api.common import ORG_UNIT_QUERY, ROLE_QUERY, _org_unit_pk, _role
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap.requests import Request, pending_requests
from pmo.resources.services.requests import REASON_MAX

router = Router()

FITS = (
    "A request fits when committing it overloads its resource on no day it works from today "
    "to the request's end (its calendar's working days, less its absences), beside the work "
    "already committed (days before today are done and not judged); the other proposals are "
    "not counted (they are requests too), with_proposals counts them as committed. Proposals "
    "of closed or cancelled projects are not requests."
)


class RequestOut(Schema):
    id: int = Field(description="the proposed allocation's id")
    version: int = Field(description="send it back with the decision; a stale one gets 409")
    project: str = Field(description="project code")
    resource: str = Field(description="the resource's code")
    resource_name: str = Field(description="in the reader's language (the Chinese name if asked)")
    first: dt.date
    last: dt.date
    fte: float
    note: str
    least_free: float | None = Field(
        description="the least FTE free beside the committed work on a day the resource works "
        "from today to the request's end (negative: the committed work alone overloads it "
        "by that much); null when there is none (the request is over)"
    )
    fits: bool = Field(description="committing it overloads the resource on no working day")
    over_days: int = Field(description="the working days committing it would overload")
    with_proposals: bool = Field(
        description="it fits even with every other proposal on the resource committed"
    )
    asked_by: str = Field(description="who proposed it or changed it last ('' when unknown)")
    asked_at: dt.datetime | None = Field(description="when they did")


class _Pending:
    """The requests :class:`Pages` slices and counts: a page is read from the first request
    on (``limit`` = the page's end), so each row is judged as on the first page, and the
    count is the total of that same reading."""

    def __init__(self, only: ResourceFilter, project_id: int | None) -> None:
        self._only = only
        self._project_id = project_id
        self._total: int | None = None

    def all(self) -> _Pending:
        return self

    def count(self) -> int:
        if self._total is None:
            self._total = pending_requests(
                only=self._only, project_id=self._project_id, limit=0
            ).total
        return self._total

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        found = pending_requests(only=self._only, project_id=self._project_id, limit=window.stop)
        self._total = found.total
        return [_row(r) for r in found.rows[window.start :]]


def _row(found: Request) -> dict[str, Any]:
    allocation = found.allocation
    return {
        "id": allocation.pk,
        "version": allocation.version,
        "project": allocation.project.code,
        "resource": allocation.resource.code,
        "resource_name": allocation.resource.display_name,
        "first": allocation.first,
        "last": allocation.last,
        "fte": float(allocation.fte),
        "note": allocation.note,
        "least_free": found.least_free,
        "fits": found.fits,
        "over_days": found.over_days,
        "with_proposals": found.with_proposals,
        "asked_by": found.asked_by,
        "asked_at": found.asked_at,
    }


@router.get(
    "/allocations/requests",
    response=list[RequestOut],
    summary="Requests to commit",
    description="The proposed allocations of the current plan (not of scenarios), earliest "
    "first, each with whether it fits. " + FITS + " Narrowed to a project, to the resources "
    "of an org unit (with its sub-units) or of a role; an unknown one is a 422 naming it.",
    operation_id="pmo_resources_api_list_requests",
)
@paginate(Pages, page_size=200)
def list_requests(
    request: HttpRequest,
    project: str = Query("", max_length=40, description="project code"),
    org_unit: str | None = Query(None, max_length=40, description=ORG_UNIT_QUERY),
    role: str = Query("", max_length=100, description=ROLE_QUERY),
) -> object:
    user = user_of(request)
    require_view(user)
    project_id = None
    if project.strip():
        with charged_to("project"):  # a filter of the query, not the address: 422
            project_id = get_visible_project(user, project.strip()).pk
    only = ResourceFilter(org_unit=_org_unit_pk(org_unit), role=_role(role))
    return _Pending(only, project_id)


# strict, as the version is: ``true`` or ``"12"`` for an id is a 422, not request 1 or 12
RequestId = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_ID,
        strict=True,
        description="the proposed allocation's id (GET /allocations/requests)",
    ),
]


class ChoiceIn(Body):
    id: RequestId
    version: Version


class DecisionsIn(Body):
    commit: list[ChoiceIn] = Field(
        default_factory=list, max_length=MAX_PAGE_SIZE, description="the requests to commit"
    )
    decline: list[ChoiceIn] = Field(
        default_factory=list,
        max_length=MAX_PAGE_SIZE,
        description="the requests to decline: they are removed, the reason kept in the audit trail",
    )
    reason: str = Field(
        default="",
        max_length=REASON_MAX,
        description=f"why the requests are declined (required to decline; at most {REASON_MAX} "
        "characters): their project's manager reads it",
    )


class DecisionsOut(Schema):
    committed: list[int] = Field(description="the ids of the allocations committed")
    declined: list[int] = Field(description="the ids of the requests declined (now removed)")


@router.post(
    "/allocations/decisions",
    response=DecisionsOut,
    summary="Commit or decline requests",
    description="Resource managers commit and decline proposed allocations, several at once, "
    "each at the version read: all or none. A stale, already decided or unknown request "
    "refuses the lot, naming it (409 for one changed or decided since, 422 at commit or "
    "decline for one that is no request). The projects' managers are told. " + FITS,
    operation_id="pmo_resources_api_decide_requests",
)
def decide_requests(request: HttpRequest, payload: DecisionsIn) -> dict[str, list[int]]:
    for field in ("commit", "decline"):
        _once_each(field, getattr(payload, field))
    decided = services.decide_requests(
        actor=user_of(request),
        commit=[(c.id, c.version) for c in payload.commit],
        decline=[(c.id, c.version) for c in payload.decline],
        reason=payload.reason,
    )
    return {
        "committed": [a.pk for a in decided.committed],
        "declined": [a.pk for a in decided.declined],
    }


def _once_each(field: str, choices: list[ChoiceIn]) -> None:
    """A request listed twice is a 422 at the second (two versions of one row read at once
    cannot both be right, and the second would be refused as decided already)."""
    seen: set[int] = set()
    for n, choice in enumerate(choices):
        if choice.id in seen:
            raise FieldError(
                f"{field}.{n}.id",
                _("request %(id)s is listed twice: list it once") % {"id": choice.id},
            )
        seen.add(choice.id)
