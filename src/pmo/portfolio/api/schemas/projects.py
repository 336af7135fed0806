"""API schemas of projects (with their status summary), the list filters and the history."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from pmo.core.api import Body, Date, Id, Version
from pmo.core.models import MAX_ID
from pmo.portfolio.api.schemas.common import (
    DIMENSIONS,
    RAG_NAMES,
    TREND_NAMES,
    PersonRef,
    RagName,
    _person,
)
from pmo.portfolio.extensions import registry
from pmo.portfolio.models import Cadence, Phase, PmoType, Project, ProjectState


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
    version: Version
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
