"""API schemas of RAID entries: risks, issues, actions, decisions and assumptions."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from pmo.core.api import Body, Date, Version
from pmo.portfolio.api.schemas.common import PersonRef, _person
from pmo.portfolio.raid import Escalation, RiskResponse, Severity

Status = Literal["open", "closed"]


class RaidIn(Body):
    title: str = Field(..., min_length=1, max_length=255)
    description: str = ""
    owner: int | None = Field(None, ge=1, description="person id")
    status: Status = "open"
    due_date: Date | None = None


class RaidPatch(Body):
    version: Version
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
