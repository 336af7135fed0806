"""API schemas of the status center (``<Model>In``, ``<Model>Out``, ``<Model>Patch``)."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from pmo.core.api import Body, Date, Id
from pmo.core.models import MAX_ID
from pmo.portfolio.extensions import registry
from pmo.portfolio.models import Cadence, Phase, PmoType, Project, ProjectState, StatusReport
from pmo.portfolio.raid import Escalation, RiskResponse, Severity

RagName = Literal["green", "amber", "red"]
RAG_NAMES: dict[int, RagName] = {1: "green", 2: "amber", 3: "red"}
RAG_VALUES = {name: value for value, name in RAG_NAMES.items()}
TREND_NAMES = {1: "better", 0: "same", -1: "worse"}
DIMENSIONS = ("overall", "schedule", "cost", "scope", "resources", "quality")


class PersonRef(Schema):
    id: int
    name: str
    name_zh: str


def _person(person: Any) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "name_zh": person.name_zh}


class StatusSummary(Schema):
    """The project's current status as the status center shows it."""

    period: str | None
    overall: RagName | None
    schedule: RagName | None
    cost: RagName | None
    scope: RagName | None
    resources: RagName | None
    quality: RagName | None
    trend: Literal["better", "same", "worse"] | None
    missing: bool
    decision_needed: bool
    open_high_risks: int
    open_issues: int
    pending_decisions: int


class ProjectOut(Schema):
    code: str
    name: str
    name_zh: str
    portfolio: str
    program: str | None
    pmo_type: PmoType
    priority: int
    strategic: bool
    state: ProjectState
    phase: Phase
    sponsor: PersonRef | None
    manager: PersonRef | None
    org_unit: str
    description: str
    cadence: Cadence
    start_date: dt.date | None
    planned_finish: dt.date | None
    baseline_finish: dt.date | None
    forecast_finish: dt.date | None
    slip_days: int | None
    budget: Decimal | None
    currency: str
    percent_complete: int
    version: int
    status: StatusSummary | None = None

    @staticmethod
    def resolve_portfolio(obj: Project) -> str:
        return obj.portfolio.code

    @staticmethod
    def resolve_program(obj: Project) -> str | None:
        return obj.program.code if obj.program else None

    @staticmethod
    def resolve_org_unit(obj: Project) -> str:
        return obj.org_unit.code

    @staticmethod
    def resolve_sponsor(obj: Project) -> dict[str, Any] | None:
        return _person(obj.sponsor)

    @staticmethod
    def resolve_manager(obj: Project) -> dict[str, Any] | None:
        return _person(obj.manager)

    @staticmethod
    def resolve_status(obj: Any) -> dict[str, Any] | None:
        if not hasattr(obj, "missing"):
            return None
        report = obj.latest_report
        summary: dict[str, Any] = {
            name: RAG_NAMES.get(getattr(report, name)) if report else None for name in DIMENSIONS
        }
        summary.update(
            period=report.period if report else None,
            trend=TREND_NAMES.get(obj.trend) if obj.trend is not None else None,
            missing=bool(obj.missing),
            decision_needed=bool(obj.pending_decisions or (report and report.decision_needed)),
            open_high_risks=obj.open_high_risks,
            open_issues=obj.open_issues,
            pending_decisions=obj.pending_decisions,
        )
        return summary


Code = Field(..., min_length=1, max_length=40, pattern=r"^[-A-Za-z0-9_.]+$")


class ProjectIn(Body):
    code: str = Code
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    portfolio: str
    program: str | None = None
    pmo_type: PmoType
    priority: int = Field(3, ge=1, le=5)
    strategic: bool = False
    state: ProjectState = ProjectState.ACTIVE
    phase: Phase = Phase.IDEA
    sponsor: Id | None = None
    manager: Id | None = None
    org_unit: str
    description: str = ""
    cadence: Cadence = Cadence.WEEKLY
    start_date: Date | None = None
    planned_finish: Date | None = None
    baseline_finish: Date | None = None
    forecast_finish: Date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    percent_complete: int = Field(0, ge=0, le=100)


