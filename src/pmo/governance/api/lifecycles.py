"""Lifecycle templates and project lifecycles (part of the governance API)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.core.api import Body, Date, Id, Pages, refuse_body
from pmo.core.errors import NotFoundError, charged_to
from pmo.governance import selectors, services
from pmo.governance.api.common import visible_project
from pmo.governance.models import LifecycleTemplate
from pmo.portfolio.models import Phase, PmoType, Project

router = Router()

RoleName = Literal["pmo_admin", "pmo_member", "project_manager", "executive", "viewer"]


class CriterionIn(Body):
    text: str = Field(..., min_length=1, max_length=300)
    text_zh: str = Field("", max_length=300)
    kind: Literal["entry", "exit"] = "exit"
    mandatory: bool = True


class DeliverableIn(Body):
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    mandatory: bool = True
    template_url: str = Field("", max_length=200)


class GateIn(Body):
    code: str = Field(..., min_length=1, max_length=10)
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    decider_roles: list[RoleName] = ["executive", "pmo_admin"]
    decider_ids: list[Id] = []
    criteria: list[CriterionIn] = []
    deliverables: list[DeliverableIn] = []
    milestone: str = Field(
        "",
        max_length=200,
        description="the project milestone the gate is decided on (its name, matched "
        "case-insensitively with each project's milestone names in both languages); the "
        "gate's forecast follows that milestone's. Not on the closure gate.",
    )
    milestone_zh: str = Field("", max_length=200, description="the same milestone's Chinese name")


class PhaseIn(Body):
    key: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    category: Phase
    expected_days: int = Field(30, ge=0, le=3650)
    gate: GateIn | None = None


class LifecycleTemplateIn(Body):
    """A whole template; posting an existing ``code`` creates its next revision."""

    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    pmo_type: PmoType | Literal[""] = ""
    description: str = ""
    description_zh: str = ""
    phases: list[PhaseIn] = Field(..., min_length=2)


class CriterionOut(Schema):
    id: int
    text: str
    text_zh: str
    kind: str
    mandatory: bool


class DeliverableOut(Schema):
    id: int
    name: str
    name_zh: str
    mandatory: bool
    template_url: str


class GateOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    decider_roles: list[str]
    milestone: str
    milestone_zh: str
    criteria: list[CriterionOut]
    deliverables: list[DeliverableOut]

    @staticmethod
    def resolve_criteria(obj: Any) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_deliverables(obj: Any) -> list[Any]:
        return list(obj.deliverables.all())


class PhaseOut(Schema):
    id: int
    order: int
    key: str
    name: str
    name_zh: str
    category: str
    expected_days: int
    gate: GateOut | None

    @staticmethod
    def resolve_gate(obj: Any) -> Any:
        return getattr(obj, "gate_def", None)


class LifecycleTemplateOut(Schema):
    id: int
    code: str
    revision: int
    name: str
    name_zh: str
    pmo_type: str
    description: str
    description_zh: str
    builtin: bool
    in_use: int = 0


class LifecycleTemplateDetailOut(LifecycleTemplateOut):
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj: LifecycleTemplate) -> list[Any]:
        return selectors.template_structure(obj)


class LifecycleStartIn(Body):
    template_id: Id
    started_on: Date | None = None


class ProjectGateOut(Schema):
    gate: str
    name: str
    planned: dt.date
    forecast: dt.date
    actual: dt.date | None
    milestone: str | None = Field(
        description="the project milestone the gate is decided on (its template's name, in "
        "the request's language); null: the gate names none"
    )
    milestone_date: dt.date | None = Field(
        description="that milestone's date in this project (actual once reached, else "
        "forecast; the latest of several of that name); null: no such milestone, or it has "
        "no date (the gate is then not tied to it)"
    )
    milestone_note: str | None = Field(
        description="what the lifecycle page says beside the forecast, in the request's "
        "language: 'follows milestone Go-live', 'no milestone named X in this project', "
        "'milestone X has no date', 'milestone X: <date>' (the gate sits elsewhere, e.g. "
        "capped by the finish) or 'review requested for <day>; milestone X: <date>' (a "
        "requested review holds the date); null for a gate without milestone, passed, or "
        "not applicable"
    )


class LifecyclePhaseOut(Schema):
    key: str
    name: str
    category: str
    days_in_phase: int
    current: bool
    gate: ProjectGateOut | None


class LifecycleOut(Schema):
    project: str
    template: str
    template_id: int
    state: str
    current_phase: str
    next_gate: str | None
    next_gate_due: dt.date | None
    open_conditions: int
    version: int
    phases: list[LifecyclePhaseOut]


def _template(template_id: int) -> LifecycleTemplate:
    template = selectors.list_templates().filter(pk=template_id).first()
    if template is None:
        raise NotFoundError(_("no lifecycle template %(id)s") % {"id": template_id})
    return template


def _lifecycle_out(project: Project) -> dict[str, Any]:
    lifecycle = selectors.get_lifecycle(project)
    if lifecycle is None:
        raise NotFoundError(
            _("project %(project)s does not follow a lifecycle") % {"project": project.code}
        )
    rows = selectors.phase_rows(lifecycle)
    return {
        "project": project.code,
        "template": str(lifecycle.template),
        "template_id": lifecycle.template_id,
        "state": lifecycle.state,
        "current_phase": lifecycle.current_phase.key,
        "next_gate": lifecycle.next_gate.code if lifecycle.next_gate else None,
        "next_gate_due": lifecycle.next_gate_due,
        "open_conditions": lifecycle.open_conditions,
        "version": lifecycle.version,
        "phases": [
            {
                "key": r.phase.key,
                "name": r.phase.name,
                "category": r.phase.category,
                "days_in_phase": r.days,
                "current": r.current,
                "gate": {
                    "gate": r.gate.gate.code,
                    "name": r.gate.gate.name,
                    "planned": r.gate.planned,
                    "forecast": r.gate.forecast,
                    "actual": r.gate.actual,
                    "milestone": r.gate.gate.display_milestone or None,
                    "milestone_date": r.milestone.date if r.milestone else None,
                    "milestone_note": r.milestone_note,
                }
                if r.gate
                else None,
            }
            for r in rows
        ],
    }


# --- lifecycle templates ----------------------------------------------------------------------


@router.get(
    "/lifecycle-templates",
    response=list[LifecycleTemplateOut],
    summary="Templates",
    operation_id="pmo_governance_api_list_templates",
)
@paginate(Pages)
def list_templates(request: HttpRequest, code: str = "", latest_only: bool = False):  # type: ignore[no-untyped-def]
    qs = selectors.list_templates(latest_only=latest_only)
    return qs.filter(code=code) if code else qs


@router.post(
    "/lifecycle-templates",
    response={201: LifecycleTemplateDetailOut},
    summary="Define a template (or the next revision of a code) (PMO admin)",
    operation_id="pmo_governance_api_create_template",
)
def create_template(request: HttpRequest, payload: LifecycleTemplateIn):  # type: ignore[no-untyped-def]
    template = services.create_template(
        actor=user_of(request), definition=payload.dict(exclude_none=True)
    )
    return Status(201, _template(template.pk))


@router.get(
    "/lifecycle-templates/{template_id}",
    response=LifecycleTemplateDetailOut,
    summary="A template with phases, gates, criteria and deliverables",
    operation_id="pmo_governance_api_get_template",
)
def get_template(request: HttpRequest, template_id: int):  # type: ignore[no-untyped-def]
    return _template(template_id)


@router.delete(
    "/lifecycle-templates/{template_id}",
    response={204: None},
    summary="Delete a template revision that no project follows (PMO admin)",
    operation_id="pmo_governance_api_delete_template",
)
def delete_template(request: HttpRequest, template_id: int):  # type: ignore[no-untyped-def]
    refuse_body(request)
    services.delete_template(actor=user_of(request), template=_template(template_id))
    return Status(204, None)


# --- project lifecycle ------------------------------------------------------------------------


@router.get(
    "/projects/{code}/lifecycle",
    response=LifecycleOut,
    summary="A project's lifecycle",
    operation_id="pmo_governance_api_get_lifecycle",
)
def get_lifecycle(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return _lifecycle_out(visible_project(request, code))


@router.post(
    "/projects/{code}/lifecycle",
    response={201: LifecycleOut},
    summary="Put a project on a lifecycle template (PMO)",
    operation_id="pmo_governance_api_start_lifecycle",
)
def start_lifecycle(request: HttpRequest, code: str, payload: LifecycleStartIn):  # type: ignore[no-untyped-def]
    project = visible_project(request, code)
    with charged_to("template_id"):  # a template the body names, not the address: 422
        template = _template(payload.template_id)
    services.start_lifecycle(
        actor=user_of(request), project=project, template=template, started_on=payload.started_on
    )
    return Status(201, _lifecycle_out(project))
