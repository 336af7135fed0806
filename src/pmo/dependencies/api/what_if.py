"""What-if impact: what moves if a milestone or task slips (part of the dependencies API)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from pmo.accounts.models import user_of
from pmo.core.api import Body, Id
from pmo.core.errors import FieldError, charged_to
from pmo.dependencies import changes, selectors
from pmo.portfolio.access import get_visible_project
from pmo.portfolio.models import Milestone
from pmo.scheduling.models import Task

__all__ = [
    "ImpactIn",
    "ImpactItemOut",
    "ImpactOut",
    "ImpactProjectOut",
    "impact",
    "router",
]

router = Router()


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
    with charged_to("project"):  # the body's project, not the address: 422
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


@router.post(
    "/impact",
    response=ImpactOut,
    operation_id="pmo_dependencies_api_impact",
)
def impact(request: HttpRequest, payload: ImpactIn) -> Any:
    """What if this milestone or task slips N working days: everything that moves, with its
    new date and delay (items whose float absorbs the slip are not listed)."""
    user = user_of(request)
    m, t = _slip_source(user, payload.project, payload.milestone, payload.task)
    return selectors.visible_impact(
        user, changes.compute_impact(milestone=m, task=t, days=payload.days)
    )