class ProjectPatch(Body):
    version: int = Field(..., ge=1, description="the version you read; a stale one gets 409")
    name: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, max_length=200)
    portfolio: str | None = None
    program: str | None = None
    pmo_type: PmoType | None = None
    priority: int | None = Field(None, ge=1, le=5)
    strategic: bool | None = None
    state: ProjectState | None = None
    phase: Phase | None = None
    sponsor: Id | None = None
    manager: Id | None = None
    org_unit: str | None = None
    description: str | None = None
    cadence: Cadence | None = None
    start_date: Date | None = None
    planned_finish: Date | None = None
    baseline_finish: Date | None = None
    forecast_finish: Date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    percent_complete: int | None = Field(None, ge=0, le=100)


class ProjectFilters(Schema):
    q: str = Field("", max_length=100)
    portfolio: str = ""
    program: str = ""
    org_unit: str = ""
    pmo_type: PmoType | Literal[""] = ""
    phase: Phase | Literal[""] = ""
    rag: Literal["", "red", "amber", "green", "none"] = ""
    pm: int | None = Field(None, ge=1, le=MAX_ID)
    state: ProjectState | Literal[""] = ""
    flag: str = Field("", description="missing, decision, high_risk, late, or a flag of an app")
    sort: str = Field(
        "code",
        pattern=r"^-?(code|name|program|phase|rag|trend|percent|finish|slip|priority|risks|issues|pm)$",
    )

    @field_validator("flag")
    @classmethod
    def _known_flag(cls, value: str) -> str:
        known = ["missing", "decision", "high_risk", "late", *registry.flags]
        if value and value not in known:
            raise ValueError(f"one of {', '.join(known)}")
        return value


class _ReportFields(Schema):
    overall_reason: str = ""
    schedule_reason: str = ""
    cost_reason: str = ""
    scope_reason: str = ""
    resources_reason: str = ""
    quality_reason: str = ""
    achievements: str = ""
    next_steps: str = ""
    help_needed: str = ""
    decision_needed: bool = False
    forecast_finish: Date | None = None


class StatusReportIn(_ReportFields, Body):
    period: str = Field(..., description="2026-W40 (weekly) or 2026-10 (monthly)")
    overall: RagName
    schedule: RagName
    cost: RagName
    scope: RagName
    resources: RagName
    quality: RagName
    summary: str = Field(..., min_length=1, max_length=10000)
    percent_complete: int = Field(..., ge=0, le=100)
    submit: bool = Field(True, description="false keeps it as a draft")


class StatusReportPatch(Body):
    version: int = Field(..., ge=1)
    overall: RagName | None = None
    schedule: RagName | None = None
    cost: RagName | None = None
    scope: RagName | None = None
    resources: RagName | None = None
    quality: RagName | None = None
    overall_reason: str | None = None
    schedule_reason: str | None = None
    cost_reason: str | None = None
    scope_reason: str | None = None
    resources_reason: str | None = None
    quality_reason: str | None = None
    summary: str | None = Field(None, min_length=1, max_length=10000)
    achievements: str | None = None
    next_steps: str | None = None
    help_needed: str | None = None
    decision_needed: bool | None = None
    percent_complete: int | None = Field(None, ge=0, le=100)
    forecast_finish: Date | None = None


class SubmitIn(Body):
    version: int = Field(..., ge=1)


class StatusReportOut(Schema):
    id: int
    project: str
    period: str
    period_start: dt.date
    period_end: dt.date
    revision: int
    supersedes: int | None
    state: str
    is_current: bool
    overall: RagName
    schedule: RagName
    cost: RagName
    scope: RagName
    resources: RagName
    quality: RagName
    overall_reason: str
    schedule_reason: str
    cost_reason: str
    scope_reason: str
    resources_reason: str
    quality_reason: str
    summary: str
    achievements: str
    next_steps: str
    help_needed: str
    decision_needed: bool
    percent_complete: int
    forecast_finish: dt.date | None
    trend: Literal["better", "same", "worse"] | None
    author: str | None
    submitted_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_project(obj: StatusReport) -> str:
        return obj.project.code

    @staticmethod
    def resolve_supersedes(obj: StatusReport) -> int | None:
        return obj.supersedes_id

    @staticmethod
    def resolve_trend(obj: StatusReport) -> str | None:
        return TREND_NAMES.get(obj.trend) if obj.trend is not None else None

    @staticmethod
    def resolve_author(obj: StatusReport) -> str | None:
        return obj.author.username if obj.author else None

    @staticmethod
    def resolve_overall(obj: StatusReport) -> str:
        return RAG_NAMES[obj.overall]

    @staticmethod
    def resolve_schedule(obj: StatusReport) -> str:
        return RAG_NAMES[obj.schedule]

    @staticmethod
    def resolve_cost(obj: StatusReport) -> str:
        return RAG_NAMES[obj.cost]

    @staticmethod
    def resolve_scope(obj: StatusReport) -> str:
        return RAG_NAMES[obj.scope]

    @staticmethod
    def resolve_resources(obj: StatusReport) -> str:
        return RAG_NAMES[obj.resources]

    @staticmethod
    def resolve_quality(obj: StatusReport) -> str:
        return RAG_NAMES[obj.quality]


