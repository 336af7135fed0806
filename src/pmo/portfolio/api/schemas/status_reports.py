"""API schemas of status reports, and their conversion to service data."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from pmo.core.api import Body, Date, Version
from pmo.portfolio.api.schemas.common import (
    DIMENSIONS,
    RAG_VALUES,
    TREND_NAMES,
    RagName,
    RagOut,
)
from pmo.portfolio.models import StatusReport


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
    version: Version
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
    version: Version


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
    overall: RagOut
    schedule: RagOut
    cost: RagOut
    scope: RagOut
    resources: RagOut
    quality: RagOut
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


def report_data(payload: Schema, *, exclude: set[str]) -> dict[str, Any]:
    """Turn a report schema into service data: RAG names become their integers."""
    data = payload.dict(exclude_unset=isinstance(payload, StatusReportPatch), exclude=exclude)
    for name in DIMENSIONS:
        if data.get(name) is not None:
            data[name] = RAG_VALUES[data[name]]
    return data