def report_data(payload: Schema, *, exclude: set[str]) -> dict[str, Any]:
    """Turn a report schema into service data: RAG names become their integers."""
    data = payload.dict(exclude_unset=isinstance(payload, StatusReportPatch), exclude=exclude)
    for name in DIMENSIONS:
        if data.get(name) is not None:
            data[name] = RAG_VALUES[data[name]]
    return data


# --- milestones and RAID --------------------------------------------------------------------


class MilestoneIn(Body):
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    baseline_date: Date | None = None
    forecast_date: Date | None = None
    actual_date: Date | None = None
    is_key: bool = False


class MilestonePatch(Body):
    version: int = Field(..., ge=1)
    name: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, max_length=200)
    baseline_date: Date | None = None
    forecast_date: Date | None = None
    actual_date: Date | None = None
    is_key: bool | None = None


class MilestoneOut(Schema):
    id: int
    name: str
    name_zh: str
    baseline_date: dt.date | None
    forecast_date: dt.date | None
    actual_date: dt.date | None
    is_key: bool
    slip_days: int | None
    version: int


Status = Literal["open", "closed"]


class RaidIn(Body):
    title: str = Field(..., min_length=1, max_length=255)
    description: str = ""
    owner: int | None = Field(None, ge=1, description="person id")
    status: Status = "open"
    due_date: Date | None = None


class RaidPatch(Body):
    version: int = Field(..., ge=1)
    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = None
    owner: int | None = Field(None, ge=1)
    status: Status | None = None
    due_date: Date | None = None


class RaidOut(Schema):
    id: int
    title: str
    description: str
    owner: PersonRef | None
    status: str
    due_date: dt.date | None
    created_at: dt.datetime
    version: int

    @staticmethod
    def resolve_owner(obj: Any) -> dict[str, Any] | None:
        return _person(obj.owner)


class RiskIn(RaidIn):
    probability: int = Field(..., ge=1, le=5)
    impact: int = Field(..., ge=1, le=5)
    response: RiskResponse = RiskResponse.MITIGATE
    mitigation: str = ""


class RiskPatch(RaidPatch):
    probability: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    response: RiskResponse | None = None
    mitigation: str | None = None


class RiskOut(RaidOut):
    probability: int
    impact: int
    score: int
    response: str
    mitigation: str


class IssueIn(RaidIn):
    severity: Severity = Severity.MEDIUM
    escalation: Escalation = Escalation.PROJECT
    resolution: str = ""


class IssuePatch(RaidPatch):
    severity: Severity | None = None
    escalation: Escalation | None = None
    resolution: str | None = None


class IssueOut(RaidOut):
    severity: int
    escalation: int
    resolution: str


class DecisionIn(RaidIn):
    decision_status: Literal["pending", "decided", "withdrawn"] = "pending"
    decided_by: str = ""
    decided_on: Date | None = None
    outcome: str = ""


class DecisionPatch(RaidPatch):
    decision_status: Literal["pending", "decided", "withdrawn"] | None = None
    decided_by: str | None = None
    decided_on: Date | None = None
    outcome: str | None = None


class DecisionOut(RaidOut):
    decision_status: str
    decided_by: str
    decided_on: dt.date | None
    outcome: str


class AssumptionIn(RaidIn):
    validated: bool | None = None


class AssumptionPatch(RaidPatch):
    validated: bool | None = None


class AssumptionOut(RaidOut):
    validated: bool | None


RAID_SCHEMAS: dict[str, tuple[type[Schema], type[Schema], type[Schema]]] = {
    "risks": (RiskIn, RiskPatch, RiskOut),
    "issues": (IssueIn, IssuePatch, IssueOut),
    "actions": (RaidIn, RaidPatch, RaidOut),
    "decisions": (DecisionIn, DecisionPatch, DecisionOut),
    "assumptions": (AssumptionIn, AssumptionPatch, AssumptionOut),
}


class AuditEventOut(Schema):
    timestamp: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, list[Any]]

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_name)
